package surveybench_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/migrations"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/survey/surveybench"
)

// small leaves many teams below k in some rounds (seven people, about a
// third skipping), so sealing folds them and suppression hides cells.
var small = surveybench.Size{Departments: 2, TeamsPerDepartment: 3, People: 7, Rounds: 10, SkipEvery: 3}

// The rollups a results call reads agree, digit for digit, with the
// hand-written SQL over the raw answers, for every shown cell of every team.
func TestRollupsAgreeWithRawSQL(t *testing.T) {
	t.Parallel()
	for name, size := range map[string]surveybench.Size{
		"small teams folded": small,
		"every team shown":   {Departments: 2, TeamsPerDepartment: 2, People: 12, Rounds: 6, SkipEvery: 25},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				d, err := surveybench.Generate(t.Context(), db.Gorm, size)
				require.NoError(t, err)
				svc := survey.NewService(db.Gorm, time.Now, nil)
				checked, err := surveybench.CrossCheck(t.Context(), db.Gorm, svc, d)
				require.NoError(t, err)
				require.Positive(t, checked.Shown)
				if size.SkipEvery == 25 {
					require.Zero(t, checked.Suppressed)
				} else {
					require.Positive(t, checked.Suppressed, "small teams are suppressed, not compared")
				}
			})
		})
	}
}

// A changed count in the rollups is caught: the cross-check can fail.
func TestCrossCheckCatchesARollupThatDrifted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d, err := surveybench.Generate(t.Context(), db.Gorm, small)
		require.NoError(t, err)
		require.NoError(t, db.Gorm.Exec("UPDATE round_team_counts SET promoters = promoters + 1").Error)
		_, err = surveybench.CrossCheck(t.Context(), db.Gorm, survey.NewService(db.Gorm, time.Now, nil), d)
		require.ErrorContains(t, err, "raw SQL")
	})
}

// Rounds sealed before the eNPS buckets were kept per team get them from
// the upgrade: results after it are the same, and agree with raw SQL.
func TestUpgradeFillsTheTeamBucketsOfRoundsSealedBefore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d, err := surveybench.Generate(t.Context(), db.Gorm, small)
		require.NoError(t, err)
		svc := survey.NewService(db.Gorm, time.Now, nil)
		q := survey.ResultsQuery{GroupBy: survey.ByMonth}
		before, err := svc.Heatmap(t.Context(), d.SurveyID, q, directory.EveryoneScope())
		require.NoError(t, err)
		for {
			st, err := migrations.CurrentStatus(t.Context(), db)
			require.NoError(t, err)
			if st.Current < 21 {
				break
			}
			_, err = migrations.Down(t.Context(), db, nil)
			require.NoError(t, err)
		}
		require.NoError(t, migrations.Up(t.Context(), db, nil))
		after, err := svc.Heatmap(t.Context(), d.SurveyID, q, directory.EveryoneScope())
		require.NoError(t, err)
		require.Equal(t, before, after)
		_, err = surveybench.CrossCheck(t.Context(), db.Gorm, svc, d)
		require.NoError(t, err)
	})
}
