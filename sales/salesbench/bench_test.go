package salesbench_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/migrations"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/sales/salesbench"
	"github.com/pulsehq/pulse/survey"
)

// BenchmarkKPIs times KPI tables over the Million scenario (1M deals, 5M
// activities) on PostgreSQL: one team by quarter for a year, the same team
// by week for 13 weeks, and the whole company by quarter. PULSE_BENCH_DIVIDE
// shrinks the scenario (10: 100k deals) for a quicker look.
// PULSE_BENCH_DATABASE_URL names a migrated database to use instead of a
// throwaway schema: generated into when it holds no CRM yet, reused after.
//
//	go test ./sales/salesbench/ -run '^$' -bench KPIs -benchtime 10x
func BenchmarkKPIs(b *testing.B) {
	raw := os.Getenv("PULSE_BENCH_DATABASE_URL")
	if raw == "" {
		benchKPIs(b, dbtest.Postgres(b), scenario(b))
		return
	}
	loc, err := database.ParseURL(raw)
	if err != nil {
		b.Fatal(err)
	}
	db, err := database.Open(b.Context(), loc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := migrations.Up(b.Context(), db, nil); err != nil {
		b.Fatal(err)
	}
	benchKPIs(b, db, scenario(b))
}

// BenchmarkKPIsSQLite is BenchmarkKPIs on SQLite, at a tenth of the scale
// unless PULSE_BENCH_DIVIDE says otherwise.
func BenchmarkKPIsSQLite(b *testing.B) {
	sc := scenario(b)
	if os.Getenv("PULSE_BENCH_DIVIDE") == "" {
		sc = divide(sc, 10)
	}
	benchKPIs(b, dbtest.SQLite(b), sc)
}

func scenario(b *testing.B) salesbench.Scenario {
	sc := salesbench.Million()
	if raw := os.Getenv("PULSE_BENCH_DIVIDE"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			b.Fatalf("PULSE_BENCH_DIVIDE must be a whole number from 1, not %q", raw)
		}
		sc = divide(sc, n)
	}
	return sc
}

func divide(sc salesbench.Scenario, n int) salesbench.Scenario {
	sc.Deals, sc.Activities, sc.Leads = sc.Deals/n, sc.Activities/n, sc.Leads/n
	return sc
}

func benchKPIs(b *testing.B, db *database.DB, sc salesbench.Scenario) {
	w, err := salesbench.Find(b.Context(), db)
	if err != nil {
		start := time.Now()
		if w, err = salesbench.Generate(b.Context(), db, sc); err != nil {
			b.Fatal(err)
		}
		b.Logf("generated %d deals, %d activities, %d leads in %s", sc.Deals, sc.Activities, sc.Leads, time.Since(start).Round(time.Second))
	}
	end := sc.Start.AddDate(0, sc.Months, 0)
	now := func() time.Time { return end.Add(-24 * time.Hour) }
	svc := sales.New(db.Gorm, now, survey.NewService(db.Gorm, now, []byte("bench-secret-bench-secret-bench-secret")))
	yearAgo, weeksAgo := end.AddDate(-1, 0, 0), end.AddDate(0, 0, -13*7)
	team := w.Teams[len(w.Teams)/2]
	for _, c := range []struct {
		name string
		q    sales.KPIQuery
	}{
		{"team-by-quarter", sales.KPIQuery{GroupBy: survey.ByQuarter, TeamID: &team, From: &yearAgo, To: &end}},
		{"team-by-week", sales.KPIQuery{GroupBy: survey.ByWeek, TeamID: &team, From: &weeksAgo, To: &end}},
		{"company-by-quarter", sales.KPIQuery{GroupBy: survey.ByQuarter, From: &yearAgo, To: &end}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := svc.KPIs(b.Context(), c.q, w.HR)
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Rows) == 0 || rep.Rows[0].KPIs.Revenue.Value == nil {
					b.Fatal("a KPI table without revenue: the scenario is not what the benchmark measures")
				}
			}
		})
	}
}
