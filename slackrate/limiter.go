// Package slackrate makes every Slack Web API call of Pulse respect Slack's
// limits as one app: a workspace-wide pace per method shared by all workers
// of a process and, through the database, by every replica; one post per
// second per channel; and a pause of every call of a method once Slack
// answers 429 (until its Retry-After has passed) or fails with 5xx and
// timeouts (a backoff shared by everyone). It knows Slack's method names and
// nothing else of Slack: it never calls Slack nor imports a Slack client.
package slackrate

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// PostMessage is the method paced by the workspace rate and per channel.
const PostMessage = "chat.postMessage"

// DefaultPostRate is chat.postMessage calls per second across the
// workspace: 270 a minute, a little under the 300 a minute that Slack's
// "several hundred per minute" for this special-tier method means at least.
const DefaultPostRate = 4.5

// Config sets the limits.
type Config struct {
	// PostRate is chat.postMessage calls per second for the whole app.
	PostRate float64
	// ChannelGap is the least time between two posts to one channel.
	ChannelGap time.Duration
	// MaxWait is the longest a call waits for its turn; a call that would
	// wait longer is refused with *PausedError, for its job to come back.
	MaxWait time.Duration
	// BaseBackoff is the first shared pause after a 5xx or a timeout; it
	// doubles with each failure in a row, up to MaxBackoff. Failures of
	// calls that were already on their way when a pause began do not count:
	// only a call made after the pause failing again says Slack is still
	// down.
	BaseBackoff, MaxBackoff time.Duration
}

// DefaultConfig is Slack's published limits for chat.postMessage, with
// the post rate given (DefaultPostRate when it is not above 0).
func DefaultConfig(postRate float64) Config {
	if postRate <= 0 {
		postRate = DefaultPostRate
	}
	return Config{PostRate: postRate, ChannelGap: time.Second, MaxWait: 8 * time.Second,
		BaseBackoff: 500 * time.Millisecond, MaxBackoff: 5 * time.Second}
}

// PausedError refuses a call that would have to wait past the limiter's
// MaxWait or its context's deadline: try again at Until.
type PausedError struct {
	Method string
	Until  time.Time
	now    time.Time
}

// RetryAfter is how long from the refusal the caller should wait.
func (e *PausedError) RetryAfter() time.Duration { return max(e.Until.Sub(e.now), time.Second) }

func (e *PausedError) Error() string {
	return fmt.Sprintf("%s paused for Slack's rate limit: retry after %s", e.Method, e.RetryAfter())
}

// Store keeps the state that replicas share, one row per method.
type Store interface {
	// Reserve takes the method's next slot, no earlier than now or the end
	// of its pause, and moves the next one gap later. A slot after latest is
	// not taken: ok is false and slot says when one will be free.
	Reserve(ctx context.Context, method string, now time.Time, gap time.Duration, latest time.Time) (slot time.Time, ok bool, err error)
	// Pause stops every call of method until until (or a later pause).
	Pause(ctx context.Context, method string, until time.Time) error
	// PausedUntil is the end of the method's current pause.
	PausedUntil(ctx context.Context, method string) (time.Time, error)
}

// pauseRefresh is how often a method without a pace of its own reads the
// pause other replicas may have recorded: a 429 there stops calls here
// within this long, at one short read a second per method.
const pauseRefresh = time.Second

// Limiter decides when each Slack call may go. It is safe for concurrent use;
// one Limiter serves the whole process.
type Limiter struct {
	store Store
	cfg   Config
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error

	mu       sync.Mutex
	paused   map[string]time.Time   // known pauses, per method
	read     map[string]time.Time   // when the shared pause was last read
	failures map[string]int         // 5xx and timeouts in a row, per method
	channels map[string]time.Time   // next free post per channel
	released map[string][]time.Time // calls let go in the last second, per paced method
}

// New returns a limiter keeping shared state in store.
func New(store Store, cfg Config, now func() time.Time) *Limiter {
	return &Limiter{store: store, cfg: cfg, now: now, sleep: sleepCtx,
		paused: map[string]time.Time{}, read: map[string]time.Time{},
		failures: map[string]int{}, channels: map[string]time.Time{}, released: map[string][]time.Time{}}
}

// gap is the least time between two calls of method across the app; 0 for
// methods paced only by Slack's answers.
func (l *Limiter) gap(method string) time.Duration {
	if method == PostMessage && l.cfg.PostRate > 0 {
		return time.Duration(float64(time.Second) / l.cfg.PostRate)
	}
	return 0
}

