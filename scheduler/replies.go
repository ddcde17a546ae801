package scheduler

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"log/slog"
	"math/big"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// ReplyArgs delivers one reply of a comment thread. It never names the
// comment's author: the worker opens the sealed link only when sending, so
// the job table cannot join a comment to a person.
type ReplyArgs struct {
	ReplyID int64 `json:"reply_id"`
	// ManagerID is set when an author's answer goes to a manager in the thread.
	ManagerID int64 `json:"manager_id,omitempty"`
}

// Kind names the job type in River's tables.
func (ReplyArgs) Kind() string { return "pulse_reply" }

// A reply, and an author's answer to it, reaches its reader at a random
// moment between MinReplyDelay and MaxReplyDelay after it was written, so
// the time it arrives says nothing about when (or how fast) anyone wrote.
const (
	MinReplyDelay = 2 * time.Minute
	MaxReplyDelay = 10 * time.Minute
)

// ReplyQueuer queues a reply's delivery in the transaction that stores it.
type ReplyQueuer struct {
	river  *river.Client[*sql.Tx]
	now    func() time.Time
	random func(n int64) int64
}

// NewReplyQueuer returns a queuer inserting jobs with client, delayed from now.
func NewReplyQueuer(client *river.Client[*sql.Tx], now func() time.Time) *ReplyQueuer {
	return &ReplyQueuer{river: client, now: now, random: secureInt64N}
}

// WithRandom replaces the random source of the delay: random(n) returns a
// number in [0, n). Tests use it to reach the bounds.
func (q *ReplyQueuer) WithRandom(random func(n int64) int64) *ReplyQueuer {
	q.random = random
	return q
}

// delay picks a whole number of seconds in [MinReplyDelay, MaxReplyDelay].
func (q *ReplyQueuer) delay() time.Duration {
	span := int64((MaxReplyDelay - MinReplyDelay) / time.Second)
	return MinReplyDelay + time.Duration(q.random(span+1))*time.Second
}

func secureInt64N(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return v.Int64()
}

// Queue is a conversation.Hook: a manager's reply goes to the author; the
// author's answer goes to every manager who has replied in the thread.
func (q *ReplyQueuer) Queue(ctx context.Context, tx *gorm.DB, r conversation.Reply) error {
	t, err := sqlTx(tx)
	if err != nil {
		return err
	}
	at := q.now().UTC().Add(q.delay())
	opts := &river.InsertOpts{MaxAttempts: maxDeliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}, ScheduledAt: at}
	if !r.FromAuthor {
		_, err := q.river.InsertTx(ctx, t, ReplyArgs{ReplyID: r.ID}, opts)
		return err
	}
	// The thread shows an author's answer from the moment it is delivered,
	// stamped with that moment, so the dashboard does not give away the
	// time it was written either.
	if err := tx.WithContext(ctx).Model(&conversation.Reply{}).Where("id = ?", r.ID).Update("created_at", at).Error; err != nil {
		return err
	}
	var managers []int64
	err = tx.WithContext(ctx).Model(&conversation.Reply{}).Distinct("replier_id").
		Where("comment_id = ? AND NOT from_author", r.CommentID).Pluck("replier_id", &managers).Error
	for _, m := range managers {
		if _, err := q.river.InsertTx(ctx, t, ReplyArgs{ReplyID: r.ID, ManagerID: m}, opts); err != nil {
			return err
		}
	}
	return err
}

// ReplyWorker sends replies through the Sender.
type ReplyWorker struct {
	river.WorkerDefaults[ReplyArgs]
	db      *gorm.DB
	surveys *survey.Service
	sender  delivery.Sender
	now     func() time.Time
	logger  *slog.Logger
}

// NewReplyWorker returns the worker for ReplyArgs jobs. surveys must hold
// the server secret, to open sealed links.
func NewReplyWorker(db *gorm.DB, surveys *survey.Service, sender delivery.Sender, now func() time.Time, logger *slog.Logger) *ReplyWorker {
	return &ReplyWorker{db: db, surveys: surveys, sender: sender, now: now, logger: logger}
}

// Work delivers one reply.
func (w *ReplyWorker) Work(ctx context.Context, job *river.Job[ReplyArgs]) error {
	reply, err := conversation.New(w.db, w.surveys, w.now).Get(ctx, job.Args.ReplyID)
	if err != nil {
		return err
	}
	target, err := w.surveys.Comment(ctx, reply.CommentID)
	if err != nil {
		return err
	}
	to := job.Args.ManagerID
	if !reply.FromAuthor {
		to, err = w.surveys.CommentAuthor(ctx, reply.CommentID)
		if errors.Is(err, survey.ErrNoLink) {
			// The author withdrew, or the link ran out while the reply waited.
			w.logger.Warn("reply not delivered: the comment's link is gone", "reply", reply.ID)
			return nil
		}
		if err != nil {
			return err
		}
	}
	recipient, err := directory.New(w.db, w.now).Employee(ctx, to)
	if err != nil {
		return err
	}
	if !recipient.Active {
		return nil
	}
	_, _, err = delivery.PostOnce(ctx, w.sender, delivery.Message{Kind: delivery.KindReply, Recipient: recipient, Key: jobKey(job.JobRow),
		Thread: &delivery.ThreadMessage{CommentID: reply.CommentID, Comment: target.Text, Reply: reply.Body,
			FromAuthor: reply.FromAuthor, ReplierName: reply.ReplierName},
	}, job.Attempt > 1)
	return sendOutcome(err, w.logger, "reply")
}

// sendOutcome is River's next step for a message that is not a round's
// survey DM: snooze on a rate limit, give up (logged) on a permanent refusal
// or with Slack off, retry anything else.
func sendOutcome(err error, logger *slog.Logger, what string) error {
	var (
		rateLimited *delivery.RateLimitedError
		permanent   *delivery.PermanentError
	)
	switch {
	case errors.As(err, &rateLimited):
		return river.JobSnooze(rateLimited.RetryAfter)
	case errors.As(err, &permanent), errors.Is(err, delivery.ErrNotConfigured):
		logger.Warn(what+" not delivered", "err", err)
		return nil
	}
	return err
}
