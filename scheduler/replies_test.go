package scheduler_test

import (
	"database/sql"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// replyJobAt queues r with a random source that always answers pick(n) and
// returns when the job is scheduled to run.
func replyJobAt(t *testing.T, b *bundle, r conversation.Reply, pick func(n int64) int64) time.Time {
	t.Helper()
	q := scheduler.NewReplyQueuer(replyRiver(t, b), b.clock.Now).WithRandom(pick)
	require.NoError(t, b.db.Gorm.Transaction(func(tx *gorm.DB) error { return q.Queue(t.Context(), tx, r) }))
	var at []time.Time
	require.NoError(t, b.db.Gorm.Table("river_job").Where("kind = ?", "pulse_reply").Order("id DESC").Limit(1).Pluck("scheduled_at", &at).Error)
	require.Len(t, at, 1)
	return at[0].UTC()
}

// replyRiver is a River client that knows reply jobs (it is never started).
func replyRiver(t *testing.T, b *bundle) *river.Client[*sql.Tx] {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(b.log, nil))
	client, err := scheduler.NewRiver(b.db, scheduler.NewDeliverWorker(b.db.Gorm, b.surveys, b.sender, b.clock.Now, logger), logger,
		scheduler.With(scheduler.NewReplyWorker(b.db.Gorm, b.surveys, b.sender, b.clock.Now, logger)))
	require.NoError(t, err)
	return client
}

// A reply, and the author's answer to it, is delivered 2 to 10 minutes
// after it was written, at random, so its arrival does not tell when anyone
// wrote. The random source is driven to both ends of its range.
func TestRepliesAreDelayedByTwoToTenMinutes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		now := b.clock.Now()
		var asked []int64
		lowest := func(n int64) int64 { asked = append(asked, n); return 0 }
		highest := func(n int64) int64 { asked = append(asked, n); return n - 1 }

		require.Equal(t, now.Add(2*time.Minute), replyJobAt(t, b, conversation.Reply{ID: 1, CommentID: "c1"}, lowest))
		require.Equal(t, now.Add(10*time.Minute), replyJobAt(t, b, conversation.Reply{ID: 2, CommentID: "c1"}, highest))
		require.Equal(t, []int64{481, 481}, asked, "every whole second from 2 to 10 minutes can come up")

		// The author's answer goes to the manager who replied, as late.
		manager := b.people["berlin@example.com"]
		require.NoError(t, db.Gorm.Create(&conversation.Reply{CommentID: "c1", ReplierID: &manager.ID, Body: "Hi", CreatedAt: now}).Error)
		require.Equal(t, now.Add(10*time.Minute), replyJobAt(t, b, conversation.Reply{ID: 3, CommentID: "c1", FromAuthor: true}, highest))
		require.Equal(t, now.Add(2*time.Minute), replyJobAt(t, b, conversation.Reply{ID: 4, CommentID: "c1", FromAuthor: true}, lowest))

		// The real source stays within the bounds.
		q := scheduler.NewReplyQueuer(replyRiver(t, b), b.clock.Now)
		require.NoError(t, db.Gorm.Transaction(func(tx *gorm.DB) error {
			return q.Queue(t.Context(), tx, conversation.Reply{ID: 5, CommentID: "c1"})
		}))
		var at time.Time
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_reply").Order("id DESC").Limit(1).
			Select("scheduled_at").Scan(&at).Error)
		require.False(t, at.Before(now.Add(scheduler.MinReplyDelay)) || at.After(now.Add(scheduler.MaxReplyDelay)), "%s", at)
	})
}

// replyableComment has the Tokyo employee answer a survey with a comment,
// allowing replies, and closes the round; it returns the comment.
func replyableComment(t *testing.T, b *bundle) (survey.Comment, survey.Round) {
	t.Helper()
	ctx := t.Context()
	title := "Pulse"
	sv, err := b.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title, Questions: []survey.QuestionInput{
		{Kind: survey.KindENPS, Prompt: "Recommend us?"}, {Kind: survey.KindText, Prompt: "Anything else?"}}})
	require.NoError(t, err)
	round, _, err := b.surveys.SendNow(ctx, sv.ID, nil)
	require.NoError(t, err)
	_, err = b.surveys.AnswerWith(ctx, round.ID, b.people["tokyo@example.com"].ID,
		[]survey.AnswerInput{{QuestionID: sv.Questions[1].ID, Value: "More demos"}}, survey.AnswerOptions{AllowReplies: true})
	require.NoError(t, err)
	b.clock.Set(round.ClosesAt.Add(time.Minute))
	require.NoError(t, b.scheduler.Tick(ctx))
	var comment survey.Comment
	require.NoError(t, b.db.Gorm.Table("replyable_comments").Select("id, text").Scan(&comment).Error)
	require.NotEmpty(t, comment.ID)
	return comment, round
}

