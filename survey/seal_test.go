package survey_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// smallCells lists every (round, team) cell of closed rounds that holds
// 1..k-1 people, in each table an attacker with the database would read.
func smallCells(t *testing.T, db *database.DB, k int) []string {
	t.Helper()
	closed := "round_id IN (SELECT id FROM rounds WHERE closed_at IS NOT NULL)"
	var out []string
	for what, q := range map[string]string{
		"responses": "SELECT round_id, team_id, COUNT(*) AS n FROM responses WHERE " + closed + " GROUP BY round_id, team_id",
		"answer_counts": "SELECT round_id, team_id, MAX(n) AS n FROM (SELECT round_id, team_id, question_id, SUM(n) AS n FROM answer_counts WHERE " +
			closed + " GROUP BY round_id, team_id, question_id) AS q GROUP BY round_id, team_id",
		"round_team_counts":            "SELECT round_id, team_id, respondents AS n FROM round_team_counts WHERE " + closed,
		"round_team_counts recipients": "SELECT round_id, team_id, recipients AS n FROM round_team_counts WHERE " + closed,
	} {
		var cells []struct {
			RoundID int64
			TeamID  *int64
			N       int
		}
		require.NoError(t, db.Gorm.Raw(q).Scan(&cells).Error)
		require.NotEmpty(t, cells, what)
		for _, c := range cells {
			if c.N > 0 && c.N < k {
				out = append(out, what)
			}
		}
	}
	return out
}

// Operations (2 people) has North (3) and South (6); Finance has 1; four
// people have no team. With k = 5, every cell of North, Finance and
// Operations' own members names its few people. Closing folds North into
// Operations (2 + 3 = 5) and Finance into the organisation (4 + 1 = 5).
func TestClosingFoldsEveryCellBelowKIntoItsNearestAncestor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		ops := o.team("Operations", nil)
		north, south := o.team("North", &ops.ID), o.team("South", &ops.ID)
		finance := o.team("Finance", nil)
		var people []directory.Employee
		for _, g := range []struct {
			n    int
			team *int64
		}{{2, &ops.ID}, {3, &north.ID}, {6, &south.ID}, {1, &finance.ID}, {4, nil}} {
			people = append(people, o.people(fmt.Sprintf("p%d-", len(people)), g.n, g.team)...)
		}
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"},
			survey.QuestionInput{Kind: survey.KindScale, Prompt: "Workload is fine"})
		r := o.round(sv.ID)
		for i, p := range people {
			o.answer(r.ID, p.ID, sv.Questions[0].ID, 1+i%10, sv.Questions[1].ID, 1+i%5)
		}
		_, err := o.svc.CloseRound(t.Context(), r.ID, nil)
		require.NoError(t, err)

		require.Empty(t, smallCells(t, db, survey.DefaultMinRespondents))
		var cells []struct {
			TeamID                  int64
			Recipients, Respondents int
		}
		require.NoError(t, db.Gorm.Table("round_team_counts").Where("round_id = ?", r.ID).Order("team_id").Find(&cells).Error)
		require.Equal(t, []struct {
			TeamID                  int64
			Recipients, Respondents int
		}{{0, 5, 5}, {ops.ID, 5, 5}, {south.ID, 6, 6}}, cells)

		res, err := o.svc.Results(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
		require.NoError(t, err)
		require.Equal(t, 16, *res.Points[0].N, "the organisation counts everyone")
		require.Equal(t, 1.0, *res.Points[0].Participation)
		res, err = o.svc.Results(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound, TeamID: &ops.ID}, directory.EveryoneScope())
		require.NoError(t, err)
		require.Equal(t, 11, *res.Points[0].N, "Operations with its sub-teams")
		res, err = o.svc.Results(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound, TeamID: &north.ID}, directory.EveryoneScope())
		require.NoError(t, err)
		require.True(t, res.Points[0].Suppressed)
	})
}

// A round nobody answered had 100% participation: the second count scanned
// into the slice the first had filled.
func TestARoundNobodyAnsweredHasNoParticipation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		team := o.team("Sales", nil)
		people := o.people("seller", 6, &team.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		answered := o.round(sv.ID)
		for _, p := range people {
			o.answer(answered.ID, p.ID, sv.Questions[0].ID, 9)
		}
		o.advance(7 * 24 * time.Hour)
		silent := o.round(sv.ID)
		o.advance(7 * 24 * time.Hour)
		_, err := o.svc.CloseDue(t.Context(), nil)
		require.NoError(t, err)

		rounds, err := o.svc.Rounds(t.Context(), sv.ID)
		require.NoError(t, err)
		require.Len(t, rounds, 2)
		require.Equal(t, silent.ID, rounds[0].ID)
		require.Equal(t, 0, *rounds[0].Answered)
		require.Equal(t, 0.0, *rounds[0].Participation, "nobody answered")
		require.Equal(t, 6, *rounds[1].Answered)
		require.Equal(t, 1.0, *rounds[1].Participation)
		st, err := o.svc.RoundStatus(t.Context(), silent.ID)
		require.NoError(t, err)
		require.Equal(t, 0.0, *st.Participation)
	})
}

// On PostgreSQL round_keys is UNLOGGED: a crash empties it. A round whose
// key is gone closes at once, with a warning, and takes no second response
// from someone whose first it can no longer find.
func TestARoundWhoseKeyIsGoneClosesAtOnce(t *testing.T) {
	// Serial, its databases in turn: it swaps the process-wide default logger.
	dbtest.EachInTurn(t, func(t *testing.T, db *database.DB) {
		var logs bytes.Buffer
		before := slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
		defer slog.SetDefault(before)

		o, r, _ := answeredRound(t, db)
		var sellers []int64
		require.NoError(t, db.Gorm.Table("round_recipients").Where("round_id = ?", r.ID).Order("employee_id").Pluck("employee_id", &sellers).Error)
		require.NoError(t, db.Gorm.Exec("DELETE FROM round_keys").Error) // what a crash does
		sv, err := o.svc.Survey(t.Context(), r.SurveyID)
		require.NoError(t, err)
		_, err = o.svc.Answer(t.Context(), r.ID, sellers[0], []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 10}})
		var conflict *fault.Conflict
		require.ErrorAs(t, err, &conflict)
		require.Contains(t, logs.String(), "level=WARN")
		require.Contains(t, logs.String(), "answer key is gone")
		closed, err := o.svc.Round(t.Context(), r.ID)
		require.NoError(t, err)
		require.NotNil(t, closed.ClosedAt)
		require.Equal(t, 6, o.countRows("responses", "round_id = ?", r.ID), "nothing counted twice")

		// The scheduler's closing pass finds such rounds too.
		o.advance(24 * time.Hour)
		other := o.round(r.SurveyID)
		require.NoError(t, db.Gorm.Exec("DELETE FROM round_keys").Error)
		done, err := o.svc.CloseDue(t.Context(), nil)
		require.NoError(t, err)
		require.Len(t, done, 1)
		require.Equal(t, other.ID, done[0].ID)
	})
}
