package cadence

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// latestWallClock is what lets nextIn answer in one step during a fall-back
// repeat; without it the answer stays right but costs a walk through the
// repeated hour, so it is checked directly.
func TestLatestWallClock(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	lordHowe, err := time.LoadLocation("Australia/Lord_Howe")
	require.NoError(t, err)
	tests := []struct {
		name  string
		after string
		loc   *time.Location
		want  string
	}{
		{"ordinary time", "2026-11-30T08:00:00Z", berlin, "2026-11-30T09:00:00"},
		{"first pass of the repeat", "2026-10-25T00:15:00Z", berlin, "2026-10-25T02:15:00"},
		{"second pass of the repeat", "2026-10-25T01:15:00Z", berlin, "2026-10-25T02:59:59.999999999"},
		{"after the repeat", "2026-10-25T02:15:00Z", berlin, "2026-10-25T03:15:00"},
		{"just after the gap", "2026-03-29T01:00:00Z", berlin, "2026-03-29T03:00:00"},
		{"Lord Howe second pass", "2026-04-04T15:10:00Z", lordHowe, "2026-04-05T01:59:59.999999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			after, err := time.Parse(time.RFC3339, tt.after)
			require.NoError(t, err)
			got := latestWallClock(after, tt.loc)
			require.Equal(t, tt.want, got.Format("2006-01-02T15:04:05.999999999"))
		})
	}
}
