package cadence_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
)

func TestSendTimesOfEachKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cadence cadence.Cadence
		after   string
		want    []string // local times in the cadence's zone, from a calendar
		ends    bool     // no sends beyond want
	}{
		{"weekly monday, across the switch to CEST",
			weeklyBerlin("monday", "09:00"), "2026-03-18T12:00:00Z",
			[]string{"2026-03-23T09:00:00+01:00", "2026-03-30T09:00:00+02:00", "2026-04-06T09:00:00+02:00"}, false},
		{"weekly: an occurrence equal to after is not next",
			weeklyBerlin("monday", "09:00"), "2026-11-30T08:00:00Z",
			[]string{"2026-12-07T09:00:00+01:00"}, false},
		{"weekly: one second earlier it is",
			weeklyBerlin("monday", "09:00"), "2026-11-30T07:59:59Z",
			[]string{"2026-11-30T09:00:00+01:00"}, false},
		{"monthly day 31 uses the last day of shorter months",
			cadence.Cadence{Kind: "monthly", Day: 31, Time: "09:00", Timezone: "Europe/Berlin"}, "2027-01-01T00:00:00Z",
			[]string{"2027-01-31T09:00:00+01:00", "2027-02-28T09:00:00+01:00", "2027-03-31T09:00:00+02:00", "2027-04-30T09:00:00+02:00"}, false},
		{"monthly day 30 in a leap February",
			cadence.Cadence{Kind: "monthly", Day: 30, Time: "10:15", Timezone: "UTC"}, "2028-01-30T10:15:00Z",
			[]string{"2028-02-29T10:15:00+00:00", "2028-03-30T10:15:00+00:00"}, false},
		{"monthly first monday",
			cadence.Cadence{Kind: "monthly", Nth: 1, Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"}, "2026-12-15T00:00:00Z",
			[]string{"2027-01-04T09:00:00+01:00", "2027-02-01T09:00:00+01:00", "2027-03-01T09:00:00+01:00", "2027-04-05T09:00:00+02:00"}, false},
		{"monthly second tuesday",
			cadence.Cadence{Kind: "monthly", Nth: 2, Weekday: "tuesday", Time: "14:00", Timezone: "UTC"}, "2027-01-01T00:00:00Z",
			[]string{"2027-01-12T14:00:00+00:00", "2027-02-09T14:00:00+00:00"}, false},
		{"monthly fourth monday",
			cadence.Cadence{Kind: "monthly", Nth: 4, Weekday: "monday", Time: "09:00", Timezone: "UTC"}, "2027-02-01T00:00:00Z",
			[]string{"2027-02-22T09:00:00+00:00", "2027-03-22T09:00:00+00:00"}, false},
		{"monthly last friday",
			cadence.Cadence{Kind: "monthly", Nth: -1, Weekday: "friday", Time: "16:00", Timezone: "America/New_York"}, "2027-01-01T00:00:00Z",
			[]string{"2027-01-29T16:00:00-05:00", "2027-02-26T16:00:00-05:00", "2027-03-26T16:00:00-04:00"}, false},
		{"quarterly first monday of jan, apr, jul, oct",
			cadence.Cadence{Kind: "quarterly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"}, "2026-12-15T00:00:00Z",
			[]string{"2027-01-04T09:00:00+01:00", "2027-04-05T09:00:00+02:00", "2027-07-05T09:00:00+02:00", "2027-10-04T09:00:00+02:00", "2028-01-03T09:00:00+01:00"}, false},
		{"quarterly from mid-quarter waits for the next quarter",
			cadence.Cadence{Kind: "quarterly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"}, "2027-01-05T00:00:00Z",
			[]string{"2027-04-05T09:00:00+02:00"}, false},
		{"once",
			cadence.Cadence{Kind: "once", At: "2026-12-01T09:00", Timezone: "Europe/Berlin"}, "2026-01-01T00:00:00Z",
			[]string{"2026-12-01T09:00:00+01:00"}, true},
		{"once already passed",
			cadence.Cadence{Kind: "once", At: "2026-12-01T09:00", Timezone: "Europe/Berlin"}, "2026-12-01T08:00:00Z",
			nil, true},
		{"cron monday 09:00",
			cadence.Cadence{Kind: "cron", Spec: "0 9 * * MON", Timezone: "Asia/Kolkata"}, "2026-11-25T00:00:00Z",
			[]string{"2026-11-30T09:00:00+05:30", "2026-12-07T09:00:00+05:30"}, false},
		{"cron @weekly is sunday midnight",
			cadence.Cadence{Kind: "cron", Spec: "@weekly", Timezone: "Europe/Berlin"}, "2026-11-25T00:00:00Z",
			[]string{"2026-11-29T00:00:00+01:00", "2026-12-06T00:00:00+01:00"}, false},
		{"cron with day-of-month and weekday matches either, as in standard cron",
			cadence.Cadence{Kind: "cron", Spec: "0 9 1 * FRI", Timezone: "UTC"}, "2026-11-25T00:00:00Z",
			[]string{"2026-11-27T09:00:00+00:00", "2026-12-01T09:00:00+00:00", "2026-12-04T09:00:00+00:00"}, false},
		{"start date holds back the first send",
			cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin", StartDate: "2026-12-07"}, "2026-11-25T00:00:00Z",
			[]string{"2026-12-07T09:00:00+01:00", "2026-12-14T09:00:00+01:00"}, false},
		{"end date is inclusive",
			cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin", EndDate: "2026-12-07"}, "2026-11-25T00:00:00Z",
			[]string{"2026-11-30T09:00:00+01:00", "2026-12-07T09:00:00+01:00"}, true},
		{"start and end dates are local dates, midnight to midnight",
			cadence.Cadence{Kind: "cron", Spec: "0 0 * * *", Timezone: "Asia/Tokyo", StartDate: "2026-12-02", EndDate: "2026-12-03"}, "2026-11-30T00:00:00Z",
			[]string{"2026-12-02T00:00:00+09:00", "2026-12-03T00:00:00+09:00"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := len(tt.want)
			if tt.ends {
				n += 3
			}
			require.Equal(t, tt.want, upcoming(t, tt.cadence, tt.after, n))
		})
	}
}

