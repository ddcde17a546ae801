package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// A backup taken while Pulse writes is one consistent moment of the
// database, and restored the documented way it is a working install.
func TestBackupOfAServingSQLiteDatabaseRestores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(dir, "pulse.db")}
	_, err := pulse(t, env, "demo")
	require.NoError(t, err)
	source := openURL(t, env["PULSE_DATABASE_URL"])
	keys := roundKeys(t, source)
	require.NotEmpty(t, keys, "the demo has an open round, whose key must stay out of backups")

	written, stop := writeEmployees(t, source)
	waitFor(written, 5) // the writer is under way before the backup starts
	dest := filepath.Join(t.TempDir(), "backup.db")
	out, err := pulse(t, env, "backup", dest)
	require.NoError(t, err)
	atBackup := written.Load()
	waitFor(written, atBackup+5) // and goes on after it
	stop()

	secret, err := os.ReadFile(filepath.Join(dir, "pulse.secret"))
	require.NoError(t, err)
	require.NotContains(t, out, strings.TrimSpace(string(secret)), "the secret is copied, never printed")
	require.Contains(t, out, dest+".secret")
	for _, path := range []string{dest, dest + ".secret"} {
		info, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), path)
	}
	copied, err := os.ReadFile(dest + ".secret")
	require.NoError(t, err)
	require.Equal(t, secret, copied)

	restored := restoreSQLite(t, dest)
	status, err := pulse(t, map[string]string{"PULSE_DATABASE_URL": restored}, "migrate", "status")
	require.NoError(t, err)
	requireSchemaCurrent(t, status)
	copyDB := openURL(t, restored)
	var integrity string
	require.NoError(t, copyDB.SQL.QueryRow("PRAGMA integrity_check").Scan(&integrity))
	require.Equal(t, "ok", integrity)
	requireWriterPrefix(t, copyDB, atBackup)
	require.Empty(t, roundKeys(t, copyDB))
	raw, err := os.ReadFile(dest)
	require.NoError(t, err)
	for _, key := range keys {
		require.False(t, bytes.Contains(raw, key), "an open round's key is nowhere in the backup file")
	}

	// Once nothing writes, the backup holds exactly what the database does.
	quiet := filepath.Join(t.TempDir(), "quiet.db")
	_, err = pulse(t, env, "backup", quiet)
	require.NoError(t, err)
	want := dbtest.Dump(t, source)
	want["round_keys"], want["action_reaction_keys"] = []string{}, []string{}
	require.Equal(t, want, dbtest.Dump(t, openURL(t, restoreSQLite(t, quiet))))

	requireOpenRoundClosesAtItsNextAnswer(t, copyDB, secret)

	_, err = pulse(t, env, "backup", quiet)
	require.ErrorContains(t, err, quiet+" already exists")
	again, err := os.ReadFile(quiet)
	require.NoError(t, err)
	require.NotEqual(t, raw, again, "nothing is overwritten (the two backups differ)")
}

func TestBackupNeverOverwritesAndWritesAllOrNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(dir, "pulse.db")}
	newInstall(t, env)
	dest := filepath.Join(t.TempDir(), "backup.db")

	require.NoError(t, os.WriteFile(dest+".secret", []byte("someone else's"), 0o600))
	_, err := pulse(t, env, "backup", dest)
	require.ErrorContains(t, err, dest+".secret already exists")
	_, err = os.Stat(dest)
	require.ErrorIs(t, err, os.ErrNotExist, "no database copy without its secret")
	kept, _ := os.ReadFile(dest + ".secret")
	require.Equal(t, "someone else's", string(kept))

	env["PULSE_SECRET"] = strings.Repeat("s", 40)
	out, err := pulse(t, env, "backup", dest)
	require.NoError(t, err, "with PULSE_SECRET set there is no secret file to copy")
	require.Contains(t, out, "PULSE_SECRET is set in the environment and is not in the backup")
	require.NotContains(t, out, env["PULSE_SECRET"])
	entries, err := os.ReadDir(filepath.Dir(dest))
	require.NoError(t, err)
	require.Len(t, entries, 2, "no partial file is left behind")

	_, err = pulse(t, env, "backup", filepath.Join(t.TempDir(), "missing", "backup.db"))
	require.Error(t, err)
}

