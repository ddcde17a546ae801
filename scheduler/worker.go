package scheduler

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// DeliverWorker sends one message through the Sender and records the
// outcome: sent, failed for good (with the reason), snoozed for as long as
// a rate limit asks, or retried with backoff.
type DeliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	db      *gorm.DB
	surveys *survey.Service
	sender  delivery.Sender
	now     func() time.Time
	logger  *slog.Logger
	metrics *DeliveryMetrics
}

// NewDeliverWorker returns the worker for DeliverArgs jobs. surveys must
// hold the server secret: whether someone has answered an open round is
// found through the keyed hash.
func NewDeliverWorker(db *gorm.DB, surveys *survey.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *DeliverWorker {
	return &DeliverWorker{db: db, surveys: surveys, sender: sender, now: now, logger: logger}
}

// CountingIn makes the worker count each attempt's outcome in m.
func (w *DeliverWorker) CountingIn(m *DeliveryMetrics) *DeliverWorker {
	w.metrics = m
	return w
}

// Timeout bounds one attempt; Slack answers within seconds or not at all.
func (w *DeliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return delivery.AttemptBound }

// Work delivers the message described by the job.
func (w *DeliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	args := job.Args
	msg, skip, err := w.compose(ctx, args)
	if err != nil || skip != "" {
		// A reminder skipped because the person answered must look exactly
		// like one that went out: same job outcome, no log line, since the
		// job names the person and the line's time would say they answered.
		if skip != "" && args.Message != delivery.KindReminder {
			w.logger.Debug("delivery skipped", "round", args.RoundID, "message", args.Message, "why", skip)
		}
		w.metrics.skipped(args.Message, skip, err)
		return err
	}
	retry := false
	switch args.Message {
	case delivery.KindSurvey:
		if err := w.openDM(ctx, &msg); err != nil {
			w.metrics.attempted(job, false, err)
			return w.record(ctx, job, delivery.Ref{}, err)
		}
		earlier, sent, err := w.claim(ctx, &msg)
		if err != nil || sent {
			w.metrics.attempted(job, sent, err)
			return w.record(ctx, job, delivery.Ref{}, err)
		}
		retry = earlier
	case delivery.KindReminder:
		msg.Key, retry = jobKey(job.JobRow), job.Attempt > 1
	}
	ref, found, err := delivery.PostOnce(ctx, w.sender, msg, retry)
	w.metrics.attempted(job, found, err)
	return w.record(ctx, job, ref, err)
}

// jobKey is the key a job's post carries (delivery.JobKey).
func jobKey(job *rivertype.JobRow) string { return delivery.JobKey(job.Kind, job.ID, job.CreatedAt) }

// openDM opens the DM with the recipient once per delivery and keeps its
// channel, so a retry, the reminders and the closing update never open it
// again.
func (w *DeliverWorker) openDM(ctx context.Context, msg *delivery.Message) error {
	opener, canOpen := w.sender.(delivery.DMOpener)
	if !canOpen || msg.DMChannel != "" {
		return nil
	}
	channel, err := opener.OpenDM(ctx, *msg)
	if err != nil {
		return err
	}
	msg.DMChannel = channel
	return delivery.NewStore(w.db, w.now).KeepDMChannel(ctx, msg.Round.ID, msg.Recipient.ID, channel)
}

// claim makes the survey DM safe to post at most once, as far as Slack
// allows: the delivery is marked sending, with the key the post will carry,
// and committed before the post, so whatever happens next a retry knows to
// look first. earlier says an earlier attempt got this far (its key is
// kept, and delivery.PostOnce searches the DM for it); sent says a
// duplicate job sent the DM meanwhile, and recording it again changes
// nothing.
func (w *DeliverWorker) claim(ctx context.Context, msg *delivery.Message) (earlier, sent bool, err error) {
	if _, canFind := w.sender.(delivery.Finder); !canFind {
		return false, false, nil
	}
	earlier = msg.Key != ""
	key, err := delivery.NewStore(w.db, w.now).MarkSending(ctx, msg.Round.ID, msg.Recipient.ID, rand.Text())
	msg.Key = key
	return earlier, err == nil && key == "", err
}

// Reasons compose gives for not sending a survey DM.
const (
	skipDeactivated = "deactivated"
	skipRoundClosed = "closed"
	skipAlreadySent = "already sent"
)

// compose gathers what the message needs, or says why it should not be sent.
func (w *DeliverWorker) compose(ctx context.Context, args DeliverArgs) (delivery.Message, string, error) {
	store := delivery.NewStore(w.db, w.now)
	person, err := directory.New(w.db, w.now).Employee(ctx, args.EmployeeID)
	if err != nil {
		return delivery.Message{}, "", err
	}
	round, err := w.surveys.AssignedRound(ctx, args.RoundID, args.EmployeeID)
	if err != nil {
		return delivery.Message{}, "", err
	}
	record, err := store.Get(ctx, args.RoundID, args.EmployeeID)
	if err != nil && !errors.Is(err, fault.ErrNotFound) {
		return delivery.Message{}, "", err
	}
	msg := delivery.Message{Kind: args.Message, Recipient: person, Round: round, Original: record.Ref(),
		DMChannel: record.DMChannel, Answered: round.Answered}
	if args.Message == delivery.KindSurvey {
		msg.Key = record.SendKey
	}
	switch {
	case args.Message == delivery.KindSurvey && !person.Active:
		return msg, skipDeactivated, store.MarkNotSent(ctx, args.RoundID, args.EmployeeID, delivery.ReasonDeactivated)
	case args.Message == delivery.KindSurvey && !round.Open:
		return msg, skipRoundClosed, store.MarkFailed(ctx, args.RoundID, args.EmployeeID, delivery.ReasonRoundClosed)
	case args.Message == delivery.KindSurvey && record.Status == delivery.StatusSent:
		return msg, skipAlreadySent, nil
	case args.Message == delivery.KindReminder && (round.Answered || !round.Open || !person.Active):
		return msg, "answered, closed or deactivated", nil
	case args.Message != delivery.KindSurvey && record.Status != delivery.StatusSent:
		return msg, "the survey DM never went out", nil
	}
	return msg, "", nil
}

// record turns the sender's answer into the delivery's status and River's
// next step for the job.
func (w *DeliverWorker) record(ctx context.Context, job *river.Job[DeliverArgs], ref delivery.Ref, err error) error {
	args := job.Args
	store := delivery.NewStore(w.db, w.now)
	isSurvey := args.Message == delivery.KindSurvey
	var (
		rateLimited *delivery.RateLimitedError
		permanent   *delivery.PermanentError
	)
	switch {
	case err == nil:
		if isSurvey {
			return store.MarkSent(ctx, args.RoundID, args.EmployeeID, ref)
		}
		return nil
	case errors.Is(err, delivery.ErrNotConfigured):
		if isSurvey {
			return store.MarkNotSent(ctx, args.RoundID, args.EmployeeID, delivery.ReasonNotConfigured)
		}
		return nil
	case errors.As(err, &rateLimited):
		return river.JobSnooze(rateLimited.RetryAfter)
	case errors.As(err, &permanent):
		w.logger.Warn("delivery refused", "round", args.RoundID, "message", args.Message, "code", permanent.Code)
		if isSurvey {
			return store.MarkFailed(ctx, args.RoundID, args.EmployeeID, permanent.Code)
		}
		return nil
	}
	// Misconfigured and transient failures are retried. They are logged
	// where the Slack call failed (notify.ObservedSlack), once per code and
	// minute: a line per attempt would be thousands in an outage.
	if isSurvey {
		note := store.NoteRetry
		if job.Attempt >= job.MaxAttempts {
			note = store.MarkFailed
		}
		if nerr := note(ctx, args.RoundID, args.EmployeeID, err.Error()); nerr != nil {
			return errors.Join(err, nerr)
		}
	}
	return err
}
