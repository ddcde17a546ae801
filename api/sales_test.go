package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// A Salesforce opportunity export: the rep of setup won 12,500 in March
// and lost one; the outsider in Engineering won 4,000.
const sfDeals = "Opportunity ID,Opportunity Owner,Amount,Stage,Created Date,Close Date,Won\n" +
	"006A,rep@example.com,12500.00,Closed Won,2026-02-01,2026-03-03,true\n" +
	"006B,rep@example.com,5000,Closed Lost,2026-02-10,2026-03-20,false\n" +
	"006C,dev@example.com,4000,Closed Won,2026-03-01,2026-03-05,true\n"

type importCounts struct{ Created, Updated int }

type metric struct {
	Value  *float64
	Reason string
}

// kpiMap holds the KPIs of a row by name, leaving out the plain counts.
type kpiMap map[string]metric

func (m *kpiMap) UnmarshalJSON(raw []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return err
	}
	*m = kpiMap{}
	for name, v := range all {
		var one metric
		if json.Unmarshal(v, &one) == nil {
			(*m)[name] = one
		}
	}
	return nil
}

type kpiRow struct {
	Subject struct {
		Kind string
		ID   *int64
		Name string
	}
	PeriodStart string `json:"period_start"`
	KPIs        kpiMap
	InProgress  bool `json:"in_progress"`
}

func (b *bundle) kpis(token, query string) []kpiRow {
	b.t.Helper()
	res := b.do("GET", "/api/v1/sales/kpis?"+query, token, nil)
	require.Equal(b.t, 200, res.Status, "%s: %s", query, res.Body)
	var rep struct{ Rows []kpiRow }
	res.data(b.t, &rep)
	return rep.Rows
}

func TestSalesImportsAreAllOrNothingAndIdempotent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var got importCounts
		res := b.do("POST", "/api/v1/sales/deals/import", b.hrToken, sfDeals)
		require.Equal(t, 200, res.Status, string(res.Body))
		res.data(t, &got)
		require.Equal(t, importCounts{Created: 3}, got)

		// The same file as a browser upload: updated in place, never duplicated.
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, err := mw.CreateFormFile("file", "opportunities.csv")
		require.NoError(t, err)
		fw.Write([]byte(sfDeals))
		require.NoError(t, mw.Close())
		res = b.raw("POST", "/api/v1/sales/deals/import", b.hrToken, mw.FormDataContentType(), form.Bytes())
		require.Equal(t, 200, res.Status, string(res.Body))
		res.data(t, &got)
		require.Equal(t, importCounts{Updated: 3}, got)
		var n int64
		require.NoError(t, db.Gorm.Table("sales_deals").Count(&n).Error)
		require.EqualValues(t, 3, n)

		bad := "Deal ID,Deal owner,Amount,Deal Stage,Create Date,Close Date\n" +
			"H1,rep@example.com,100,closedwon,2026-03-01,2026-03-02\n" +
			"H2,stranger@example.com,100,closedwon,2026-03-01,2026-03-02\n" +
			"H3,rep@example.com,lots,closedwon,2026-03-01,2026-03-02\n" +
			"H4,rep@example.com,100,closedlost,2026-03-01,\n"
		res = b.do("POST", "/api/v1/sales/deals/import", b.hrToken, bad)
		require.Equal(t, 422, res.Status, string(res.Body))
		var lines []string
		for _, d := range res.err(t).Error.Details {
			lines = append(lines, fmt.Sprintf("%d %s", d.Line, d.Field))
		}
		require.Equal(t, []string{"3 owner_email", "4 amount", "5 closed_at"}, lines)
		require.NoError(t, db.Gorm.Table("sales_deals").Count(&n).Error)
		require.EqualValues(t, 3, n, "the good line of a bad file is not imported either")

		res = b.do("POST", "/api/v1/sales/deals", b.hrToken, map[string]any{"deals": []map[string]any{
			{"external_id": "J1", "owner_email": "rep@example.com", "amount": 10, "created_at": "2026-03-01", "outcome": "open"},
			{"external_id": "J2", "owner_email": "ghost@example.com", "amount": 10, "created_at": "2026-03-01", "outcome": "open"},
		}})
		require.Equal(t, 422, res.Status, string(res.Body))
		require.Equal(t, "deals[1].owner_email", res.err(t).Error.Details[0].Field)

		require.Equal(t, 403, b.do("POST", "/api/v1/sales/deals/import", b.managerToken, sfDeals).Status)
		require.Equal(t, 415, b.raw("POST", "/api/v1/sales/deals/import", b.hrToken, "application/pdf", []byte("x")).Status)
	})
}

