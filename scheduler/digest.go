package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
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
	db        *gorm.DB
	surveys   *survey.Service
	oneOnOnes *oneonone.Service
	actions   *action.Service
	sender    delivery.Sender
	now       func() time.Time
	logger    *slog.Logger
}

// NewDigestWorker returns the worker for DigestArgs jobs.
func NewDigestWorker(db *gorm.DB, surveys *survey.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *DigestWorker {
	return &DigestWorker{db: db, surveys: surveys, sender: sender, now: now, logger: logger}
}

// WithOneOnOnes makes the digest list the reader's own open 1:1 action items.
func (w *DigestWorker) WithOneOnOnes(s *oneonone.Service) *DigestWorker {
	w.oneOnOnes = s
	return w
}

// WithActions makes the digest list the overdue action plans the reader
// owns or whose team they lead.
func (w *DigestWorker) WithActions(s *action.Service) *DigestWorker {
	w.actions = s
	return w
}

// maxOverdue bounds the overdue actions a digest lists.
const maxOverdue = 10

// Work sends one digest, built under the manager's own scope so it shows
// nothing they could not see in the dashboard. A week with nothing to say
// sends nothing.
func (w *DigestWorker) Work(ctx context.Context, job *river.Job[DigestArgs]) error {
	dir := directory.New(w.db, w.now)
	manager, err := dir.Employee(ctx, job.Args.ManagerID)
	if err != nil || !manager.Active || !manager.WeeklyDigest {
		return err
	}
	msg := delivery.Message{Kind: delivery.KindDigest, Recipient: manager}
	if msg.Digest, msg.TeamNames, err = w.teamLines(ctx, dir, manager); err != nil {
		return err
	}
	if w.oneOnOnes != nil {
		if msg.OpenItems, msg.OpenItemsTotal, err = w.openItems(ctx, manager.ID); err != nil {
			return err
		}
	}
	if msg.Overdue, err = w.overdue(ctx, manager.ID); err != nil {
		return err
	}
	if len(msg.Digest) == 0 && len(msg.OpenItems) == 0 && len(msg.Overdue) == 0 {
		return nil
	}
	msg.Key = jobKey(job.JobRow)
	_, _, err = delivery.PostOnce(ctx, w.sender, msg, job.Attempt > 1)
	return sendOutcome(err, w.logger, "digest")
}

// teamLines are the eNPS lines of the teams the manager leads.
func (w *DigestWorker) teamLines(ctx context.Context, dir *directory.Directory, manager directory.Employee) ([]survey.DigestLine, map[int64]string, error) {
	teams, err := dir.LedTeams(ctx, manager.ID)
	if err != nil || len(teams) == 0 {
		return nil, nil, err
	}
	scope, err := dir.ScopeOf(ctx, manager)
	if err != nil {
		return nil, nil, err
	}
	ids, names := make([]int64, len(teams)), map[int64]string{}
	for i, t := range teams {
		ids[i], names[t.ID] = t.ID, t.Name
	}
	lines, err := w.surveys.Digest(ctx, ids, scope, w.now().Add(-7*24*time.Hour))
	return lines, names, err
}

// openItems are the reader's own open 1:1 action items.
func (w *DigestWorker) openItems(ctx context.Context, ownerID int64) ([]delivery.OpenItem, int64, error) {
	owned, total, err := w.oneOnOnes.OpenItemsOwnedBy(ctx, ownerID)
	if err != nil {
		return nil, 0, err
	}
	items := make([]delivery.OpenItem, len(owned))
	for i, o := range owned {
		items[i] = delivery.OpenItem{Text: o.Text, With: o.With}
		if o.DueOn != nil {
			items[i].DueOn = *o.DueOn
		}
	}
	return items, total, nil
}

// overdue are the open plans past their due date the reader owns or whose
// team they lead.
func (w *DigestWorker) overdue(ctx context.Context, readerID int64) ([]delivery.OverdueAction, error) {
	if w.actions == nil {
		return nil, nil
	}
	plans, err := w.actions.Overdue(ctx, w.now(), readerID, maxOverdue)
	if err != nil {
		return nil, err
	}
	out := make([]delivery.OverdueAction, len(plans))
	for i, p := range plans {
		out[i] = delivery.OverdueAction{Title: p.Title, OwnerName: p.OwnerName, DueOn: p.DueOn, Status: p.Status}
	}
	return out, nil
}
