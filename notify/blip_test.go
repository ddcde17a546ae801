package notify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// A tap that meets the database down for a few attempts (looking up who
// tapped, then saving the answer) is saved once it is back, well within
// Slack's three seconds, and the DM says so.
func TestTapDuringADatabaseBlipIsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		blipping, pool := dbtest.WithBlips(db)
		h := newHarness(t, blipping)
		rep := h.reps[1]
		ref, dm := h.send(rep)

		pool.Down.Store(4)
		name := h.tap(dm, rep.SlackUserID, ref, 7)
		require.Less(t, pool.Down.Load(), int32(0), "the outage was met and outlasted")
		require.Equal(t, 7, h.myENPS(rep))
		blocks, err := h.responses(name)[0].SlackBlocks()
		require.NoError(t, err)
		require.Contains(t, textsOf(t, blocks), "Recorded: *7*")
	})
}
