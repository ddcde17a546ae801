package cadence_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/fault"
)

func TestValidateAcceptsEveryKind(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]cadence.Cadence{
		"weekly":           weeklyBerlin("monday", "09:00"),
		"monthly day":      {Kind: "monthly", Day: 31, Time: "09:00", Timezone: "Europe/Berlin"},
		"monthly nth":      {Kind: "monthly", Nth: 1, Weekday: "monday", Time: "09:00", Timezone: "Asia/Tokyo"},
		"monthly last":     {Kind: "monthly", Nth: -1, Weekday: "friday", Time: "16:30", Timezone: "America/New_York"},
		"quarterly":        {Kind: "quarterly", Weekday: "monday", Time: "09:00", Timezone: "UTC"},
		"once":             {Kind: "once", At: "2026-12-01T09:00", Timezone: "Europe/Berlin"},
		"cron":             {Kind: "cron", Spec: "0 9 * * MON", Timezone: "Europe/Berlin"},
		"cron descriptor":  {Kind: "cron", Spec: "@weekly", Timezone: "Europe/Berlin"},
		"bounded, paused":  {Kind: "weekly", Weekday: "sunday", Time: "23:59", Timezone: "Asia/Kolkata", StartDate: "2026-01-01", EndDate: "2026-01-01", Paused: true},
		"cron 29 February": {Kind: "cron", Spec: "0 9 29 2 *", Timezone: "Europe/Berlin"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, c.Validate())
		})
	}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cadence cadence.Cadence
		// want maps each reported field to a phrase its reason must contain.
		want map[string]string
	}{
		{"no kind", cadence.Cadence{Timezone: "UTC"},
			map[string]string{"cadence.kind": "required"}},
		{"unknown kind", cadence.Cadence{Kind: "daily", Timezone: "UTC"},
			map[string]string{"cadence.kind": `unknown kind "daily"`}},
		{"bad weekday, time and zone together", cadence.Cadence{Kind: "weekly", Weekday: "Mon", Time: "9:00", Timezone: "Europe/Berln"},
			map[string]string{"cadence.weekday": `unknown weekday "Mon"`, "cadence.time": "not HH:MM", "cadence.timezone": `unknown time zone "Europe/Berln"`}},
		{"missing weekday, time and zone", cadence.Cadence{Kind: "quarterly"},
			map[string]string{"cadence.weekday": "required", "cadence.time": "required", "cadence.timezone": "required"}},
		{"hour 24", weeklyBerlin("monday", "24:00"),
			map[string]string{"cadence.time": "not HH:MM"}},
		{"server zone", cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Local"},
			map[string]string{"cadence.timezone": "server"}},
		{"day out of range", cadence.Cadence{Kind: "monthly", Day: 32, Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.day": "out of range 1..31"}},
		{"negative day", cadence.Cadence{Kind: "monthly", Day: -3, Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.day": "out of range"}},
		{"both day and nth", cadence.Cadence{Kind: "monthly", Day: 1, Nth: 1, Weekday: "monday", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.nth": "not both"}},
		{"neither day nor nth", cadence.Cadence{Kind: "monthly", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.day": "required"}},
		{"nth out of range", cadence.Cadence{Kind: "monthly", Nth: 5, Weekday: "monday", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.nth": "out of range"}},
		{"nth -2", cadence.Cadence{Kind: "monthly", Nth: -2, Weekday: "friday", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.nth": "nth -2 is out of range: use 1..4, or -1 for the last"}},
		{"nth without weekday", cadence.Cadence{Kind: "monthly", Nth: -1, Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.weekday": "required"}},
		{"weekday with day", cadence.Cadence{Kind: "monthly", Day: 1, Weekday: "monday", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.weekday": "only used with nth"}},
		{"once without at", cadence.Cadence{Kind: "once", Timezone: "UTC"},
			map[string]string{"cadence.at": "required"}},
		{"once with bad at and a stray time", cadence.Cadence{Kind: "once", At: "2026-12-01 09:00", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.at": "not a local date-time", "cadence.time": "not used with kind once"}},
		{"cron without spec", cadence.Cadence{Kind: "cron", Timezone: "UTC"},
			map[string]string{"cadence.spec": "required"}},
		{"cron the parser rejects", cadence.Cadence{Kind: "cron", Spec: "0 25 * * *", Timezone: "UTC"},
			map[string]string{"cadence.spec": "cannot parse cron spec \"0 25 * * *\": end of range (25) above maximum (23): 25"}},
		{"cron with seconds field", cadence.Cadence{Kind: "cron", Spec: "0 0 9 * * MON", Timezone: "UTC"},
			map[string]string{"cadence.spec": "expected exactly 5 fields"}},
		{"cron with its own zone", cadence.Cadence{Kind: "cron", Spec: "TZ=Europe/Berlin", Timezone: "UTC"},
			map[string]string{"cadence.spec": "set cadence.timezone"}},
		{"cron @every", cadence.Cadence{Kind: "cron", Spec: "@every 1h", Timezone: "UTC"},
			map[string]string{"cadence.spec": "@every"}},
		{"cron never matching", cadence.Cadence{Kind: "cron", Spec: "0 9 30 2 *", Timezone: "UTC"},
			map[string]string{"cadence.spec": "never matches"}},
		{"cron with weekday and time", cadence.Cadence{Kind: "cron", Spec: "0 9 * * *", Weekday: "monday", Time: "09:00", Timezone: "UTC"},
			map[string]string{"cadence.weekday": "not used with kind cron", "cadence.time": "not used with kind cron"}},
		{"bad dates", cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "UTC", StartDate: "2026-13-01", EndDate: "01.01.2027"},
			map[string]string{"cadence.start_date": "not YYYY-MM-DD", "cadence.end_date": "not YYYY-MM-DD"}},
		{"end before start", cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "UTC", StartDate: "2026-06-01", EndDate: "2026-05-31"},
			map[string]string{"cadence.end_date": "before start_date 2026-06-01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cadence.Validate()
			var invalid *fault.Invalid
			require.True(t, errors.As(err, &invalid), "want *fault.Invalid, got %v", err)
			got := map[string]string{}
			for _, p := range invalid.Problems {
				got[p.Field] = p.Reason
			}
			require.Len(t, got, len(tt.want), "problems: %v", invalid.Problems)
			for field, phrase := range tt.want {
				require.Contains(t, got[field], phrase, "field %s", field)
			}
		})
	}
}

func TestInvalidCadenceNeverSends(t *testing.T) {
	t.Parallel()
	bad := cadence.Cadence{Kind: "weekly", Weekday: "funday", Time: "09:00", Timezone: "UTC"}
	after := instant(t, "2026-01-01T00:00:00Z")
	_, ok := bad.Next(after)
	require.False(t, ok)
	_, ok = bad.Latest(after)
	require.False(t, ok)
	require.Empty(t, bad.Preview(after, 5))
}

func TestCadenceJSONMatchesTheAPIContract(t *testing.T) {
	t.Parallel()
	body := `{"kind": "monthly", "nth": -1, "weekday": "friday", "time": "16:00", "timezone": "Europe/Berlin",
		"start_date": "2026-01-01", "end_date": "2026-12-31", "paused": true}`
	var c cadence.Cadence
	require.NoError(t, json.Unmarshal([]byte(body), &c))
	require.Equal(t, cadence.Cadence{Kind: "monthly", Nth: -1, Weekday: "friday", Time: "16:00", Timezone: "Europe/Berlin",
		StartDate: "2026-01-01", EndDate: "2026-12-31", Paused: true}, c)

	out, err := json.Marshal(cadence.Cadence{Kind: "cron", Spec: "0 9 * * MON", Timezone: "UTC"})
	require.NoError(t, err)
	require.JSONEq(t, `{"kind": "cron", "spec": "0 9 * * MON", "timezone": "UTC", "paused": false}`, string(out))

	out, err = json.Marshal(cadence.Cadence{Kind: "once", At: "2026-12-01T09:00", Timezone: "UTC"})
	require.NoError(t, err)
	require.JSONEq(t, `{"kind": "once", "at": "2026-12-01T09:00", "timezone": "UTC", "paused": false}`, string(out))
}
