package bench

import (
	"context"
	"time"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/survey/surveybench"
)

// quickSurvey is a data set of a few hundred answers, for --quick.
var quickSurvey = surveybench.Size{Departments: 2, TeamsPerDepartment: 1, People: 6, Rounds: 3, SkipEvery: 25}

// results measures eNPS by week over about a million answers in Pulse's
// own schema, generated consistent with its rollups and cross-checked
// against hand-written SQL over the raw answers, which is also the ceiling:
// org-wide and one team (results), and all teams in one call (heatmap).
func (r *runner) results(ctx context.Context, results, heatmap bool) ([]Row, error) {
	db, drop, err := r.open(ctx, r.main())
	if err != nil {
		return nil, err
	}
	defer drop()
	size := surveybench.Million
	if r.opts.Quick {
		size = quickSurvey
	}
	r.step("results: generating %d teams × %d rounds", size.Teams(), size.Rounds)
	start := time.Now()
	d, err := surveybench.Generate(ctx, db.Gorm, size)
	if err != nil {
		return nil, err
	}
	r.step("results: %d answers in %s; cross-checking against raw SQL", d.Answers, time.Since(start).Round(time.Second))
	if err := db.Gorm.WithContext(ctx).Exec("ANALYZE").Error; err != nil {
		return nil, err
	}
	svc := survey.NewService(db.Gorm, time.Now, nil)
	dbName := string(db.Dialect)
	checked, err := surveybench.CrossCheck(ctx, db.Gorm, svc, d)
	rows := []Row{{Scenario: "results", Database: dbName, Measure: "heatmap cells checked against raw SQL",
		Pulse: float64(checked.Shown), Target: "all agree", Met: ptr(err == nil)}}
	if err != nil {
		return rows, err
	}
	everyone := directory.EveryoneScope()
	byWeek := survey.ResultsQuery{GroupBy: survey.ByWeek}
	team := byWeek
	team.TeamID = &d.Leaf
	type call struct {
		scenario, measure, ceilingIs string
		raw, pulse                   func() error
	}
	var calls []call
	if results {
		calls = append(calls,
			call{"results", "org-wide eNPS by week, ms", "raw SQL over the answers",
				func() error { _, err := surveybench.RawOrg(ctx, db.Gorm, d); return err },
				func() error { _, err := svc.Results(ctx, d.SurveyID, byWeek, everyone); return err }},
			call{"results", "one team's eNPS by week, ms", "raw SQL over the answers",
				func() error { _, err := surveybench.RawGroup(ctx, db.Gorm, d, []int64{d.Leaf}); return err },
				func() error { _, err := svc.Results(ctx, d.SurveyID, team, everyone); return err }})
	}
	if heatmap {
		calls = append(calls, call{"heatmap", "all teams by week in one call, ms", "one raw SQL query",
			func() error { _, err := surveybench.RawTeams(ctx, db.Gorm, d); return err },
			func() error { _, err := svc.Heatmap(ctx, d.SurveyID, byWeek, everyone); return err }})
	}
	for _, c := range calls {
		r.step("%s: %s", c.scenario, c.measure)
		ceiling, pulse, err := interleave(r.opts.Rounds,
			func() (map[string]float64, error) { v, err := timed(c.raw); return map[string]float64{"ms": v}, err },
			func() (map[string]float64, error) { v, err := timed(c.pulse); return map[string]float64{"ms": v}, err })
		if err != nil {
			return rows, err
		}
		rows = append(rows, Row{Scenario: c.scenario, Database: dbName, Measure: c.measure, Pulse: pulse["ms"],
			Ceiling: ptr(ceiling["ms"]), CeilingIs: c.ceilingIs, Target: "≤ 0.25 × ceiling", Met: atMost(pulse["ms"], ceiling["ms"]/4)})
	}
	return rows, nil
}
