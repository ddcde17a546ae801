package migrations_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/migrations"
)

func TestUpDownUp(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st, err := migrations.CurrentStatus(ctx, db)
		require.NoError(t, err)
		require.False(t, st.Pending(), "dbtest returns a migrated database: %+v", st)
		require.Positive(t, st.Current)
		require.Positive(t, st.RiverCurrent)

		// Running Up again is a no-op.
		require.NoError(t, migrations.Up(ctx, db, nil))

		require.NoError(t, migrations.DownAll(ctx, db))
		st, err = migrations.CurrentStatus(ctx, db)
		require.NoError(t, err)
		require.True(t, st.Pending())
		require.Zero(t, st.Current)

		require.NoError(t, migrations.Up(ctx, db, nil))
		st, err = migrations.CurrentStatus(ctx, db)
		require.NoError(t, err)
		require.False(t, st.Pending())
	})
}

func TestDownStepsBackOneVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		before, err := migrations.CurrentStatus(ctx, db)
		require.NoError(t, err)
		v, err := migrations.Down(ctx, db, nil)
		require.NoError(t, err)
		require.Equal(t, before.Latest, v)
		after, err := migrations.CurrentStatus(ctx, db)
		require.NoError(t, err)
		require.Less(t, after.Current, before.Current)
		require.True(t, after.Pending())
	})
}