func TestSalesKPIsFollowTheViewersScope(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		require.Equal(t, 200, b.do("POST", "/api/v1/sales/deals/import", b.hrToken, sfDeals).Status)
		res := b.do("POST", "/api/v1/sales/quotas", b.hrToken, map[string]any{"quotas": []map[string]any{
			{"owner_email": "rep@example.com", "period": "2026-03", "amount": 10000}}})
		require.Equal(t, 200, res.Status, string(res.Body))
		march := "group_by=month&from=2026-03-01&to=2026-04-01"

		// An employee sees only their own rep numbers.
		rows := b.kpis(b.employeeToken, march)
		require.Len(t, rows, 1)
		require.Equal(t, "rep", rows[0].Subject.Kind)
		require.Equal(t, b.employee.ID, *rows[0].Subject.ID)
		k := rows[0].KPIs
		require.Equal(t, 12500.0, *k["revenue"].Value)
		require.Equal(t, 0.5, *k["win_rate"].Value)
		require.Equal(t, 1.25, *k["quota_attainment"].Value)
		require.Equal(t, 30.0, *k["sales_cycle_days"].Value, "1 February to 3 March")
		require.Nil(t, k["conversion_rate"].Value, "no leads imported: null, not 0")
		require.NotEmpty(t, k["conversion_rate"].Reason)
		require.Nil(t, k["clv"].Value)
		require.False(t, rows[0].InProgress, "March is over")
		rows = b.kpis(b.employeeToken, "group_by=month")
		last := rows[len(rows)-1]
		require.Equal(t, "2026-11-01", last.PeriodStart)
		require.True(t, last.InProgress, "the month of today is marked: its figures are partial")
		require.False(t, rows[len(rows)-2].InProgress)
		require.Len(t, b.kpis(b.employeeToken, march+fmt.Sprintf("&rep_id=%d", b.employee.ID)), 1)
		require.Equal(t, 404, b.do("GET", fmt.Sprintf("/api/v1/sales/kpis?rep_id=%d", b.outsider.ID), b.employeeToken, nil).Status)
		require.Equal(t, 403, b.do("GET", fmt.Sprintf("/api/v1/sales/kpis?team_id=%d", b.team.ID), b.employeeToken, nil).Status)

		// The manager sees their team (then its reps with sales data), not others.
		rows = b.kpis(b.managerToken, march+fmt.Sprintf("&team_id=%d", b.team.ID))
		require.Len(t, rows, 2)
		require.Equal(t, "team", rows[0].Subject.Kind)
		require.Equal(t, 12500.0, *rows[0].KPIs["revenue"].Value)
		require.Equal(t, b.employee.ID, *rows[1].Subject.ID)
		require.Equal(t, 403, b.do("GET", fmt.Sprintf("/api/v1/sales/kpis?team_id=%d", b.other.ID), b.managerToken, nil).Status)
		require.Equal(t, 404, b.do("GET", fmt.Sprintf("/api/v1/sales/kpis?rep_id=%d", b.outsider.ID), b.managerToken, nil).Status)

		// HR sees the company and any team.
		rows = b.kpis(b.hrToken, march)
		require.Equal(t, "company", rows[0].Subject.Kind)
		require.Equal(t, 16500.0, *rows[0].KPIs["revenue"].Value)
		rows = b.kpis(b.hrToken, march+fmt.Sprintf("&team_id=%d", b.other.ID))
		require.Equal(t, 4000.0, *rows[0].KPIs["revenue"].Value)

		res = b.do("GET", "/api/v1/sales/kpis?group_by=round", b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "group_by", res.err(t).Error.Details[0].Field)
	})
}

