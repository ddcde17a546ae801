package directory_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// answering is an open one-question round with people to answer it.
type answering struct {
	dir      *directory.Directory
	svc      *survey.Service
	round    survey.Round
	question int64
	people   []directory.Employee
}

func newAnswering(tb testing.TB, db *database.DB, n int) *answering {
	ctx := tb.Context()
	clock := func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	a := &answering{dir: directory.New(db.Gorm, clock),
		svc: survey.NewService(db.Gorm, clock, []byte("import-answers-secret-import-answers"))}
	for i := range n {
		e, err := a.dir.CreateEmployee(ctx, directory.EmployeeInput{Email: fmt.Sprintf("answers%d@example.com", i), Name: "Answers"})
		require.NoError(tb, err)
		a.people = append(a.people, e)
	}
	title := "Pulse"
	sv, err := a.svc.CreateSurvey(ctx, survey.SurveyInput{Title: &title,
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}}})
	require.NoError(tb, err)
	a.round, _, err = a.svc.SendNow(ctx, sv.ID, nil)
	require.NoError(tb, err)
	a.question = sv.Questions[0].ID
	return a
}

// tapUntil answers (person i, value 1..10) again and again until done is
// closed, and returns each answer's latency.
func (a *answering) tapUntil(tb testing.TB, done <-chan struct{}) []time.Duration {
	var out []time.Duration
	for i := 0; ; i++ {
		select {
		case <-done:
			return out
		default:
		}
		start := time.Now()
		_, err := a.svc.Answer(tb.Context(), a.round.ID, a.people[i%len(a.people)].ID,
			[]survey.AnswerInput{{QuestionID: a.question, Value: 1 + i%10}})
		out = append(out, time.Since(start))
		require.NoError(tb, err)
	}
}

func employeeFile(rows int) string {
	var b strings.Builder
	b.WriteString("email,name,team,role\n")
	for i := range rows {
		fmt.Fprintf(&b, "import%d@example.com,Imported %d,Team %d,employee\n", i, i, i%40)
	}
	return b.String()
}

// Answers given while a large file is imported are committed, and so is
// the whole file.
func TestAnswersAreSavedWhileALargeFileIsImported(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAnswering(t, db, 5)
		done := make(chan struct{})
		var latencies []time.Duration
		var wg sync.WaitGroup
		wg.Go(func() { latencies = a.tapUntil(t, done) })
		res, err := a.dir.Import(t.Context(), strings.NewReader(employeeFile(2000)))
		close(done)
		wg.Wait()
		require.NoError(t, err)
		require.Equal(t, 2000, res.Created)
		require.Len(t, res.TeamsCreated, 40)
		require.NotEmpty(t, latencies, "answers were given during the import")
		st, err := a.svc.RoundStatus(t.Context(), a.round.ID)
		require.NoError(t, err)
		require.Equal(t, 1.0, *st.Participation, "each answer was saved")
	})
}

// BenchmarkAnswersDuringImport imports 72,000 people while one goroutine
// keeps answering, and reports the answers' worst and 99th-percentile
// latency (ms). Run on SQLite: go test ./directory -run '^$' -bench AnswersDuringImport -benchtime 1x
func BenchmarkAnswersDuringImport(b *testing.B) {
	file := employeeFile(72000)
	for range b.N {
		b.StopTimer()
		db := dbtest.SQLite(b)
		a := newAnswering(b, db, 5)
		done := make(chan struct{})
		var latencies []time.Duration
		var wg sync.WaitGroup
		b.StartTimer()
		wg.Go(func() { latencies = a.tapUntil(b, done) })
		_, err := a.dir.Import(b.Context(), strings.NewReader(file))
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
