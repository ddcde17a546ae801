// Package bench measures Pulse's performance targets, each beside a ceiling
// taken in the same run: the ceiling and Pulse alternate round after round
// and the table shows their medians, because absolute figures drift on a
// shared machine. It creates every database it uses (a fresh PostgreSQL
// schema, or an SQLite file in a temporary folder) and drops it afterwards,
// so it never reads or writes real data. Targets are reported, never
// asserted: a missed target is a row of the table, not an error.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/migrations"
)

// Scenarios are the names --only accepts, in the order they run. Taps run
// first so that the process's peak RSS is the taps' own.
var Scenarios = []string{"taps", "results", "heatmap", "kpis", "fanout", "footprint"}

// Options says what to run and where.
type Options struct {
	// DSN is a PostgreSQL URL. Each scenario runs in a schema of its own
	// there, created and dropped by the run. Empty: everything on SQLite.
	DSN string
	// Only names the scenarios to run; empty runs them all.
	Only []string
	// Rounds is how many times each ceiling and Pulse alternate.
	Rounds int
	// Quick shrinks every data set to a few rows: it checks that each
	// scenario runs, and its figures mean nothing.
	Quick bool
	// Pulse makes a command running this Pulse binary with args, for the
	// cold start (`pulse serve`) and its ceiling (`pulse version`).
	Pulse func(args ...string) *exec.Cmd
	// Progress receives a line as each step starts; nil discards them.
	Progress io.Writer
}

// Row is one figure: Pulse beside its ceiling from the same run.
type Row struct {
	Scenario string  `json:"scenario"`
	Database string  `json:"database"`
	Measure  string  `json:"measure"`
	Pulse    float64 `json:"pulse"`
	// Ceiling is nil where no ceiling applies.
	Ceiling   *float64 `json:"ceiling,omitempty"`
	CeilingIs string   `json:"ceiling_is,omitempty"`
	Target    string   `json:"target,omitempty"`
	// Met is nil where there is no target (or the target does not apply to
	// this database).
	Met *bool `json:"met,omitempty"`
}

// Ratio is Pulse over the ceiling, 0 when there is none.
func (r Row) Ratio() float64 {
	if r.Ceiling == nil || *r.Ceiling == 0 {
		return 0
	}
	return r.Pulse / *r.Ceiling
}

// Report is a whole run.
type Report struct {
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	Machine Machine   `json:"machine"`
	Rounds  int       `json:"rounds"`
	Quick   bool      `json:"quick"`
	Rows    []Row     `json:"rows"`
	// Failed names the scenarios that could not run, with why.
	Failed []string `json:"failed,omitempty"`
}

