package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/robfig/cron/v3"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
)

// NewRiver builds the River client over the application's database; it
// polls, since neither driver over database/sql listens for notifications.
func NewRiver(db *database.DB, worker *DeliverWorker, logger *slog.Logger, more ...func(*river.Workers) error) (*river.Client[*sql.Tx], error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, worker); err != nil {
		return nil, err
	}
	for _, add := range more {
		if err := add(workers); err != nil {
			return nil, err
		}
	}
	return river.NewClient(db.RiverDriver(), &river.Config{
		// Most of a delivery's time is spent waiting (for Slack's answer,
		// its turn under the rate limit, a dozen database round trips), not
		// working: ten workers keep 50 DMs a second going, even on SQLite's
		// one connection. 25 on PostgreSQL sent no faster and drew more
		// 429s, their wake-ups bunching on a busy CPU.
		Queues:   map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		Workers:  workers,
		PollOnly: true,
		// Polling is how a job that is due is noticed: a quarter second
		// bounds how long the first DM of a round waits for it.
		FetchPollInterval: 250 * time.Millisecond,
		// A worker freed asks River for the next job; River's default 100 ms
		// between fetches would cap delivery at MaxWorkers jobs per 100 ms.
		FetchCooldown: 20 * time.Millisecond,
		// Every attempt is bounded, so a job still running after
		// RescueStuckJobsAfter was left by a process that died; River's
		// rescuer (every 30 s) retries it, within two minutes of the attempt.
		JobTimeout:           delivery.AttemptBound,
		RescueStuckJobsAfter: RescueAfter,
		Logger:               slog.New(warnOnly{logger.Handler()}),
	})
}

// RescueAfter is how long a job may run before River takes it for one left
// behind by a dead process and retries it. It must exceed every worker's
// timeout (delivery.AttemptBound).
const RescueAfter = 75 * time.Second

// StartQueue starts client for the life of the process. Cancelling ctx (a
// signal) does not cancel running jobs: stop with StopQueue.
func StartQueue(ctx context.Context, client *river.Client[*sql.Tx]) error {
	return client.Start(context.WithoutCancel(ctx))
}

// StopQueue stops taking new jobs and lets running ones finish until ctx
// ends; then it cancels what is still running and waits a few seconds for
// it to wind down. A cancelled delivery is retried later, and its retry
// looks for the DM before posting it again.
func StopQueue(ctx context.Context, client *river.Client[*sql.Tx]) error {
	err := client.Stop(ctx)
	if err == nil || ctx.Err() == nil {
		return err
	}
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return errors.Join(err, client.StopAndCancel(hard))
}

// warnOnly keeps River's routine info logs out of Pulse's log.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

// Start ticks once before returning (catching up anything missed while
// Pulse was down), then at the start of every Interval (every minute at
// :00), driven by robfig/cron. Every
// Interval it also offers each of tasks (the daily Slack directory sync)
// its turn. Each replica does this, but a tick, like a task, runs once per
// period across the cluster: whichever replica comes first claims it (see
// RunDue). The returned stop waits for running work to finish.
func (s *Scheduler) Start(ctx context.Context, tasks ...Task) (stop func()) {
	c := cron.New(cron.WithLocation(time.UTC), cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	tick := s.job(ctx, Task{Name: "scheduler tick", Every: s.Interval, Run: s.Tick})
	c.Schedule(onTheBoundary(s.Interval), tick)
	for _, t := range tasks {
		c.Schedule(onTheBoundary(s.Interval), s.job(ctx, t))
	}
	tick.Run()
	c.Start()
	return func() { <-c.Stop().Done() }
}

// onTheBoundary is a cron schedule firing at every whole multiple of a
// period (for a minute, at :00 of each minute, UTC), where each period's
// claim begins. cron.Every counts from the process's start instead: a
// replica started at :40 of a minute whose tick another process had
// already run waited until :40 of the next one, so a round due at :00
// (a survey saved that minute) was created, and its first DM sent, up to a
// minute late.
type onTheBoundary time.Duration

// Next is the first boundary after t.
func (b onTheBoundary) Next(t time.Time) time.Time {
	period := time.Duration(b)
	return t.Truncate(period).Add(period)
}

// job is one cron entry: t's turn, bounded by its timeout, its failure
// logged.
func (s *Scheduler) job(ctx context.Context, t Task) cron.Job {
	return cron.FuncJob(func() {
		runCtx, cancel := context.WithTimeout(ctx, t.timeout())
		defer cancel()
		if _, err := s.RunDue(runCtx, t); err != nil && ctx.Err() == nil {
			s.logger.Error(t.Name+" failed", "err", err)
		}
	})
}

// With registers one more worker with NewRiver.
func With[T river.JobArgs](w river.Worker[T]) func(*river.Workers) error {
	return func(ws *river.Workers) error { return river.AddWorkerSafely(ws, w) }
}