// Wait blocks until a call of method (to channel, for posts) may go, or
// refuses with *PausedError when that is further off than the limiter or
// ctx allows waiting.
func (l *Limiter) Wait(ctx context.Context, method, channel string) error {
	for {
		now := l.now()
		latest := now.Add(l.cfg.MaxWait)
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(latest) {
			latest = deadline
		}
		slot, err := l.slot(ctx, method, now, latest)
		if err != nil {
			return err
		}
		if method == PostMessage && channel != "" {
			slot = l.channelSlot(channel, slot)
		}
		if slot.After(latest) {
			return &PausedError{Method: method, Until: slot, now: now}
		}
		if err := l.sleep(ctx, slot.Sub(l.now())); err != nil {
			return err
		}
		// A 429 may have come back while this call slept: then its slot is
		// inside the pause, and it queues again behind it.
		if l.pausedUntil(method).After(slot) {
			continue
		}
		released, err := l.awaitRelease(ctx, method, slot)
		if released || err != nil {
			return err
		}
	}
}

// awaitRelease waits until this process may let the call go; false when a
// 429 came back meanwhile and the call must queue again.
func (l *Limiter) awaitRelease(ctx context.Context, method string, slot time.Time) (bool, error) {
	for {
		wait := l.release(method)
		if wait <= 0 {
			return true, nil
		}
		if err := l.sleep(ctx, wait); err != nil {
			return false, err
		}
		if l.pausedUntil(method).After(slot) {
			return false, nil
		}
	}
}

// release lets a call of method go now unless this process already let a
// second's worth go in the last second; then it says how long to wait.
// Slots late for their time (a busy CPU, a slow database) would otherwise
// all go at once and break the rate over that second.
func (l *Limiter) release(method string) time.Duration {
	gap := l.gap(method)
	if gap <= 0 {
		return 0
	}
	limit := max(1, int(time.Second/gap))
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.released[method]
	for len(recent) > 0 && !recent[0].After(now.Add(-time.Second)) {
		recent = recent[1:]
	}
	if len(recent) >= limit {
		l.released[method] = recent
		return recent[0].Add(time.Second).Sub(now)
	}
	l.released[method] = append(recent, now)
	return 0
}

// slot is the earliest time a call of method may go.
func (l *Limiter) slot(ctx context.Context, method string, now, latest time.Time) (time.Time, error) {
	local := l.pausedUntil(method)
	if local.After(latest) {
		return local, nil
	}
	if gap := l.gap(method); gap > 0 {
		slot, _, err := l.store.Reserve(ctx, method, now, gap, latest)
		return later(slot, local), err
	}
	shared, err := l.sharedPause(ctx, method, now)
	return later(now, later(local, shared)), err
}

// sharedPause reads the pause other replicas recorded, at most once per
// pauseRefresh.
func (l *Limiter) sharedPause(ctx context.Context, method string, now time.Time) (time.Time, error) {
	l.mu.Lock()
	fresh := now.Sub(l.read[method]) < pauseRefresh
	if fresh {
		l.mu.Unlock()
		return time.Time{}, nil // already folded into the known pause
	}
	l.read[method] = now
	l.mu.Unlock()
	until, err := l.store.PausedUntil(ctx, method)
	if err != nil {
		return time.Time{}, err
	}
	l.notePause(method, until)
	return until, nil
}

// channelSlot books the channel's next free post at or after slot.
func (l *Limiter) channelSlot(channel string, slot time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	slot = later(slot, l.channels[channel])
	l.channels[channel] = slot.Add(l.cfg.ChannelGap)
	// Forget channels whose turn has long passed, so the map stays small.
	if len(l.channels) > 4096 {
		for ch, next := range l.channels {
			if next.Before(slot.Add(-time.Minute)) {
				delete(l.channels, ch)
			}
		}
	}
	return slot
}

// Limited records Slack's 429 on method: every call of it, here and in
// other replicas, waits until retryAfter has passed.
func (l *Limiter) Limited(ctx context.Context, method string, retryAfter time.Duration) error {
	until := l.now().Add(retryAfter)
	l.notePause(method, until)
	return l.store.Pause(context.WithoutCancel(ctx), method, until)
}

// Failed records a 5xx or a timeout on method: every call of it backs off
// together, longer with each failure in a row.
func (l *Limiter) Failed(ctx context.Context, method string) error {
	l.mu.Lock()
	if l.paused[method].After(l.now()) {
		// Sent before the pause began: the pause already answers it.
		l.mu.Unlock()
		return nil
	}
	l.failures[method]++
	n := l.failures[method]
	l.mu.Unlock()
	backoff := l.cfg.BaseBackoff
	for i := 1; i < n && backoff < l.cfg.MaxBackoff; i++ {
		backoff *= 2
	}
	return l.Limited(ctx, method, min(backoff, l.cfg.MaxBackoff))
}

// Succeeded ends a run of failures on method.
func (l *Limiter) Succeeded(method string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, method)
}

func (l *Limiter) notePause(method string, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paused[method] = later(l.paused[method], until)
}

func (l *Limiter) pausedUntil(method string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.paused[method]
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
