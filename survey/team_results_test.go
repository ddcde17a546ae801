package survey_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Views that show many teams side by side read every team's results at once:
// each team's figures are exactly what Results gives for it alone, suppression
// included, and one team costs as many queries as four.
func TestTeamResultsMatchResultsPerTeamInAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		sales := o.team("Sales", nil)
		east, west := o.team("East", &sales.ID), o.team("West", &sales.ID)
		support := o.team("Support", nil)
		var people []directory.Employee
		for _, g := range []struct {
			n    int
			team *int64
		}{{2, &sales.ID}, {6, &east.ID}, {3, &west.ID}, {7, &support.ID}} {
			people = append(people, o.people(fmt.Sprintf("p%d-", len(people)), g.n, g.team)...)
		}
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		for round := range 2 {
			r := o.round(sv.ID)
			for i, p := range people[round:] {
				o.answer(r.ID, p.ID, sv.Questions[0].ID, 1+(i*7+round)%10)
			}
			_, err := o.svc.CloseRound(t.Context(), r.ID, nil)
			require.NoError(t, err)
			o.advance(8 * 24 * time.Hour)
		}

		teams := []int64{sales.ID, east.ID, west.ID, support.ID}
		q := survey.ResultsQuery{GroupBy: survey.ByRound}
		queries := countQueries(t, db.Gorm)
		all, err := o.svc.TeamResults(t.Context(), sv.ID, q, teams, directory.EveryoneScope())
		require.NoError(t, err)
		four := queries.Swap(0)
		_, err = o.svc.TeamResults(t.Context(), sv.ID, q, teams[:1], directory.EveryoneScope())
		require.NoError(t, err)
		require.Equal(t, four, queries.Load(), "one team costs as many queries as four")

		shown := 0
		for _, id := range teams {
			q.TeamID = &id
			alone, err := o.svc.Results(t.Context(), sv.ID, q, directory.EveryoneScope())
			require.NoError(t, err)
			require.Equal(t, alone, all[id], "team %d", id)
			for _, p := range alone.Points {
				if !p.Suppressed {
					shown++
				}
			}
		}
		require.Positive(t, shown, "the fixture shows some points")
		require.True(t, all[west.ID].Points[0].Suppressed, "West's three people stay suppressed")

		_, err = o.svc.TeamResults(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, []int64{west.ID}, directory.Scope{})
		require.Error(t, err, "a team outside the viewer's scope is refused")
	})
}
