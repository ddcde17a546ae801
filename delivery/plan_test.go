package delivery_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// planned is what one person gets, as UTC RFC 3339 strings.
type planned struct {
	due       string
	reminders []string
}

func TestPlanRound(t *testing.T) {
	t.Parallel()
	weekly := func(weekday, zone string, days ...int) survey.Survey {
		return survey.Survey{ReminderDays: days,
			Cadence: &cadence.Cadence{Kind: "weekly", Weekday: weekday, Time: "09:00", Timezone: zone}}
	}
	round := func(scheduled string, hours int) survey.Round {
		at := utc(t, scheduled)
		return survey.Round{ScheduledAt: at, ClosesAt: at.Add(time.Duration(hours) * time.Hour)}
	}
	world := []directory.Employee{
		{ID: 1, Timezone: "Asia/Tokyo"},
		{ID: 2, Timezone: ""},               // unknown: the survey's zone
		{ID: 3, Timezone: "Not/AZone"},      // unusable: the survey's zone
		{ID: 4, Timezone: "America/Denver"}, // 01:00 local when Berlin sends by hand
	}
	tests := []struct {
		name   string
		sv     survey.Survey
		round  survey.Round
		people []directory.Employee
		want   map[int64]planned
	}{
		{"a cadence reaches everyone at 09:00 their time, reminders on days 2 and 4",
			weekly("monday", "Europe/Berlin", 2, 4), round("2026-11-30T08:00:00Z", 120), world,
			map[int64]planned{
				1: {"2026-11-30T00:00:00Z", []string{"2026-12-02T00:00:00Z", "2026-12-04T00:00:00Z"}},
				2: {"2026-11-30T08:00:00Z", []string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}},
				3: {"2026-11-30T08:00:00Z", []string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}},
				4: {"2026-11-30T16:00:00Z", []string{"2026-12-02T16:00:00Z", "2026-12-04T16:00:00Z"}},
			}},
		{"sent by hand: everyone at once; reminders outside working hours move to 09:00 local",
			survey.Survey{ReminderDays: []int{2, 4}}, round("2026-11-30T08:00:00Z", 120), world,
			map[int64]planned{
				1: {"2026-11-30T08:00:00Z", []string{"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"}}, // 17:00 in Tokyo, still working hours
				2: {"2026-11-30T08:00:00Z", []string{"2026-12-02T09:00:00Z", "2026-12-04T09:00:00Z"}}, // 08:00 UTC is before 09:00
				3: {"2026-11-30T08:00:00Z", []string{"2026-12-02T09:00:00Z", "2026-12-04T09:00:00Z"}},
				4: {"2026-11-30T08:00:00Z", []string{"2026-12-02T16:00:00Z", "2026-12-04T16:00:00Z"}}, // 01:00 in Denver
			}},
		{"a Thursday send: day 2 is Saturday and day 4 Monday, one reminder on Monday",
			weekly("thursday", "Europe/Berlin", 2, 4), round("2026-12-03T08:00:00Z", 120), world[1:2],
			map[int64]planned{2: {"2026-12-03T08:00:00Z", []string{"2026-12-07T08:00:00Z"}}}},
		{"across the autumn clock change the reminders stay at 09:00 local",
			weekly("friday", "Europe/Berlin", 2, 4), round("2026-10-23T07:00:00Z", 120), world[1:2],
			map[int64]planned{2: {"2026-10-23T07:00:00Z", []string{"2026-10-26T08:00:00Z", "2026-10-27T08:00:00Z"}}}},
		{"no reminder at or after the end of the person's window",
			weekly("monday", "Europe/Berlin", 2, 3), round("2026-11-30T08:00:00Z", 72), world[1:2],
			map[int64]planned{2: {"2026-11-30T08:00:00Z", []string{"2026-12-02T08:00:00Z"}}}},
		{"the window counts from each person's own send: Los Angeles keeps a reminder Kolkata's close would cut",
			weekly("monday", "Asia/Kolkata", 1, 2), round("2026-11-30T03:30:00Z", 49),
			[]directory.Employee{{ID: 5, Timezone: "Asia/Kolkata"}, {ID: 6, Timezone: "America/Los_Angeles"}},
			map[int64]planned{
				5: {"2026-11-30T03:30:00Z", []string{"2026-12-01T03:30:00Z", "2026-12-02T03:30:00Z"}},
				6: {"2026-11-30T17:00:00Z", []string{"2026-12-01T17:00:00Z", "2026-12-02T17:00:00Z"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := map[int64]planned{}
			for _, p := range delivery.PlanRound(tt.sv, tt.round, tt.people) {
				require.NotContains(t, got, p.EmployeeID, "planned twice")
				var reminders []string
				for _, at := range p.Reminders {
					reminders = append(reminders, at.UTC().Format(time.RFC3339))
				}
				got[p.EmployeeID] = planned{p.DueAt.UTC().Format(time.RFC3339), reminders}
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func utc(t *testing.T, s string) time.Time {
	at, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return at
}
