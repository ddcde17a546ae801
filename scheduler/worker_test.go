package scheduler_test

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// scheduledRound ticks the weekly survey into a round and moves the clock to
// Monday 10:00 UTC, when it is open and every DM is due.
func scheduledRound(t *testing.T, b *bundle) (survey.Survey, survey.Round) {
	sv := b.weeklySurvey(t)
	b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	require.NoError(t, b.scheduler.Tick(t.Context()))
	b.clock.Set(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	return sv, b.rounds(t)[0]
}

func job(round survey.Round, employeeID int64, kind delivery.Kind, attempt int) *river.Job[scheduler.DeliverArgs] {
	return &river.Job[scheduler.DeliverArgs]{
		JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 10},
		Args:   scheduler.DeliverArgs{RoundID: round.ID, EmployeeID: employeeID, Message: kind},
	}
}

// awaitAllSent waits for one completed job per person, each within the
// given time (failing with why otherwise), then requires every delivery sent.
func awaitAllSent(t *testing.T, b *bundle, completed <-chan *river.Event, within time.Duration, why string) {
	t.Helper()
	for range b.people {
		select {
		case <-completed:
		case <-time.After(within):
			t.Fatal(why)
		}
	}
	for email, d := range b.deliveries(t) {
		require.Equal(t, delivery.StatusSent, d.Status, email)
	}
}

func TestDeliveryOutcomesAreRecorded(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		_, round := scheduledRound(t, b)
		worker := scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))
		store := delivery.NewStore(db.Gorm, b.clock.Now)
		berlin, tokyo, ny, nozone := b.people["berlin@example.com"], b.people["tokyo@example.com"],
			b.people["newyork@example.com"], b.people["nozone@example.com"]

		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 1)))
		d, err := store.Get(t.Context(), round.ID, berlin.ID)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusSent, d.Status)
		require.Equal(t, delivery.Ref{Channel: "Dberlin@example.com", TS: "1.0"}, d.Ref())
		require.Equal(t, "Weekly pulse", b.sender.sent[0].Round.SurveyTitle)

		// A duplicate job does not send twice.
		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 1)))
		require.Len(t, b.sender.sent, 1)

		b.sender.err = &delivery.RateLimitedError{RetryAfter: 30 * time.Second}
		err = worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindSurvey, 1))
		var snooze *rivertype.JobSnoozeError
		require.ErrorAs(t, err, &snooze)
		require.Equal(t, 30*time.Second, snooze.Duration, "snoozed for as long as Slack asks")

		b.sender.err = &delivery.PermanentError{Code: "user_not_found"}
		require.NoError(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindSurvey, 1)))
		d, _ = store.Get(t.Context(), round.ID, tokyo.ID)
		require.Equal(t, delivery.StatusFailed, d.Status)
		require.Equal(t, "user_not_found", d.Reason)

		b.sender.err = errors.New("slack server error: 503 Service Unavailable")
		require.Error(t, worker.Work(t.Context(), job(round, ny.ID, delivery.KindSurvey, 1)), "retried by River")
		d, _ = store.Get(t.Context(), round.ID, ny.ID)
		require.Equal(t, delivery.StatusPending, d.Status)
		require.Equal(t, 1, d.Attempts)
		require.Error(t, worker.Work(t.Context(), job(round, ny.ID, delivery.KindSurvey, 10)))
		d, _ = store.Get(t.Context(), round.ID, ny.ID)
		require.Equal(t, delivery.StatusFailed, d.Status, "the last attempt fails for good")
		require.Contains(t, d.Reason, "503")

		b.sender.err = delivery.ErrNotConfigured
		require.NoError(t, worker.Work(t.Context(), job(round, nozone.ID, delivery.KindSurvey, 1)))
		sum, err := store.Summary(t.Context(), round.ID)
		require.NoError(t, err)
		require.Equal(t, 1, sum.Sent)
		require.Equal(t, 2, sum.Failed)
		require.Equal(t, 1, sum.NotSent)
		require.Contains(t, sum.Failures, delivery.ReasonCount{Status: delivery.StatusNotSent, Reason: "Slack is not configured", Count: 1})
	})
}

