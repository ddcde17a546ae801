package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// DigestArgs is one manager's digest for one ISO week; unique by args, so
// every replica may queue it and the manager still gets one.
type DigestArgs struct {
	ManagerID int64  `json:"manager_id"`
	Week      string `json:"week"` // e.g. 2026-W49
}

// Kind names the job type in River's tables.
func (DigestArgs) Kind() string { return "pulse_digest" }

// digestHour is when, on Monday in the manager's own zone, the digest goes.
const digestHour = 9

// queueDigests queues this week's digest for every subscriber whose local
// time is Monday between 09:00 and 10:00.
func (s *Scheduler) queueDigests(ctx context.Context) error {
	people, err := directory.New(s.db, s.now).DigestSubscribers(ctx)
	if err != nil || len(people) == 0 {
		return err
	}
	var jobs []river.InsertManyParams
	for _, p := range people {
		local := s.now().In(delivery.Zone(p, survey.Survey{}))
		if local.Weekday() != time.Monday || local.Hour() != digestHour {
			continue
		}
		year, week := local.ISOWeek()
		args := DigestArgs{ManagerID: p.ID, Week: fmt.Sprintf("%d-W%02d", year, week)}
		jobs = append(jobs, river.InsertManyParams{Args: args, InsertOpts: &river.InsertOpts{
			MaxAttempts: maxDeliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}})
	}
	if len(jobs) == 0 {
		return nil
	}
	_, err = s.dispatcher.river.InsertMany(ctx, jobs)
	return err
}

// DigestWorker builds and sends a manager's weekly digest.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	db      *gorm.DB
	surveys *survey.Service
	sender  delivery.Sender
	now     func() time.Time
	logger  *slog.Logger
}

// NewDigestWorker returns the worker for DigestArgs jobs.
func NewDigestWorker(db *gorm.DB, surveys *survey.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *DigestWorker {
	return &DigestWorker{db: db, surveys: surveys, sender: sender, now: now, logger: logger}
}

// Work sends one digest, built under the manager's own scope so it shows
// nothing they could not see in the dashboard.
func (w *DigestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	dir := directory.New(w.db, w.now)
	manager, err := dir.Employee(ctx, job.Args.ManagerID)
	if err != nil || !manager.Active || !manager.WeeklyDigest {
		return err
	}
	teams, err := dir.LedTeams(ctx, manager.ID)
	if err != nil || len(teams) == 0 {
		return err
	}
	scope, err := dir.ScopeOf(ctx, manager)
	if err != nil {
		return err
	}
	ids, names := make([]int64, len(teams)), map[int64]string{}
	for i, t := range teams {
		ids[i], names[t.ID] = t.ID, t.Name
	}
	lines, err := w.surveys.Digest(ctx, ids, scope, w.now().Add(-7*24*time.Hour))
	if err != nil || len(lines) == 0 {
		return err
	}
	_, _, err = delivery.PostOnce(ctx, w.sender, delivery.Message{Kind: delivery.KindDigest, Recipient: manager,
		Digest: lines, TeamNames: names, Key: jobKey(job.JobRow)}, job.Attempt > 1)
	return sendOutcome(err, w.logger, "digest")
}
