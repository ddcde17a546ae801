package scheduler_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/scheduler"
)

// lostThenRetried runs a job whose first post Slack takes but never
// confirms (a 503 after the post), then River's retry of it, and requires
// the DM to hold the one message: found by its key, not posted again.
// before is how many messages the DM held already.
func lostThenRetried[T river.JobArgs](t *testing.T, fake *slackfake.Server, w river.Worker[T], args T, dm string, before int) {
	t.Helper()
	row := rivertype.JobRow{ID: 7001, Kind: args.Kind(), Attempt: 1, MaxAttempts: 10,
		CreatedAt: time.Date(2026, 11, 20, 8, 0, 0, 123456789, time.UTC)}
	posts := len(fake.CallsTo("chat.postMessage"))
	fake.LoseNextPosts(slackfake.HTTPStatus(http.StatusServiceUnavailable))
	first := row
	require.Error(t, w.Work(t.Context(), &river.Job[T]{JobRow: &first, Args: args}), "retried by River")
	require.Len(t, fake.Messages(dm), before+1, "Slack has the message")

	retry := row
	retry.Attempt = 2
	require.NoError(t, w.Work(t.Context(), &river.Job[T]{JobRow: &retry, Args: args}))
	messages := fake.Messages(dm)
	require.Len(t, messages, before+1, "the retry found the message instead of posting it again")
	require.Len(t, fake.CallsTo("chat.postMessage"), posts+1)
	history := fake.CallsTo("conversations.history")
	require.NotEmpty(t, history, "looked before posting again")
	require.Equal(t, "1", history[len(history)-1].Get("include_all_metadata"))

	// The key is the same on both attempts and names nobody.
	meta := messages[len(messages)-1].Metadata
	require.Equal(t, notify.DeliveryEventType, meta.EventType)
	key, _ := meta.EventPayload["key"].(string)
	require.Equal(t, delivery.JobKey(row.Kind, row.ID, row.CreatedAt), key)
	require.NotContains(t, key, "7001")
	require.NotContains(t, key, dm[1:])
}

// A job attempted for the first time posts without looking: the search
// costs a Slack call, and only a retry can find anything.
func postsWithoutLooking[T river.JobArgs](t *testing.T, fake *slackfake.Server, w river.Worker[T], args T, dm string) {
	t.Helper()
	before := len(fake.Messages(dm))
	row := rivertype.JobRow{ID: 7002, Kind: args.Kind(), Attempt: 1, MaxAttempts: 10, CreatedAt: time.Now()}
	require.NoError(t, w.Work(t.Context(), &river.Job[T]{JobRow: &row, Args: args}))
	require.Len(t, fake.Messages(dm), before+1)
	require.Empty(t, fake.CallsTo("conversations.history"))
}

func TestAReminderWhoseAnswerWasLostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, fake, worker := slackRound(t, db)
		berlin := b.onSlack(t, "berlin@example.com", "U0BERLIN")
		tokyo := b.onSlack(t, "tokyo@example.com", "U0TOKYO")
		for _, p := range []directory.Employee{berlin, tokyo} {
			require.NoError(t, worker.Work(t.Context(), job(round, p.ID, delivery.KindSurvey, 1)))
		}
		postsWithoutLooking(t, fake, river.Worker[scheduler.DeliverArgs](worker),
			scheduler.DeliverArgs{RoundID: round.ID, EmployeeID: tokyo.ID, Message: delivery.KindReminder, Reminder: 1}, "DU0TOKYO")
		lostThenRetried(t, fake, river.Worker[scheduler.DeliverArgs](worker),
			scheduler.DeliverArgs{RoundID: round.ID, EmployeeID: berlin.ID, Message: delivery.KindReminder, Reminder: 1}, "DU0BERLIN", 1)
	})
}

func TestAReplyWhoseAnswerWasLostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		comment, _ := replyableComment(t, b)
		b.onSlack(t, "tokyo@example.com", "U0TOKYO")
		b.onSlack(t, "berlin@example.com", "U0BERLIN")
		fake := slackfake.New(t)
		worker := scheduler.NewReplyWorker(db.Gorm, b.surveys, notify.NewSender(fake.Client(), b.surveys), b.clock.Now, slog.New(slog.DiscardHandler))
		q := scheduler.NewReplyQueuer(replyRiver(t, b), b.clock.Now)
		threads := conversation.New(db.Gorm, b.surveys, b.clock.Now)
		manager := b.people["berlin@example.com"]
		reply, err := threads.Reply(t.Context(), comment.ID, manager, directory.Scope{All: true}, "Tell me more?", q.Queue)
		require.NoError(t, err)
		answer, err := threads.AuthorReply(t.Context(), comment.ID, b.people["tokyo@example.com"].ID, "Weekly ones", q.Queue)
		require.NoError(t, err)

		// The manager's reply to the author, and the author's answer to the manager.
		lostThenRetried(t, fake, river.Worker[scheduler.ReplyArgs](worker), scheduler.ReplyArgs{ReplyID: reply.ID}, "DU0TOKYO", 0)
		lostThenRetried(t, fake, river.Worker[scheduler.ReplyArgs](worker),
			scheduler.ReplyArgs{ReplyID: answer.ID, ManagerID: manager.ID}, "DU0BERLIN", 0)
	})
}

func TestADigestWhoseAnswerWasLostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		manager := digestTeam(t, b)
		b.onSlack(t, "berlin@example.com", "U0BERLIN")
		b.clock.Set(time.Date(2026, 12, 14, 8, 10, 0, 0, time.UTC))
		fake := slackfake.New(t)
		worker := scheduler.NewDigestWorker(db.Gorm, b.surveys, notify.NewSender(fake.Client(), b.surveys), b.clock.Now, slog.New(slog.DiscardHandler))
		lostThenRetried(t, fake, river.Worker[scheduler.DigestArgs](worker),
			scheduler.DigestArgs{ManagerID: manager.ID, Week: "2026-W51"}, "DU0BERLIN", 0)
	})
}

func TestAOneOnOneReminderWhoseAnswerWasLostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		manager := b.onSlack(t, "berlin@example.com", "U0BERLIN")
		report := b.onSlack(t, "tokyo@example.com", "U0TOKYO")
		_, err := directory.New(db.Gorm, b.clock.Now).UpdateEmployee(ctx, report.ID, directory.EmployeePatch{ManagerID: &manager.ID})
		require.NoError(t, err)
		meetings := oneonone.New(db.Gorm, b.clock.Now, nil)
		sr, err := meetings.CreateSeries(ctx, manager.ID, oneonone.SeriesInput{ReportID: report.ID})
		require.NoError(t, err)
		at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		m, err := meetings.CreateMeeting(ctx, sr.ID, report.ID, oneonone.MeetingInput{ScheduledAt: &at}, nil)
		require.NoError(t, err)
		b.clock.Set(at.Add(-time.Hour))

		fake := slackfake.New(t)
		worker := scheduler.NewOneOnOneWorker(db.Gorm, meetings, notify.NewSender(fake.Client(), b.surveys), b.clock.Now, slog.New(slog.DiscardHandler))
		postsWithoutLooking(t, fake, river.Worker[scheduler.OneOnOneArgs](worker),
			scheduler.OneOnOneArgs{MeetingID: m.ID, ParticipantID: manager.ID, At: at}, "DU0BERLIN")
		lostThenRetried(t, fake, river.Worker[scheduler.OneOnOneArgs](worker),
			scheduler.OneOnOneArgs{MeetingID: m.ID, ParticipantID: report.ID, At: at}, "DU0TOKYO", 0)
	})
}

func TestAFollowUpWhoseAnswerWasLostIsNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := oneOnOneSetup(t, db)
		ctx := t.Context()
		b.onSlack(t, "berlin@example.com", "U0BERLIN")
		b.onSlack(t, "tokyo@example.com", "U0TOKYO")
		at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		m, err := b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &at}, nil)
		require.NoError(t, err)
		b.clock.Set(at.Add(2 * time.Hour))

		fake := slackfake.New(t)
		worker := scheduler.NewFollowUpWorker(db.Gorm, b.meetings, notify.NewSender(fake.Client(), b.surveys), b.clock.Now, slog.New(slog.DiscardHandler))
		postsWithoutLooking(t, fake, river.Worker[scheduler.FollowUpArgs](worker),
			scheduler.FollowUpArgs{MeetingID: m.ID, ParticipantID: b.manager.ID, At: at}, "DU0BERLIN")
		lostThenRetried(t, fake, river.Worker[scheduler.FollowUpArgs](worker),
			scheduler.FollowUpArgs{MeetingID: m.ID, ParticipantID: b.report.ID, At: at}, "DU0TOKYO", 0)
	})
}
