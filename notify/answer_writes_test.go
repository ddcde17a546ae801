package notify_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// Someone holding the database compares it before and after a tap in
// Slack: only anonymous rows may have changed, or their position and time
// join the answer to the person who tapped.
func TestATapWritesNothingThatNamesThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[0]
		ref, dm := h.send(rep)
		before := dbtest.Dump(t, db)
		h.tap(dm, rep.SlackUserID, ref, 9)
		h.app.Wait()
		h.tap(dm, rep.SlackUserID, ref, 6) // a change of mind
		h.app.Wait()
		changed := dbtest.Changed(before, dbtest.Dump(t, db))
		require.NotEmpty(t, changed["responses"], "the answer was stored")
		for table, rows := range changed {
			require.True(t, slices.Contains([]string{"responses", "answers", "answer_counts"}, table),
				"a tap wrote to %s: %v", table, rows)
			for _, row := range rows {
				require.False(t, strings.Contains(row, "employee") || strings.Contains(row, rep.SlackUserID),
					"%s row names a person: %s", table, row)
			}
		}
	})
}
