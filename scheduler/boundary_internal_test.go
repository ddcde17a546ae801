package scheduler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The tick comes at the start of each minute, whenever the replica started.
func TestTheTickComesAtTheStartOfEachPeriod(t *testing.T) {
	t.Parallel()
	minute := onTheBoundary(time.Minute)
	at := func(h, m, s, ns int) time.Time { return time.Date(2026, 12, 7, h, m, s, ns, time.UTC) }
	require.Equal(t, at(9, 1, 0, 0), minute.Next(at(9, 0, 40, 0)))
	require.Equal(t, at(9, 1, 0, 0), minute.Next(at(9, 0, 0, 0)))
	require.Equal(t, at(9, 2, 0, 0), minute.Next(at(9, 1, 0, 1)))
	require.Equal(t, at(10, 0, 0, 0), minute.Next(at(9, 59, 59, 999999999)))
	require.Equal(t, at(9, 0, 41, 0), onTheBoundary(time.Second).Next(at(9, 0, 40, 5)))
}
