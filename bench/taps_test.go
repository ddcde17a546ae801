package bench

import (
	"os"
	"testing"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// BenchmarkTaps is the taps scenario of pulse bench under `go test -bench`:
// signed eNPS taps to /slack/interactions through the whole server over
// loopback from tapClients clients, beside the ceilings it is judged
// against in the same run:
//
//   - empty: the same clients against a handler that only reads the body,
//     the cost of the clients and HTTP itself;
//   - insert: tapClients goroutines each doing one-row INSERTs through the
//     same driver (what pgbench measures);
//   - http+insert: a bare net/http handler that checks the signature and
//     does one such INSERT, over the same clients.
//
// Each reports op/s, p50/p99 latency and CPU per op from getrusage (the
// whole process: clients and server share it). After the taps it checks
// that none was lost or doubled. PostgreSQL too when its URL is set:
//
//	go test ./bench -run '^$' -bench Taps -benchtime 3000x -count 3
func BenchmarkTaps(b *testing.B) {
	dbs := map[string]func(testing.TB) *database.DB{"sqlite": dbtest.SQLite}
	if os.Getenv(dbtest.EnvURL) != "" {
		dbs["postgres"] = dbtest.Postgres
	}
	for _, name := range []string{"sqlite", "postgres"} {
		open, ok := dbs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			w, err := newTapWorld(b.Context(), open(b))
			b.Cleanup(w.close)
			must(b, err)
			b.Run("empty", func(b *testing.B) { report(b)(w.runHTTP(b.N, w.emptyHandler(), w.sameBodies, nil)) })
			b.Run("insert", func(b *testing.B) { report(b)(w.measure(b.N, nil, w.insertClient(b.N))) })
			b.Run("http+insert", func(b *testing.B) { report(b)(w.runHTTP(b.N, w.insertHandler(), w.sameBodies, nil)) })
			b.Run("taps", func(b *testing.B) {
				report(b)(w.runHTTP(b.N, w.server, w.taps, w.app.Wait))
				wrong, err := w.lostOrDoubled(b.Context())
				must(b, err)
				if wrong != 0 {
					b.Fatalf("%v people's answers were lost or doubled", wrong)
				}
			})
		})
	}
}

// report turns a measure's figures into the benchmark's metrics.
func report(b *testing.B) func(map[string]float64, error) {
	return func(got map[string]float64, err error) {
		must(b, err)
		b.ReportMetric(got["op/s"], "op/s")
		b.ReportMetric(got["p50"], "p50_ms")
		b.ReportMetric(got["p99"], "p99_ms")
		b.ReportMetric(got["cpu"], "cpu_ms/op")
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
