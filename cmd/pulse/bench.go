package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/pulsehq/pulse/bench"
)

// benchDSNVariable names the PostgreSQL server pulse bench runs on when
// --dsn is not given.
const benchDSNVariable = "PULSE_BENCH_DATABASE_URL"

func parseBench(args []string) (plan, error) {
	fs := newFlags()
	dsn := fs.String("dsn", "", "PostgreSQL URL to run in (default $"+benchDSNVariable+"; without either, SQLite only);\n"+
		"each scenario works in a schema of its own, dropped afterwards")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of a table")
	only := fs.String("only", "", "comma-separated scenarios to run: "+strings.Join(bench.Scenarios, ",")+" (default all)")
	rounds := fs.Int("rounds", 3, "how many times each ceiling and Pulse alternate; the table shows medians")
	quick := fs.Bool("quick", false, "tiny data sets: checks that every scenario runs, in seconds; the figures mean nothing")
	p := plan{usage: usageOf(fs, "bench [--dsn URL] [--json] [--only taps,results,...] [--rounds N] [--quick]",
		"Measures Pulse's performance targets, each beside a ceiling measured in the same run (ceiling, Pulse,\n"+
			"ceiling, Pulse …), and prints medians. Targets are reported, never asserted: the exit status is\n"+
			"non-zero only when a scenario could not run. It never touches an install's data.")}
	if _, err := parseArgs(fs, args, p.usage, 0); err != nil {
		return p, err
	}
	if *rounds < 1 {
		return p, usageErrorf("bench: --rounds must be at least 1\n\n%s", p.usage)
	}
	var scenarios []string
	if *only != "" {
		scenarios = strings.Split(*only, ",")
	}
	for _, name := range scenarios {
		if !slices.Contains(bench.Scenarios, name) {
			return p, usageErrorf("bench: --only: unknown scenario %q (choose from %s)\n\n%s",
				name, strings.Join(bench.Scenarios, ","), p.usage)
		}
	}
	p.standalone = func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
		opts := bench.Options{DSN: *dsn, Only: scenarios, Rounds: *rounds, Quick: *quick, Pulse: pulseCommand, Progress: stderr}
		if opts.DSN == "" {
			opts.DSN = strings.TrimSpace(getenv(benchDSNVariable))
		}
		if opts.DSN == "" {
			fmt.Fprintf(stderr, "bench: no --dsn or %s: running on SQLite only\n", benchDSNVariable)
		}
		rep, runErr := bench.Run(ctx, opts)
		write := bench.WriteTable
		if *asJSON {
			write = bench.WriteJSON
		}
		if len(rep.Rows) > 0 || runErr == nil {
			if err := write(stdout, rep); err != nil {
				return err
			}
		}
		if runErr != nil {
			return fmt.Errorf("bench: %w", runErr)
		}
		return nil
	}
	return p, nil
}

// pulseCommand runs this binary with args (the cold-start scenario starts
// `pulse serve` with it).
var pulseCommand = func(args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return exec.Command(exe, args...)
}
