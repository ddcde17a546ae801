package surveybench_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey/surveybench"
)

var small = surveybench.Size{Departments: 2, TeamsPerDepartment: 3, People: 7, Rounds: 10, SkipEvery: 3}

func TestGenerateSmoke(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		d, err := surveybench.Generate(t.Context(), db.Gorm, small)
		require.NoError(t, err)
		require.NotZero(t, d.Answers)
		org, err := surveybench.RawOrg(t.Context(), db.Gorm, d)
		require.NoError(t, err)
		t.Log(d, org)
	})
}
