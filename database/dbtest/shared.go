package dbtest

import (
	"context"
	"os"
	"path/filepath"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/migrations"
)

// Shared opens a migrated database that outlives any one test, for a
// package whose tests all read one fixture too costly to build per test;
// its TestMain calls release after m.Run. With PostgreSQL it is a schema of
// its own. db is nil when no PostgreSQL server is configured: call
// Postgres(t) then, which skips, or fails under CI=true.
func Shared(dialect database.Dialect) (db *database.DB, release func(), err error) {
	ctx := context.Background()
	if dialect == database.SQLite {
		dir, err := os.MkdirTemp("", "pulse-shared-")
		if err != nil {
			return nil, nil, err
		}
		db, err := migrations.Open(ctx, filepath.Join(dir, "pulse.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, nil, err
		}
		return db, func() { db.Close(); os.RemoveAll(dir) }, nil
	}
	raw := os.Getenv(EnvURL)
	if raw == "" {
		return nil, func() {}, nil
	}
	loc, err := database.ParseURL(raw)
	if err != nil {
		return nil, nil, err
	}
	admin, err := database.Open(ctx, loc)
	if err != nil {
		return nil, nil, err
	}
	schema := "pulse_shared_" + randomHex(6)
	drop := func() {
		admin.SQL.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		admin.Close()
	}
	if _, err := admin.SQL.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return nil, nil, err
	}
	inSchema, err := database.InSchema(raw, schema)
	if err != nil {
		drop()
		return nil, nil, err
	}
	if db, err = migrations.Open(ctx, inSchema); err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}
