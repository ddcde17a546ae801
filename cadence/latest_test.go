package cadence_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
)

func TestPreviewShape(t *testing.T) {
	t.Parallel()
	c := weeklyBerlin("monday", "09:00")
	out, err := json.Marshal(map[string]any{"next": c.Preview(instant(t, "2026-11-25T00:00:00Z"), 2)})
	require.NoError(t, err)
	require.JSONEq(t, `{"next": [
		{"utc": "2026-11-30T08:00:00Z", "local": "2026-11-30T09:00:00+01:00"},
		{"utc": "2026-12-07T08:00:00Z", "local": "2026-12-07T09:00:00+01:00"}]}`, string(out))
}

func TestPreviewCount(t *testing.T) {
	t.Parallel()
	c := cadence.Cadence{Kind: "cron", Spec: "0 9 * * *", Timezone: "UTC"}
	after := instant(t, "2026-01-01T00:00:00Z")
	tests := []struct {
		asked, got int
	}{{0, 0}, {-3, 0}, {1, 1}, {100, 100}, {101, 100}, {100000, 100}}
	for _, tt := range tests {
		preview := c.Preview(after, tt.asked)
		require.NotNil(t, preview, "an empty preview is [] in JSON, not null")
		require.Len(t, preview, tt.got, "asked for %d", tt.asked)
	}
	last := c.Preview(after, 100)[99]
	require.Equal(t, "2026-04-10T09:00:00Z", last.UTC.Format(time.RFC3339)) // 100 days
}

func TestPreviewStopsAtTheEnd(t *testing.T) {
	t.Parallel()
	c := cadence.Cadence{Kind: "once", At: "2026-12-01T09:00", Timezone: "America/New_York"}
	preview := c.Preview(instant(t, "2026-01-01T00:00:00Z"), 10)
	require.Equal(t, []cadence.Occurrence{{UTC: instant(t, "2026-12-01T14:00:00Z"), Local: "2026-12-01T09:00:00-05:00"}}, preview)
}

func TestLatest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cadence cadence.Cadence
		before  string
		want    string // "" when there is none
	}{
		{"weekly: the monday before a wednesday",
			weeklyBerlin("monday", "09:00"), "2026-12-02T10:00:00Z", "2026-11-30T08:00:00Z"},
		{"an occurrence exactly at before counts",
			weeklyBerlin("monday", "09:00"), "2026-11-30T08:00:00Z", "2026-11-30T08:00:00Z"},
		{"one second earlier it does not",
			weeklyBerlin("monday", "09:00"), "2026-11-30T07:59:59Z", "2026-11-23T08:00:00Z"},
		{"after months of downtime, only the latest",
			weeklyBerlin("monday", "09:00"), "2027-06-10T00:00:00Z", "2027-06-07T07:00:00Z"},
		{"daily cron",
			cadence.Cadence{Kind: "cron", Spec: "0 10 * * *", Timezone: "UTC"}, "2026-12-02T10:00:30Z", "2026-12-02T10:00:00Z"},
		{"29 February cron, years back",
			cadence.Cadence{Kind: "cron", Spec: "0 9 29 2 *", Timezone: "Europe/Berlin"}, "2031-01-01T00:00:00Z", "2028-02-29T08:00:00Z"},
		{"quarterly",
			cadence.Cadence{Kind: "quarterly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"}, "2027-03-31T00:00:00Z", "2027-01-04T08:00:00Z"},
		{"monthly day 31 in february",
			cadence.Cadence{Kind: "monthly", Day: 31, Time: "09:00", Timezone: "UTC"}, "2027-03-30T00:00:00Z", "2027-02-28T09:00:00Z"},
		{"end date: the last send within it",
			cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin", EndDate: "2026-06-30"}, "2027-01-01T00:00:00Z", "2026-06-29T07:00:00Z"},
		{"before the start date there is none",
			cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin", StartDate: "2026-12-07"}, "2026-12-06T00:00:00Z", ""},
		{"start date: the first send",
			cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin", StartDate: "2026-12-07"}, "2026-12-10T00:00:00Z", "2026-12-07T08:00:00Z"},
		{"once, passed",
			cadence.Cadence{Kind: "once", At: "2026-12-01T09:00", Timezone: "Europe/Berlin"}, "2027-05-01T00:00:00Z", "2026-12-01T08:00:00Z"},
		{"once, not yet",
			cadence.Cadence{Kind: "once", At: "2026-12-01T09:00", Timezone: "Europe/Berlin"}, "2026-12-01T07:59:59Z", ""},
		{"fall-back repeat: the first 02:30 is the occurrence",
			cadence.Cadence{Kind: "cron", Spec: "30 2 * * *", Timezone: "Europe/Berlin"}, "2026-10-25T02:00:00Z", "2026-10-25T00:30:00Z"},
		{"spring-forward gap: the occurrence is at 03:00 CEST",
			cadence.Cadence{Kind: "cron", Spec: "30 2 * * *", Timezone: "Europe/Berlin"}, "2026-03-29T05:00:00Z", "2026-03-29T01:00:00Z"},
		{"paused",
			cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "UTC", Paused: true}, "2026-12-02T10:00:00Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, tt.cadence.Validate())
			at, ok := tt.cadence.Latest(instant(t, tt.before))
			if tt.want == "" {
				require.False(t, ok, "got %s", at)
				return
			}
			require.True(t, ok)
			require.Equal(t, tt.want, at.UTC().Format(time.RFC3339))
		})
	}
}

// Latest must name the same instants as Next, or catch-up would create a
// round under a scheduled time that Next never produces.
func TestLatestAgreesWithNext(t *testing.T) {
	t.Parallel()
	// Lord Howe's fall-back (5 April 2026) repeats 01:30-02:00 and its
	// spring-forward (4 October 2026) skips 02:00-02:30.
	for _, spec := range []string{"45 1 * * *", "15 2 * * *"} {
		c := cadence.Cadence{Kind: "cron", Spec: spec, Timezone: "Australia/Lord_Howe"}
		var sends []time.Time
		at := instant(t, "2026-03-20T00:00:00Z")
		for at.Before(instant(t, "2026-10-20T00:00:00Z")) {
			next, ok := c.Next(at)
			require.True(t, ok)
			sends = append(sends, next)
			at = next
		}
		for i := 1; i < len(sends); i++ {
			latest, ok := c.Latest(sends[i])
			require.True(t, ok)
			require.Equal(t, sends[i], latest)
			latest, ok = c.Latest(sends[i].Add(-time.Nanosecond))
			require.True(t, ok)
			require.Equal(t, sends[i-1], latest)
		}
	}
}
