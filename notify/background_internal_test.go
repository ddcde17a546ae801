package notify

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBackgroundRunsOnlyTheLatestWorkPerKey(t *testing.T) {
	t.Parallel()
	b := newBackground(time.Second, slog.New(slog.DiscardHandler))
	var (
		mu  sync.Mutex
		ran []string
	)
	record := func(name string) func(context.Context) {
		return func(context.Context) { mu.Lock(); ran = append(ran, name); mu.Unlock() }
	}
	started, release := make(chan struct{}), make(chan struct{})
	b.Go(t.Context(), "dm", func(ctx context.Context) { close(started); <-release; record("first")(ctx) })
	<-started
	b.Go(t.Context(), "dm", record("stale"))
	b.Go(t.Context(), "dm", record("latest"))
	b.Go(t.Context(), "", record("unkeyed"))
	close(release)
	b.Wait()
	require.ElementsMatch(t, []string{"first", "latest", "unkeyed"}, ran)
	require.Empty(t, b.pending, "nothing is kept once the work is done")
}

func TestBackgroundOutlivesTheRequestAndSurvivesPanics(t *testing.T) {
	t.Parallel()
	b := newBackground(time.Second, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var alive error
	b.Go(ctx, "k", func(context.Context) { panic("boom") })
	b.Go(ctx, "k2", func(ctx context.Context) { alive = ctx.Err() })
	b.Wait()
	require.NoError(t, alive, "the request's end does not cancel the work")
	b.Go(t.Context(), "k", func(context.Context) {})
	b.Wait()
}

func TestBackgroundRunsAtMostItsSlotsAtOnce(t *testing.T) {
	t.Parallel()
	b := newBackground(time.Second, slog.New(slog.DiscardHandler))
	b.slots = make(chan struct{}, 2)
	var (
		mu               sync.Mutex
		running, most, n int
	)
	release := make(chan struct{})
	for range 6 {
		b.Go(t.Context(), "", func(context.Context) {
			mu.Lock()
			running++
			most = max(most, running)
			mu.Unlock()
			<-release
			mu.Lock()
			running--
			n++
			mu.Unlock()
		})
	}
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return running == 2 }, time.Second, time.Millisecond)
	close(release)
	b.Wait()
	require.Equal(t, 2, most)
	require.Equal(t, 6, n, "work waiting for a slot still runs")
}
