package sales

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales/salesbench"
	"github.com/pulsehq/pulse/survey"
)

// The figures the database adds up are the figures the old in-memory code
// computed, for a made-up CRM with times on period boundaries, deals closed
// the moment they open, unassigned leads, monthly and quarterly quotas and
// gaps in spend: for the company, every team (with sub-teams) and its reps,
// by week, month and quarter. Money sums differ from the old float sums by
// rounding alone (the database adds whole cents), hence the 1e-9.
func TestSQLKPIsEqualTheInMemoryComputation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		sc := salesbench.Scenario{Seed: 11, Teams: 4, RepsPerTeam: 3, Deals: 900, Activities: 2500, Leads: 400,
			Start: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), Months: 9, Edges: true}
		w, err := salesbench.Generate(t.Context(), db, sc)
		require.NoError(t, err)
		now := time.Date(2026, 6, 17, 15, 0, 0, 0, time.UTC) // inside the data: some periods still run
		svc := New(db.Gorm, func() time.Time { return now }, nil)
		idle, err := svc.dir.CreateEmployee(t.Context(), directory.EmployeeInput{Email: "idle@example.com", Name: "Idle",
			TeamID: &w.Teams[0]})
		require.NoError(t, err)
		d, err := svc.load(t.Context())
		require.NoError(t, err)
		from, to := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
		for _, groupBy := range []string{survey.ByWeek, survey.ByMonth, survey.ByQuarter} {
			q := KPIQuery{GroupBy: groupBy, From: &from, To: &to}
			ps, err := periods(groupBy, &from, &to, now)
			require.NoError(t, err)
			got, err := svc.KPIs(t.Context(), q, w.HR)
			require.NoError(t, err)
			requireSameRows(t, oracleRows(d, Subject{Kind: "company", Name: "Company"}, subject{}, groupBy, ps, now), got.Rows)
			require.Equal(t, currencyOf(d), got.Currency)
			for _, team := range w.Teams {
				q.TeamID = &team
				got, err := svc.KPIs(t.Context(), q, w.HR)
				require.NoError(t, err)
				requireSameRows(t, oracleTeamRows(t, svc, d, team, groupBy, ps, now), got.Rows)
			}
			for _, rep := range []int64{w.Reps[0], idle.ID} {
				q.TeamID, q.RepID = nil, &rep
				got, err = svc.KPIs(t.Context(), q, w.HR)
				require.NoError(t, err)
				requireSameRows(t, oracleRows(d, Subject{Kind: "rep", ID: &rep, Name: got.Rows[0].Subject.Name},
					subject{reps: map[int64]bool{rep: true}}, groupBy, ps, now), got.Rows)
			}
		}
	})
}

// oracleTeamRows is the old teamRows: the team, then each member who owns
// any sales data.
func oracleTeamRows(t *testing.T, svc *Service, d data, teamID int64, groupBy string, ps []Period, now time.Time) []KPIRow {
	team, err := svc.dir.Team(t.Context(), teamID)
	require.NoError(t, err)
	members, err := svc.members(t.Context(), teamID)
	require.NoError(t, err)
	set := map[int64]bool{}
	for _, m := range members {
		set[m.ID] = true
	}
	out := oracleRows(d, Subject{Kind: "team", ID: &team.ID, Name: team.Name}, subject{reps: set}, groupBy, ps, now)
	active := d.owners()
	for _, m := range members {
		if active[m.ID] {
			out = append(out, oracleRows(d, Subject{Kind: "rep", ID: &m.ID, Name: m.Name},
				subject{reps: map[int64]bool{m.ID: true}}, groupBy, ps, now)...)
		}
	}
	return out
}

func requireSameRows(t *testing.T, want, got []KPIRow) {
	t.Helper()
	require.Equal(t, len(want), len(got))
	valued := 0
	for i := range want {
		w, g := want[i], got[i]
		where := fmt.Sprintf("%s %v from %s", w.Subject.Kind, w.Subject.Name, w.PeriodStart)
		require.Equal(t, w.Subject, g.Subject, where)
		require.Equal(t, [3]any{w.PeriodStart, w.PeriodEnd, w.InProgress}, [3]any{g.PeriodStart, g.PeriodEnd, g.InProgress}, where)
		require.Equal(t, [3]int{w.KPIs.DealsWon, w.KPIs.DealsLost, w.KPIs.OpenDeals},
			[3]int{g.KPIs.DealsWon, g.KPIs.DealsLost, g.KPIs.OpenDeals}, "%s: won, lost, open", where)
		for _, f := range kpiFields {
			wm, gm := f.get(w.KPIs), f.get(g.KPIs)
			require.Equal(t, wm.Reason, gm.Reason, "%s: %s", where, f.name)
			require.Equal(t, wm.Value == nil, gm.Value == nil, "%s: %s", where, f.name)
			if wm.Value != nil {
				valued++
				require.InDelta(t, *wm.Value, *gm.Value, 1e-9*math.Max(1, math.Abs(*wm.Value)), "%s: %s", where, f.name)
			}
		}
	}
	if want[0].Subject.Name != "Idle" {
		require.Positive(t, valued, "the comparison saw real figures, not only nulls")
	}
}
