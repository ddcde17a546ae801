package cadence_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
)

func TestReminderTimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sent string // instant of the send
		days []int
		zone string // recipient's zone; "" means the sent time's own location
		want []string
	}{
		{"monday send: wednesday and friday at the same time",
			"2026-11-30T08:00:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}},
		{"thursday send: saturday moves to monday, which day 4 already is; sent once",
			"2026-12-03T09:30:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-07T09:30:00Z"}},
		{"friday evening send: 09:00, sunday moves to monday",
			"2026-12-04T17:45:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-07T08:00:00Z", "2026-12-08T08:00:00Z"}},
		{"early send: 09:00",
			"2026-12-02T06:00:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-04T08:00:00Z", "2026-12-07T08:00:00Z"}},
		{"saturday send",
			"2026-12-05T10:00:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-07T10:00:00Z", "2026-12-09T10:00:00Z"}},
		{"17:00 is still working hours",
			"2026-11-30T16:00:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-02T16:00:00Z", "2026-12-04T16:00:00Z"}},
		{"17:01 is not",
			"2026-11-30T16:01:00Z", nil, "Europe/Berlin",
			[]string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}},
		{"seconds are dropped",
			"2026-11-30T08:30:45Z", nil, "Europe/Berlin",
			[]string{"2026-12-02T08:30:00Z", "2026-12-04T08:30:00Z"}},
		{"custom days, unordered, non-positive ignored",
			"2026-11-30T08:00:00Z", []int{7, 3, 1, 0, -2}, "Europe/Berlin",
			[]string{"2026-12-01T08:00:00Z", "2026-12-03T08:00:00Z", "2026-12-07T08:00:00Z"}},
		{"across the switch to CEST the local time holds",
			"2026-03-27T08:00:00Z", nil, "Europe/Berlin",
			[]string{"2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z"}},
		{"Tokyo recipient: the send was 17:00 there",
			"2026-11-30T08:00:00Z", nil, "Asia/Tokyo",
			[]string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}},
		{"New York recipient: the send was 03:00 there",
			"2026-11-30T08:00:00Z", nil, "America/New_York",
			[]string{"2026-12-02T14:00:00Z", "2026-12-04T14:00:00Z"}},
		{"Kolkata recipient, friday 14:30 local",
			"2026-12-04T09:00:00Z", nil, "Asia/Kolkata",
			[]string{"2026-12-07T09:00:00Z", "2026-12-08T09:00:00Z"}},
		{"no zone: the sent time's own location",
			"2026-11-30T09:00:00+01:00", nil, "",
			[]string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sent := instant(t, tt.sent)
			var loc *time.Location
			if tt.zone != "" {
				loc = zone(t, tt.zone)
			}
			got := cadence.ReminderTimes(sent, tt.days, loc)
			require.Equal(t, tt.want, utcTimes(got))
		})
	}
}

func TestRemindersNeverOnAWeekend(t *testing.T) {
	t.Parallel()
	berlin := zone(t, "Europe/Berlin")
	// Every hour of two weeks, with reminder days 1..6.
	sent := instant(t, "2026-11-30T00:00:00Z")
	for range 14 * 24 {
		for _, at := range cadence.ReminderTimes(sent, []int{1, 2, 3, 4, 5, 6}, berlin) {
			local := at.In(berlin)
			require.NotContains(t, []string{"Saturday", "Sunday"}, local.Weekday().String(), "sent %s", sent)
			minutes := local.Hour()*60 + local.Minute()
			require.True(t, minutes >= 9*60 && minutes <= 17*60, "reminder at %s", local)
			require.True(t, at.After(sent))
		}
		sent = sent.Add(time.Hour)
	}
}
