// Package dbtest gives tests a fresh, migrated database: SQLite always, and
// PostgreSQL whenever PULSE_TEST_DATABASE_URL is set. Under CI=true a missing
// PostgreSQL URL fails the test instead of skipping it.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/migrations"
)

// EnvURL names the variable that points tests at a PostgreSQL server.
const EnvURL = "PULSE_TEST_DATABASE_URL"

// Each runs fn as a subtest against every available database, the subtests
// in parallel: each has a database of its own. The subtests start only once
// the calling function returns, so Each must be the last thing it does. A
// test that changes process-wide state (the default logger, a package
// variable) uses EachInTurn instead.
func Each(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { t.Parallel(); fn(t, Postgres(t)) })
}

// EachInTurn is Each with the subtests one after the other, for a test that
// changes process-wide state; such a test also leaves out t.Parallel.
func EachInTurn(t *testing.T, fn func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated database in a temporary file.
func SQLite(t testing.TB) *database.DB {
	t.Helper()
	loc, err := database.ParseURL(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	return open(t, loc)
}

// Postgres opens a migrated database in a schema of its own, dropped after
// the test, or skips (fails under CI=true) when no server is configured.
func Postgres(t testing.TB) *database.DB {
	t.Helper()
	raw := os.Getenv(EnvURL)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set, and CI=true requires the PostgreSQL tests to run", EnvURL)
		}
		t.Skipf("PostgreSQL tests skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test) to run them", EnvURL)
	}
	ctx := context.Background()
	admin, err := database.Open(ctx, mustParse(t, raw))
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	schema := "pulse_test_" + randomHex(6)
	if _, err := admin.SQL.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.SQL.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	inSchema, err := database.InSchema(raw, schema)
	if err != nil {
		t.Fatal(err)
	}
	return open(t, mustParse(t, inSchema))
}

func open(t testing.TB, loc database.Location) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(context.Background(), db, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

func mustParse(t testing.TB, raw string) database.Location {
	t.Helper()
	loc, err := database.ParseURL(raw)
	if err != nil {
		t.Fatalf("%s %v", EnvURL, err)
	}
	return loc
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// SchemaURL is PULSE_TEST_DATABASE_URL pointed at schema, for tests that
// open a second connection pool to the same database (a second replica).
func SchemaURL(t testing.TB, schema string) string {
	t.Helper()
	inSchema, err := database.InSchema(os.Getenv(EnvURL), schema)
	if err != nil {
		t.Fatal(err)
	}
	return inSchema
}
