package database_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
)

// The start log names the database, never its password.
func TestDescribeLeavesThePasswordOut(t *testing.T) {
	t.Parallel()
	pg := database.Location{Dialect: database.Postgres, DSN: "postgres://pulse:s3cret@db.internal:5433/pulse?sslmode=require"}
	require.Equal(t, "postgres pulse@db.internal:5433/pulse", pg.Describe())
	kv := database.Location{Dialect: database.Postgres, DSN: "host=db.internal user=pulse password=s3cret dbname=pulse"}
	require.NotContains(t, kv.Describe(), "s3cret")
	require.Contains(t, kv.Describe(), "db.internal")
	lite := database.Location{Dialect: database.SQLite, Path: "pulse.db"}
	abs, err := filepath.Abs("pulse.db")
	require.NoError(t, err)
	require.Equal(t, "sqlite file "+abs, lite.Describe())
}
