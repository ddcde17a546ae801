package cadence_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
)

// A Monday 09:00 Berlin survey reaches Tokyo and New York at 09:00 on the
// same Mondays, local time: the preview for their zones says so, and shows
// the round a New Yorker gets after Berlin's clock went back but theirs not.
func TestPreviewInShowsEachRoundAtTheRecipientsWallClock(t *testing.T) {
	t.Parallel()
	c := cadence.Cadence{Kind: cadence.KindWeekly, Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"}
	after := instant(t, "2026-10-20T00:00:00Z")
	local := func(occ []cadence.Occurrence) []string {
		var out []string
		for _, o := range occ {
			out = append(out, o.Local)
		}
		return out
	}
	require.Equal(t, []string{"2026-10-26T09:00:00+09:00", "2026-11-02T09:00:00+09:00"},
		local(c.PreviewIn(after, 2, zone(t, "Asia/Tokyo"))))
	ny := c.PreviewIn(after, 2, zone(t, "America/New_York"))
	require.Equal(t, []string{"2026-10-26T09:00:00-04:00", "2026-11-02T09:00:00-05:00"}, local(ny))
	require.Equal(t, "2026-10-26T13:00:00Z", ny[0].UTC.Format("2006-01-02T15:04:05Z07:00"))
	require.Equal(t, local(c.Preview(after, 2)), local(c.PreviewIn(after, 2, nil)), "nil is the cadence's own zone")

	c.Paused = true
	require.Empty(t, c.PreviewIn(after, 2, zone(t, "Asia/Tokyo")))
}
