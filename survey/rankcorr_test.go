package survey_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/survey"
)

// By hand: ranks 1..5 against 2,1,4,3,5 differ by 1,1,1,1,0, so
// rho = 1 − 6·4/(5·24) = 0.8.
func TestSpearmanMatchesTheTextbookFormulaWithoutTies(t *testing.T) {
	t.Parallel()
	rho, ok := survey.Spearman([]float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5})
	require.True(t, ok)
	require.InDelta(t, 0.8, rho, 1e-12)
	rho, ok = survey.Spearman([]float64{1, 2, 3}, []float64{30, 20, 10})
	require.True(t, ok)
	require.InDelta(t, -1, rho, 1e-12)
}

// With ties, ranks are averaged: eNPS 3,5,8,9 given by 5,5,5,10 people get
// ranks 3, 8, 13 and 20.5; "no" by the first ten and "yes" by the rest get
// 5.5 and 18. Deviations from 13 give Σxy = 937.5, Σx² = 1187.5,
// Σy² = 937.5, so rho = 937.5/√(1187.5·937.5) = 0.88852.
func TestSpearmanAveragesTiedRanks(t *testing.T) {
	t.Parallel()
	enps, yes := tiedExample()
	rho, ok := survey.Spearman(enps, yes)
	require.True(t, ok)
	require.InDelta(t, 0.888523, rho, 1e-6)
}

func tiedExample() (enps, yes []float64) {
	for _, g := range []struct {
		enps, yes float64
		n         int
	}{{3, 0, 5}, {5, 0, 5}, {8, 1, 5}, {9, 1, 10}} {
		for range g.n {
			enps, yes = append(enps, g.enps), append(yes, g.yes)
		}
	}
	return enps, yes
}

func TestSpearmanRefusesWhatHasNoVariation(t *testing.T) {
	t.Parallel()
	_, ok := survey.Spearman([]float64{1, 1, 1}, []float64{1, 2, 3})
	require.False(t, ok)
	_, ok = survey.Spearman([]float64{1}, []float64{1})
	require.False(t, ok)
	_, ok = survey.Spearman([]float64{1, 2}, []float64{1})
	require.False(t, ok)
}

// By hand: z = atanh(0.5) = 0.549306, SE = √(1.06/25) = 0.205913, so
// z ± 1.96·SE = 0.145716 … 0.952896, and back through tanh 0.14469 … 0.74109.
func TestSpearmanIntervalIsFisherZWithTheRankVariance(t *testing.T) {
	t.Parallel()
	low, high, ok := survey.SpearmanInterval(0.5, 28)
	require.True(t, ok)
	require.InDelta(t, 0.144695, low, 1e-6)
	require.InDelta(t, 0.741091, high, 1e-6)
	low, high, ok = survey.SpearmanInterval(1, 30)
	require.True(t, ok)
	require.Less(t, low, 1.0)
	require.LessOrEqual(t, high, 1.0)
	_, _, ok = survey.SpearmanInterval(0.5, 3)
	require.False(t, ok)
}