func TestRemindersGoOnlyToThoseWhoHaveNotAnswered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv, round := scheduledRound(t, b)
		worker := scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))
		berlin, tokyo := b.people["berlin@example.com"], b.people["tokyo@example.com"]
		for _, p := range []int64{berlin.ID, tokyo.ID} {
			require.NoError(t, worker.Work(t.Context(), job(round, p, delivery.KindSurvey, 1)))
		}
		_, err := b.surveys.Answer(t.Context(), round.ID, berlin.ID, []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 9}})
		require.NoError(t, err)

		b.sender.sent = nil
		for _, p := range []int64{berlin.ID, tokyo.ID} {
			require.NoError(t, worker.Work(t.Context(), job(round, p, delivery.KindReminder, 1)))
		}
		require.Len(t, b.sender.sent, 1)
		require.Equal(t, tokyo.ID, b.sender.sent[0].Recipient.ID)
		require.Equal(t, delivery.Ref{Channel: "Dtokyo@example.com", TS: "1.0"}, b.sender.sent[0].Original, "the reminder links to the DM")

		// After close, the closed notice updates the DMs; no reminder goes out.
		_, err = b.surveys.CloseRound(t.Context(), round.ID, nil)
		require.NoError(t, err)
		b.sender.sent = nil
		require.NoError(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindReminder, 1)))
		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindClosed, 1)))
		require.Len(t, b.sender.sent, 1)
		require.Equal(t, delivery.KindClosed, b.sender.sent[0].Kind)
		require.False(t, b.sender.sent[0].Answered, "after close nothing kept can tell who answered")
	})
}

func TestEveryDMGoesOutThroughARunningQueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.clock.Set(time.Now().UTC().Add(-time.Hour)) // River runs due jobs by the database's real clock
		title := "Now"
		sv, err := b.surveys.CreateSurvey(t.Context(), survey.SurveyInput{Title: &title,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "?"}}})
		require.NoError(t, err)
		completed, cancel := b.river.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		require.NoError(t, b.river.Start(t.Context()))
		defer b.river.Stop(t.Context())

		b.clock.Set(time.Now().UTC())
		_, created, err := b.surveys.SendNow(t.Context(), sv.ID, scheduler.NewDispatcher(b.river, b.clock.Now).RoundCreated)
		require.NoError(t, err)
		require.True(t, created)
		awaitAllSent(t, b, completed, 30*time.Second, "deliveries were not worked")
	})
}

// Whether someone answered must not show in what a reminder job leaves
// behind: the job names the person, so a skipped one may not differ from a
// sent one in outcome, deliveries or log lines.
func TestASkippedReminderLeavesWhatASentOneLeaves(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv, round := scheduledRound(t, b)
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		worker := scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, logger)
		berlin, tokyo := b.people["berlin@example.com"], b.people["tokyo@example.com"]
		for _, p := range []int64{berlin.ID, tokyo.ID} {
			require.NoError(t, worker.Work(t.Context(), job(round, p, delivery.KindSurvey, 1)))
		}
		_, err := b.surveys.Answer(t.Context(), round.ID, berlin.ID, []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 9}})
		require.NoError(t, err)

		logs.Reset()
		before := dbtest.Dump(t, db)
		skipped := worker.Work(t.Context(), job(round, berlin.ID, delivery.KindReminder, 1))
		sent := worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindReminder, 1))
		require.Equal(t, sent, skipped, "the same job outcome")
		require.Empty(t, dbtest.Changed(before, dbtest.Dump(t, db)), "neither writes a row")
		require.Empty(t, logs.String(), "no log line tells the two apart")
	})
}
