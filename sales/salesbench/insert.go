package salesbench

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/pulsehq/pulse/database"
)

// insert writes n rows into table: by COPY on PostgreSQL, by multi-row
// INSERTs in one transaction on SQLite.
func insert(ctx context.Context, db *database.DB, table string, cols []string, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	if db.Dialect == database.Postgres {
		return copyRows(ctx, db.SQL, table, cols, n, row)
	}
	return insertRows(ctx, db.SQL, table, cols, n, row)
}

func copyRows(ctx context.Context, db *sql.DB, table string, cols []string, n int, row func(i int) []any) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		i := 0
		_, err := driverConn.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			return row(i - 1), nil
		}))
		return err
	})
}

// sqliteBatch keeps a statement's parameters well under SQLite's limit.
const sqliteBatch = 500

func insertRows(ctx context.Context, db *sql.DB, table string, cols []string, n int, row func(i int) []any) error {
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
			args = append(args, row(i)...)
		}
		query := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.Repeat(tuple+", ", to-from-1) + tuple
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
