package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	"github.com/libtnb/sqlite"
)

// ErrBackupTargetExists means the file a backup was asked to write is
// already there: a backup never replaces anything.
var ErrBackupTargetExists = errors.New("already exists; a backup never overwrites a file")

// Backup writes a consistent copy of a serving SQLite database to dest,
// readable by its owner only. VACUUM INTO reads one snapshot, so writers go
// on meanwhile. The rows of the tables in leaveOut are left out of the copy,
// their bytes included: the copy is made beside dest under a temporary
// name, emptied of them and rewritten, and only then linked to dest, so
// dest never holds them, not even for a moment, and an existing dest is
// never replaced.
func (db *DB) Backup(ctx context.Context, dest string, leaveOut ...string) error {
	if db.Dialect != SQLite {
		return errors.New("only an SQLite database is backed up by Pulse; use pg_dump for PostgreSQL (see README)")
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s %w", dest, ErrBackupTargetExists)
	}
	// CreateTemp makes the file 0600 whatever the umask, and empty, which is
	// what VACUUM INTO requires of an existing target; SQLite keeps its mode.
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".partial-*")
	if err != nil {
		return fmt.Errorf("cannot create the backup beside %s: %w", dest, err)
	}
	partial := tmp.Name()
	defer os.Remove(partial)
	if err := tmp.Close(); err != nil {
		return err
	}
	if _, err := db.SQL.ExecContext(ctx, "VACUUM INTO ?", partial); err != nil {
		return fmt.Errorf("cannot copy the database: %w", err)
	}
	if err := emptyTables(ctx, partial, leaveOut); err != nil {
		return fmt.Errorf("cannot prepare the backup: %w", err)
	}
	if err := os.Link(partial, dest); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w", dest, ErrBackupTargetExists)
	} else if err != nil {
		return fmt.Errorf("cannot write %s: %w", dest, err)
	}
	return nil
}

// emptyTables deletes every row of tables in the SQLite file at path and
// rewrites the file, so nothing of those rows is left in its free pages.
// The rollback journal stays in memory: it would hold the deleted rows.
func emptyTables(ctx context.Context, path string, tables []string) error {
	if len(tables) == 0 {
		return nil
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(MEMORY)")
	q.Add("_pragma", "secure_delete(1)")
	q.Set("_busy_timeout", "10000")
	conn, err := sql.Open(sqlite.DriverName, "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	for _, table := range tables {
		if _, err := conn.ExecContext(ctx, `DELETE FROM "`+table+`"`); err != nil {
			return err
		}
	}
	if _, err := conn.ExecContext(ctx, "VACUUM"); err != nil {
		return err
	}
	return conn.Close()
}
