package survey_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// countQueries counts every statement that reads through db from now on.
func countQueries(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	require.NoError(t, db.Callback().Query().Before("gorm:query").Register("test:count_query", count))
	require.NoError(t, db.Callback().Row().Before("gorm:row").Register("test:count_row", count))
	require.NoError(t, db.Callback().Raw().Before("gorm:raw").Register("test:count_raw", count))
	return &n
}

// The open rounds of a person (Slack's /pulse, App Home, the web) are read in
// the same few queries for one round or many, and say what the person
// answered in each.
func TestOpenRoundsOfAPersonAreReadInAFixedNumberOfQueries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		me := o.people("me", 1, nil)[0]
		enps := survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"}
		var rounds []survey.Round
		for range 6 {
			sv := o.survey(enps, survey.QuestionInput{Kind: survey.KindText, Prompt: "Why?"})
			rounds = append(rounds, o.round(sv.ID))
			o.advance(time.Minute)
		}
		sv, err := o.svc.Survey(t.Context(), rounds[2].SurveyID)
		require.NoError(t, err)
		o.answer(rounds[2].ID, me.ID, sv.Questions[0].ID, 8)

		queries := countQueries(t, db.Gorm)
		open, err := o.svc.OpenRoundsFor(t.Context(), me.ID)
		require.NoError(t, err)
		many := queries.Swap(0)
		require.Len(t, open, 6)
		for i, r := range open {
			require.Equal(t, rounds[i].ID, r.ID)
			require.Len(t, r.Questions, 2)
			require.Equal(t, i == 2, r.Answered, "round %d", i)
			require.Equal(t, survey.StatusOpen, r.Status)
		}

		_, err = o.svc.CloseRound(t.Context(), rounds[5].ID, nil)
		require.NoError(t, err)
		for _, r := range rounds[1:5] {
			_, err = o.svc.CloseRound(t.Context(), r.ID, nil)
			require.NoError(t, err)
		}
		queries.Store(0)
		open, err = o.svc.OpenRoundsFor(t.Context(), me.ID)
		require.NoError(t, err)
		require.Len(t, open, 1)
		require.Equal(t, many, queries.Load(), "one round costs as many queries as six")
		require.LessOrEqual(t, many, int64(6))
		t.Logf("OpenRoundsFor: %d queries for 6 rounds and for 1", many)
	})
}
