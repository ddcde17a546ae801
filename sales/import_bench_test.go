package sales_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
)

// BenchmarkAnswersDuringDealsImport imports 72,000 deals on SQLite while one
// goroutine keeps answering a survey, and reports the answers' worst and
// 99th-percentile latency (ms): how long the import's write batches hold
// the database. go test ./sales -run '^$' -bench AnswersDuringDealsImport -benchtime 1x
func BenchmarkAnswersDuringDealsImport(b *testing.B) { benchAnswersDuring(b, "deals") }

// BenchmarkAnswersDuringActivitiesImport does the same with 72,000
// activities. go test ./sales -run '^$' -bench AnswersDuringActivitiesImport -benchtime 1x
func BenchmarkAnswersDuringActivitiesImport(b *testing.B) { benchAnswersDuring(b, "activities") }

func benchAnswersDuring(b *testing.B, kind string) {
	file := crmKinds[kind].file(72000, 0)
	for range b.N {
		b.StopTimer()
		db := dbtest.SQLite(b)
		a := newAnswering(b, db, 5)
		done := make(chan struct{})
		var latencies []time.Duration
		var wg sync.WaitGroup
		b.StartTimer()
		wg.Go(func() { latencies = a.tapUntil(b, done) })
		_, err := crmKinds[kind].run(a.sales, b.Context(), strings.NewReader(file))
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
