package cadence_test

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
)

// Transitions used below (tzdata, checked against the zones' published rules):
//
//	Europe/Berlin        spring 2026-03-29 and 2027-03-28, 02:00 CET -> 03:00 CEST (01:00Z)
//	                     autumn 2026-10-25 and 2027-10-31, 03:00 CEST -> 02:00 CET (01:00Z)
//	America/New_York     spring 2026-03-08 and 2027-03-14, 02:00 EST -> 03:00 EDT (07:00Z)
//	                     autumn 2026-11-01 and 2027-11-07, 02:00 EDT -> 01:00 EST (06:00Z)
//	Australia/Lord_Howe  autumn 2026-04-05 and 2027-04-04, 02:00 +11 -> 01:30 +10:30 (15:00Z the day before)
//	                     spring 2026-10-04 and 2027-10-03, 02:00 +10:30 -> 02:30 +11 (15:30Z the day before)
//	Asia/Kolkata         +05:30 all year
func TestDaylightSavingGapsAndRepeats(t *testing.T) {
	t.Parallel()
	weekly := func(tz, weekday, clock string) cadence.Cadence {
		return cadence.Cadence{Kind: "weekly", Weekday: weekday, Time: clock, Timezone: tz}
	}
	tests := []struct {
		name    string
		cadence cadence.Cadence
		after   string
		want    []string // UTC instants, computed by hand from the table above
	}{
		// Gaps: the time does not exist; send when the gap ends, never skip.
		{"Berlin 2026 gap: 02:30 goes out at 03:00 CEST",
			weekly("Europe/Berlin", "sunday", "02:30"), "2026-03-28T12:00:00Z",
			[]string{"2026-03-29T01:00:00Z", "2026-04-05T00:30:00Z"}},
		{"Berlin 2027 gap",
			weekly("Europe/Berlin", "sunday", "02:30"), "2027-03-27T12:00:00Z",
			[]string{"2027-03-28T01:00:00Z", "2027-04-04T00:30:00Z"}},
		{"Berlin gap for a once",
			cadence.Cadence{Kind: "once", At: "2026-03-29T02:00", Timezone: "Europe/Berlin"}, "2026-03-01T00:00:00Z",
			[]string{"2026-03-29T01:00:00Z"}},
		{"New York 2026 gap: 02:30 goes out at 03:00 EDT",
			weekly("America/New_York", "sunday", "02:30"), "2026-03-07T12:00:00Z",
			[]string{"2026-03-08T07:00:00Z", "2026-03-15T06:30:00Z"}},
		{"New York 2027 gap, monthly second sunday",
			cadence.Cadence{Kind: "monthly", Nth: 2, Weekday: "sunday", Time: "02:59", Timezone: "America/New_York"}, "2027-03-01T00:00:00Z",
			[]string{"2027-03-14T07:00:00Z", "2027-04-11T06:59:00Z"}},
		{"Lord Howe 2026 gap is half an hour: 02:15 goes out at 02:30 +11",
			weekly("Australia/Lord_Howe", "sunday", "02:15"), "2026-10-03T00:00:00Z",
			[]string{"2026-10-03T15:30:00Z", "2026-10-10T15:15:00Z"}},
		{"Lord Howe 2027 gap, at exactly 02:00",
			weekly("Australia/Lord_Howe", "sunday", "02:00"), "2027-10-02T00:00:00Z",
			[]string{"2027-10-02T15:30:00Z", "2027-10-09T15:00:00Z"}},
		{"Lord Howe 02:30 is just after its gap and unaffected",
			weekly("Australia/Lord_Howe", "sunday", "02:30"), "2026-10-03T00:00:00Z",
			[]string{"2026-10-03T15:30:00Z", "2026-10-10T15:30:00Z"}},

		// Repeats: the time happens twice; send at the first only.
		{"Berlin 2026 repeat: 02:30 CEST, not again at 02:30 CET",
			weekly("Europe/Berlin", "sunday", "02:30"), "2026-10-24T12:00:00Z",
			[]string{"2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z"}},
		{"Berlin 2027 repeat, monthly last sunday",
			cadence.Cadence{Kind: "monthly", Nth: -1, Weekday: "sunday", Time: "02:00", Timezone: "Europe/Berlin"}, "2027-10-01T00:00:00Z",
			[]string{"2027-10-31T00:00:00Z", "2027-11-28T01:00:00Z"}},
		{"Berlin: asked during the second pass, the repeat is already done",
			weekly("Europe/Berlin", "sunday", "02:30"), "2026-10-25T01:15:00Z", // 02:15 CET
			[]string{"2026-11-01T01:30:00Z"}},
		{"New York 2026 repeat: 01:30 EDT only",
			weekly("America/New_York", "sunday", "01:30"), "2026-10-31T12:00:00Z",
			[]string{"2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z"}},
		{"New York 2027 repeat",
			weekly("America/New_York", "sunday", "01:30"), "2027-11-06T12:00:00Z",
			[]string{"2027-11-07T05:30:00Z", "2027-11-14T06:30:00Z"}},
		{"Lord Howe 2026 repeat is half an hour: 01:45 at +11 only",
			weekly("Australia/Lord_Howe", "sunday", "01:45"), "2026-04-04T00:00:00Z",
			[]string{"2026-04-04T14:45:00Z", "2026-04-11T15:15:00Z"}},
		{"Lord Howe 2027 repeat",
			weekly("Australia/Lord_Howe", "sunday", "01:45"), "2027-04-03T00:00:00Z",
			[]string{"2027-04-03T14:45:00Z", "2027-04-10T15:15:00Z"}},
		{"Lord Howe 01:15 is before its repeat and unaffected",
			weekly("Australia/Lord_Howe", "sunday", "01:15"), "2026-04-04T00:00:00Z",
			[]string{"2026-04-04T14:15:00Z", "2026-04-11T14:45:00Z"}},

		// Kolkata has no DST: the same wall clock is the same UTC time all year.
		{"Kolkata in March",
			weekly("Asia/Kolkata", "sunday", "02:30"), "2026-03-28T00:00:00Z",
			[]string{"2026-03-28T21:00:00Z", "2026-04-04T21:00:00Z"}},
		{"Kolkata in October",
			weekly("Asia/Kolkata", "sunday", "02:30"), "2026-10-24T00:00:00Z",
			[]string{"2026-10-24T21:00:00Z", "2026-10-31T21:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, tt.cadence.Validate())
			var got []time.Time
			after := instant(t, tt.after)
			for range tt.want {
				at, ok := tt.cadence.Next(after)
				require.True(t, ok)
				got = append(got, at)
				after = at
			}
			require.Equal(t, tt.want, utcTimes(got))
		})
	}
}

