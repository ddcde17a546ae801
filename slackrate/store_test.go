package slackrate_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/slackrate"
)

// Two replicas on one database take their slots from the same row: between
// them, never two in one gap; a pause one of them records holds for both.
func TestReplicasShareSlotsAndPausesThroughTheDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		a, b := slackrate.NewSQLStore(db), slackrate.NewSQLStore(db)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		gap, far := 20*time.Millisecond, now.Add(time.Hour)

		var slots []time.Time
		for i := range 6 {
			store := a
			if i%2 == 1 {
				store = b
			}
			slot, ok, err := store.Reserve(ctx, "chat.postMessage", now, gap, far)
			require.NoError(t, err)
			require.True(t, ok)
			slots = append(slots, slot)
		}
		for i, slot := range slots {
			require.True(t, slot.Equal(now.Add(time.Duration(i)*gap)), "slot %d is %s", i, slot)
		}

		require.NoError(t, b.Pause(ctx, "chat.postMessage", now.Add(10*time.Second)))
		require.NoError(t, b.Pause(ctx, "chat.postMessage", now.Add(5*time.Second)), "a shorter pause does not shorten it")
		until, err := a.PausedUntil(ctx, "chat.postMessage")
		require.NoError(t, err)
		require.True(t, until.Equal(now.Add(10*time.Second)), "%s", until)

		slot, ok, err := a.Reserve(ctx, "chat.postMessage", now, gap, now.Add(8*time.Second))
		require.NoError(t, err)
		require.False(t, ok, "the pause ends after the latest slot the caller would take")
		require.True(t, slot.Equal(now.Add(10*time.Second)), "%s", slot)
		slot, ok, err = b.Reserve(ctx, "chat.postMessage", now, gap, far)
		require.NoError(t, err)
		require.True(t, ok)
		require.True(t, slot.Equal(now.Add(10*time.Second)), "the refused caller took nothing: %s", slot)

		other, ok, err := a.Reserve(ctx, "conversations.open", now, gap, far)
		require.NoError(t, err)
		require.True(t, ok)
		require.True(t, other.Equal(now), "each method has its own pace and pause")
	})
}
