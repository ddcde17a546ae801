package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
)

// DefaultFollowUpAfter is how long after a 1:1's start its participants are
// asked to write down notes and action items, unless configured otherwise.
const DefaultFollowUpAfter = 2 * time.Hour

// FollowUpArgs asks one participant, after one meeting, for its notes and
// action items. Unique by args (which carry the meeting's time), so each
// person is asked once per meeting however often it is queued; a moved
// meeting queues a new one and the old one finds nothing to do.
type FollowUpArgs struct {
	MeetingID     int64     `json:"meeting_id"`
	ParticipantID int64     `json:"participant_id"`
	At            time.Time `json:"at"`
}

// Kind names the job type in River's tables.
func (FollowUpArgs) Kind() string { return "pulse_one_on_one_follow_up" }

// FollowUpWorker sends the follow-up after a 1:1 through the Sender.
type FollowUpWorker struct {
	river.WorkerDefaults[FollowUpArgs]
	db       *gorm.DB
	meetings *oneonone.Service
	sender   delivery.Sender
	now      func() time.Time
	logger   *slog.Logger
}

// NewFollowUpWorker returns the worker for FollowUpArgs jobs.
func NewFollowUpWorker(db *gorm.DB, meetings *oneonone.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *FollowUpWorker {
	return &FollowUpWorker{db: db, meetings: meetings, sender: sender, now: now, logger: logger}
}

// Work asks the participant for notes and action items, unless the meeting
// was cancelled or moved, or they can already read some.
func (w *FollowUpWorker) Work(ctx context.Context, job *river.Job[FollowUpArgs]) error {
	a := job.Args
	up, needed, err := w.meetings.FollowUp(ctx, a.MeetingID, a.ParticipantID, a.At)
	if err != nil || !needed {
		return err
	}
	recipient, err := directory.New(w.db, w.now).Employee(ctx, a.ParticipantID)
	if err != nil || !recipient.Active {
		return err
	}
	msg := delivery.Message{Kind: delivery.KindOneOnOneFollowUp, Recipient: recipient, Key: jobKey(job.JobRow),
		OneOnOne: &delivery.OneOnOneMessage{SeriesID: up.Series.ID, MeetingID: up.Meeting.ID, Title: up.Meeting.Title,
			With: up.With, ScheduledAt: up.Meeting.ScheduledAt}}
	_, _, err = delivery.PostOnce(ctx, w.sender, msg, job.Attempt > 1)
	return sendOutcome(err, w.logger, "1:1 follow-up")
}