func TestRecipientZoneDaylightSaving(t *testing.T) {
	t.Parallel()
	// The survey's zone has no DST; the recipients' zones apply their own.
	c := cadence.Cadence{Kind: "weekly", Weekday: "sunday", Time: "02:30", Timezone: "UTC"}
	tests := []struct {
		zone, after, want string
	}{
		{"Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"},       // gap: 03:00 CEST
		{"Europe/Berlin", "2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z"},       // 01:59:59 CET
		{"Europe/Berlin", "2026-03-29T01:00:00Z", "2026-04-05T00:30:00Z"},       // 03:00 CEST: sent
		{"Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"},       // first 02:30, CEST
		{"Europe/Berlin", "2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z"},       // repeat not sent again
		{"Europe/Berlin", "2027-10-31T00:29:59Z", "2027-10-31T00:30:00Z"},       // 02:29:59 CEST
		{"Europe/Berlin", "2027-10-31T01:29:59Z", "2027-11-07T01:30:00Z"},       // 02:29:59 CET: sent
		{"America/New_York", "2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z"},    // 01:59:59 EST: gap next
		{"America/New_York", "2027-03-13T12:00:00Z", "2027-03-14T07:00:00Z"},    // gap: 03:00 EDT
		{"America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T07:30:00Z"},    // 02:30 EST, after the repeat
		{"America/New_York", "2026-11-01T06:10:00Z", "2026-11-01T07:30:00Z"},    // 01:10 EST, second pass
		{"America/New_York", "2027-11-07T05:59:59Z", "2027-11-07T07:30:00Z"},    // 01:59:59 EDT
		{"Australia/Lord_Howe", "2026-10-03T15:29:59Z", "2026-10-03T15:30:00Z"}, // 01:59:59 +10:30
		{"Australia/Lord_Howe", "2026-10-03T15:30:00Z", "2026-10-10T15:30:00Z"}, // 02:30 +11: sent
		{"Australia/Lord_Howe", "2027-10-02T00:00:00Z", "2027-10-02T15:30:00Z"}, // 02:30 exists: +11
		{"Australia/Lord_Howe", "2026-04-04T00:00:00Z", "2026-04-04T16:00:00Z"}, // 02:30 +10:30, after the repeat
		{"Australia/Lord_Howe", "2026-04-04T14:45:00Z", "2026-04-04T16:00:00Z"}, // 01:45 +11, first pass
		{"Australia/Lord_Howe", "2026-04-04T15:10:00Z", "2026-04-04T16:00:00Z"}, // 01:40 +10:30, second pass
		{"Australia/Lord_Howe", "2026-04-04T15:40:00Z", "2026-04-04T16:00:00Z"}, // 02:10 +10:30
		{"Australia/Lord_Howe", "2027-04-03T14:59:59Z", "2027-04-03T16:00:00Z"}, // 01:59:59 +11
		{"Asia/Kolkata", "2026-10-24T00:00:00Z", "2026-10-24T21:00:00Z"},        // +05:30
		{"Asia/Kolkata", "2027-03-27T20:59:59Z", "2027-03-27T21:00:00Z"},        // no gap here
		{"Asia/Kolkata", "2027-10-30T21:00:00Z", "2027-11-06T21:00:00Z"},        // 02:30 IST: sent
	}
	for _, tt := range tests {
		t.Run(tt.zone+" after "+tt.after, func(t *testing.T) {
			t.Parallel()
			at, ok := c.NextIn(instant(t, tt.after), zone(t, tt.zone))
			require.True(t, ok)
			require.Equal(t, tt.want, at.UTC().Format(time.RFC3339))
		})
	}
}

