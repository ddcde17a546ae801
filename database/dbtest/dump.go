package dbtest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulsehq/pulse/database"
)

// Dump reads every row of every table, each row as one line of its values,
// sorted, by table name: what someone holding the database's files sees.
// Tests compare two dumps to find everything an action wrote.
func Dump(t testing.TB, db *database.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	query := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	if db.Dialect == database.Postgres {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	var tables []string
	if err := db.Gorm.WithContext(ctx).Raw(query).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]string, len(tables))
	for _, table := range tables {
		out[table] = dumpTable(t, db, table)
	}
	return out
}

func dumpTable(t testing.TB, db *database.DB, table string) []string {
	t.Helper()
	rows, err := db.SQL.QueryContext(context.Background(), `SELECT * FROM "`+table+`"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{}
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fields := make([]string, len(cols))
		for i, v := range values {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fields[i] = fmt.Sprintf("%s=%v", cols[i], v)
		}
		lines = append(lines, strings.Join(fields, " "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return lines
}

// Changed lists the tables whose rows differ between two dumps, and for
// each the rows only after has.
func Changed(before, after map[string][]string) map[string][]string {
	out := map[string][]string{}
	for table, rows := range after {
		if !slices.Equal(before[table], rows) {
			var added []string
			for _, r := range rows {
				if !slices.Contains(before[table], r) {
					added = append(added, r)
				}
			}
			out[table] = added
		}
	}
	for table := range before {
		if _, ok := after[table]; !ok {
			out[table] = nil
		}
	}
	return out
}
