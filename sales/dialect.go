package sales

import (
	"fmt"
	"time"

	"github.com/pulsehq/pulse/survey"
)

// The only SQL of a KPI table that differs between PostgreSQL and SQLite:
// cutting a day down to its period's first day (the days themselves are
// cut in sales/rollup). Periods are UTC, weeks start on Monday, as
// periodStart says.

// dayPeriodExpr is the SQL for the first day (UTC) of the week, month or
// quarter a day of sales_rep_days falls in: a date on PostgreSQL,
// YYYY-MM-DD text on SQLite, where the day column is such text too.
func dayPeriodExpr(dialect, groupBy string) string {
	if dialect == "postgres" {
		unit := map[string]string{survey.ByWeek: "week", survey.ByMonth: "month", survey.ByQuarter: "quarter"}[groupBy]
		return fmt.Sprintf("CAST(date_trunc('%s', CAST(day AS TIMESTAMP)) AS DATE)", unit)
	}
	switch groupBy {
	case survey.ByWeek:
		return "date(day, '-6 days', 'weekday 1')"
	case survey.ByQuarter:
		return "printf('%s-%02d-01', strftime('%Y', day), (CAST(strftime('%m', day) AS INTEGER) - 1) / 3 * 3 + 1)"
	}
	return "strftime('%Y-%m-01', day)"
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
