package demo_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/oneonone"
)

func TestDemoOneOnOnes(t *testing.T) {
	eachLoaded(t, func(t *testing.T, l loaded) {
		db := l.db
		var series []oneonone.Series
		require.NoError(t, db.Gorm.Order("id").Find(&series).Error)
		require.GreaterOrEqual(t, len(series), 3)

		svc := oneonone.New(db.Gorm, func() time.Time { return demoNow }, nil)
		detail, err := svc.Series(t.Context(), series[0].ID, series[0].ReportID)
		require.NoError(t, err)
		require.Len(t, detail.Meetings, 3)
		require.Equal(t, oneonone.StatusCompleted, detail.Meetings[0].Status)
		require.Equal(t, oneonone.StatusScheduled, detail.Meetings[2].Status)
		require.True(t, detail.Meetings[2].ScheduledAt.After(demoNow), "the next one is ahead")

		next, err := svc.Meeting(t.Context(), detail.Meetings[2].ID, series[0].ReportID)
		require.NoError(t, err)
		require.Len(t, next.ActionItems, 1, "one open item carried over")
		require.True(t, next.ActionItems[0].CarriedOver)
		past, err := svc.Meeting(t.Context(), detail.Meetings[0].ID, series[0].ReportID)
		require.NoError(t, err)
		require.Len(t, past.Notes, 1)
		require.NotEmpty(t, past.Notes[0].Body)
	})
}
