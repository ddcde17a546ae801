package action_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

func TestAPlanIsRecordedPublishedAndUpdated(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		boss := w.actor(w.bossA)
		p := w.create(boss, w.input())
		require.Equal(t, action.StatusPlanned, p.Status)
		require.Equal(t, 1, p.Version)
		require.Nil(t, p.PublishedAt)

		var told []int64
		p, audience, err := w.svc.Publish(ctx, p.ID, boss, nil)
		require.NoError(t, err)
		require.NotNil(t, p.PublishedAt)
		for _, e := range audience {
			told = append(told, e.ID)
		}
		require.ElementsMatch(t, ids(w.a), told, "the team's members are told, nobody else")

		p, u, err := w.svc.AddUpdate(ctx, p.ID, boss, action.UpdateInput{Text: "First Wednesday held", Status: action.StatusInProgress})
		require.NoError(t, err)
		require.Equal(t, action.StatusInProgress, p.Status)
		require.Equal(t, action.StatusPlanned, *u.FromStatus)
		require.Equal(t, action.StatusInProgress, *u.ToStatus)

		open, err := w.svc.ListOpenForTeam(ctx, &w.teamA.ID, 10)
		require.NoError(t, err)
		require.Len(t, open, 1)
		open, err = w.svc.ListOpenForTeam(ctx, &w.teamB.ID, 10)
		require.NoError(t, err)
		require.Empty(t, open, "team B does not see team A's plan")
	})
}
