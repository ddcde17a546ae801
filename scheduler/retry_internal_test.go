package scheduler

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
)

// A storm's failures are retried within seconds, never more than a minute
// apart for the first eight minutes; an outage is retried ever more rarely,
// up to half an hour apart, and given up about two hours in.
func TestRetriesAreQuickInAStormAndPatientInAnOutage(t *testing.T) {
	t.Parallel()
	want := map[int]time.Duration{1: 2 * time.Second, 2: 4 * time.Second, 3: 8 * time.Second, 4: 16 * time.Second,
		5: 32 * time.Second, 6: time.Minute, 12: time.Minute, 13: 2 * time.Minute, 16: 16 * time.Minute,
		17: 30 * time.Minute, 19: 30 * time.Minute, 100: 30 * time.Minute}
	for attempt, d := range want {
		require.Equal(t, d, retryDelay(attempt, 0), "attempt %d", attempt)
		require.Equal(t, d*4/5, retryDelay(attempt, 1), "attempt %d, most jitter", attempt)
	}
	var total time.Duration
	for attempt := 1; attempt < maxDeliveryAttempts; attempt++ {
		total += retryDelay(attempt, 0)
		if attempt <= stormLast {
			require.LessOrEqual(t, retryDelay(attempt, 0), time.Minute)
		}
	}
	require.InDelta(t, (2 * time.Hour).Minutes(), total.Minutes(), 10, "the last attempt about two hours after the first")

	w := &DeliverWorker{}
	before := time.Now()
	next := w.NextRetry(&river.Job[DeliverArgs]{JobRow: &rivertype.JobRow{Attempt: 3}})
	require.False(t, next.Before(before.Add(8*time.Second*4/5)), "%s", next.Sub(before))
	require.False(t, next.After(time.Now().Add(8*time.Second)), "%s", next.Sub(before))
}
