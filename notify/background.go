package notify

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// background runs the Slack calls that follow an acknowledgement. Work
// given a key runs one at a time per key (one Slack message, one Home tab),
// and is dropped when newer work for the same key was queued meanwhile, so
// two quick taps can never leave the DM showing the older answer. At most
// maxBackgroundCalls run at once, so a burst of taps cannot turn into a
// burst of Slack calls and database reads competing with the answers.
type background struct {
	timeout time.Duration
	logger  *slog.Logger
	wg      sync.WaitGroup
	slots   chan struct{}

	mu      sync.Mutex
	pending map[string]*serial
}

type serial struct {
	run    sync.Mutex
	latest uint64 // guarded by background.mu, as is users
	users  int
}

const maxBackgroundCalls = 16

func newBackground(timeout time.Duration, logger *slog.Logger) *background {
	return &background{timeout: timeout, logger: logger, pending: map[string]*serial{},
		slots: make(chan struct{}, maxBackgroundCalls)}
}

// Go runs fn after the caller has returned, with a context that outlives the
// request (but keeps its values) and ends after the timeout.
func (b *background) Go(ctx context.Context, key string, fn func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.timeout)
	var s *serial
	var ticket uint64
	if key != "" {
		b.mu.Lock()
		if s = b.pending[key]; s == nil {
			s = &serial{}
			b.pending[key] = s
		}
		s.latest++
		s.users++
		ticket = s.latest
		b.mu.Unlock()
	}
	run := func() {
		select {
		case b.slots <- struct{}{}:
		case <-ctx.Done():
			b.logger.Warn("Slack background work dropped: no slot before its timeout")
			return
		}
		defer func() { <-b.slots }()
		defer b.recoverPanic()
		fn(ctx)
	}
	b.wg.Go(func() {
		defer cancel()
		if s == nil {
			run()
			return
		}
		s.run.Lock()
		b.mu.Lock()
		current := ticket == s.latest
		b.mu.Unlock()
		if current {
			run()
		}
		s.run.Unlock()
		b.mu.Lock()
		if s.users--; s.users == 0 {
			delete(b.pending, key)
		}
		b.mu.Unlock()
	})
}

// Wait blocks until all work started so far is done.
func (b *background) Wait() { b.wg.Wait() }

func (b *background) recoverPanic() {
	if r := recover(); r != nil {
		b.logger.Error("panic in Slack background work", "panic", r)
	}
}
