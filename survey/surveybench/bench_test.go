package surveybench_test

import (
	"os"
	"testing"
	"time"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/survey/surveybench"
)

// BenchmarkResultsMillion measures results over about a million answers (50
// teams × 52 weekly rounds) on PostgreSQL, each Pulse call beside the
// hand-written SQL over the raw answers that it is held against, in the
// same run: org-wide by week, one team by week, and all teams by week (the
// heatmap). Generating the data takes about a minute.
// Run: PULSE_TEST_DATABASE_URL=… go test ./survey/surveybench -run '^$' -bench Million -benchtime 10x
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
		name string
		run  func() error
	}{
		{"org/raw", func() error { _, err := surveybench.RawOrg(b.Context(), db.Gorm, d); return err }},
		{"org/pulse", func() error { _, err := svc.Results(b.Context(), d.SurveyID, byWeek, everyone); return err }},
		{"team/raw", func() error { _, err := surveybench.RawGroup(b.Context(), db.Gorm, d, []int64{d.Leaf}); return err }},
		{"team/pulse", func() error { _, err := svc.Results(b.Context(), d.SurveyID, team, everyone); return err }},
		{"heatmap/raw", func() error { _, err := surveybench.RawTeams(b.Context(), db.Gorm, d); return err }},
		{"heatmap/pulse", func() error { _, err := svc.Heatmap(b.Context(), d.SurveyID, byWeek, everyone); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
