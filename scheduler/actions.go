package scheduler

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
)

// ActionNoticeArgs tells one member of a group about one published action
// plan. Unique by args: each person is queued once per plan however often
// the plan is published or the hook retried.
type ActionNoticeArgs struct {
	PlanID     int64 `json:"plan_id"`
	EmployeeID int64 `json:"employee_id"`
}

// Kind names the job type in River's tables.
func (ActionNoticeArgs) Kind() string { return "pulse_action_notice" }

// ActionQueuer queues a plan's DMs in the transaction that publishes it.
type ActionQueuer struct {
	river *river.Client[*sql.Tx]
}

// NewActionQueuer returns a queuer inserting jobs with client.
func NewActionQueuer(client *river.Client[*sql.Tx]) *ActionQueuer {
	return &ActionQueuer{river: client}
}

// Queue is an action.PublishHook: one DM for each member of the audience
// Slack knows.
func (q *ActionQueuer) Queue(ctx context.Context, tx *gorm.DB, p action.Plan, audience []directory.Employee) error {
	var jobs []river.InsertManyParams
	for _, e := range audience {
		if e.SlackUserID == "" || !e.Active {
			continue
		}
		jobs = append(jobs, river.InsertManyParams{Args: ActionNoticeArgs{PlanID: p.ID, EmployeeID: e.ID},
			InsertOpts: &river.InsertOpts{MaxAttempts: maxDeliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}})
	}
	if len(jobs) == 0 {
		return nil
	}
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	_, err = q.river.InsertManyTx(ctx, t, jobs)
	return err
}

// ActionNoticeWorker sends the DM about a published plan, at most once per
// person as far as Slack allows.
type ActionNoticeWorker struct {
	river.WorkerDefaults[ActionNoticeArgs]
	db      *gorm.DB
	actions *action.Service
	sender  delivery.Sender
	now     func() time.Time
	logger  *slog.Logger
}

// NewActionNoticeWorker returns the worker for ActionNoticeArgs jobs.
func NewActionNoticeWorker(db *gorm.DB, actions *action.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *ActionNoticeWorker {
	return &ActionNoticeWorker{db: db, actions: actions, sender: sender, now: now, logger: logger}
}

// Timeout bounds one attempt; Slack answers within seconds or not at all.
func (w *ActionNoticeWorker) Timeout(*river.Job[ActionNoticeArgs]) time.Duration {
	return delivery.AttemptBound
}

// Work tells the person about the plan, unless it was dropped, they left
// its group, or they were told already.
func (w *ActionNoticeWorker) Work(ctx context.Context, job *river.Job[ActionNoticeArgs]) error {
	a := job.Args
	p, ok, err := w.actions.NoticeFor(ctx, a.PlanID, a.EmployeeID)
	if err != nil || !ok {
		return err
	}
	notice, err := w.actions.Notice(ctx, a.PlanID, a.EmployeeID)
	if err != nil || notice.Status == action.NoticeSent || notice.Status == action.NoticeFailed {
		return err
	}
	recipient, err := directory.New(w.db, w.now).Employee(ctx, a.EmployeeID)
	if err != nil {
		return err
	}
	k, err := w.actions.Shown(ctx, p)
	if err != nil {
		return err
	}
	msg := delivery.Message{Kind: delivery.KindAction, Recipient: recipient, Key: notice.SendKey,
		Action: &delivery.ActionMessage{PlanID: p.ID, Title: p.Title, Heard: p.Heard, WillDo: p.WillDo,
			OwnerName: p.OwnerName, DueOn: p.DueOn, Status: p.Status, MinReactions: k.MinRespondents}}
	ref, err := w.postOnce(ctx, msg)
	return w.record(ctx, job, ref, err)
}

// errAlreadySent: a duplicate attempt found the DM recorded as sent.
var errAlreadySent = errors.New("already sent")

// postOnce posts msg at most once, as the survey DM is posted: a retry
// first looks in the DM for the key an earlier attempt left; otherwise the
// notice is marked sending with a new key, committed before the post, so
// whatever happens next a retry knows to look first.
func (w *ActionNoticeWorker) postOnce(ctx context.Context, msg delivery.Message) (delivery.Ref, error) {
	plan, who := msg.Action.PlanID, msg.Recipient.ID
	if finder, ok := w.sender.(delivery.Finder); ok && msg.Key != "" {
		ref, found, err := finder.Find(ctx, msg)
		if err != nil || found {
			return ref, err
		}
	}
	key, err := w.actions.MarkNoticeSending(ctx, plan, who, rand.Text())
	if err != nil {
		return delivery.Ref{}, err
	}
	if key == "" {
		return delivery.Ref{}, errAlreadySent
	}
	msg.Key = key
	return w.sender.Send(ctx, msg)
}

// record turns the sender's answer into the notice's state and River's
// next step for the job.
func (w *ActionNoticeWorker) record(ctx context.Context, job *river.Job[ActionNoticeArgs], ref delivery.Ref, err error) error {
	a := job.Args
	var (
		rateLimited *delivery.RateLimitedError
		permanent   *delivery.PermanentError
	)
	switch {
	case err == nil:
		return w.actions.MarkNoticeSent(ctx, a.PlanID, a.EmployeeID, ref.Channel, ref.TS)
	case errors.Is(err, errAlreadySent):
		return nil
	case errors.Is(err, delivery.ErrNotConfigured):
		return w.actions.MarkNoticeFailed(ctx, a.PlanID, a.EmployeeID, delivery.ReasonNotConfigured)
	case errors.As(err, &rateLimited):
		return river.JobSnooze(rateLimited.RetryAfter)
	case errors.As(err, &permanent):
		w.logger.Warn("action notice refused", "plan", a.PlanID, "code", permanent.Code)
		return w.actions.MarkNoticeFailed(ctx, a.PlanID, a.EmployeeID, permanent.Code)
	case job.Attempt >= job.MaxAttempts:
		return errors.Join(err, w.actions.MarkNoticeFailed(ctx, a.PlanID, a.EmployeeID, err.Error()))
	}
	return err
}
