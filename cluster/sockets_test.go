package cluster_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cluster"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

func socketReplicas(db *database.DB, now func() time.Time, n, slots int) []*cluster.Sockets {
	ss := make([]*cluster.Sockets, n)
	for i := range ss {
		ss[i] = cluster.NewSockets(db.Gorm, now, cluster.NewHolder(), slots, slog.New(slog.DiscardHandler))
	}
	return ss
}

// Three replicas, two slots: two hold a socket, the third none; it takes
// over a slot released on shutdown, and one whose holder died (stopped
// renewing) once the lease lapses.
func TestThreeReplicasShareTwoSockets(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		c := newClock()
		ss := socketReplicas(db, c.Now, 3, 2)
		a, b, third := ss[0], ss[1], ss[2]
		slotA, ok, err := a.Acquire(t.Context())
		require.NoError(t, err)
		require.True(t, ok)
		slotB, ok, err := b.Acquire(t.Context())
		require.NoError(t, err)
		require.True(t, ok)
		require.NotEqual(t, slotA, slotB)
		_, ok, err = third.Acquire(t.Context())
		require.NoError(t, err)
		require.False(t, ok, "no third socket")
		again, ok, err := a.Acquire(t.Context())
		require.NoError(t, err)
		require.True(t, ok, "a holder keeps its own slot")
		require.Equal(t, slotA, again)

		require.NoError(t, a.Release(t.Context(), slotA))
		slot, ok, err := third.Acquire(t.Context())
		require.NoError(t, err)
		require.True(t, ok, "released on shutdown: taken at once")
		require.Equal(t, slotA, slot)
		_, ok, err = a.Acquire(t.Context())
		require.NoError(t, err)
		require.False(t, ok, "a restarted replica waits its turn")

		c.Add(cluster.SocketTTL / 2)
		held, err := third.Renew(t.Context(), slot)
		require.NoError(t, err)
		require.True(t, held)
		c.Add(cluster.SocketTTL/2 + time.Second) // b died half a lease ago and never renewed
		slot, ok, err = a.Acquire(t.Context())
		require.NoError(t, err)
		require.True(t, ok, "b's lapsed lease is taken over")
		require.Equal(t, slotB, slot)
		held, err = b.Renew(t.Context(), slotB)
		require.NoError(t, err)
		require.False(t, held, "b, back from a stall, learns it lost its slot")
	})
}

// No slots (PULSE_SLACK_SOCKETS=0): nobody holds a socket.
func TestNoSlotsNoSockets(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		_, ok, err := socketReplicas(db, time.Now, 1, 0)[0].Acquire(t.Context())
		require.NoError(t, err)
		require.False(t, ok)
	})
}

// sockets counts the Socket Mode connections open across the replicas.
type sockets struct {
	open, most atomic.Int32
}

func (s *sockets) serve(ctx context.Context) error {
	n := s.open.Add(1)
	for {
		m := s.most.Load()
		if n <= m || s.most.CompareAndSwap(m, n) {
			break
		}
	}
	<-ctx.Done()
	s.open.Add(-1)
	return nil
}

// The running loop: of three replicas, two open a socket; when one stops,
// the third opens one; never more than two are open at a time.
func TestHoldKeepsAtMostTwoSocketsOpenAndHandsOver(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ss := socketReplicas(db, time.Now, 3, 2)
		var (
			open    sockets
			wg      sync.WaitGroup
			stops   []context.CancelFunc
			serving [3]atomic.Bool
		)
		for i, s := range ss {
			s.TTL, s.Retry = 600*time.Millisecond, 20*time.Millisecond
			ctx, stop := context.WithCancel(t.Context())
			stops = append(stops, stop)
			wg.Go(func() {
				s.Hold(ctx, func(ctx context.Context) error {
					serving[i].Store(true)
					defer serving[i].Store(false)
					return open.serve(ctx)
				})
			})
		}
		require.Eventually(t, func() bool { return open.open.Load() == 2 }, 10*time.Second, 10*time.Millisecond)
		var holder int
		for i := range serving {
			if serving[i].Load() {
				holder = i
			}
		}
		stops[holder]()
		require.Eventually(t, func() bool {
			return !serving[holder].Load() && open.open.Load() == 2
		}, 10*time.Second, 10*time.Millisecond, "the waiting replica took the released slot")
		for _, stop := range stops {
			stop()
		}
		wg.Wait()
		require.EqualValues(t, 0, open.open.Load())
		require.EqualValues(t, 2, open.most.Load(), "never more than two sockets")
		var left int64
		require.NoError(t, db.Gorm.Table("socket_leases").Count(&left).Error)
		require.Zero(t, left, "every slot released on shutdown")
	})
}
