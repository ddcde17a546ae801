package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// HR sees a weekly Monday 09:00 Berlin cadence as a Tokyo recipient gets
// it: at 09:00 Tokyo time, which is not the Berlin instant shifted.
func TestCadencePreviewInRecipientsZones(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t)) // the clock says Friday 2026-11-27 10:00 UTC
	weekly := map[string]any{"kind": "weekly", "weekday": "monday", "time": "09:00", "timezone": "Europe/Berlin"}
	var preview struct {
		Next    []struct{ UTC, Local string }
		InZones []struct {
			Zone string
			Next []struct{ UTC, Local string }
		} `json:"in_zones"`
	}
	res := b.do("POST", "/api/v1/schedule/preview", b.hrToken, map[string]any{
		"cadence": weekly, "count": 2, "zones": []string{"Asia/Tokyo", "America/New_York"}})
	require.Equal(t, 200, res.Status, string(res.Body))
	res.data(t, &preview)
	require.Equal(t, "2026-11-30T09:00:00+01:00", preview.Next[0].Local)
	require.Len(t, preview.InZones, 2)
	require.Equal(t, "Asia/Tokyo", preview.InZones[0].Zone)
	require.Equal(t, "2026-11-30T09:00:00+09:00", preview.InZones[0].Next[0].Local)
	require.Equal(t, "2026-11-30T00:00:00Z", preview.InZones[0].Next[0].UTC)
	require.Equal(t, "2026-12-07T09:00:00-05:00", preview.InZones[1].Next[1].Local)

	for _, zones := range [][]string{{"Mars/Olympus"}, {""}, {"UTC", "UTC", "UTC", "UTC", "UTC", "UTC"}} {
		res = b.do("POST", "/api/v1/schedule/preview", b.hrToken, map[string]any{"cadence": weekly, "zones": zones})
		require.Equal(t, 422, res.Status, zones)
		require.Equal(t, "zones", res.err(t).Error.Details[0].Field)
	}
}

// Before sending, HR learns how many people an audience reaches and where
// they live; deactivated people and other teams are not counted.
func TestAudiencePreviewCountsActivePeopleInTheTeamsAndSubTeams(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		sub, err := b.dir.CreateTeam(ctx, directory.TeamInput{Name: "Inside sales", ParentID: &b.team.ID})
		require.NoError(t, err)
		tokyo := "Asia/Tokyo"
		for _, email := range []string{"a@example.com", "b@example.com", "gone@example.com"} {
			_, err := b.dir.CreateEmployee(ctx, directory.EmployeeInput{Email: email, Name: email, TeamID: &sub.ID, Timezone: tokyo})
			require.NoError(t, err)
		}
		gone, err := b.dir.EmployeeByEmail(ctx, "gone@example.com")
		require.NoError(t, err)
		_, err = b.dir.DeactivateEmployee(ctx, gone.ID)
		require.NoError(t, err)

		type summary struct {
			People int
			Zones  []struct {
				Zone   string
				People int
			}
		}
		var sales, everyone summary
		res := b.do("POST", "/api/v1/audience/preview", b.hrToken, map[string]any{"team_ids": []int64{b.team.ID}})
		require.Equal(t, 200, res.Status, string(res.Body))
		res.data(t, &sales)
		require.Equal(t, 4, sales.People, "the manager, the rep and two active people of the sub-team")
		require.Equal(t, "", sales.Zones[0].Zone)
		require.Equal(t, 2, sales.Zones[0].People)
		require.Equal(t, tokyo, sales.Zones[1].Zone)
		require.Equal(t, 2, sales.Zones[1].People)

		b.do("POST", "/api/v1/audience/preview", b.hrToken, map[string]any{}).data(t, &everyone)
		require.Equal(t, 6, everyone.People, "everyone active: HR, manager, rep, outsider and two in the sub-team")
	})
}
