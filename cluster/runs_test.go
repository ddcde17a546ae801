package cluster_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cluster"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// clock is a settable test clock shared by every replica of a test.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2026, 12, 7, 0, 0, 3, 0, time.UTC)} }

// replicas returns n Runs over one database, as n replicas would hold.
func replicas(db *database.DB, c *clock, n int) []*cluster.Runs {
	rs := make([]*cluster.Runs, n)
	for i := range rs {
		rs[i] = cluster.NewRuns(db.Gorm, c.Now, cluster.NewHolder())
	}
	return rs
}

var day = 24 * time.Hour

// Three replicas all try the daily task at once, then again later that
// day: it runs once. The next day it runs once more.
func TestAPeriodicTaskRunsOncePerPeriodAcrossReplicas(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		var runs atomic.Int32
		directorySync := func(context.Context) error { runs.Add(1); return nil }
		attempt := func(rs []*cluster.Runs) {
			var wg sync.WaitGroup
			for _, r := range rs {
				wg.Go(func() {
					_, err := r.Once(t.Context(), "directory-sync", c.Now().Truncate(day), time.Minute, directorySync)
					require.NoError(t, err)
				})
			}
			wg.Wait()
		}
		rs := replicas(db, c, 3)
		attempt(rs)
		require.EqualValues(t, 1, runs.Load())
		c.Add(15 * time.Hour)
		attempt(rs)
		attempt(replicas(db, c, 2)) // replicas started later the same day
		require.EqualValues(t, 1, runs.Load(), "still once that day")

		c.Add(9 * time.Hour)
		attempt(rs)
		require.EqualValues(t, 2, runs.Load(), "once the next day")
	})
}

// A failed run is left for a retry after retryAfter, which any replica may
// make; until then nobody runs it again.
func TestAFailedRunIsRetriedAfterItsPause(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		rs := replicas(db, c, 2)
		slot := c.Now().Truncate(day)
		ran, err := rs[0].Once(t.Context(), "sync", slot, 15*time.Minute, func(context.Context) error { return errors.New("slack is down") })
		require.True(t, ran)
		require.ErrorContains(t, err, "slack is down")

		var runs int
		count := func(context.Context) error { runs++; return nil }
		c.Add(10 * time.Minute)
		ran, err = rs[1].Once(t.Context(), "sync", slot, 15*time.Minute, count)
		require.NoError(t, err)
		require.False(t, ran, "too early for a retry")
		c.Add(5 * time.Minute)
		ran, err = rs[1].Once(t.Context(), "sync", slot, 15*time.Minute, count)
		require.NoError(t, err)
		require.True(t, ran)
		ran, err = rs[0].Once(t.Context(), "sync", slot, 15*time.Minute, count)
		require.NoError(t, err)
		require.False(t, ran)
		require.Equal(t, 1, runs)
	})
}

// A replica that dies in the middle of a run stops renewing its claim; once
// the claim lapses another replica runs the task, and the dead one's late
// word changes nothing.
func TestARunLeftByADeadReplicaIsTakenOver(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		rs := replicas(db, c, 2)
		slot := c.Now().Truncate(day)
		started, hung := make(chan struct{}), make(chan struct{})
		first := make(chan bool, 1)
		go func() {
			ran, _ := rs[0].Once(context.Background(), "sync", slot, time.Minute, func(context.Context) error {
				close(started)
				<-hung // a process that stopped: no renewal comes (RunTTL is minutes of real time)
				return nil
			})
			first <- ran
		}()
		<-started

		var runs int
		count := func(context.Context) error { runs++; return nil }
		ran, err := rs[1].Once(t.Context(), "sync", slot, time.Minute, count)
		require.NoError(t, err)
		require.False(t, ran, "held by a live claim")
		c.Add(cluster.RunTTL)
		ran, err = rs[1].Once(t.Context(), "sync", slot, time.Minute, count)
		require.NoError(t, err)
		require.True(t, ran, "taken over once the claim lapsed")

		close(hung)
		require.True(t, <-first)
		ran, err = rs[1].Once(t.Context(), "sync", slot, time.Minute, count)
		require.NoError(t, err)
		require.False(t, ran, "done")
		require.Equal(t, 1, runs)
	})
}

