package sales_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
)

// BenchmarkAnswersDuringDealsImport imports 72,000 deals on SQLite while one
// goroutine keeps answering a survey, and reports the answers' worst and
// 99th-percentile latency (ms): how long the import's one transaction holds
// the database. go test ./sales -run '^$' -bench AnswersDuringDealsImport -benchtime 1x
func BenchmarkAnswersDuringDealsImport(b *testing.B) {
	var file strings.Builder
	file.WriteString("external_id,owner_email,amount,stage,created_at,closed_at,outcome\n")
	for i := range 72000 {
		fmt.Fprintf(&file, "D%d,ana@example.com,%d.00,won,2026-01-05,2026-02-10,won\n", i, 1000+i%5000)
	}
	for range b.N {
		b.StopTimer()
		db := dbtest.SQLite(b)
		ctx := b.Context()
		clock := func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
		dir := directory.New(db.Gorm, clock)
		var people []directory.Employee
		for _, email := range []string{"ana@example.com", "ben@example.com", "cy@example.com"} {
			e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: email, Name: email[:3]})
			require.NoError(b, err)
			people = append(people, e)
		}
		surveys := survey.NewService(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"))
		title := "Pulse"
		sv, err := surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}}})
		require.NoError(b, err)
		round, _, err := surveys.SendNow(ctx, sv.ID, nil)
		require.NoError(b, err)
		svc := sales.New(db.Gorm, clock, surveys)

		done := make(chan struct{})
		var latencies []time.Duration
		var wg sync.WaitGroup
		b.StartTimer()
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				start := time.Now()
				_, err := surveys.Answer(ctx, round.ID, people[i%len(people)].ID,
					[]survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 1 + i%10}})
				latencies = append(latencies, time.Since(start))
				require.NoError(b, err)
			}
		})
		_, err = svc.ImportDeals(ctx, strings.NewReader(file.String()))
		close(done)
		wg.Wait()
		require.NoError(b, err)
		slices.Sort(latencies)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(latencies[len(latencies)-1]), "max-answer-ms")
		b.ReportMetric(ms(latencies[len(latencies)*99/100]), "p99-answer-ms")
		b.ReportMetric(float64(len(latencies)), "answers")
	}
}