// Run runs the selected scenarios. The error is set only when the run as a
// whole could not start or a scenario could not run; the report holds
// whatever did run.
func Run(ctx context.Context, opts Options) (Report, error) {
	rep := Report{Started: time.Now().UTC(), Rounds: opts.Rounds, Quick: opts.Quick}
	only, err := selected(opts.Only)
	if err != nil {
		return rep, err
	}
	if opts.Rounds < 1 {
		return rep, errors.New("rounds must be at least 1")
	}
	if opts.Progress == nil {
		opts.Progress = io.Discard
	}
	r := &runner{opts: opts}
	if opts.DSN != "" {
		if _, err := database.ParseURL(opts.DSN); err != nil || !isPostgres(opts.DSN) {
			return rep, fmt.Errorf("dsn must be a postgres:// URL")
		}
	}
	rep.Machine = r.machine(ctx)
	for _, s := range r.scenarios(only) {
		fmt.Fprintf(opts.Progress, "bench: %s (%s)\n", s.name, time.Since(rep.Started).Round(time.Second))
		rows, err := s.run(ctx)
		rep.Rows = append(rep.Rows, rows...)
		if err != nil {
			rep.Failed = append(rep.Failed, fmt.Sprintf("%s: %v", s.name, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	rep.Seconds = time.Since(rep.Started).Seconds()
	if len(rep.Failed) > 0 {
		return rep, fmt.Errorf("could not run %s", strings.Join(rep.Failed, "; "))
	}
	return rep, nil
}

func selected(only []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, name := range only {
		name = strings.TrimSpace(name)
		if !slices.Contains(Scenarios, name) {
			return nil, fmt.Errorf("only: unknown scenario %q (choose from %s)", name, strings.Join(Scenarios, ","))
		}
		out[name] = true
	}
	if len(out) == 0 {
		for _, name := range Scenarios {
			out[name] = true
		}
	}
	return out, nil
}

func isPostgres(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

type runner struct {
	opts Options
}

type scenario struct {
	name string
	run  func(ctx context.Context) ([]Row, error)
}

// scenarios are the selected ones in order; results and the heatmap share
// one generated data set.
func (r *runner) scenarios(only map[string]bool) []scenario {
	var out []scenario
	if only["taps"] {
		out = append(out, scenario{"taps", r.taps})
	}
	if only["results"] || only["heatmap"] {
		name := "results"
		if !only["results"] {
			name = "heatmap"
		} else if only["heatmap"] {
			name = "results+heatmap"
		}
		out = append(out, scenario{name, func(ctx context.Context) ([]Row, error) {
			return r.results(ctx, only["results"], only["heatmap"])
		}})
	}
	if only["kpis"] {
		out = append(out, scenario{"kpis", r.kpis})
	}
	if only["fanout"] {
		out = append(out, scenario{"fanout", r.fanout})
	}
	if only["footprint"] {
		out = append(out, scenario{"footprint", r.footprint})
	}
	return out
}

// main is the database the main scenarios run on: PostgreSQL when a DSN
// was given.
func (r *runner) main() database.Dialect {
	if r.opts.DSN != "" {
		return database.Postgres
	}
	return database.SQLite
}

// open creates a fresh, migrated database of the dialect; drop removes it.
func (r *runner) open(ctx context.Context, dialect database.Dialect) (db *database.DB, drop func(), err error) {
	if dialect == database.SQLite {
		dir, err := os.MkdirTemp("", "pulse-bench-")
		if err != nil {
			return nil, nil, err
		}
		db, err := migrations.Open(ctx, filepath.Join(dir, "pulse.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return db, func() { db.Close(); os.RemoveAll(dir) }, nil
	}
	return r.openSchema(ctx)
}

// openSchema creates a schema of its own in the DSN's database, so the run
// cannot meet a real install's tables.
func (r *runner) openSchema(ctx context.Context) (*database.DB, func(), error) {
	admin, err := database.Open(ctx, database.Location{Dialect: database.Postgres, DSN: r.opts.DSN})
	if err != nil {
		return nil, nil, err
	}
	schema := "pulse_bench_" + randomHex(6)
	if _, err := admin.SQL.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, nil, fmt.Errorf("create a schema for the run: %w", err)
	}
	drop := func() {
		admin.SQL.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}
	inSchema, err := database.InSchema(r.opts.DSN, schema)
	if err != nil {
		drop()
		return nil, nil, err
	}
	db, err := migrations.Open(ctx, inSchema)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// step reports progress.
func (r *runner) step(format string, args ...any) {
	fmt.Fprintf(r.opts.Progress, "  "+format+"\n", args...)
}

// interleave runs ceiling then pulse, rounds times, and returns the median
// of every figure each reported.
func interleave(rounds int, ceiling, pulse func() (map[string]float64, error)) (c, p map[string]float64, err error) {
	var cs, ps []map[string]float64
	for range rounds {
		got, err := ceiling()
		if err != nil {
			return nil, nil, fmt.Errorf("ceiling: %w", err)
		}
		cs = append(cs, got)
		if got, err = pulse(); err != nil {
			return nil, nil, err
		}
		ps = append(ps, got)
	}
	return medians(cs), medians(ps), nil
}

func medians(runs []map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for key := range runs[0] {
		var xs []float64
		for _, run := range runs {
			xs = append(xs, run[key])
		}
		out[key] = median(xs)
	}
	return out
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// timed runs fn and returns how long it took in milliseconds.
func timed(fn func() error) (float64, error) {
	start := time.Now()
	err := fn()
	return ms(time.Since(start)), err
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ptr[T any](v T) *T { return &v }

// atMost and atLeast judge a figure against a target.
func atMost(v, limit float64) *bool  { return ptr(v <= limit) }
func atLeast(v, limit float64) *bool { return ptr(v >= limit) }