// A run cut short by shutdown is free for another replica at once.
func TestARunStoppedByShutdownIsFreeAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		rs := replicas(db, c, 2)
		slot := c.Now().Truncate(day)
		ctx, shutdown := context.WithCancel(t.Context())
		_, err := rs[0].Once(ctx, "sync", slot, time.Hour, func(ctx context.Context) error {
			shutdown()
			return ctx.Err()
		})
		require.ErrorIs(t, err, context.Canceled)
		ran, err := rs[1].Once(t.Context(), "sync", slot, time.Hour, func(context.Context) error { return nil })
		require.NoError(t, err)
		require.True(t, ran)
	})
}

// Old runs are forgotten: a task keeps at most its last two periods.
func TestOldRunsAreForgotten(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		r := cluster.NewRuns(db.Gorm, c.Now, cluster.NewHolder())
		for range 5 {
			_, err := r.Once(t.Context(), "tick", c.Now().Truncate(time.Minute), 0, func(context.Context) error { return nil })
			require.NoError(t, err)
			c.Add(time.Minute)
		}
		var n int64
		require.NoError(t, db.Gorm.Table("periodic_runs").Count(&n).Error)
		require.EqualValues(t, 2, n)
	})
}

// A run that outlived its deadline failed like any other: it waits for its
// retry rather than starting over at the next turn.
func TestARunPastItsDeadlineWaitsForItsRetry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		rs := replicas(db, c, 2)
		slot := c.Now().Truncate(day)
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second) // time enough to claim the run
		defer cancel()
		ran, err := rs[0].Once(ctx, "sync", slot, time.Hour, func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		})
		require.True(t, ran)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		ran, err = rs[1].Once(t.Context(), "sync", slot, time.Hour, func(context.Context) error { return nil })
		require.NoError(t, err)
		require.False(t, ran)
	})
}

// The directory sync run by hand and the daily one share a lease: while
// one replica holds it, another is refused; once it is released, or its
// holder died and the lease lapsed, another may take it.
func TestAnExclusiveTaskRunsOnOneHolderAtATime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		rs := replicas(db, c, 2)
		ran := 0
		directorySync := func(context.Context) error { ran++; return nil }
		require.NoError(t, rs[0].Exclusive(t.Context(), "slack-directory-sync", func(ctx context.Context) error {
			require.ErrorIs(t, rs[1].Exclusive(ctx, "slack-directory-sync", directorySync), cluster.ErrBusy, "held by the other replica")
			require.NoError(t, rs[1].Exclusive(ctx, "another-task", directorySync), "other tasks are not held")
			return nil
		}))
		require.Equal(t, 1, ran)
		require.NoError(t, rs[1].Exclusive(t.Context(), "slack-directory-sync", directorySync), "released")
		require.Equal(t, 2, ran)

		// A holder that dies mid-run leaves a live lease, which lapses.
		dead := cluster.NewRuns(db.Gorm, c.Now, cluster.NewHolder())
		ctx, cancel := context.WithCancel(t.Context())
		started := make(chan struct{})
		done := make(chan error)
		go func() {
			done <- dead.Exclusive(ctx, "slack-directory-sync", func(ctx context.Context) error {
				close(started)
				<-ctx.Done()
				return ctx.Err()
			})
		}()
		<-started
		require.ErrorIs(t, rs[0].Exclusive(t.Context(), "slack-directory-sync", directorySync), cluster.ErrBusy)
		c.Add(cluster.RunTTL + time.Second)
		require.NoError(t, rs[0].Exclusive(t.Context(), "slack-directory-sync", directorySync), "taken over once the lease lapsed")
		require.Equal(t, 3, ran)
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
	})
}
