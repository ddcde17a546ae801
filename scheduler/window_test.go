package scheduler_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

func (b *bundle) survey(t *testing.T, c cadence.Cadence, closeAfterHours int) survey.Survey {
	t.Helper()
	title := "Pulse"
	sv, err := b.surveys.CreateSurvey(t.Context(), survey.SurveyInput{
		Title: &title, Cadence: &c, CloseAfterHours: &closeAfterHours, ReminderDays: []int{1},
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}},
	})
	require.NoError(t, err)
	return sv
}

func (b *bundle) person(t *testing.T, email, zone string) directory.Employee {
	t.Helper()
	e, err := directory.New(b.db.Gorm, b.clock.Now).CreateEmployee(t.Context(), directory.EmployeeInput{Email: email, Name: email, Timezone: zone})
	require.NoError(t, err)
	b.people[email] = e
	return e
}

func (b *bundle) status(t *testing.T, surveyID int64) string {
	t.Helper()
	rounds, err := b.surveys.Rounds(t.Context(), surveyID)
	require.NoError(t, err)
	return rounds[0].Status
}

// A Kolkata survey (Monday 09:00, 48 hours to answer) reaches Los Angeles
// 13.5 hours after Kolkata. Counted from the survey's zone, the round closed
// at 19:30 on Tuesday in Los Angeles; each person now gets 48 hours from
// their own 09:00, so the round closes when the last window ends.
func TestEveryoneGetsTheFullWindowFromTheirOwnSendTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		kolkata := b.person(t, "kolkata@example.com", "Asia/Kolkata")
		la := b.person(t, "la@example.com", "America/Los_Angeles")
		sv := b.survey(t, cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Asia/Kolkata"}, 48)

		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		round := b.rounds(t)[0]
		require.Equal(t, time.Date(2026, 11, 30, 3, 30, 0, 0, time.UTC), round.ScheduledAt.UTC(), "09:00 in Kolkata")
		require.Equal(t, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), round.OpensAt.UTC(), "first send: 09:00 in Tokyo")
		require.Equal(t, time.Date(2026, 12, 2, 17, 0, 0, 0, time.UTC), round.ClosesAt.UTC(), "48 hours after 09:00 in Los Angeles")

		// Wednesday 08:30 in Los Angeles: still inside their 48 hours.
		b.clock.Set(time.Date(2026, 12, 2, 16, 30, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		enps := []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 9}}
		_, err := b.surveys.Answer(t.Context(), round.ID, la.ID, enps)
		require.NoError(t, err)

		// Each DM says until when, in the person's own zone.
		assigned, err := b.surveys.AssignedRound(t.Context(), round.ID, la.ID)
		require.NoError(t, err)
		require.Contains(t, dmText(t, notify.SurveyDM(notify.PromptFor(assigned, la, "Asia/Kolkata"))),
			"Open until Wednesday 2 December, 09:00 (America/Los_Angeles)")
		require.Contains(t, dmText(t, notify.SurveyDM(notify.PromptFor(assigned, kolkata, "Asia/Kolkata"))),
			"Open until Wednesday 2 December, 22:30 (Asia/Kolkata)")

		b.clock.Set(round.ClosesAt)
		require.NoError(t, b.scheduler.Tick(t.Context()))
		_, err = b.surveys.Answer(t.Context(), round.ID, la.ID, enps)
		_, closed := errors.AsType[*fault.Conflict](err)
		require.True(t, closed, "closed after the last window: %v", err)
	})
}

func dmText(t *testing.T, m notify.Message) string {
	t.Helper()
	raw, err := json.Marshal(m.Blocks)
	require.NoError(t, err)
	return string(raw)
}

func TestARoundIsScheduledUntilItsFirstSendThenOpenThenClosed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.weeklySurvey(t)
		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)) // the Monday round exists from Sunday
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.Equal(t, survey.StatusScheduled, b.status(t, sv.ID))
		b.clock.Set(time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC))
		require.Equal(t, survey.StatusScheduled, b.status(t, sv.ID))
		b.clock.Set(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) // 09:00 in Tokyo
		require.Equal(t, survey.StatusOpen, b.status(t, sv.ID))
		b.clock.Set(b.rounds(t)[0].ClosesAt)
		require.Equal(t, survey.StatusClosed, b.status(t, sv.ID))
	})
}

// A daily survey with two days to answer: on day two everyone's first
// round is still open, so only someone who joined since gets the new one.
func TestNobodyGetsARoundWhileTheirPreviousOneIsStillOpen(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.survey(t, cadence.Cadence{Kind: "cron", Spec: "0 9 * * *", Timezone: "Europe/Berlin"}, 48)
		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.Len(t, b.rounds(t), 1)
		jobs := b.jobs(t)

		newcomer := b.person(t, "newcomer@example.com", "Europe/Berlin")
		b.clock.Set(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		rounds, err := b.surveys.Rounds(t.Context(), sv.ID)
		require.NoError(t, err)
		require.Len(t, rounds, 2)
		second := rounds[0]
		require.Equal(t, 1, second.Recipients, "only the newcomer")
		require.Equal(t, 4, second.Skipped)
		require.Contains(t, b.log.String(), "left_out=4")
		require.NotContains(t, b.log.String(), "tokyo@example.com")

		var queued []delivery.Delivery
		require.NoError(t, db.Gorm.Where("round_id = ?", second.ID).Find(&queued).Error)
		require.Len(t, queued, 1)
		require.Equal(t, newcomer.ID, queued[0].EmployeeID)
		require.Equal(t, jobs+2, b.jobs(t), "the newcomer's DM and one reminder, nothing for the others")

		_, err = b.surveys.Answer(t.Context(), second.ID, b.people["berlin@example.com"].ID,
			[]survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 9}})
		require.ErrorIs(t, err, fault.ErrForbidden, "not asked in the second round")
	})
}
