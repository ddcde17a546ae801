package cadence_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/fault"
)

func TestCadencesSendingMoreThanOnceADayAreRefused(t *testing.T) {
	t.Parallel()
	now := instant(t, "2026-12-06T01:50:00Z") // a Sunday
	tests := []struct {
		name string
		spec string
		want []string // phrases of the reason
	}{
		{"every minute", "* * * * *",
			[]string{"1440 times", "at most once a day", "next sends: Sun 2026-12-06 02:51, 02:52, 02:53, 02:54 (Europe/Berlin)"}},
		{"meant as 09:00 on Monday", "* 9 * * MON",
			[]string{"60 times", "next sends: Mon 2026-12-07 09:00, 09:01, 09:02, 09:03 (Europe/Berlin)", `e.g. "0 9 * * MON"`}},
		{"twice a day", "0 9,17 * * *",
			[]string{"2 times", "next sends: Sun 2026-12-06 09:00, 17:00, Mon 2026-12-07 09:00, 17:00"}},
		{"every hour on one day a year", "0 * 29 2 *",
			[]string{"24 times", "next sends: Tue 2028-02-29 00:00, 01:00, 02:00, 03:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cadence.Cadence{Kind: "cron", Spec: tt.spec, Timezone: "Europe/Berlin"}
			for _, err := range []error{c.ValidateAt(now), c.Validate()} {
				var invalid *fault.Invalid
				require.True(t, errors.As(err, &invalid), "want *fault.Invalid, got %v", err)
				require.Len(t, invalid.Problems, 1)
				require.Equal(t, "cadence.spec", invalid.Problems[0].Field)
			}
			reason := c.ValidateAt(now).(*fault.Invalid).Problems[0].Reason
			for _, phrase := range tt.want {
				require.Contains(t, reason, phrase)
			}
			// A stored one (saved before the limit existed) never sends.
			_, ok := c.Next(now)
			require.False(t, ok)
			_, ok = c.Latest(now.AddDate(0, 0, 30))
			require.False(t, ok)
			require.Empty(t, c.Preview(now, 5))
		})
	}
}

func TestOnceADayIsAllowed(t *testing.T) {
	t.Parallel()
	now := instant(t, "2026-12-06T01:50:00Z")
	for name, c := range map[string]cadence.Cadence{
		"daily":                {Kind: "cron", Spec: "0 9 * * *", Timezone: "Europe/Berlin"},
		"weekdays":             {Kind: "cron", Spec: "30 8 * * 1-5", Timezone: "America/Los_Angeles"},
		"daily at midnight":    {Kind: "cron", Spec: "0 0 * * *", Timezone: "Asia/Kolkata"},
		"daily in a DST gap":   {Kind: "cron", Spec: "30 2 * * *", Timezone: "Europe/Berlin"},
		"daily through repeat": {Kind: "cron", Spec: "45 1 * * *", Timezone: "Australia/Lord_Howe"},
		"@daily":               {Kind: "cron", Spec: "@daily", Timezone: "UTC"},
		"weekly":               weeklyBerlin("monday", "09:00"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, c.ValidateAt(now))
			// Across both 2027 DST changes, never two sends on one local day.
			require.Len(t, c.Preview(instant(t, "2027-03-01T00:00:00Z"), 100), 100)
			require.NoError(t, c.ValidateAt(instant(t, "2027-03-20T00:00:00Z")))
			require.NoError(t, c.ValidateAt(instant(t, "2027-10-20T00:00:00Z")))
		})
	}
}
