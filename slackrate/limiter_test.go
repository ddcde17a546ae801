package slackrate

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeTime is a clock that only moves when a caller sleeps.
type fakeTime struct {
	mu  sync.Mutex
	now time.Time
	// onSleep runs once, on the first sleep, as something happening while
	// a caller waits.
	onSleep func()
}

func (f *fakeTime) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *fakeTime) sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	hook := f.onSleep
	f.onSleep = nil
	if d > 0 {
		f.now = f.now.Add(d)
	}
	f.mu.Unlock()
	if hook != nil {
		hook()
	}
	return nil
}

func setup(t *testing.T) (*Limiter, *fakeTime) {
	t.Helper()
	clock := &fakeTime{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	l := New(NewMemoryStore(), DefaultConfig(50), clock.Now)
	l.sleep = clock.sleep
	return l, clock
}

func TestPostsArePacedAtTheWorkspaceRateAndOnePerSecondPerChannel(t *testing.T) {
	t.Parallel()
	l, clock := setup(t)
	start := clock.Now()
	for i := range 5 {
		require.NoError(t, l.Wait(t.Context(), PostMessage, "D"+string(rune('A'+i))))
	}
	require.Equal(t, 80*time.Millisecond, clock.Now().Sub(start), "the fifth post goes 4 gaps of 20 ms after the first")

	require.NoError(t, l.Wait(t.Context(), PostMessage, "DA"))
	require.Equal(t, time.Second, clock.Now().Sub(start), "a second post to DA waits a second after the first")

	before := clock.Now()
	require.NoError(t, l.Wait(t.Context(), "views.open", ""))
	require.Equal(t, before, clock.Now(), "other methods have no pace of their own")
}

func TestA429PausesEveryCallOfTheMethodUntilRetryAfter(t *testing.T) {
	t.Parallel()
	l, clock := setup(t)
	start := clock.Now()
	require.NoError(t, l.Limited(t.Context(), PostMessage, 3*time.Second))
	require.NoError(t, l.Wait(t.Context(), PostMessage, "DA"))
	require.Equal(t, 3*time.Second, clock.Now().Sub(start))

	require.NoError(t, l.Limited(t.Context(), "conversations.open", 2*time.Second))
	require.NoError(t, l.Wait(t.Context(), "conversations.open", ""))
	require.Equal(t, 5*time.Second, clock.Now().Sub(start), "unpaced methods wait out their pause too")
}

// A caller already waiting for its slot when the 429 comes back does not
// go at that slot: it queues again behind the pause.
func TestACallerWaitingWhenA429ArrivesWaitsOutThePause(t *testing.T) {
	t.Parallel()
	l, clock := setup(t)
	require.NoError(t, l.Wait(t.Context(), PostMessage, "DA"))
	start := clock.Now()
	clock.onSleep = func() { require.NoError(t, l.Limited(t.Context(), PostMessage, 2*time.Second)) }
	require.NoError(t, l.Wait(t.Context(), PostMessage, "DB"))
	require.False(t, clock.Now().Before(start.Add(2*time.Second)), "went at %s", clock.Now().Sub(start))
}

func TestACallThatWouldWaitTooLongIsRefusedWithWhenToComeBack(t *testing.T) {
	t.Parallel()
	l, clock := setup(t)
	require.NoError(t, l.Limited(t.Context(), PostMessage, 30*time.Second))
	err := l.Wait(t.Context(), PostMessage, "DA")
	var paused *PausedError
	require.True(t, errors.As(err, &paused), "%v", err)
	require.Equal(t, 30*time.Second, paused.RetryAfter())

	ctx, cancel := context.WithDeadline(t.Context(), clock.Now().Add(time.Second))
	defer cancel()
	require.NoError(t, l.Limited(t.Context(), "chat.update", 2*time.Second))
	require.ErrorAs(t, l.Wait(ctx, "chat.update", ""), &paused, "the attempt's deadline comes first")
}

func TestFailuresBackOffTogetherAndASuccessEndsTheRun(t *testing.T) {
	t.Parallel()
	l, clock := setup(t)
	var waits []time.Duration
	for range 3 {
		require.NoError(t, l.Failed(t.Context(), "chat.update"))
		before := clock.Now()
		require.NoError(t, l.Wait(t.Context(), "chat.update", ""))
		waits = append(waits, clock.Now().Sub(before))
	}
	require.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, waits)
	require.NoError(t, l.Failed(t.Context(), "chat.update"))
	require.NoError(t, l.Failed(t.Context(), "chat.update"), "a call already on its way fails too")
	before := clock.Now()
	require.NoError(t, l.Wait(t.Context(), "chat.update", ""))
	require.Equal(t, 4*time.Second, clock.Now().Sub(before), "the second failure came inside the pause: no doubling")
	for range 3 {
		require.NoError(t, l.Failed(t.Context(), "chat.update"))
		require.NoError(t, l.Wait(t.Context(), "chat.update", ""))
	}
	require.NoError(t, l.Failed(t.Context(), "chat.update"))
	before = clock.Now()
	require.NoError(t, l.Wait(t.Context(), "chat.update", ""))
	require.Equal(t, 5*time.Second, clock.Now().Sub(before), "capped")
	l.Succeeded("chat.update")
	require.NoError(t, l.Failed(t.Context(), "chat.update"))
	before = clock.Now()
	require.NoError(t, l.Wait(t.Context(), "chat.update", ""))
	require.Equal(t, 500*time.Millisecond, clock.Now().Sub(before))
}

// lateStore hands out slots already a second old, as a replica gets them
// when its workers fell behind (a busy CPU, a slow database).
type lateStore struct{ *MemoryStore }

func (s lateStore) Reserve(ctx context.Context, method string, now time.Time, gap time.Duration, latest time.Time) (time.Time, bool, error) {
	return now.Add(-time.Second), true, nil
}

// Late slots do not all go at once: the process never lets more than a
// second's worth of posts go in any one second.
func TestLateSlotsDoNotBurstPastTheRate(t *testing.T) {
	t.Parallel()
	clock := &fakeTime{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	l := New(lateStore{NewMemoryStore()}, DefaultConfig(50), clock.Now)
	l.sleep = clock.sleep
	start := clock.Now()
	for i := range 50 {
		require.NoError(t, l.Wait(t.Context(), PostMessage, fmt.Sprintf("D%d", i)))
	}
	require.Equal(t, start, clock.Now(), "fifty posts in the first second")
	require.NoError(t, l.Wait(t.Context(), PostMessage, "D50"))
	require.Equal(t, time.Second, clock.Now().Sub(start), "the 51st waits for the first to leave the window")
}
