package sales

import (
	"fmt"
	"time"

	"github.com/pulsehq/pulse/survey"
)

// The only SQL that differs between PostgreSQL and SQLite: cutting a
// timestamp down to its period's first day, and the seconds between two
// timestamps. Periods are UTC, weeks start on Monday, as periodStart says.

// periodExpr is the SQL for the first day (UTC) of the week, month or
// quarter col falls in: a timestamp on PostgreSQL (formatting each row's
// would cost more than the sums), YYYY-MM-DD text on SQLite.
func periodExpr(dialect, groupBy, col string) string {
	if dialect == "postgres" {
		unit := map[string]string{survey.ByWeek: "week", survey.ByMonth: "month", survey.ByQuarter: "quarter"}[groupBy]
		return fmt.Sprintf("date_trunc('%s', %s AT TIME ZONE 'UTC')", unit, col)
	}
	switch groupBy {
	case survey.ByWeek:
		return fmt.Sprintf("date(%s, '-6 days', 'weekday 1')", col)
	case survey.ByQuarter:
		return fmt.Sprintf("printf('%%s-%%02d-01', strftime('%%Y', %[1]s), (CAST(strftime('%%m', %[1]s) AS INTEGER) - 1) / 3 * 3 + 1)", col)
	}
	return fmt.Sprintf("strftime('%%Y-%%m-01', %s)", col)
}

// secondsExpr is the SQL for the seconds from one timestamp to a later one.
func secondsExpr(dialect, from, to string) string {
	if dialect == "postgres" {
		return fmt.Sprintf("EXTRACT(EPOCH FROM %s - %s)::float8", to, from)
	}
	return fmt.Sprintf("(unixepoch(%s, 'subsec') - unixepoch(%s, 'subsec'))", to, from)
}

// periodColumn reads a periodExpr column as YYYY-MM-DD, from a timestamp or
// from text (which the SQLite driver may also hand back as a time.Time).
type periodColumn string

func (k *periodColumn) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*k = periodColumn(v.UTC().Format(time.DateOnly))
	case string:
		*k = periodColumn(v)
	case []byte:
		*k = periodColumn(v)
	default:
		return fmt.Errorf("period start: unexpected %T", src)
	}
	return nil
}
