package surveybench_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/survey/surveybench"
)

// BenchmarkResultsMillion measures results over about a million answers (50
// teams × 52 weekly rounds) on PostgreSQL against the hand-written SQL over
// the raw answers, after checking every shown heatmap cell against that
// SQL: org-wide by week, one team by week, and all teams by week (the
// heatmap). Each iteration runs the ceiling then Pulse, so both see the
// same machine; it reports their medians (raw-ms, pulse-ms) and
// pulse/raw, the ratio the targets are stated in. Generating the data
// takes one to two minutes.
// Run: PULSE_TEST_DATABASE_URL=… go test ./survey/surveybench -run '^$' -bench Million -benchtime 7x
func BenchmarkResultsMillion(b *testing.B) {
	if os.Getenv(dbtest.EnvURL) == "" {
		b.Skip("set " + dbtest.EnvURL + ": the million-answer benchmark runs on PostgreSQL")
	}
	db := dbtest.Postgres(b)
	start := time.Now()
	d, err := surveybench.Generate(b.Context(), db.Gorm, surveybench.Million)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d answers in %s", d.Answers, time.Since(start).Round(time.Second))
	if err := db.Gorm.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	svc := survey.NewService(db.Gorm, time.Now, nil)
	checked, err := surveybench.CrossCheck(b.Context(), db.Gorm, svc, d)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d shown cells agree with raw SQL (%d suppressed)", checked.Shown, checked.Suppressed)
	everyone := directory.EveryoneScope()
	byWeek := survey.ResultsQuery{GroupBy: survey.ByWeek}
	team := byWeek
	team.TeamID = &d.Leaf
	for _, c := range []struct {
		name       string
		raw, pulse func() error
	}{
		{"org",
			func() error { _, err := surveybench.RawOrg(b.Context(), db.Gorm, d); return err },
			func() error { _, err := svc.Results(b.Context(), d.SurveyID, byWeek, everyone); return err }},
		{"team",
			func() error { _, err := surveybench.RawGroup(b.Context(), db.Gorm, d, []int64{d.Leaf}); return err },
			func() error { _, err := svc.Results(b.Context(), d.SurveyID, team, everyone); return err }},
		{"heatmap",
			func() error { _, err := surveybench.RawTeams(b.Context(), db.Gorm, d); return err },
			func() error { _, err := svc.Heatmap(b.Context(), d.SurveyID, byWeek, everyone); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var raw, pulse []float64
			for b.Loop() {
				raw = append(raw, timed(b, c.raw))
				pulse = append(pulse, timed(b, c.pulse))
			}
			r, p := median(raw), median(pulse)
			b.ReportMetric(r, "raw-ms")
			b.ReportMetric(p, "pulse-ms")
			b.ReportMetric(p/r, "pulse/raw")
		})
	}
}

func timed(b *testing.B, fn func() error) float64 {
	start := time.Now()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	return float64(time.Since(start).Microseconds()) / 1000
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}
