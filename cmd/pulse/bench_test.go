package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/bench"
	"github.com/pulsehq/pulse/database/dbtest"
)

// asPulse makes the test binary act as the pulse binary when the bench
// starts it (the cold start runs `pulse serve`).
const asPulse = "BENCH_TEST_RUN_PULSE"

func TestMain(m *testing.M) {
	if os.Getenv(asPulse) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// A quick bench run (tiny data sets, one round) prints a row for every
// scenario: on SQLite as a table, on PostgreSQL as JSON that parses.
func TestBenchReportsEveryScenario(t *testing.T) {
	pulseCommand = func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), asPulse+"=1")
		return cmd
	}
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

// benchRun runs pulse bench with the DSN in its variable and returns stdout.
func benchRun(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	env := envOf(map[string]string{benchDSNVariable: dsn})
	err := run(t.Context(), append([]string{"bench"}, args...), env, &out, &errOut)
	require.NoError(t, err, errOut.String())
	require.False(t, strings.Contains(out.String(), "Could not run"), out.String())
	return out.String()
}
