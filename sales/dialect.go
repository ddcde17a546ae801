package sales

import (
	"fmt"
	"time"

	"github.com/pulsehq/pulse/survey"
)

// The only SQL of a KPI table that differs between PostgreSQL and SQLite:
// cutting a month down to its quarter's first day (weeks and months are cut
// in sales/rollup). Periods are UTC, weeks start on Monday, as
// periodStart says.

// sumsPeriodExpr is the SQL for the first day of the period a row of
// sales_rep_periods counts in: the row's own week or month, or the quarter
// of its month (a date on PostgreSQL, YYYY-MM-DD text on SQLite, as the
// column holds it).
func sumsPeriodExpr(dialect, groupBy string) string {
	switch {
	case groupBy != survey.ByQuarter:
		return "period_start"
	case dialect == "postgres":
		return "CAST(date_trunc('quarter', CAST(period_start AS TIMESTAMP)) AS DATE)"
	}
	return "printf('%s-%02d-01', strftime('%Y', period_start), (CAST(strftime('%m', period_start) AS INTEGER) - 1) / 3 * 3 + 1)"
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
