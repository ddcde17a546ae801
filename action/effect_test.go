package action_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// closeRound lets everyone of team A in answers score the next round, and
// closes it.
func (w *world) nextRound(scores ...int) {
	w.t.Helper()
	w.advance(24 * time.Hour)
	r := w.round()
	for i, score := range scores {
		w.answer(r.ID, w.a[i].ID, score, "")
	}
	for _, e := range w.b {
		w.answer(r.ID, e.ID, 8, "")
	}
	w.advance(6 * 24 * time.Hour)
	_, err := w.surveys.CloseDue(w.t.Context(), nil)
	require.NoError(w.t, err)
}

func TestTheEffectIsTheLinkedQuestionsChangeSincePublishingWithItsMargin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		unpublished := w.create(w.actor(w.bossA), w.input())
		e, err := w.svc.Effect(ctx, unpublished)
		require.NoError(t, err)
		require.Equal(t, action.EffectNotPublished, e.Status)

		p := w.published()
		e, err = w.svc.Effect(ctx, p)
		require.NoError(t, err)
		require.Equal(t, action.EffectNoRoundSince, e.Status)

		// Three of A answer: the later round is suppressed for A, and so
		// is the effect, whatever the round before showed.
		w.nextRound(10, 10, 10)
		e, err = w.svc.Effect(ctx, p)
		require.NoError(t, err)
		require.Equal(t, action.EffectSuppressed, e.Status)
		require.Nil(t, e.Change)
		require.Nil(t, e.Before)

		// All six promoters now; before, A scored 4..9 (one promoter, four
		// detractors... three detractors, two passives): -33.3.
		w.nextRound(10, 10, 10, 9, 9, 9)
		e, err = w.svc.Effect(ctx, p)
		require.NoError(t, err)
		require.Equal(t, action.EffectMeasured, e.Status)
		require.Equal(t, -33.3, e.Before.Value)
		require.Equal(t, 100.0, e.After.Value)
		require.Equal(t, 133.3, *e.Change)
		require.Greater(t, *e.Margin, 0.0)
		require.True(t, e.Significant)
	})
}