func TestPausedCadenceNeverSends(t *testing.T) {
	t.Parallel()
	c := weeklyBerlin("monday", "09:00")
	c.Paused = true
	after := instant(t, "2026-11-25T00:00:00Z")
	_, ok := c.Next(after)
	require.False(t, ok)
	_, ok = c.NextIn(after, zone(t, "Asia/Tokyo"))
	require.False(t, ok)
	_, ok = c.Latest(after)
	require.False(t, ok)
	require.Empty(t, c.Preview(after, 3))
}

func TestEachRecipientGetsTheLocalTimeInTheirOwnZone(t *testing.T) {
	t.Parallel()
	c := weeklyBerlin("monday", "09:00")
	after := instant(t, "2026-11-28T12:00:00Z") // a Saturday
	tests := []struct {
		zone string
		want string
	}{
		{"Asia/Tokyo", "2026-11-30T00:00:00Z"},       // 09:00 JST, +09:00
		{"Europe/Berlin", "2026-11-30T08:00:00Z"},    // 09:00 CET, +01:00
		{"America/New_York", "2026-11-30T14:00:00Z"}, // 09:00 EST, -05:00
		{"Asia/Kolkata", "2026-11-30T03:30:00Z"},     // 09:00 IST, +05:30
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			t.Parallel()
			loc := zone(t, tt.zone)
			at, ok := c.NextIn(after, loc)
			require.True(t, ok)
			require.Equal(t, tt.want, at.UTC().Format(time.RFC3339))
			require.Equal(t, "Monday 09:00", at.In(loc).Format("Monday 15:04"))
		})
	}

	t.Run("nil zone means the survey's", func(t *testing.T) {
		t.Parallel()
		at, ok := c.NextIn(after, nil)
		require.True(t, ok)
		require.Equal(t, "2026-11-30T08:00:00Z", at.UTC().Format(time.RFC3339))
	})
}

func TestSendTimeInMapsARoundToEachRecipient(t *testing.T) {
	t.Parallel()
	c := weeklyBerlin("monday", "09:00")
	scheduled := instant(t, "2026-11-30T08:00:00Z") // the round: 09:00 Berlin

	tokyo, ok := c.SendTimeIn(scheduled, zone(t, "Asia/Tokyo"))
	require.True(t, ok)
	require.Equal(t, "2026-11-30T00:00:00Z", tokyo.UTC().Format(time.RFC3339))

	newYork, ok := c.SendTimeIn(scheduled, zone(t, "America/New_York"))
	require.True(t, ok)
	require.Equal(t, "2026-11-30T14:00:00Z", newYork.UTC().Format(time.RFC3339))

	own, ok := c.SendTimeIn(scheduled, nil)
	require.True(t, ok)
	require.Equal(t, "2026-11-30T08:00:00Z", own.UTC().Format(time.RFC3339), "nil zone: the survey's own")

	_, ok = c.SendTimeIn(scheduled.Add(time.Minute), zone(t, "Asia/Tokyo"))
	require.False(t, ok, "not an occurrence of the cadence")
}

func TestSendTimeInKeepsTheNominalTimeOfAGapRound(t *testing.T) {
	t.Parallel()
	// 02:30 does not exist in Berlin on 2026-03-29, so the round is at 03:00
	// CEST; a Kolkata recipient still gets 02:30 of their own clock.
	c := weeklyBerlin("sunday", "02:30")
	scheduled := instant(t, "2026-03-29T01:00:00Z")
	at, ok := c.SendTimeIn(scheduled, zone(t, "Asia/Kolkata"))
	require.True(t, ok)
	require.Equal(t, "2026-03-28T21:00:00Z", at.UTC().Format(time.RFC3339))
}

func TestPreviewWritesTheLocalOffsetEvenAtUTC(t *testing.T) {
	t.Parallel()
	london := cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/London"}
	got := london.Preview(instant(t, "2026-11-27T10:00:00Z"), 1)
	require.Equal(t, "2026-11-30T09:00:00+00:00", got[0].Local)
	require.Equal(t, "2026-11-30T09:00:00Z", got[0].UTC.Format(time.RFC3339))
}
