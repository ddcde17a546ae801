package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// heatmapOf reads the heatmap as token, by week.
func (o *differencingOrg) heatmap(token string) survey.Heatmap {
	o.b.t.Helper()
	res := o.b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/heatmap", o.sv.ID), token, nil)
	require.Equal(o.b.t, 200, res.Status, string(res.Body))
	var h survey.Heatmap
	res.data(o.b.t, &h)
	return h
}

func rowNames(h survey.Heatmap) []string {
	var names []string
	for _, r := range h.Rows {
		names = append(names, r.Name)
	}
	return names
}

// HR sees the organisation and every team; a manager only Sales and its
// sub-team West, no organisation row; an employee nothing. West's four
// answers were folded into Sales at close, so West's cell is suppressed and
// Sales minus West cannot be formed; every cell is what results says.
func TestHeatmapShowsEachRoleItsTeamsWithSmallCellsSuppressed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newDifferencingOrg(t, db)
		b := o.b
		for i, e := range o.direct {
			o.answer(e, 9+i%2)
		}
		for _, e := range o.westP[:4] {
			o.answer(e, 3)
		}
		require.Equal(t, 200, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", o.round.ID), b.hrToken, nil).Status)

		hr := o.heatmap(b.hrToken)
		require.Equal(t, []string{"Organisation", "Engineering", "Sales", "Sales West"}, rowNames(hr))
		require.Equal(t, "week", hr.GroupBy)
		require.Len(t, hr.Periods, 1)

		mgr := o.heatmap(b.managerToken)
		require.Equal(t, []string{"Sales", "Sales West"}, rowNames(mgr))
		sales, west := mgr.Rows[0].Cells[0], mgr.Rows[1].Cells[0]
		require.False(t, sales.Suppressed)
		require.Equal(t, 10, *sales.N, "Sales holds its six and West's four")
		require.True(t, west.Suppressed)
		require.Nil(t, west.N, "a suppressed cell carries no numbers")
		for _, row := range mgr.Rows {
			tr := b.trend(b.managerToken, o.sv.ID, fmt.Sprintf("team_id=%d&group_by=week", *row.TeamID))
			require.Equal(t, len(tr.Points), len(row.Cells))
			require.Equal(t, tr.Points[0].Suppressed, row.Cells[0].Suppressed, row.Name)
			if !row.Cells[0].Suppressed {
				require.Equal(t, *tr.Points[0].N, *row.Cells[0].N, row.Name)
				require.Equal(t, *tr.Points[0].ENPS, *row.Cells[0].ENPS, row.Name)
			}
		}

		res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/heatmap", o.sv.ID), b.employeeToken, nil)
		require.Equal(t, 403, res.Status)
		res = b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/heatmap?group_by=round", o.sv.ID), b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Contains(t, string(res.Body), "group_by")
	})
}

// While the round is open the heatmap has its period but no figure, so a
// read before and after someone answers differs in nothing.
func TestHeatmapShowsNothingOfAnOpenRound(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newDifferencingOrg(t, db)
		before := o.heatmap(o.b.hrToken)
		for _, e := range append(o.direct, o.westP...) {
			o.answer(e, 10)
		}
		require.Equal(t, before, o.heatmap(o.b.hrToken))
		require.Empty(t, before.Periods, "an open round makes no period")
	})
}