// robfig/cron alone, in a zone with DST, skips a time in the spring-forward
// gap and fires twice in the autumn repeat. This is why the package runs it
// over wall-clock times in UTC and resolves DST itself.
func TestRobfigAloneGetsDaylightSavingWrong(t *testing.T) {
	t.Parallel()
	schedule, err := cron.ParseStandard("30 2 * * *")
	require.NoError(t, err)
	schedule.(*cron.SpecSchedule).Location = zone(t, "Europe/Berlin")
	next := func(after string, n int) []time.Time {
		var out []time.Time
		at := instant(t, after)
		for range n {
			at = schedule.Next(at)
			out = append(out, at)
		}
		return out
	}
	require.Equal(t, []string{"2026-03-28T01:30:00Z", "2026-03-30T00:30:00Z"},
		utcTimes(next("2026-03-27T12:00:00Z", 2)), "29 March skipped")
	require.Equal(t, []string{"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"},
		utcTimes(next("2026-10-24T12:00:00Z", 2)), "25 October twice")

	ours := cadence.Cadence{Kind: "cron", Spec: "30 2 * * *", Timezone: "Europe/Berlin"}
	require.Equal(t, []string{"2026-03-28T02:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"},
		upcoming(t, ours, "2026-03-27T12:00:00Z", 3))
	require.Equal(t, []string{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"},
		upcoming(t, ours, "2026-10-24T12:00:00Z", 2))
}
