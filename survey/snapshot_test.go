package survey_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// A result reads its rounds, then their counts and participation. Were
// those reads at different moments, a change landing between them would mix
// two states into one figure (an n from one moment, a participation from
// another). They read one snapshot: a write made between the two reads, on
// another connection, is not seen. PostgreSQL only: SQLite has one
// connection, on which nothing can interleave with an open transaction.
func TestResultsReadOneSnapshot(t *testing.T) {
	// Serial: it sets a package-level hook that every result runs.
	db := dbtest.Postgres(t)
	o, r, _ := answeredRound(t, db)
	ctx := t.Context()
	_, err := o.svc.CloseRound(ctx, r.ID, nil)
	require.NoError(t, err)
	q := survey.ResultsQuery{GroupBy: survey.ByRound}
	want, err := o.svc.Results(ctx, r.SurveyID, q, directory.EveryoneScope())
	require.NoError(t, err)
	require.Len(t, want.Points, 1)
	require.Equal(t, 6, *want.Points[0].N)

	changed := false
	restore := survey.SetAfterRoundsLoaded(func() {
		if changed {
			return
		}
		changed = true
		// Another connection of the pool: it commits at once.
		require.NoError(t, db.Gorm.Exec("UPDATE answer_counts SET n = n + 5 WHERE round_id = ?", r.ID).Error)
		require.NoError(t, db.Gorm.Exec("UPDATE round_team_counts SET recipients = recipients + 50 WHERE round_id = ?", r.ID).Error)
	})
	defer restore()
	got, err := o.svc.Results(ctx, r.SurveyID, q, directory.EveryoneScope())
	require.NoError(t, err)
	require.True(t, changed)
	require.Equal(t, want, got, "what committed after the result began reading is not in it")

	moved, err := o.svc.Results(ctx, r.SurveyID, q, directory.EveryoneScope())
	require.NoError(t, err)
	require.NotEqual(t, want, moved, "the next read sees the change: the hook did change the data")
}
