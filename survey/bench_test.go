package survey_test

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/demo"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// benchDatabases are the databases a benchmark runs on: SQLite, and
// PostgreSQL when PULSE_TEST_DATABASE_URL is set.
func benchDatabases(b *testing.B) map[string]func(testing.TB) *database.DB {
	dbs := map[string]func(testing.TB) *database.DB{"sqlite": dbtest.SQLite}
	if os.Getenv(dbtest.EnvURL) != "" {
		dbs["postgres"] = dbtest.Postgres
	}
	return dbs
}

// BenchmarkResults measures a trend over the demo's year of weekly rounds
// (61 people, 52 rounds, about 2,300 responses): org-wide and for one team,
// by week and by quarter. Run: go test ./survey -run '^$' -bench Results
func BenchmarkResults(b *testing.B) {
	secret := []byte("bench-secret-bench-secret-bench-secret")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for name, open := range benchDatabases(b) {
		db := open(b)
		if _, err := demo.Load(b.Context(), db.Gorm, now, demo.Steps(demo.Options{Secret: secret})...); err != nil {
			b.Fatal(err)
		}
		svc := survey.NewService(db.Gorm, func() time.Time { return now }, secret)
		team := int64(6) // Sales Americas
		for _, q := range []struct {
			name  string
			query survey.ResultsQuery
		}{
			{"org/week", survey.ResultsQuery{GroupBy: survey.ByWeek}},
			{"org/quarter", survey.ResultsQuery{GroupBy: survey.ByQuarter}},
			{"team/week", survey.ResultsQuery{GroupBy: survey.ByWeek, TeamID: &team}},
		} {
			b.Run(name+"/"+q.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.Results(b.Context(), 1, q.query, directory.EveryoneScope()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkAnswer measures answers recorded per second through the domain
// call the API and Slack use, with parallel callers, each answer a change of
// a person's eNPS in the demo's open round: the answer and the rollup
// update that moves one count from the old value to the new one.
// Run: go test ./survey -run '^$' -bench Answer
func BenchmarkAnswer(b *testing.B) {
	secret := []byte("bench-secret-bench-secret-bench-secret")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for name, open := range benchDatabases(b) {
		db := open(b)
		if _, err := demo.Load(b.Context(), db.Gorm, now, demo.Steps(demo.Options{Secret: secret})...); err != nil {
			b.Fatal(err)
		}
		svc := survey.NewService(db.Gorm, func() time.Time { return now }, secret)
		var round survey.Round
		if err := db.Gorm.Where("closed_at IS NULL").First(&round).Error; err != nil {
			b.Fatal(err)
		}
		var people []int64
		if err := db.Gorm.Table("round_recipients").Where("round_id = ?", round.ID).Pluck("employee_id", &people).Error; err != nil {
			b.Fatal(err)
		}
		sv, err := svc.Survey(b.Context(), round.SurveyID)
		if err != nil {
			b.Fatal(err)
		}
		question := sv.Questions[0].ID
		b.Run(name, func(b *testing.B) {
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(4) // callers waiting on the database, as HTTP requests would
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					person := people[int(i)%len(people)]
					value := 1 + int(i)%10
					_, err := svc.Answer(b.Context(), round.ID, person, []survey.AnswerInput{{QuestionID: question, Value: value}})
					if err != nil && !database.IsUniqueViolation(err) {
						b.Error(err)
					}
				}
			})
		})
	}
}

// BenchmarkComments measures the org-wide comment list over the demo's year
// of rounds, each comment's id sealed as it is listed.
// Run: go test ./survey -run '^$' -bench Comments
func BenchmarkComments(b *testing.B) {
	secret := []byte("bench-secret-bench-secret-bench-secret")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for name, open := range benchDatabases(b) {
		db := open(b)
		if _, err := demo.Load(b.Context(), db.Gorm, now, demo.Steps(demo.Options{Secret: secret})...); err != nil {
			b.Fatal(err)
		}
		svc := survey.NewService(db.Gorm, func() time.Time { return now }, secret)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				comments, err := svc.Comments(b.Context(), 1, survey.ResultsQuery{}, directory.EveryoneScope())
				if err != nil || len(comments) == 0 {
					b.Fatal(err, len(comments))
				}
			}
		})
	}
}

