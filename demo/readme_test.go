package demo_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// readmeManager is the manager the README suggests signing in as.
const readmeManager = "jessica.alvarez@demo.example"

// The README's manager has 1:1s and a team with sales numbers to look at.
func TestTheReadmeManagerHasOneOnOnesAndSales(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	require.Contains(t, string(readme), "--email "+readmeManager)
	eachLoaded(t, func(t *testing.T, l loaded) {
		ctx := context.Background()
		manager, err := directory.New(l.db.Gorm, nil).EmployeeByEmail(ctx, readmeManager)
		require.NoError(t, err)
		require.Equal(t, directory.RoleManager, manager.Role)
		var series, deals int64
		require.NoError(t, l.db.Gorm.Table("one_on_one_series").Where("manager_id = ?", manager.ID).Count(&series).Error)
		require.Positive(t, series, "1:1s with their reports")
		require.NoError(t, l.db.Gorm.Table("sales_deals AS d").Joins("JOIN employees e ON e.id = d.owner_id").
			Where("e.team_id = ?", l.teams["Sales Americas"]).Count(&deals).Error)
		require.Positive(t, deals, "their team's sales data")
	})
}

// The newest replyable comments carry a conversation, one with the author's
// answer, and nothing in them names the author.
func TestDemoCommentsHaveAThread(t *testing.T) {
	eachLoaded(t, func(t *testing.T, l loaded) {
		ctx := context.Background()
		comments, err := l.surveys.Comments(ctx, l.survey.ID, survey.ResultsQuery{}, directory.EveryoneScope())
		require.NoError(t, err)
		talks := conversation.New(l.db.Gorm, l.surveys, func() time.Time { return demoNow })
		threads, answered := 0, 0
		for _, c := range comments {
			if !c.HasConversation {
				continue
			}
			threads++
			replies, err := talks.Thread(ctx, c.ID, directory.EveryoneScope())
			require.NoError(t, err)
			require.NotEmpty(t, replies)
			require.False(t, replies[0].FromAuthor)
			require.NotEmpty(t, replies[0].ReplierName)
			for _, r := range replies {
				if r.FromAuthor {
					answered++
					require.Nil(t, r.ReplierID)
					require.False(t, strings.Contains(r.Body, "@demo.example"))
				}
			}
		}
		require.GreaterOrEqual(t, threads, 2)
		require.Equal(t, 1, answered, "one author answered back")
	})
}
