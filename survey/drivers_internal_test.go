package survey

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPoolSparseLevelsMergesNeighboursUntilEachHoldsK(t *testing.T) {
	t.Parallel()
	// Counts 1:1 2:6 3:2 4:7 5:5 with k=5: 1, the sparsest, joins 2 (now 7);
	// then 3 has neighbours of 7 and 7 and joins the lower one.
	values := []float64{1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5}
	level, n := poolSparseLevels(values, 5)
	require.Equal(t, 3, n)
	require.Equal(t, map[float64]int{1: 0, 2: 0, 3: 0, 4: 1, 5: 2}, level)

	// Everyone but two gave one answer: one level left, nothing to correlate.
	_, n = poolSparseLevels([]float64{0, 0, 1, 1, 1, 1, 1, 1}, 5)
	require.Equal(t, 1, n)

	level, n = poolSparseLevels([]float64{7, 7, 7, 9, 9, 9}, 3)
	require.Equal(t, 2, n)
	require.Equal(t, map[float64]int{7: 0, 9: 1}, level)
}

// A yes/no given by fewer than k people is not correlated: the few would
// each be a rank of their own.
func TestCorrelateNeverUsesAnAnswerFewerThanKGave(t *testing.T) {
	t.Parallel()
	enps := make([]float64, 30)
	yes := make([]float64, 30)
	for i := range enps {
		enps[i] = float64(1 + i%10)
		if i < 4 {
			yes[i] = 1
		}
	}
	d := correlate(Driver{}, enps, yes, 5)
	require.Equal(t, DriverTooFewPerValue, d.Status)
	require.Nil(t, d.Rho)
	require.Nil(t, d.N)
	yes[4] = 1
	d = correlate(Driver{}, enps, yes, 5)
	require.Equal(t, DriverShown, d.Status)
	require.Equal(t, 30, *d.N)
	require.Equal(t, DriverNotEnough, correlate(Driver{}, enps[:24], yes[:24], 5).Status)
	same := make([]float64, 30)
	require.Equal(t, DriverNoVariation, correlate(Driver{}, enps, same, 5).Status)
}