// BenchmarkCloseRound measures closing a round of 160 answers (eNPS and a
// scale question) over 40 teams, eight departments of four teams with four
// people each, so most teams fold into their department: erasing key and
// hashes, folding, counting, and rewriting the key table or the WAL after;
// and the same with 80 of them moving a replyable comment out of its response.
// Run: go test ./survey -run '^$' -bench CloseRound -benchtime 5x
func BenchmarkCloseRound(b *testing.B) {
	secret := []byte("bench-secret-bench-secret-bench-secret")
	for name, open := range benchDatabases(b) {
		db := open(b)
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		dir := directory.New(db.Gorm, clock)
		svc := survey.NewService(db.Gorm, clock, secret)
		var people []int64
		for d := range 8 {
			dept, err := dir.CreateTeam(b.Context(), directory.TeamInput{Name: fmt.Sprintf("Department %d", d)})
			if err != nil {
				b.Fatal(err)
			}
			for tm := range 5 {
				team := dept
				if tm > 0 {
					if team, err = dir.CreateTeam(b.Context(), directory.TeamInput{Name: fmt.Sprintf("Team %d.%d", d, tm), ParentID: &dept.ID}); err != nil {
						b.Fatal(err)
					}
				}
				for p := range 4 {
					e, err := dir.CreateEmployee(b.Context(), directory.EmployeeInput{
						Email: fmt.Sprintf("p%d.%d.%d@example.com", d, tm, p), Name: "Person", TeamID: &team.ID})
					if err != nil {
						b.Fatal(err)
					}
					people = append(people, e.ID)
				}
			}
		}
		title := "Pulse"
		sv, err := svc.CreateSurvey(b.Context(), survey.SurveyInput{Title: &title, Questions: []survey.QuestionInput{
			{Kind: survey.KindENPS, Prompt: "Recommend us?"}, {Kind: survey.KindScale, Prompt: "Workload is fine"},
			{Kind: survey.KindText, Prompt: "Anything else?"}}})
		if err != nil {
			b.Fatal(err)
		}
		// replyable: every other person also comments and allows replies, so
		// closing moves 80 comments out of their responses.
		for _, replyable := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/replyable=%v", name, replyable), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					now = now.Add(24 * time.Hour)
					round, _, err := svc.SendNow(b.Context(), sv.ID, nil)
					if err != nil {
						b.Fatal(err)
					}
					for i, p := range people {
						inputs := []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 1 + i%10}, {QuestionID: sv.Questions[1].ID, Value: 1 + i%5}}
						opts := survey.AnswerOptions{AllowReplies: replyable && i%2 == 0}
						if opts.AllowReplies {
							inputs = append(inputs, survey.AnswerInput{QuestionID: sv.Questions[2].ID, Value: fmt.Sprintf("Comment %d", i)})
						}
						if _, err := svc.AnswerWith(b.Context(), round.ID, p, inputs, opts); err != nil {
							b.Fatal(err)
						}
					}
					b.StartTimer()
					if _, err := svc.CloseRound(b.Context(), round.ID, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDrivers measures the driver analysis over the demo's year
// (about 2,300 responses, four scale/yes-no questions and a five-option
// choice), org-wide and for one team, beside Results over the same rounds.
// Run: go test ./survey -run '^$' -bench Drivers
func BenchmarkDrivers(b *testing.B) {
	secret := []byte("bench-secret-bench-secret-bench-secret")
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for name, open := range benchDatabases(b) {
		db := open(b)
		if _, err := demo.Load(b.Context(), db.Gorm, now, demo.Steps(demo.Options{Secret: secret})...); err != nil {
			b.Fatal(err)
		}
		svc := survey.NewService(db.Gorm, func() time.Time { return now }, secret)
		team := int64(6) // Sales Americas
		for _, q := range []struct {
			name  string
			query survey.ResultsQuery
		}{
			{"org", survey.ResultsQuery{}},
			{"team", survey.ResultsQuery{TeamID: &team}},
		} {
			b.Run(name+"/drivers/"+q.name, func(b *testing.B) {
				for b.Loop() {
					d, err := svc.Drivers(b.Context(), 1, q.query, directory.EveryoneScope())
					if err != nil || !d.Enough {
						b.Fatal(err, d.Message)
					}
				}
			})
			b.Run(name+"/results/"+q.name, func(b *testing.B) {
				rq := q.query
				rq.GroupBy = survey.ByRound
				for b.Loop() {
					if _, err := svc.Results(b.Context(), 1, rq, directory.EveryoneScope()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
