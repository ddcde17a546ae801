package scheduler_test

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// digestTeam builds a team of eight led by a manager in Berlin who wants
// the digest, two answered weekly rounds (30 November and 7 December), both
// closed, and the round of Monday 14 December created ahead on Sunday.
func digestTeam(t *testing.T, b *bundle) directory.Employee {
	ctx := t.Context()
	dir := directory.New(b.db.Gorm, b.clock.Now)
	manager := b.people["berlin@example.com"]
	role := directory.RoleManager
	_, err := dir.UpdateEmployee(ctx, manager.ID, directory.EmployeePatch{Role: &role})
	require.NoError(t, err)
	team, err := dir.CreateTeam(ctx, directory.TeamInput{Name: "Sales", ManagerID: &manager.ID})
	require.NoError(t, err)
	var members []int64
	for i := range 8 {
		e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: fmt.Sprintf("rep%d@example.com", i), Name: "Rep", TeamID: &team.ID})
		require.NoError(t, err)
		members = append(members, e.ID)
	}
	yes := true
	_, err = dir.SetPreferences(ctx, manager.ID, directory.Preferences{WeeklyDigest: &yes})
	require.NoError(t, err)

	sv := b.weeklySurvey(t)
	title := "Sales pulse"
	_, err = b.surveys.UpdateSurvey(ctx, sv.ID, survey.SurveyInput{Title: &title, Audience: &survey.Audience{TeamIDs: []int64{team.ID}}})
	require.NoError(t, err)
	for week, scores := range [][]int{{10, 10, 9, 9, 9, 8, 7, 3}, {10, 6, 5, 4, 3, 3, 2, 1}} {
		b.clock.Set(time.Date(2026, 11, 29+7*week, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(ctx))
		rounds := b.rounds(t)
		round := rounds[len(rounds)-1]
		b.clock.Set(round.ScheduledAt.Add(time.Hour))
		for i, id := range members {
			_, err := b.surveys.Answer(ctx, round.ID, id, []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: scores[i]}})
			require.NoError(t, err)
		}
		_, err := b.surveys.CloseRound(ctx, round.ID, nil) // a digest shows closed rounds only
		require.NoError(t, err)
	}
	b.clock.Set(time.Date(2026, 12, 13, 12, 0, 0, 0, time.UTC)) // Sunday: closes the 7th, creates the 14th
	require.NoError(t, b.scheduler.Tick(ctx))
	rounds := b.rounds(t)
	require.Len(t, rounds, 3)
	require.NotNil(t, rounds[1].ClosedAt)
	require.Nil(t, rounds[2].ClosedAt)
	return manager
}

func TestManagersGetAWeeklyDigestOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		manager := digestTeam(t, b)

		// Monday 2026-12-14 09:10 in Berlin: the digest is due, and this
		// Monday's round has just opened with no answers yet. Ticking again
		// (or on another replica) queues the digest once.
		b.clock.Set(time.Date(2026, 12, 14, 8, 10, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		var digests int64
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_digest").Count(&digests).Error)
		require.EqualValues(t, 1, digests)

		worker := scheduler.NewDigestWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))
		b.sender.sent = nil
		err := worker.Work(t.Context(), &river.Job[scheduler.DigestArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
			Args: scheduler.DigestArgs{ManagerID: manager.ID, Week: "2026-W51"}})
		require.NoError(t, err)
		require.Len(t, b.sender.sent, 1)
		msg := b.sender.sent[0]
		require.Equal(t, delivery.KindDigest, msg.Kind)
		require.Len(t, msg.Digest, 1)
		line := msg.Digest[0]
		require.Equal(t, "Sales", msg.TeamNames[line.TeamID])
		require.False(t, line.Latest.Suppressed, "the latest closed round, not this Monday's")
		require.InDelta(t, -75.0, *line.Latest.ENPS, 0.05, "1 promoter, 7 detractors of 8")
		require.InDelta(t, -75.0-50.0, *line.Change, 0.05, "from +50 the week before")
		require.True(t, line.Latest.SignificantChange)
	})
}
