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

// heatmapWorld is Sales (two direct members) with East (six) and West
// (five), and Support (seven), k = 5, answering three weekly rounds; in the
// second round one of West stays silent.
func heatmapWorld(t *testing.T, db *database.DB) (*world, survey.Survey, map[string]directory.Team) {
	o := newWorld(t, db)
	sales := o.team("Sales", nil)
	teams := map[string]directory.Team{"Sales": sales, "East": o.team("East", &sales.ID), "West": o.team("West", &sales.ID),
		"Support": o.team("Support", nil)}
	var people []directory.Employee
	for _, g := range []struct {
		n    int
		team string
	}{{2, "Sales"}, {6, "East"}, {5, "West"}, {7, "Support"}} {
		id := teams[g.team].ID
		people = append(people, o.people(fmt.Sprintf("%s-", g.team), g.n, &id)...)
	}
	sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
	for round := range 3 {
		r := o.round(sv.ID)
		for i, p := range people {
			if round == 1 && i == 2 {
				continue
			}
			o.answer(r.ID, p.ID, sv.Questions[0].ID, 1+(i*7+round)%10)
		}
		_, err := o.svc.CloseRound(t.Context(), r.ID, nil)
		require.NoError(t, err)
		o.advance(7 * 24 * time.Hour)
	}
	return o, sv, teams
}

// Each cell of the heatmap is the point Results gives for that team and
// period, suppression included, so the grid tells nothing more than asking
// Results team by team.
func TestHeatmapCellsAreResultsPoints(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o, sv, _ := heatmapWorld(t, db)
		for _, by := range []string{survey.ByWeek, survey.ByMonth, survey.ByQuarter} {
			q := survey.ResultsQuery{GroupBy: by}
			h, err := o.svc.Heatmap(t.Context(), sv.ID, q, directory.EveryoneScope())
			require.NoError(t, err)
			require.Len(t, h.Rows, 5, "the organisation and four teams")
			require.Nil(t, h.Rows[0].TeamID, "the organisation comes first")
			for _, row := range h.Rows {
				q.TeamID = row.TeamID
				alone, err := o.svc.Results(t.Context(), sv.ID, q, directory.EveryoneScope())
				require.NoError(t, err)
				require.Equal(t, alone.Points, row.Cells, "%s by %s", row.Name, by)
				require.Len(t, row.Cells, len(h.Periods))
				for i, p := range row.Cells {
					require.Equal(t, h.Periods[i], p.PeriodStart)
				}
			}
		}
	})
}

// The attacker holds the whole grid and subtracts: a parent's cell minus
// its shown children's cells, the organisation minus its shown teams, a
// month minus its shown weeks. Every difference is 0 or at least k.
func TestHeatmapDifferencesNeverIsolateFewerThanK(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o, sv, teams := heatmapWorld(t, db)
		k := survey.DefaultMinRespondents
		safe := func(n int, what string) {
			require.True(t, n == 0 || n >= k, "%s isolates %d people", what, n)
		}
		children := map[string][]string{"": {"Sales", "Support"}, "Sales": {"East", "West"}}
		grid := func(by string) map[string][]survey.Point {
			h, err := o.svc.Heatmap(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: by}, directory.EveryoneScope())
			require.NoError(t, err)
			out := map[string][]survey.Point{}
			for _, row := range h.Rows {
				name := ""
				if row.TeamID != nil {
					name = row.Name
					require.Equal(t, teams[name].ID, *row.TeamID)
				}
				out[name] = row.Cells
			}
			return out
		}
		weeks, months := grid(survey.ByWeek), grid(survey.ByMonth)
		suppressed := 0
		for parent, kids := range children {
			for i, cell := range weeks[parent] {
				if cell.Suppressed {
					continue
				}
				rest := *cell.N
				for _, kid := range kids {
					if c := weeks[kid][i]; !c.Suppressed {
						rest -= *c.N
					} else {
						suppressed++
					}
				}
				safe(rest, fmt.Sprintf("%q week %s minus its shown teams", parent, cell.PeriodStart))
			}
		}
		require.Positive(t, suppressed, "the fixture hides a child somewhere")
		for group, cells := range months {
			for _, month := range cells {
				if month.Suppressed {
					continue
				}
				rest := *month.N
				for _, week := range weeks[group] {
					if !week.Suppressed && week.PeriodStart >= month.PeriodStart && week.PeriodStart[:7] == month.PeriodStart[:7] {
						rest -= *week.N
					}
				}
				safe(rest, fmt.Sprintf("%q month %s minus its shown weeks", group, month.PeriodStart))
			}
		}
	})
}

func TestHeatmapRefusesViewersWithoutTeamsAndRounds(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o, sv, _ := heatmapWorld(t, db)
		_, err := o.svc.Heatmap(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: survey.ByWeek}, directory.Scope{})
		require.ErrorContains(t, err, "forbidden")
		_, err = o.svc.Heatmap(t.Context(), sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
		require.ErrorContains(t, err, "group_by")
	})
}