func TestAlongsideShowsTeamENPSOnlyAboveTheThreshold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db) // Sales: January shown (29.2, n 24), February suppressed, April shown
		b := s.b
		csv := "external_id,owner_email,amount,created_at,closed_at,outcome\n"
		for i, month := range []string{"01", "02", "03", "04"} {
			csv += fmt.Sprintf("S%d,rep%d@example.com,%d000,2026-%s-02,2026-%s-20,won\n", i, i, i+1, month, month)
		}
		require.Equal(t, 200, b.do("POST", "/api/v1/sales/deals/import", b.hrToken, csv).Status)

		path := fmt.Sprintf("/api/v1/sales/alongside?survey_id=%d&group_by=month&from=2026-01-01&to=2026-05-01", s.sv.ID)
		res := b.do("GET", path, b.managerToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		var view struct {
			Rows []struct {
				TeamID      int64  `json:"team_id"`
				PeriodStart string `json:"period_start"`
				ENPS        map[string]any
				KPIs        kpiMap
			}
			Correlations []struct {
				KPI  string
				N    int
				Rho  *float64
				Note string
			}
		}
		res.data(t, &view)
		require.Len(t, view.Rows, 4, "one sales team, four months; never a rep")
		status := map[string]map[string]any{}
		for _, r := range view.Rows {
			require.Equal(t, b.team.ID, r.TeamID)
			status[r.PeriodStart] = r.ENPS
		}
		require.Equal(t, map[string]any{"status": "shown", "n": 24.0, "enps": 29.2, "moe": 13.5, "ci_low": 12.4, "ci_high": 39.4}, status["2026-01-01"])
		require.Equal(t, map[string]any{"status": "suppressed"}, status["2026-02-01"], "no number for a suppressed eNPS")
		require.Equal(t, map[string]any{"status": "no_data"}, status["2026-03-01"])
		require.Equal(t, -50.0, status["2026-04-01"]["enps"])
		require.Equal(t, 2000.0, *view.Rows[1].KPIs["revenue"].Value, "the KPIs are there even when eNPS is suppressed")
		for _, c := range view.Correlations {
			require.LessOrEqual(t, c.N, 2)
			require.Nil(t, c.Rho, c.KPI)
			switch c.KPI {
			case "cac":
				require.Contains(t, c.Note, "spend is company-wide", "CAC is never a team's: more data would not help")
			case "clv":
				require.Contains(t, c.Note, "not computable")
			case "conversion_rate":
				require.Equal(t, "no leads created in the period", c.Note, "no leads were imported")
			case "revenue", "win_rate":
				require.Equal(t, "not enough data", c.Note, c.KPI)
			default:
				require.NotEmpty(t, c.Note, c.KPI)
			}
		}

		require.Equal(t, 403, b.do("GET", path, b.employeeToken, nil).Status)
		require.Equal(t, 422, b.do("GET", "/api/v1/sales/alongside", b.hrToken, nil).Status)
	})
}

// The alongside view reads every team's eNPS at once: a second sales team
// adds rows, not queries.
func TestAlongsideCostsTheSameQueriesForOneTeamOrMore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db)
		b := s.b
		importDeals := func(owner string) {
			csv := "external_id,owner_email,amount,created_at,closed_at,outcome\n" +
				fmt.Sprintf("%s-1,%s,1000,2026-01-02,2026-01-20,won\n", owner, owner)
			require.Equal(t, 200, b.do("POST", "/api/v1/sales/deals/import", b.hrToken, csv).Status)
		}
		var queries atomic.Int64
		count := func(*gorm.DB) { queries.Add(1) }
		require.NoError(t, db.Gorm.Callback().Query().Before("gorm:query").Register("test:count_query", count))
		require.NoError(t, db.Gorm.Callback().Row().Before("gorm:row").Register("test:count_row", count))
		require.NoError(t, db.Gorm.Callback().Raw().Before("gorm:raw").Register("test:count_raw", count))
		path := fmt.Sprintf("/api/v1/sales/alongside?survey_id=%d&group_by=month&from=2026-01-01&to=2026-05-01", s.sv.ID)
		alongside := func() (teams map[int64]bool, cost int64) {
			queries.Store(0)
			res := b.do("GET", path, b.hrToken, nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			cost = queries.Load()
			var view struct {
				Rows []struct {
					TeamID int64 `json:"team_id"`
				}
			}
			res.data(t, &view)
			teams = map[int64]bool{}
			for _, r := range view.Rows {
				teams[r.TeamID] = true
			}
			return teams, cost
		}

		importDeals("rep0@example.com")
		one, oneCost := alongside()
		importDeals("west0@example.com")
		two, twoCost := alongside()
		require.Equal(t, map[int64]bool{b.team.ID: true}, one)
		require.Equal(t, map[int64]bool{b.team.ID: true, s.west.ID: true}, two)
		require.Equal(t, oneCost, twoCost, "a second team costs no query")
		t.Logf("alongside: %d queries for one sales team and for two", twoCost)
	})
}
