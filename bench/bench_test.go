package bench

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestInterleaveAlternatesAndTakesMedians(t *testing.T) {
	var order []string
	c, p, err := interleave(3,
		func() (map[string]float64, error) {
			order = append(order, "ceiling")
			return map[string]float64{"ms": float64(10 * len(order))}, nil
		},
		func() (map[string]float64, error) {
			order = append(order, "pulse")
			return map[string]float64{"ms": float64(len(order))}, nil
		})
	require.NoError(t, err)
	require.Equal(t, []string{"ceiling", "pulse", "ceiling", "pulse", "ceiling", "pulse"}, order)
	require.Equal(t, 30.0, c["ms"], "median of 10, 30, 50")
	require.Equal(t, 4.0, p["ms"], "median of 2, 4, 6")
}

func TestInterleaveStopsAtTheFirstFailure(t *testing.T) {
	calls := 0
	_, _, err := interleave(3,
		func() (map[string]float64, error) { calls++; return nil, errors.New("no database") },
		func() (map[string]float64, error) { calls++; return nil, nil })
	require.ErrorContains(t, err, "ceiling: no database")
	require.Equal(t, 1, calls)
}

func TestMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo(t *testing.T) {
	require.Equal(t, 2.5, median([]float64{4, 1, 2, 3}))
	require.Equal(t, 0.0, median(nil))
}

func TestUnknownScenariosAreRefused(t *testing.T) {
	_, err := Run(t.Context(), Options{Only: []string{"taps", "speed"}, Rounds: 1})
	require.ErrorContains(t, err, `"speed"`)
	_, err = Run(t.Context(), Options{Only: []string{"taps"}, Rounds: 1, DSN: "mysql://x"})
	require.ErrorContains(t, err, "postgres://")
}

func TestTableShowsRatiosTargetsAndMisses(t *testing.T) {
	var b strings.Builder
	require.NoError(t, WriteTable(&b, Report{Rounds: 3, Seconds: 61, Rows: []Row{
		{Scenario: "taps", Database: "postgres", Measure: "taps/s", Pulse: 1234.4, Ceiling: ptr(5000.0), CeilingIs: "INSERTs",
			Target: "≥ 0.5 × ceiling", Met: atLeast(1234.4, 2500)},
		{Scenario: "footprint", Database: "sqlite", Measure: "cold start, ms", Pulse: 27.26, Target: "≤ 100", Met: atMost(27.26, 100)},
	}, Failed: []string{"fanout: no River"}, Started: time.Now()}))
	out := b.String()
	require.Contains(t, out, "| taps | postgres | taps/s | 1,234 | 5,000 (INSERTs) | 0.25 | ≥ 0.5 × ceiling | **no** |")
	require.Contains(t, out, "| footprint | sqlite | cold start, ms | 27.3 |  |  | ≤ 100 | yes |")
	require.Contains(t, out, "Medians of 3 rounds")
	require.Contains(t, out, "Could not run fanout: no River")
}