func TestBackupOfPostgreSQLPointsToPgDump(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PULSE_DATABASE_URL": "postgres://pulse@127.0.0.1:1/pulse", "PULSE_SECRET": strings.Repeat("s", 40)}
	_, err := pulse(t, env, "backup", filepath.Join(t.TempDir(), "b.db"))
	require.ErrorContains(t, err, "pg_dump")
}

// The README's PostgreSQL recipe, run: pg_dump of a live install, restored
// with pg_restore into a new database, opens as the same install.
func TestPgDumpRestoresIntoAFreshDatabase(t *testing.T) {
	t.Parallel()
	pg := os.Getenv(dbtest.EnvURL)
	if pg == "" && os.Getenv("CI") != "true" {
		t.Skipf("set %s to run the pg_dump/pg_restore test", dbtest.EnvURL)
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed, and CI=true requires the restore test to run", tool)
			}
			t.Skipf("%s is not installed: the PostgreSQL restore test is skipped", tool)
		}
	}
	sourceURL := freshPostgresURL(t, pg)
	env := map[string]string{"PULSE_DATABASE_URL": sourceURL, "PULSE_SECRET": strings.Repeat("s", 40)}
	_, err := pulse(t, env, "demo")
	require.NoError(t, err)
	source := openURL(t, sourceURL)
	require.NotEmpty(t, roundKeys(t, source))
	var schema string
	require.NoError(t, source.SQL.QueryRow("SELECT current_schema()").Scan(&schema))

	dump := filepath.Join(t.TempDir(), "pulse.dump")
	runTool(t, "pg_dump", "--format=custom", "--no-unlogged-table-data", "--schema="+schema, "--file="+dump, pg)
	restoreURL := freshDatabase(t, source, pg)
	runTool(t, "pg_restore", "--no-owner", "--exit-on-error", "--dbname="+restoreURL, dump)

	restoredURL := restoreURL + "&search_path=" + schema
	env["PULSE_DATABASE_URL"] = restoredURL
	status, err := pulse(t, env, "migrate", "status")
	require.NoError(t, err)
	requireSchemaCurrent(t, status)
	restored := openURL(t, restoredURL)
	want := dbtest.Dump(t, source)
	want["round_keys"], want["action_reaction_keys"] = []string{}, []string{}
	require.Equal(t, want, dbtest.Dump(t, restored))
	var persistence string
	require.NoError(t, restored.SQL.QueryRow("SELECT relpersistence FROM pg_class WHERE relname = 'round_keys' AND relnamespace = $1::regnamespace", schema).Scan(&persistence))
	require.Equal(t, "u", persistence, "round_keys is restored UNLOGGED")
	require.NoError(t, restored.SQL.QueryRow("SELECT relpersistence FROM pg_class WHERE relname = 'action_reaction_keys' AND relnamespace = $1::regnamespace", schema).Scan(&persistence))
	require.Equal(t, "u", persistence, "action_reaction_keys is restored UNLOGGED")
	requireOpenRoundClosesAtItsNextAnswer(t, restored, []byte(env["PULSE_SECRET"]))
}

// requireOpenRoundClosesAtItsNextAnswer: restored without its key, an open
// round takes no further answer and closes, as the README says.
func requireOpenRoundClosesAtItsNextAnswer(t *testing.T, db *database.DB, secret []byte) {
	t.Helper()
	var roundID, employeeID, questionID int64
	require.NoError(t, db.Gorm.Raw(`SELECT r.id, rr.employee_id, q.id FROM rounds r
		JOIN round_recipients rr ON rr.round_id = r.id
		JOIN questions q ON q.survey_id = r.survey_id AND q.version = r.survey_version AND q.kind = 'enps'
		WHERE r.closed_at IS NULL AND (rr.opens_at IS NULL OR rr.opens_at <= ?)
		ORDER BY rr.employee_id LIMIT 1`, time.Now().UTC()).Row().Scan(&roundID, &employeeID, &questionID))
	surveys := survey.NewService(db.Gorm, time.Now, secret)
	_, err := surveys.Answer(t.Context(), roundID, employeeID, []survey.AnswerInput{{QuestionID: questionID, Value: 9}})
	_, closed := errors.AsType[*fault.Conflict](err)
	require.True(t, closed, "got %v", err)
	var closedAt *time.Time
	require.NoError(t, db.Gorm.Raw("SELECT closed_at FROM rounds WHERE id = ?", roundID).Scan(&closedAt).Error)
	require.NotNil(t, closedAt)
}

