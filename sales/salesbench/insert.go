package salesbench

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/pulsehq/pulse/database"
)

// chunk is how many rows one COPY or transaction writes: each is drawn
// first, so that a chunk cut off by a lost connection is written again,
// the same.
const chunk = 100_000

// insert writes n rows into table: by COPY on PostgreSQL, by multi-row
// INSERTs on SQLite, a chunk per transaction.
func insert(ctx context.Context, db *database.DB, table string, cols []string, n int, row func(i int) []any) error {
	for from := 0; from < n; from += chunk {
		rows := make([][]any, min(chunk, n-from))
		for i := range rows {
			rows[i] = row(from + i)
		}
		var err error
		if db.Dialect == database.Postgres {
			err = retry(ctx, func() error { return copyRows(ctx, db.SQL, table, cols, rows) })
		} else {
			err = insertRows(ctx, db.SQL, table, cols, rows)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// retry runs write again, a few times, when the server went away or is
// restarting (SQLSTATE classes 57P and 08, or no answer at all): a
// PostgreSQL restart rolls the chunk back, so it is written whole or not.
func retry(ctx context.Context, write func() error) error {
	var err error
	for range 10 {
		var pgErr *pgconn.PgError
		err = write()
		if err == nil || errors.As(err, &pgErr) && !strings.HasPrefix(pgErr.Code, "57P") && !strings.HasPrefix(pgErr.Code, "08") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(2 * time.Second):
		}
	}
	return err
}

func copyRows(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		_, err := driverConn.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}

// sqliteBatch keeps a statement's parameters well under SQLite's limit.
const sqliteBatch = 500

func insertRows(ctx context.Context, db *sql.DB, table string, cols []string, rows [][]any) error {
	n := len(rows)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tuple := "(" + strings.Repeat("?, ", len(cols)-1) + "?)"
	for from := 0; from < n; from += sqliteBatch {
		to := min(from+sqliteBatch, n)
		args := make([]any, 0, (to-from)*len(cols))
		for i := from; i < to; i++ {
			args = append(args, rows[i]...)
		}
		query := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.Repeat(tuple+", ", to-from-1) + tuple
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
