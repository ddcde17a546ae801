package database

import (
	"context"
	"fmt"
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
		return fmt.Errorf("only %s free beside the database (at least %s needed)", humanBytes(free), humanBytes(min))
	}
	return nil
}

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
