// Command pulse-bench measures Pulse's performance targets, each beside a
// ceiling taken in the same run (see package bench). It is a binary of its
// own so that the pulse binary carries none of its test scaffolding (the
// Slack stand-in, the testing package).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/pulsehq/pulse/bench"
)

// dsnVariable names the PostgreSQL server the bench runs on when --dsn is
// not given.
const dsnVariable = "PULSE_BENCH_DATABASE_URL"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		var usage usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a wrong command line (exit 2, like the flag package).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const about = `Usage: pulse-bench [--dsn URL] [--json] [--only taps,results,...] [--rounds N] [--quick] [--pulse PATH]

Measures Pulse's performance targets, each beside a ceiling measured in the same run (ceiling, Pulse,
ceiling, Pulse …), and prints medians. Targets are reported, never asserted: the exit status is
non-zero only when a scenario could not run. It never touches an install's data.

`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pulse-bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dsn := fs.String("dsn", "", "PostgreSQL URL to run in (default $"+dsnVariable+"; without either, SQLite only);\n"+
		"each scenario works in a schema of its own, dropped afterwards")
	asJSON := fs.Bool("json", false, "print the report as JSON instead of a table")
	only := fs.String("only", "", "comma-separated scenarios to run: "+strings.Join(bench.Scenarios, ",")+" (default all)")
	rounds := fs.Int("rounds", 3, "how many times each ceiling and Pulse alternate; the table shows medians")
	quick := fs.Bool("quick", false, "tiny data sets: checks that every scenario runs, in seconds; the figures mean nothing")
	pulse := fs.String("pulse", "", "the pulse binary the cold start runs (default: pulse beside this binary,\n"+
		"else built from this module with go build)")
	usage := func() string {
		var b strings.Builder
		b.WriteString(about)
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return b.String()
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage())
		return nil
	case err != nil:
		return usageError{fmt.Sprintf("%v\n\n%s", err, usage())}
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("unexpected argument %q\n\n%s", fs.Arg(0), usage())}
	case *rounds < 1:
		return usageError{fmt.Sprintf("--rounds must be at least 1\n\n%s", usage())}
	}
	var scenarios []string
	if *only != "" {
		scenarios = strings.Split(*only, ",")
	}
	for _, name := range scenarios {
		if !slices.Contains(bench.Scenarios, name) {
			return usageError{fmt.Sprintf("--only: unknown scenario %q (choose from %s)\n\n%s",
				name, strings.Join(bench.Scenarios, ","), usage())}
		}
	}
	opts := bench.Options{DSN: *dsn, Only: scenarios, Rounds: *rounds, Quick: *quick, Progress: stderr}
	if opts.DSN == "" {
		opts.DSN = strings.TrimSpace(getenv(dsnVariable))
	}
	if opts.DSN == "" {
		fmt.Fprintf(stderr, "pulse-bench: no --dsn or %s: running on SQLite only\n", dsnVariable)
	}
	if scenarios == nil || slices.Contains(scenarios, "footprint") {
		binary, cleanup, err := pulseBinary(ctx, *pulse, stderr)
		if err != nil {
			return err
		}
		defer cleanup()
		opts.Pulse = func(args ...string) *exec.Cmd { return exec.Command(binary, args...) }
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
		return fmt.Errorf("pulse-bench: %w", runErr)
	}
	return nil
}

// pulseBinary finds the pulse binary whose cold start is measured: the one
// given, else pulse beside this binary, else one built from this module.
func pulseBinary(ctx context.Context, given string, stderr io.Writer) (path string, cleanup func(), err error) {
	cleanup = func() {}
	if given != "" {
		return given, cleanup, nil
	}
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), "pulse")
		if info, err := os.Stat(beside); err == nil && !info.IsDir() {
			return beside, cleanup, nil
		}
	}
	dir, err := os.MkdirTemp("", "pulse-bench-binary-")
	if err != nil {
		return "", cleanup, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	path = filepath.Join(dir, "pulse")
	fmt.Fprintln(stderr, "pulse-bench: building pulse for the cold start (give --pulse to use another)")
	build := exec.CommandContext(ctx, "go", "build", "-o", path, "github.com/pulsehq/pulse/cmd/pulse")
	build.Stderr = stderr
	if err := build.Run(); err != nil {
		cleanup()
		return "", func() {}, fmt.Errorf("pulse-bench: building pulse for the cold start: %w (give --pulse PATH)", err)
	}
	return path, cleanup, nil
}
