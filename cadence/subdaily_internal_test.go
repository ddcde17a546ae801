package cadence

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A cadence may not send more than once a day, but the wall-clock walk under
// it must still be right when several slots meet a DST gap or repeat: these
// run the arithmetic alone, below the once-a-day limit.
func TestWallClockWalkThroughGapsAndRepeats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cadence Cadence
		after   string
		want    []string
	}{
		// Every slot in a gap collapses into one send, and the repeated
		// hour is not walked twice.
		{"Berlin every quarter hour of 02:xx on the gap day",
			Cadence{Kind: "cron", Spec: "*/15 2 * * *", Timezone: "Europe/Berlin"}, "2026-03-28T23:59:00Z",
			[]string{"2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z", "2026-03-30T00:15:00Z"}},
		{"Berlin every half hour through the repeat",
			Cadence{Kind: "cron", Spec: "*/30 * * * *", Timezone: "Europe/Berlin"}, "2026-10-24T23:45:00Z",
			[]string{"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"}},
		{"Lord Howe every ten minutes through its half-hour repeat",
			Cadence{Kind: "cron", Spec: "*/10 1 * * *", Timezone: "Australia/Lord_Howe"}, "2026-04-04T14:35:00Z",
			[]string{"2026-04-04T14:40:00Z", "2026-04-04T14:50:00Z", "2026-04-05T14:30:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := tt.cadence.compileRule()
			require.NoError(t, err)
			after, err := time.Parse(time.RFC3339, tt.after)
			require.NoError(t, err)
			var got []string
			for _, at := range p.upcoming(after, len(tt.want)) {
				got = append(got, at.UTC().Format(time.RFC3339))
			}
			require.Equal(t, tt.want, got)
		})
	}
}
