package cadence_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func instant(t *testing.T, rfc3339 string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, rfc3339)
	require.NoError(t, err)
	return at
}

// upcoming lists the next n send times after after as RFC 3339 in the
// cadence's zone, the form a reader can check against a calendar.
func upcoming(t *testing.T, c cadence.Cadence, after string, n int) []string {
	t.Helper()
	require.NoError(t, c.Validate())
	var out []string
	for _, o := range c.Preview(instant(t, after), n) {
		out = append(out, o.Local)
	}
	return out
}

// utcTimes formats instants in UTC for comparison with hand-computed values.
func utcTimes(times []time.Time) []string {
	out := make([]string, len(times))
	for i, at := range times {
		out[i] = at.UTC().Format(time.RFC3339)
	}
	return out
}

func weeklyBerlin(weekday, clock string) cadence.Cadence {
	return cadence.Cadence{Kind: "weekly", Weekday: weekday, Time: clock, Timezone: "Europe/Berlin"}
}
