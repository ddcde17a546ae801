package demo_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/page"
)

func TestDemoShowsTheLoopClosing(t *testing.T) {
	eachLoaded(t, func(t *testing.T, l loaded) {
		ctx := t.Context()
		svc := action.New(l.db.Gorm, func() time.Time { return demoNow }, testSecret, l.surveys)
		hr, err := directory.New(l.db.Gorm, time.Now).EmployeeByEmail(ctx, "hr@demo.example")
		require.NoError(t, err)
		actor := action.Actor{Employee: hr, Scope: directory.EveryoneScope()}
		plans, _, err := svc.List(ctx, actor, action.Filter{}, page.Request{})
		require.NoError(t, err)
		require.Len(t, plans, 3)
		statuses := map[string]string{}
		for _, p := range plans {
			require.NotNil(t, p.PublishedAt, p.Title)
			require.NotNil(t, p.QuestionID, p.Title)
			statuses[p.Title] = p.Status
			updates, _, err := svc.Updates(ctx, p.ID, actor, page.Request{})
			require.NoError(t, err)
			require.NotEmpty(t, updates, "%s has dated updates", p.Title)
		}
		require.Equal(t, action.StatusDone, statuses["Fix on-call load and slow CI"])
		require.Equal(t, action.StatusInProgress, statuses["Review the new commission plan together"])

		platform := l.teams["Platform"]
		marks, err := svc.Markers(ctx, l.survey.ID, &platform)
		require.NoError(t, err)
		require.Len(t, marks, 1)
		require.NotNil(t, marks[0].DoneAt)
		done, _, err := svc.List(ctx, actor, action.Filter{TeamID: &platform}, page.Request{})
		require.NoError(t, err)
		effect, err := svc.Effect(ctx, done[0])
		require.NoError(t, err)
		require.Equal(t, action.EffectMeasured, effect.Status, "Platform's workload is measured before and after")
		require.NotNil(t, effect.Margin)

		americas := l.teams["Sales Americas"]
		open, err := svc.ListOpenForTeam(ctx, &americas, 10)
		require.NoError(t, err)
		require.Len(t, open, 2, "the team's plan and the organisation's")
		counts, err := svc.Reactions(ctx, open[0].ID, actor)
		require.NoError(t, err)
		if open[0].TeamID != nil {
			require.False(t, counts.Suppressed, "six of the team reacted")
		}
	})
}
