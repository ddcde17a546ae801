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

func TestPlanRound(t *testing.T) {
	t.Parallel()
	weekly := survey.Survey{ReminderDays: []int{2, 4},
		Cadence: &cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"}}
	handSent := survey.Survey{ReminderDays: []int{2, 4}}
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC) // 09:00 in Berlin
	round := survey.Round{ScheduledAt: monday, ClosesAt: monday.Add(120 * time.Hour)}
	short := survey.Round{ScheduledAt: monday, ClosesAt: monday.Add(72 * time.Hour)}
	people := []directory.Employee{
		{ID: 1, Timezone: "Asia/Tokyo"},
		{ID: 2, Timezone: ""},               // unknown: the survey's zone
		{ID: 3, Timezone: "Not/AZone"},      // unusable: the survey's zone
		{ID: 4, Timezone: "America/Denver"}, // 01:00 local
	}
	utc := func(s string) time.Time {
		at, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return at
	}
	tests := []struct {
		name   string
		sv     survey.Survey
		round  survey.Round
		due    map[int64]string
		remind map[int64][]string
	}{
		{"a cadence reaches everyone at 09:00 their time, reminders on days 2 and 4", weekly, round,
			map[int64]string{1: "2026-11-30T00:00:00Z", 2: "2026-11-30T08:00:00Z", 3: "2026-11-30T08:00:00Z", 4: "2026-11-30T16:00:00Z"},
			map[int64][]string{
				1: {"2026-12-02T00:00:00Z", "2026-12-04T00:00:00Z"},
				2: {"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"},
				3: {"2026-12-02T08:00:00Z", "2026-12-04T08:00:00Z"},
				4: {"2026-12-02T16:00:00Z", "2026-12-04T16:00:00Z"},
			}},
		{"a round sent by hand goes to everyone at once", handSent, round,
			map[int64]string{1: "2026-11-30T08:00:00Z", 2: "2026-11-30T08:00:00Z", 3: "2026-11-30T08:00:00Z", 4: "2026-11-30T08:00:00Z"},
			nil},
		{"no reminder after the round closes", weekly, short,
			map[int64]string{1: "2026-11-30T00:00:00Z", 2: "2026-11-30T08:00:00Z", 3: "2026-11-30T08:00:00Z", 4: "2026-11-30T16:00:00Z"},
			map[int64][]string{1: {"2026-12-02T00:00:00Z"}, 2: {"2026-12-02T08:00:00Z"}, 3: {"2026-12-02T08:00:00Z"}, 4: {"2026-12-02T16:00:00Z"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, p := range delivery.PlanRound(tt.sv, tt.round, people) {
				require.Equal(t, utc(tt.due[p.EmployeeID]), p.DueAt.UTC(), "due, employee %d", p.EmployeeID)
				if tt.remind == nil {
					continue
				}
				var got []string
				for _, at := range p.Reminders {
					got = append(got, at.UTC().Format(time.RFC3339))
				}
				require.Equal(t, tt.remind[p.EmployeeID], got, "reminders, employee %d", p.EmployeeID)
			}
		})
	}
}
