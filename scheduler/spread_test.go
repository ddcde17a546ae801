package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// queued is one delivery job as River holds it.
type queued struct {
	State       string
	ScheduledAt time.Time
	Message     string
	EmployeeID  int64
}

func queuedJobs(t *testing.T, db *database.DB) []queued {
	t.Helper()
	fields := "args->>'message' AS message, (args->>'employee_id')::bigint AS employee_id"
	if db.Dialect == database.SQLite {
		fields = "json_extract(args, '$.message') AS message, json_extract(args, '$.employee_id') AS employee_id"
	}
	var jobs []queued
	require.NoError(t, db.Gorm.Table("river_job").Select("state, scheduled_at, "+fields).
		Where("kind = ?", "pulse_deliver").Scan(&jobs).Error)
	return jobs
}

// A scheduled round's messages do not all fall due at one instant: each is
// moved a little, the same way every time, and never before its own time.
func TestScheduledMessagesAreSpreadNotDueAtOneInstant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.weeklySurvey(t)
		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		due := map[int64]time.Time{}
		for _, d := range b.deliveries(t) {
			due[d.EmployeeID] = d.DueAt.UTC()
		}
		jobs := queuedJobs(t, db)
		require.Len(t, jobs, 12)
		at := map[time.Time]bool{}
		for _, j := range jobs {
			require.Equal(t, "scheduled", j.State)
			at[j.ScheduledAt.UTC()] = true
			if j.Message == "survey" {
				moved := j.ScheduledAt.UTC().Sub(due[j.EmployeeID])
				require.GreaterOrEqual(t, moved, time.Duration(0))
				require.Less(t, moved, 3*time.Minute)
			}
		}
		// Berlin and the person without a zone are both due at 08:00 UTC.
		require.Len(t, at, len(jobs), "no two messages at the same instant")
	})
}

// A round sent by hand is due at once: its DMs are available to the
// workers right away, not waiting for River to promote them.
func TestDueMessagesAreAvailableAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		title := "Now"
		sv, err := b.surveys.CreateSurvey(t.Context(), survey.SurveyInput{Title: &title,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "?"}}})
		require.NoError(t, err)
		_, _, err = b.surveys.SendNow(t.Context(), sv.ID, scheduler.NewDispatcher(b.river, b.clock.Now).RoundCreated)
		require.NoError(t, err)
		surveys := 0
		for _, j := range queuedJobs(t, db) {
			if j.Message == "survey" {
				surveys++
				require.Equal(t, "available", j.State)
			} else {
				require.Equal(t, "scheduled", j.State, "reminders wait for their day")
			}
		}
		require.Equal(t, len(b.people), surveys)
	})
}
