package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// DeliverArgs is one message of one round to one person: a River job,
// unique by its arguments, so a person is never queued twice for the same
// message however often the round's hooks run.
type DeliverArgs struct {
	RoundID    int64         `json:"round_id"`
	EmployeeID int64         `json:"employee_id"`
	Message    delivery.Kind `json:"message"`
	// Reminder numbers a person's reminders for a round (1, 2, …).
	Reminder int `json:"reminder,omitempty"`
}

// Kind names the job type in River's tables.
func (DeliverArgs) Kind() string { return "pulse_deliver" }

// maxDeliveryAttempts bounds retries of transient failures: with River's
// backoff (attempt⁴ seconds) the last one comes after about two hours.
const maxDeliveryAttempts = 10

// Dispatcher queues a round's messages in the same transaction that creates
// or closes the round, so the jobs exist exactly when the round does.
type Dispatcher struct {
	river *river.Client[*sql.Tx]
	now   func() time.Time
}

// NewDispatcher returns a dispatcher inserting jobs with client.
func NewDispatcher(client *river.Client[*sql.Tx], now func() time.Time) *Dispatcher {
	return &Dispatcher{river: client, now: now}
}

// sqlTx digs the *sql.Tx out of a GORM transaction, for River.
func sqlTx(tx *gorm.DB) (*sql.Tx, error) {
	t, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, errors.New("scheduler: hook called outside a transaction")
	}
	return t, nil
}

// RoundCreated plans each recipient's delivery and reminders, settles the
// round's window (survey.OpenFor), and queues them for everyone not left
// out. It is a survey.RoundHook.
func (d *Dispatcher) RoundCreated(ctx context.Context, tx *gorm.DB, round survey.Round, recipients []survey.Recipient) error {
	if len(recipients) == 0 {
		return nil
	}
	sv, err := survey.NewService(tx, d.now, nil).Survey(ctx, round.SurveyID)
	if err != nil {
		return err
	}
	people, err := recipientsOf(ctx, tx, recipients)
	if err != nil {
		return err
	}
	plans := delivery.PlanRound(sv, round, people)
	opens := make(map[int64]time.Time, len(plans))
	for _, p := range plans {
		opens[p.EmployeeID] = p.DueAt
	}
	skipped, err := survey.OpenFor(ctx, tx, round, opens)
	if err != nil {
		return err
	}
	var records []delivery.Delivery
	for _, p := range plans {
		if !skipped[p.EmployeeID] {
			records = append(records, delivery.Delivery{RoundID: round.ID, EmployeeID: p.EmployeeID, DueAt: p.DueAt})
		}
	}
	if err := delivery.NewStore(tx, d.now).Create(ctx, records); err != nil {
		return err
	}
	return d.insert(ctx, tx, d.roundJobs(round, plans, skipped))
}

// roundJobs is the survey DM and the reminders of everyone planned and not
// left out: those already due at once, the others spread a little so they
// do not all fall due at the same instant, each inside its person's window.
func (d *Dispatcher) roundJobs(round survey.Round, plans []delivery.Planned, skipped map[int64]bool) []river.InsertManyParams {
	type message struct {
		args     DeliverArgs
		at, ends time.Time
	}
	now, window := d.now(), round.ClosesAt.Sub(round.ScheduledAt)
	var messages []message
	scheduled := 0
	for _, p := range plans {
		if skipped[p.EmployeeID] {
			continue
		}
		ends := p.DueAt.Add(window)
		messages = append(messages, message{DeliverArgs{RoundID: round.ID, EmployeeID: p.EmployeeID, Message: delivery.KindSurvey}, p.DueAt, ends})
		for i, at := range p.Reminders {
			messages = append(messages, message{DeliverArgs{RoundID: round.ID, EmployeeID: p.EmployeeID,
				Message: delivery.KindReminder, Reminder: i + 1}, at, ends})
		}
	}
	for _, m := range messages {
		if m.at.After(now) {
			scheduled++
		}
	}
	over := spreadOver(scheduled)
	jobs := make([]river.InsertManyParams, len(messages))
	for i, m := range messages {
		at := m.at
		if at.After(now) {
			at = spread(m.args, at, over, m.ends)
		}
		jobs[i] = deliverJob(m.args, at, now)
	}
	return jobs
}

// RoundClosed queues the "this round has closed" update for everyone whose
// DM went out. It is a survey.CloseHook.
func (d *Dispatcher) RoundClosed(ctx context.Context, tx *gorm.DB, round survey.Round) error {
	sent, err := delivery.NewStore(tx, d.now).Sent(ctx, round.ID)
	if err != nil {
		return err
	}
	jobs := make([]river.InsertManyParams, len(sent))
	for i, s := range sent {
		jobs[i] = deliverJob(DeliverArgs{RoundID: round.ID, EmployeeID: s.EmployeeID, Message: delivery.KindClosed}, d.now(), d.now())
	}
	return d.insert(ctx, tx, jobs)
}

func (d *Dispatcher) insert(ctx context.Context, tx *gorm.DB, jobs []river.InsertManyParams) error {
	if len(jobs) == 0 {
		return nil
	}
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	if _, err := d.river.InsertManyTx(ctx, t, jobs); err != nil {
		return fmt.Errorf("queueing %d deliveries: %w", len(jobs), err)
	}
	return nil
}

func recipientsOf(ctx context.Context, tx *gorm.DB, recipients []survey.Recipient) ([]directory.Employee, error) {
	ids := make([]int64, len(recipients))
	for i, r := range recipients {
		ids[i] = r.EmployeeID
	}
	var people []directory.Employee
	err := tx.WithContext(ctx).Where("id IN ?", ids).Order("id").Find(&people).Error
	return people, err
}