// An author's answer shows in the thread only once it has reached the
// managers, stamped with that moment, not the moment it was written.
func TestAnAuthorsAnswerShowsInTheThreadWhenDelivered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		comment, _ := replyableComment(t, b)
		q := scheduler.NewReplyQueuer(replyRiver(t, b), b.clock.Now).WithRandom(func(n int64) int64 { return n - 1 })
		threads := conversation.New(db.Gorm, b.surveys, b.clock.Now)
		manager := b.people["berlin@example.com"]
		_, err := threads.Reply(ctx, comment.ID, manager, directory.Scope{All: true}, "Tell me more?", q.Queue)
		require.NoError(t, err)
		written := b.clock.Now()
		_, err = threads.AuthorReply(ctx, comment.ID, b.people["tokyo@example.com"].ID, "Weekly ones", q.Queue)
		require.NoError(t, err)

		thread, err := threads.Thread(ctx, comment.ID, directory.Scope{All: true})
		require.NoError(t, err)
		require.Len(t, thread, 1, "not delivered yet, so not shown")
		b.clock.Set(written.Add(scheduler.MaxReplyDelay))
		thread, err = threads.Thread(ctx, comment.ID, directory.Scope{All: true})
		require.NoError(t, err)
		require.Len(t, thread, 2)
		require.True(t, thread[1].FromAuthor)
		require.Equal(t, written.Add(scheduler.MaxReplyDelay), thread[1].CreatedAt.UTC(), "stamped when delivered")
	})
}

// The scheduler's tick erases reply links 30 days after their round closed.
func TestTickErasesReplyLinksThirtyDaysAfterClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		_, round := replyableComment(t, b)
		links := func() (n int64) {
			require.NoError(t, db.Gorm.Table("comment_links").Count(&n).Error)
			return n
		}
		require.EqualValues(t, 1, links(), "closing moved the comment and linked the copy")

		b.clock.Set(round.ClosesAt.Add(survey.ReplyLinkLifetime - time.Minute))
		require.NoError(t, b.scheduler.Tick(ctx))
		require.EqualValues(t, 1, links())

		b.clock.Set(round.ClosesAt.Add(survey.ReplyLinkLifetime))
		require.NoError(t, b.scheduler.Tick(ctx))
		require.Zero(t, links(), "30 days after close the link is gone")
		require.Contains(t, b.log.String(), "reply links erased")
	})
}

// A reply still waiting for its delay when the link runs out reaches nobody,
// and is not retried.
func TestAReplyWhoseLinkRanOutIsDropped(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		comment, round := replyableComment(t, b)
		threads := conversation.New(db.Gorm, b.surveys, b.clock.Now)
		reply, err := threads.Reply(ctx, comment.ID, b.people["berlin@example.com"], directory.Scope{All: true}, "Thanks", nil)
		require.NoError(t, err)
		worker := scheduler.NewReplyWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.NewTextHandler(b.log, nil)))
		job := &river.Job[scheduler.ReplyArgs]{JobRow: &rivertype.JobRow{}, Args: scheduler.ReplyArgs{ReplyID: reply.ID}}

		require.NoError(t, worker.Work(ctx, job))
		require.Len(t, b.sender.sent, 1)
		require.Equal(t, b.people["tokyo@example.com"].ID, b.sender.sent[0].Recipient.ID)

		b.clock.Set(round.ClosesAt.Add(survey.ReplyLinkLifetime))
		require.NoError(t, b.scheduler.Tick(ctx))
		require.NoError(t, worker.Work(ctx, job), "nothing to retry")
		require.Len(t, b.sender.sent, 1, "nobody is reached once the link is gone")

		// Neither side can add to the thread any more, and both are told why.
		var closed *fault.Conflict
		_, err = threads.AuthorReply(ctx, comment.ID, b.people["tokyo@example.com"].ID, "One more thing", nil)
		require.ErrorAs(t, err, &closed)
		require.Contains(t, err.Error(), "time to reply has run out")
		_, err = threads.Reply(ctx, comment.ID, b.people["berlin@example.com"], directory.Scope{All: true}, "Anyone?", nil)
		require.ErrorAs(t, err, &closed)
	})
}
