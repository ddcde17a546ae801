package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// Publishing through the API queues one Slack DM per member of the plan's
// team that Slack knows, once, and none for anyone outside it.
func TestPublishingThroughTheAPIQueuesTheTeamsDMsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		// Bind everyone to Slack, as the directory sync would.
		var people []directory.Employee
		require.NoError(t, db.Gorm.Find(&people).Error)
		for _, e := range people {
			slackID := fmt.Sprintf("U0TEST%d", e.ID)
			require.NoError(t, db.Gorm.Model(&directory.Employee{}).Where("id = ?", e.ID).Update("slack_user_id", slackID).Error)
		}
		p := l.plan(t, l.managerToken)
		for range 2 {
			res := l.do("POST", fmt.Sprintf("/api/v1/actions/%d/publish", p.ID), l.managerToken, nil)
			require.Equal(t, 200, res.Status, string(res.Body))
		}
		var args []string
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_action_notice").Pluck("args", &args).Error)
		var members []int64
		require.NoError(t, db.Gorm.Model(&directory.Employee{}).Where("team_id = ? AND active", l.team.ID).Pluck("id", &members).Error)
		require.Len(t, args, len(members), "one per member of the team, publishing twice adds none")
		joined := strings.Join(args, " ")
		for _, e := range []directory.Employee{l.outsider, l.hr} {
			require.NotContains(t, joined, fmt.Sprintf(`"employee_id":%d}`, e.ID), "outside the team")
		}
	})
}
