package api_test

import (
	"fmt"
	"log/slog"
	"maps"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// A Berlin survey for Monday 09:00 is created on Sunday; it reaches someone
// in Los Angeles at 09:00 their time, eight hours after Berlin. Before then
// their answer is refused with the local opening time, not taken.
func TestAnAnswerBeforeTheRoundReachesThePersonIsRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		la := "America/Los_Angeles"
		_, err := b.dir.UpdateEmployee(t.Context(), b.employee.ID, directory.EmployeePatch{Timezone: &la})
		require.NoError(t, err)
		sv := b.createSurvey(weeklyPulse)
		clock := func() time.Time { return b.now }
		tick := scheduler.New(db.Gorm, b.surveys, scheduler.NewDispatcher(b.queue, clock), clock, slog.New(slog.DiscardHandler)).Tick

		b.now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) // Sunday: the round is created ahead
		require.NoError(t, tick(t.Context()))
		var rounds []survey.RoundStatus
		b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID), b.hrToken, nil).data(t, &rounds)
		require.Len(t, rounds, 1)
		require.Equal(t, "scheduled", rounds[0].Status)
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", rounds[0].ID)

		for _, now := range []time.Time{
			time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC),  // the day before
			time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC),  // open in Berlin, 04:00 in Los Angeles
			time.Date(2026, 11, 30, 16, 59, 0, 0, time.UTC), // a minute early
		} {
			b.now = now
			res := b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 9))
			require.Equal(t, 409, res.Status, string(res.Body))
			require.Contains(t, res.err(t).Error.Message, "opens for you on Monday 30 November 2026, 09:00 (America/Los_Angeles)")
			var mine []survey.AssignedRound
			b.do("GET", "/api/v1/me/rounds", b.employeeToken, nil).data(t, &mine)
			require.Empty(t, mine)
		}

		b.now = time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC) // 09:00 in Los Angeles
		res := b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 9))
		require.Equal(t, 200, res.Status, string(res.Body))
		var mine []survey.AssignedRound
		b.do("GET", "/api/v1/me/rounds", b.employeeToken, nil).data(t, &mine)
		require.Len(t, mine, 1)
		require.Equal(t, "open", mine[0].Status)
		require.True(t, mine[0].Answered)
	})
}

// A cadence typo that would DM everyone every minute is refused on save and
// on preview, with the sends it would have made.
func TestACadenceSendingMoreThanOnceADayIsRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db) // Friday 2026-11-27 10:00 UTC
		body := maps.Clone(weeklyPulse)
		body["cadence"] = map[string]any{"kind": "cron", "spec": "* 9 * * MON", "timezone": "Europe/Berlin"}
		for _, res := range []response{
			b.do("POST", "/api/v1/surveys", b.hrToken, body),
			b.do("POST", "/api/v1/schedule/preview", b.hrToken, map[string]any{"cadence": body["cadence"]}),
		} {
			require.Equal(t, 422, res.Status, string(res.Body))
			details := res.err(t).Error.Details
			require.Len(t, details, 1)
			require.Equal(t, "cadence.spec", details[0].Field)
			require.Contains(t, details[0].Reason, "60 times")
			require.Contains(t, details[0].Reason, "next sends: Mon 2026-11-30 09:00, 09:01, 09:02, 09:03 (Europe/Berlin)")
		}
		var surveys []survey.Survey
		b.do("GET", "/api/v1/surveys", b.hrToken, nil).data(t, &surveys)
		require.Empty(t, surveys)
	})
}
