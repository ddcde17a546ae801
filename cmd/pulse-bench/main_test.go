package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/bench"
	"github.com/pulsehq/pulse/database/dbtest"
)

// pulseBuilt is the pulse binary the cold start runs, built once.
var pulseBuilt string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pulse-bench-test-")
	if err != nil {
		panic(err)
	}
	pulseBuilt = filepath.Join(dir, "pulse")
	if out, err := exec.Command("go", "build", "-o", pulseBuilt, "github.com/pulsehq/pulse/cmd/pulse").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// A quick run (tiny data sets, one round) prints a row for every scenario:
// on SQLite as a table, on PostgreSQL as JSON that parses.
func TestBenchReportsEveryScenario(t *testing.T) {
	t.Run("sqlite table", func(t *testing.T) {
		out := benchRun(t, "", "--quick", "--rounds", "1")
		for _, scenario := range bench.Scenarios {
			require.Contains(t, out, "\n| "+scenario+" | sqlite |", "a row for %s", scenario)
		}
		require.Contains(t, out, "cold start to /readyz")
		require.Contains(t, out, "peak RSS during taps")
	})
	t.Run("postgres json", func(t *testing.T) {
		dsn := os.Getenv(dbtest.EnvURL)
		if dsn == "" {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not set, and CI=true requires the PostgreSQL tests to run", dbtest.EnvURL)
			}
			t.Skipf("set %s to run the bench on PostgreSQL", dbtest.EnvURL)
		}
		out := benchRun(t, dsn, "--quick", "--rounds", "1", "--json")
		var rep bench.Report
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		seen := map[string]bool{}
		for _, row := range rep.Rows {
			seen[row.Scenario+" "+row.Database] = true
		}
		for _, scenario := range []string{"taps", "results", "heatmap", "kpis", "fanout"} {
			require.True(t, seen[scenario+" postgres"], "%s ran on PostgreSQL", scenario)
		}
		require.True(t, seen["taps sqlite"], "taps are reported on SQLite too")
		require.True(t, seen["footprint sqlite"], "the cold start is measured on SQLite")
		require.NotEmpty(t, rep.Machine.PostgreSQL)
		require.Empty(t, rep.Failed)
	})
}

// A wrong command line is refused with the usage (exit 2) before anything
// runs; --help prints it and succeeds.
func TestWrongCommandLinesAreRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--only", "taps,nap"}, `"nap"`},
		{[]string{"--rounds", "0"}, "--rounds"},
		{[]string{"extra"}, `"extra"`},
		{[]string{"--fast"}, "-fast"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(t.Context(), tc.args, func(string) string { return "" }, &out, &errOut)
			var usage usageError
			require.True(t, errors.As(err, &usage), "%v", err)
			require.Contains(t, err.Error(), tc.says)
			require.Contains(t, err.Error(), "Usage: pulse-bench")
			require.Empty(t, out.String())
		})
	}
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), []string{"--help"}, func(string) string { return "" }, &out, &out))
	require.Contains(t, out.String(), "Usage: pulse-bench")
}

// benchRun runs pulse-bench with the DSN in its variable and returns stdout.
func benchRun(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(name string) string {
		if name == dsnVariable {
			return dsn
		}
		return ""
	}
	err := run(t.Context(), append(args, "--pulse", pulseBuilt), getenv, &out, &errOut)
	require.NoError(t, err, errOut.String())
	require.False(t, strings.Contains(out.String(), "Could not run"), out.String())
	return out.String()
}
