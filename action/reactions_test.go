package action_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/fault"
)

func (w *world) published() action.Plan {
	w.t.Helper()
	boss := w.actor(w.bossA)
	p := w.create(boss, w.input())
	p, _, err := w.svc.Publish(w.t.Context(), p.ID, boss, nil)
	require.NoError(w.t, err)
	return p
}

func (w *world) counts(planID int64) action.ReactionCounts {
	w.t.Helper()
	c, err := w.svc.Reactions(w.t.Context(), planID, w.actor(w.hr))
	require.NoError(w.t, err)
	return c
}

func TestReactionsShowOnlyOnceKPeopleMovedThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		p := w.published()
		for i := range 4 {
			require.NoError(t, w.svc.React(ctx, p.ID, w.a[i].ID, action.Helps))
			require.True(t, w.counts(p.ID).Suppressed, "%d reactions are below k", i+1)
		}
		// Tapping again, even many times, is not a fifth person.
		for range 3 {
			require.NoError(t, w.svc.React(ctx, p.ID, w.a[0].ID, action.Helps))
		}
		require.True(t, w.counts(p.ID).Suppressed)
		require.NoError(t, w.svc.React(ctx, p.ID, w.a[4].ID, action.NotYet))
		c := w.counts(p.ID)
		require.False(t, c.Suppressed)
		require.Equal(t, 5, *c.N)
		require.Equal(t, 4, *c.Helps)
		require.Equal(t, 1, *c.NotYet)

		// One person changing their mind would be visible by difference:
		// the shown tally waits for k changes.
		require.NoError(t, w.svc.React(ctx, p.ID, w.a[0].ID, action.NotYet))
		require.Equal(t, 4, *w.counts(p.ID).Helps, "one change is not shown")
		mine, err := w.svc.MyReaction(ctx, p.ID, w.a[0].ID)
		require.NoError(t, err)
		require.Equal(t, action.NotYet, mine, "the person sees their own choice")

		require.ErrorIs(t, w.svc.React(ctx, p.ID, w.b[0].ID, action.Helps), fault.ErrNotFound, "team B may not react to A's plan")
		require.Equal(t, []string{"value"}, fields(t, w.svc.React(ctx, p.ID, w.a[0].ID, "love")))
	})
}

func TestAnUnpublishedOrFinishedPlanTakesNoReactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		p := w.create(w.actor(w.bossA), w.input())
		require.ErrorIs(t, w.svc.React(ctx, p.ID, w.a[0].ID, action.Helps), fault.ErrNotFound)
		p = w.published()
		_, _, err := w.svc.AddUpdate(ctx, p.ID, w.actor(w.bossA), action.UpdateInput{Text: "Dropped", Status: action.StatusDropped})
		require.NoError(t, err)
		require.True(t, isConflict(w.svc.React(ctx, p.ID, w.a[0].ID, action.Helps)))
	})
}

// The attacker holds the database files and the server secret (a DBA with
// access to the configuration), and even copied the plan's key while it was
// open. Once the plan is done, recomputing every employee's hash with all
// of that meets no stored row.
func TestADBAWithTheSecretCannotTellWhoReactedOnceThePlanIsDone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		p := w.published()
		for i, e := range w.a {
			v := action.Helps
			if i == 0 {
				v = action.NotYet
			}
			require.NoError(t, w.svc.React(ctx, p.ID, e.ID, v))
		}
		var key []byte
		require.NoError(t, db.Gorm.Table("action_reaction_keys").Where("plan_id = ?", p.ID).Select("key").Row().Scan(&key))
		var open []string
		require.NoError(t, db.Gorm.Table("action_reactions").Where("plan_id = ?", p.ID).Pluck("voter_hash", &open).Error)
		require.Contains(t, open, action.HashWith(w.svc, key, p.ID, w.a[0].ID),
			"the attack works while the plan is open, so the test can tell it fails later")

		cols, err := db.Gorm.Migrator().ColumnTypes("action_reactions")
		require.NoError(t, err)
		var names []string
		for _, c := range cols {
			names = append(names, c.Name())
		}
		require.ElementsMatch(t, []string{"plan_id", "voter_hash", "value", "pending"}, names,
			"no employee id, no time, no serial id")

		_, _, err = w.svc.AddUpdate(ctx, p.ID, w.actor(w.bossA), action.UpdateInput{Text: "Done", Status: action.StatusDone})
		require.NoError(t, err)
		var keys int64
		require.NoError(t, db.Gorm.Table("action_reaction_keys").Count(&keys).Error)
		require.Zero(t, keys, "the plan's key is gone")

		var hashes []string
		require.NoError(t, db.Gorm.Table("action_reactions").Where("plan_id = ?", p.ID).Pluck("voter_hash", &hashes).Error)
		require.Len(t, hashes, len(w.a), "reactions stay counted")
		stored := map[string]bool{}
		for _, h := range hashes {
			stored[h] = true
		}
		for _, e := range w.a {
			require.False(t, stored[action.HashWith(w.svc, key, p.ID, e.ID)], "employee %d found", e.ID)
			mine, err := w.svc.MyReaction(ctx, p.ID, e.ID)
			require.NoError(t, err)
			require.Empty(t, mine, "not even the service can find a person's reaction again")
		}
		// The sixth reaction came after the tally last moved, one short of
		// k changes, so it stays unshown for good.
		c := w.counts(p.ID)
		require.False(t, c.Suppressed)
		require.Equal(t, 4, *c.Helps)
		require.Equal(t, 1, *c.NotYet)
	})
}

// One person tapping "helps" on several devices at once is one reaction.
func TestConcurrentTapsOfOnePersonAreOneReaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		p := w.published()
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() { require.NoError(t, w.svc.React(t.Context(), p.ID, w.a[0].ID, action.Helps)) })
		}
		wg.Wait()
		var n int64
		require.NoError(t, db.Gorm.Table("action_reactions").Where("plan_id = ?", p.ID).Count(&n).Error)
		require.EqualValues(t, 1, n)
	})
}
