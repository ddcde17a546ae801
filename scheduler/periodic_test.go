package scheduler_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/scheduler"
)

// replicas returns n schedulers over b's database and clock, as n Pulse
// processes would run them.
func (b *bundle) replicas(n int) []*scheduler.Scheduler {
	ss := make([]*scheduler.Scheduler, n)
	for i := range ss {
		ss[i] = scheduler.New(b.db.Gorm, b.surveys, scheduler.NewDispatcher(b.river, b.clock.Now), b.clock.Now, slog.New(slog.DiscardHandler))
	}
	return ss
}

// countingSync stands for the Slack directory sync: it counts its runs.
func countingSync(runs *atomic.Int32) scheduler.Task {
	return scheduler.Task{Name: "slack-directory-sync", Every: 24 * time.Hour, RetryAfter: 15 * time.Minute,
		Run: func(context.Context) error { runs.Add(1); return nil }}
}

// Three replicas each offer the daily sync its turn every minute of a day:
// it runs once that day, and once the next.
func TestTheDailySyncRunsOncePerDayWhateverTheReplicas(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var runs atomic.Int32
		dailySync := countingSync(&runs)
		replicas := b.replicas(3)
		turns := func() {
			var wg sync.WaitGroup
			for _, s := range replicas {
				wg.Go(func() {
					_, err := s.RunDue(t.Context(), dailySync)
					require.NoError(t, err)
				})
			}
			wg.Wait()
		}
		b.clock.Set(time.Date(2026, 12, 7, 0, 0, 2, 0, time.UTC))
		turns()
		require.EqualValues(t, 1, runs.Load())
		for range 3 {
			b.clock.Set(b.clock.Now().Add(7 * time.Hour))
			turns()
		}
		require.EqualValues(t, 1, runs.Load(), "once on Monday")
		b.clock.Set(b.clock.Now().Add(3 * time.Hour)) // Tuesday 00:00:02
		turns()
		turns()
		require.EqualValues(t, 2, runs.Load(), "once on Tuesday")
	})
}

// A sync that fails (Slack down) is tried again by any replica after its
// pause, not at every turn.
func TestAFailedSyncIsRetriedAfterItsPause(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		replicas := b.replicas(2)
		var calls int
		slackDown := true
		dailySync := scheduler.Task{Name: "slack-directory-sync", Every: 24 * time.Hour, RetryAfter: 15 * time.Minute,
			Run: func(context.Context) error {
				calls++
				if slackDown {
					return errors.New("slack: service unavailable")
				}
				return nil
			}}
		_, err := replicas[0].RunDue(t.Context(), dailySync)
		require.Error(t, err)
		for range 14 {
			b.clock.Set(b.clock.Now().Add(time.Minute))
			for _, s := range replicas {
				ran, err := s.RunDue(t.Context(), dailySync)
				require.NoError(t, err)
				require.False(t, ran)
			}
		}
		slackDown = false
		b.clock.Set(b.clock.Now().Add(time.Minute))
		ran, err := replicas[1].RunDue(t.Context(), dailySync)
		require.NoError(t, err)
		require.True(t, ran)
		require.Equal(t, 2, calls)
	})
}

// Started the way `pulse serve` starts them, three schedulers over one
// database tick once at start between them and run the sync once per day.
func TestThreeStartedSchedulersRunTheSyncOncePerDay(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.clock.Set(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
		var runs atomic.Int32
		var stops []func()
		for _, s := range b.replicas(3) {
			s.Interval = time.Second // turns come every second; the clock moves only when told
			stops = append(stops, s.Start(t.Context(), countingSync(&runs)))
		}
		var ticks int64
		require.NoError(t, db.Gorm.Table("periodic_runs").Where("task = ? AND done_at IS NOT NULL", "scheduler tick").Count(&ticks).Error)
		require.EqualValues(t, 1, ticks, "each started with a tick, in the same second: one ran")
		require.Eventually(t, func() bool { return runs.Load() == 1 }, 20*time.Second, 20*time.Millisecond)
		b.clock.Set(b.clock.Now().Add(24 * time.Hour))
		require.Eventually(t, func() bool { return runs.Load() == 2 }, 20*time.Second, 20*time.Millisecond)
		for _, stop := range stops {
			stop()
		}
		require.EqualValues(t, 2, runs.Load())
	})
}