func openURL(t *testing.T, raw string) *database.DB {
	t.Helper()
	loc, err := database.ParseURL(raw)
	require.NoError(t, err)
	db, err := database.Open(context.Background(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// roundKeys are the keys that tie answers and reactions to people while
// their round or action plan is open: an open round's and an open plan's.
func roundKeys(t *testing.T, db *database.DB) [][]byte {
	t.Helper()
	var keys, reactionKeys [][]byte
	require.NoError(t, db.Gorm.Raw("SELECT key FROM round_keys").Scan(&keys).Error)
	require.NoError(t, db.Gorm.Raw("SELECT key FROM action_reaction_keys").Scan(&reactionKeys).Error)
	return append(keys, reactionKeys...)
}

// writeEmployees adds writer-N@example.com, N = 0, 1, …, one transaction
// each, until stop is called; written counts those committed.
func writeEmployees(t *testing.T, db *database.DB) (written *atomic.Int64, stop func()) {
	dir := directory.New(db.Gorm, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	written = new(atomic.Int64)
	go func() {
		for n := 0; ctx.Err() == nil; n++ {
			_, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: fmt.Sprintf("writer-%d@example.com", n), Name: "Writer"})
			if err != nil && ctx.Err() == nil {
				done <- err
				return
			}
			written.Add(1)
		}
		done <- nil
	}()
	return written, func() {
		cancel()
		require.NoError(t, <-done)
	}
}

func waitFor(written *atomic.Int64, n int64) {
	for written.Load() < n {
		time.Sleep(time.Millisecond)
	}
}

// requireWriterPrefix checks that the copy holds writer-0 … writer-(m-1)
// and no other writer rows: a snapshot, never a torn mix.
func requireWriterPrefix(t *testing.T, db *database.DB, atMost int64) {
	t.Helper()
	var emails []string
	require.NoError(t, db.Gorm.Raw("SELECT email FROM employees WHERE email LIKE 'writer-%'").Scan(&emails).Error)
	require.NotEmpty(t, emails, "the copy holds what was written before it")
	require.LessOrEqual(t, int64(len(emails)), atMost+1)
	seen := map[string]bool{}
	for _, e := range emails {
		seen[e] = true
	}
	for n := range emails {
		require.True(t, seen[fmt.Sprintf("writer-%d@example.com", n)], "writer-%d is missing from a copy of %d", n, len(emails))
	}
}

// restoreSQLite puts a backup and its secret where a new install would
// keep them, as the README says, and returns the database path.
func restoreSQLite(t *testing.T, backup string) string {
	t.Helper()
	dir := t.TempDir()
	for from, to := range map[string]string{backup: "pulse.db", backup + ".secret": "pulse.secret"} {
		data, err := os.ReadFile(from)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, to), data, 0o600))
	}
	return filepath.Join(dir, "pulse.db")
}

func requireSchemaCurrent(t *testing.T, status string) {
	t.Helper()
	m := regexp.MustCompile(`pulse schema: version (\d+) of (\d+)\nriver schema: version (\d+) of (\d+)`).FindStringSubmatch(status)
	require.NotNil(t, m, status)
	require.Equal(t, m[2], m[1], status)
	require.Equal(t, m[4], m[3], status)
}

func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	require.NoError(t, err, "%s: %s", name, out)
}

// freshDatabase creates an empty database on the test server, dropped
// after the test, and returns its URL.
func freshDatabase(t *testing.T, admin *database.DB, pg string) string {
	t.Helper()
	name := "pulse_restore_" + strings.ToLower(rand.Text()[:12])
	_, err := admin.SQL.Exec("CREATE DATABASE " + name)
	require.NoError(t, err)
	t.Cleanup(func() { admin.SQL.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(pg)
	require.NoError(t, err)
	u.Path = "/" + name
	q := u.Query()
	maps.DeleteFunc(q, func(k string, _ []string) bool { return k == "search_path" })
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}
