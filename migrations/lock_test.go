package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/migrations"
)

// Replicas starting together on one schema take turns migrating; a
// deployment (or a test) in another schema of the database does not wait
// for them.
func TestTheMigrationLockIsPerSchema(t *testing.T) {
	t.Parallel()
	db, other := dbtest.Postgres(t), dbtest.Postgres(t)
	var schema string
	require.NoError(t, db.SQL.QueryRowContext(t.Context(), "SELECT current_schema()").Scan(&schema))
	loc, err := database.ParseURL(dbtest.SchemaURL(t, schema))
	require.NoError(t, err)
	replica, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	defer replica.Close()

	require.NoError(t, migrations.WithLock(t.Context(), db, func() error {
		// The deadlines only end a wait that would otherwise never end.
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		require.NoError(t, migrations.Up(ctx, other, nil), "another schema migrates meanwhile")
		ctx, cancel = context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		require.ErrorIs(t, migrations.Up(ctx, replica, nil), context.DeadlineExceeded, "a replica of the same schema waits its turn")
		return nil
	}))
}
