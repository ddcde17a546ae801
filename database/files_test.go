//go:build unix

package database_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
)

// Anyone else on the host who can read pulse.db (or its WAL, which holds the
// latest answers before a checkpoint) reads every answer hash and 1:1 note.
func TestSQLiteFilesAreReadableByTheOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, which leaves new files 0644
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "pulse.db")
	loc, err := database.ParseURL(path)
	require.NoError(t, err)
	exists, err := loc.Exists()
	require.NoError(t, err)
	require.False(t, exists)

	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.SQL.ExecContext(t.Context(), "CREATE TABLE answers (score INTEGER)")
	require.NoError(t, err)
	_, err = db.SQL.ExecContext(t.Context(), "INSERT INTO answers VALUES (9)")
	require.NoError(t, err)

	for _, name := range []string{"pulse.db", "pulse.db-wal", "pulse.db-shm"} {
		info, err := os.Stat(filepath.Join(filepath.Dir(path), name))
		require.NoError(t, err, name)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), name)
	}
	exists, err = loc.Exists()
	require.NoError(t, err)
	require.True(t, exists)
}

func TestAnExistingDatabaseKeepsTheModeItsOwnerGaveIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	require.NoError(t, os.WriteFile(path, nil, 0o640))
	require.NoError(t, os.Chmod(path, 0o640)) // a group the backup job runs as
	loc, err := database.ParseURL(path)
	require.NoError(t, err)
	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	defer db.Close()
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), info.Mode().Perm())
}
