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
		require.ElementsMatch(t, append(ids(w.a), w.quiet.ID), told, "the team's members are told, nobody else")

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

func TestOverdueListsWhatTheOwnerOrTheTeamsManagerShouldChase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		in := w.input()
		in.OwnerID = w.a[0].ID
		in.DueOn = w.today()
		late := w.create(w.actor(w.bossA), in)
		in.DueOn, in.Title = w.clock().AddDate(0, 2, 0).Format("2006-01-02"), "Later"
		w.create(w.actor(w.bossA), in)
		done := w.create(w.actor(w.hr), w.input())
		_, _, err := w.svc.AddUpdate(ctx, done.ID, w.actor(w.hr), action.UpdateInput{Text: "Done", Status: action.StatusDone})
		require.NoError(t, err)

		asOf := w.clock().AddDate(0, 1, 1)
		for _, who := range []int64{w.a[0].ID, w.bossA.ID} {
			got, err := w.svc.Overdue(ctx, asOf, who, 10)
			require.NoError(t, err)
			require.Len(t, got, 1, "for %d: the late one; not the later one, not the done one", who)
			require.Equal(t, late.ID, got[0].ID)
		}
		got, err := w.svc.Overdue(ctx, asOf, w.bossB.ID, 10)
		require.NoError(t, err)
		require.Empty(t, got)
		got, err = w.svc.Overdue(ctx, w.clock(), w.bossA.ID, 10)
		require.NoError(t, err)
		require.Empty(t, got, "due today is not overdue yet")
	})
}

func TestMarkersArePublishedPlansOfExactlyTheGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		p := w.published()
		w.create(w.actor(w.bossA), w.input()) // not published: no marker
		_, _, err := w.svc.AddUpdate(ctx, p.ID, w.actor(w.bossA), action.UpdateInput{Text: "Done", Status: action.StatusDone})
		require.NoError(t, err)
		marks, err := w.svc.Markers(ctx, w.sv.ID, &w.teamA.ID)
		require.NoError(t, err)
		require.Len(t, marks, 1)
		require.Equal(t, p.Title, marks[0].Title)
		require.NotNil(t, marks[0].DoneAt)
		marks, err = w.svc.Markers(ctx, w.sv.ID, nil)
		require.NoError(t, err)
		require.Empty(t, marks, "a team's plan is no organisation marker")
	})
}
