package scheduler

import (
	"context"
	"time"
)

// Task is periodic work that must happen once per period however many
// replicas run, such as the daily Slack directory sync: run twice, it would
// spend Slack's rate limit twice for nothing.
type Task struct {
	// Name identifies the task across replicas; keep it stable.
	Name string
	// Every is the period, counted from midnight UTC: 24h is once per UTC
	// day, a minute once per minute.
	Every time.Duration
	// RetryAfter is how long a failed run waits before any replica tries
	// it again within the same period.
	RetryAfter time.Duration
	// Timeout bounds one run; five minutes when zero.
	Timeout time.Duration
	Run     func(ctx context.Context) error
}

func (t Task) timeout() time.Duration {
	if t.Timeout == 0 {
		return 5 * time.Minute
	}
	return t.Timeout
}

// RunDue runs t unless its run for the current period is done already, or
// is being run by a live replica (one that died is replaced once its claim
// lapses, cluster.RunTTL). It reports whether t ran here. Start calls it
// every Interval, so a period missed while Pulse was down, or a failed run,
// is made up at the next turn after it.
func (s *Scheduler) RunDue(ctx context.Context, t Task) (bool, error) {
	slot := s.now().UTC().Truncate(t.Every)
	return s.runs.Once(ctx, t.Name, slot, t.RetryAfter, t.Run)
}
