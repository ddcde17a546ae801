package scheduler

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
)

// OneOnOneLead is how long before a 1:1 its participants are reminded.
const OneOnOneLead = time.Hour

// OneOnOneArgs reminds one participant of one meeting. Unique by args, and
// the args carry the meeting's time: a moved meeting queues new reminders,
// and the worker skips those whose time no longer matches (or whose meeting
// was cancelled).
type OneOnOneArgs struct {
	MeetingID     int64     `json:"meeting_id"`
	ParticipantID int64     `json:"participant_id"`
	At            time.Time `json:"at"`
}

// Kind names the job type in River's tables.
func (OneOnOneArgs) Kind() string { return "pulse_one_on_one" }

// OneOnOneQueuer queues a meeting's reminders in the transaction that
// schedules it.
type OneOnOneQueuer struct {
	river    *river.Client[*sql.Tx]
	now      func() time.Time
	followUp time.Duration
}

// NewOneOnOneQueuer returns a queuer inserting jobs with client; the
// follow-up after each meeting comes DefaultFollowUpAfter its start.
func NewOneOnOneQueuer(client *river.Client[*sql.Tx], now func() time.Time) *OneOnOneQueuer {
	return &OneOnOneQueuer{river: client, now: now, followUp: DefaultFollowUpAfter}
}

// WithFollowUpAfter sets how long after a meeting's start its participants
// are asked for notes and action items; 0 sends no follow-up.
func (q *OneOnOneQueuer) WithFollowUpAfter(d time.Duration) *OneOnOneQueuer {
	q.followUp = d
	return q
}

// Queue is a oneonone.MeetingHook: one reminder per participant, an hour
// before the meeting (at once if that is already past; none for a meeting
// already begun), and one follow-up per participant after it.
func (q *OneOnOneQueuer) Queue(ctx context.Context, tx *gorm.DB, sr oneonone.Series, m oneonone.Meeting) error {
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	unique := river.UniqueOpts{ByArgs: true}
	for _, who := range []int64{sr.ManagerID, sr.ReportID} {
		if m.ScheduledAt.After(q.now()) {
			args := OneOnOneArgs{MeetingID: m.ID, ParticipantID: who, At: m.ScheduledAt.UTC()}
			_, err := q.river.InsertTx(ctx, t, args, &river.InsertOpts{ScheduledAt: m.ScheduledAt.Add(-OneOnOneLead),
				MaxAttempts: maxDeliveryAttempts, UniqueOpts: unique})
			if err != nil {
				return err
			}
		}
		if at := m.ScheduledAt.Add(q.followUp); q.followUp > 0 && at.After(q.now()) {
			args := FollowUpArgs{MeetingID: m.ID, ParticipantID: who, At: m.ScheduledAt.UTC()}
			_, err := q.river.InsertTx(ctx, t, args, &river.InsertOpts{ScheduledAt: at,
				MaxAttempts: maxDeliveryAttempts, UniqueOpts: unique})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// OneOnOneWorker sends 1:1 reminders through the Sender.
type OneOnOneWorker struct {
	river.WorkerDefaults[OneOnOneArgs]
	db       *gorm.DB
	meetings *oneonone.Service
	sender   delivery.Sender
	now      func() time.Time
	logger   *slog.Logger
}

// NewOneOnOneWorker returns the worker for OneOnOneArgs jobs.
func NewOneOnOneWorker(db *gorm.DB, meetings *oneonone.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *OneOnOneWorker {
	return &OneOnOneWorker{db: db, meetings: meetings, sender: sender, now: now, logger: logger}
}

// Work sends one reminder, unless the meeting was cancelled, moved or has
// already started.
func (w *OneOnOneWorker) Work(ctx context.Context, job *river.Job[OneOnOneArgs]) error {
	a := job.Args
	up, ok, err := w.meetings.Reminder(ctx, a.MeetingID, a.ParticipantID, a.At)
	if err != nil || !ok || !up.Meeting.ScheduledAt.After(w.now()) {
		return err
	}
	recipient, err := directory.New(w.db, w.now).Employee(ctx, a.ParticipantID)
	if err != nil || !recipient.Active {
		return err
	}
	_, _, err = delivery.PostOnce(ctx, w.sender, delivery.Message{Kind: delivery.KindOneOnOne, Recipient: recipient,
		Key: jobKey(job.JobRow), OneOnOne: &delivery.OneOnOneMessage{SeriesID: up.Series.ID, MeetingID: up.Meeting.ID,
			Title: up.Meeting.Title, With: up.With, ScheduledAt: up.Meeting.ScheduledAt}}, job.Attempt > 1)
	return sendOutcome(err, w.logger, "1:1 reminder")
}
