package database

import (
	"context"
	"fmt"

	"github.com/labstack/gommon/bytes"
)

// CheckWritable makes a real write and rolls it back: a table is created
// and a row inserted inside a transaction. On SQLite that takes the write
// lock and fails on a read-only file or mount; on PostgreSQL it fails on a
// read-only server or transaction. Nothing is left behind.
func (db *DB) CheckWritable(ctx context.Context) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // the point is never to commit
	for _, stmt := range []string{
		"CREATE TABLE pulse_write_check (n INTEGER)",
		"INSERT INTO pulse_write_check (n) VALUES (1)",
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return tx.Rollback()
}

// CheckFreeSpace fails when the disk holding the SQLite file has less than
// min bytes free for ordinary users: SQLite then fails writes part-way, and
// the WAL cannot be checkpointed. PostgreSQL's disk is its server's concern.
func (db *DB) CheckFreeSpace(min uint64) error {
	if db.Dialect != SQLite || min == 0 {
		return nil
	}
	free, ok := FreeSpace(db.Path)
	if ok && free < min {
		// In the decimal units PULSE_MIN_FREE_DISK is written in (64M is
		// 64,000,000 bytes), by the package that parses the setting.
		return fmt.Errorf("only %s free beside the database (at least %s needed)",
			bytes.FormatDecimal(int64(free)), bytes.FormatDecimal(int64(min)))
	}
	return nil
}
