// Package rollup keeps sales_rep_periods: per rep and UTC week or month,
// the sums of the CRM's deals and activities that sales KPI tables add up,
// so that a table reads reps × periods rows instead of every deal and
// activity of its periods (a quarter is three months).
//
// A write changes the sums by what it changes: before it, the rows it is
// about to change are taken out (Deals, Activities, FollowUps with sign
// -1), after it they are added back as they are now (sign +1), in the
// write's own transaction and under the one CRM write lock (Lock), so two
// writers never interleave. The SQL that sums a row is the same in a write
// and in Rebuild, which computes every sum from scratch. The package knows
// the tables' columns, not what a KPI means; it never reads leads, quotas or
// spend, which stay rows (a median is not a sum).
package rollup

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Grains of the sums: weeks (from Monday) and months, UTC.
const (
	Week  = "week"
	Month = "month"
)

var grains = []string{Week, Month}

// lockKey, hashed with the schema's name, is the CRM write lock on
// PostgreSQL; any constant unique to it will do.
const lockKey = 7_305_918_443

// Lock takes the CRM write lock until tx ends. Every transaction that
// writes deals or activities takes it before it reads what it will take
// out of the sums. SQLite has one writer at a time already.
func Lock(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(current_schema(), ?))", lockKey).Error
}

// Deals adds (sign 1) or takes out (-1) what the deals with these ids count
// as tx sees them: created and followed up, closed, won or lost.
func Deals(tx *gorm.DB, sign int, ids []int64) error {
	return shift(tx, sign, []source{created, closed}, "d.id IN ?", ids)
}

// Activities adds or takes out the calls and meetings with these ids.
func Activities(tx *gorm.DB, sign int, ids []int64) error {
	return shift(tx, sign, []source{activities}, "a.id IN ?", ids)
}

// FollowUps adds or takes out whether the deals with these external ids
// are followed up: an activity write takes them out before it changes the
// follow-ups that name them and adds them back after.
func FollowUps(tx *gorm.DB, sign int, dealExternalIDs []string) error {
	return shift(tx, sign, []source{followed}, "d.external_id IN ?", dealExternalIDs)
}

// Rebuild computes every sum from the CRM tables and records that the sums
// are built. The caller holds Lock.
func Rebuild(tx *gorm.DB, now time.Time) error {
	pg := tx.Dialector.Name() == "postgres"
	if err := tx.Exec("DELETE FROM sales_rep_periods").Error; err != nil {
		return err
	}
	for _, grain := range grains {
		query := fmt.Sprintf("INSERT INTO sales_rep_periods (grain, owner_id, period_start, %s) SELECT '%s', owner_id, period_start, %s FROM (%s) p GROUP BY owner_id, period_start",
			strings.Join(columns, ", "), grain, sums(1), union(pg, grain, []source{created, closed, activities}, ""))
		if err := tx.Exec(query).Error; err != nil {
			return err
		}
	}
	if err := tx.Exec("DELETE FROM sales_rep_periods_built").Error; err != nil {
		return err
	}
	return tx.Exec("INSERT INTO sales_rep_periods_built (id, built_at) VALUES (1, ?)", now.UTC()).Error
}

// Backfill builds the sums once, the first time it runs on a database
// (Pulse's start calls it): an install upgraded with CRM data in it gets
// its history; every later call, from any replica, finds them built and
// returns at once.
func Backfill(ctx context.Context, db *gorm.DB, now time.Time) (built bool, err error) {
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := Lock(tx); err != nil {
			return err
		}
		var n int64
		if err := tx.Table("sales_rep_periods_built").Count(&n).Error; err != nil || n > 0 {
			return err
		}
		built = true
		return Rebuild(tx, now)
	})
	return built, err
}

// perStatement bounds the ids one statement names.
const perStatement = 500

func shift[T any](tx *gorm.DB, sign int, from []source, filter string, ids []T) error {
	pg := tx.Dialector.Name() == "postgres"
	for batch := range slices.Chunk(ids, perStatement) {
		for _, grain := range grains {
			args := make([]any, len(from))
			for i := range args {
				args[i] = batch
			}
			update := make([]string, len(columns))
			for i, c := range columns {
				update[i] = fmt.Sprintf("%s = sales_rep_periods.%s + excluded.%s", c, c, c)
			}
			// WHERE true: SQLite reads ON CONFLICT after a bare SELECT's FROM as a join.
			query := fmt.Sprintf(`INSERT INTO sales_rep_periods (grain, owner_id, period_start, %s)
				SELECT '%s', owner_id, period_start, %s FROM (%s) p WHERE true GROUP BY owner_id, period_start
				ON CONFLICT (grain, owner_id, period_start) DO UPDATE SET %s`,
				strings.Join(columns, ", "), grain, sums(sign), union(pg, grain, from, filter), strings.Join(update, ", "))
			if err := tx.Exec(query, args...).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// columns of sales_rep_periods after the key, in the order each source
// gives them.
var columns = []string{"deals_created", "deals_followed_up", "deals_won", "deals_lost", "deals_closed",
	"won_cents", "won_cycle_micros", "calls", "meetings"}

func sums(sign int) string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = "SUM(" + c + ")"
		if sign < 0 {
			out[i] = "-" + out[i]
		}
	}
	return strings.Join(out, ", ")
}

// source is one kind of row's part of the sums: which rows count, in the
// period of which timestamp, and what each adds to columns.
type source struct {
	from, at, where string
	// join is joined to from when every sum is built.
	join string
	adds func(pg, everything bool) []string
}

// followedExpr says whether deal d has a follow-up: a few deals probe the
// follow-up index one by one; every deal at once joins the set of followed
// deal ids (f) instead.
func followedExpr(everything bool) string {
	if everything {
		return "CASE WHEN f.id IS NULL THEN 0 ELSE 1 END"
	}
	return `CASE WHEN EXISTS (SELECT 1 FROM sales_activities x
		WHERE x.kind = 'follow_up' AND x.deal_external_id = d.external_id) THEN 1 ELSE 0 END`
}

const followedJoin = ` LEFT JOIN (SELECT DISTINCT deal_external_id AS id FROM sales_activities WHERE kind = 'follow_up') f
	ON f.id = d.external_id`

var (
	created = source{from: "sales_deals d", at: "d.created", where: "1 = 1", join: followedJoin,
		adds: func(_, everything bool) []string {
			return []string{"1", followedExpr(everything), "0", "0", "0", "0", "0", "0", "0"}
		}}
	followed = source{from: "sales_deals d", at: "d.created", where: "1 = 1", join: followedJoin,
		adds: func(_, everything bool) []string {
			return []string{"0", followedExpr(everything), "0", "0", "0", "0", "0", "0", "0"}
		}}
	closed = source{from: "sales_deals d", at: "d.closed", where: "d.closed IS NOT NULL",
		adds: func(pg, _ bool) []string {
			cycle := "CAST(EXTRACT(EPOCH FROM d.closed - d.created) * 1000000 AS BIGINT)"
			if !pg {
				// SQLite's clock has milliseconds.
				cycle = "CAST(round((unixepoch(d.closed, 'subsec') - unixepoch(d.created, 'subsec')) * 1000) AS INTEGER) * 1000"
			}
			won := func(v string) string { return "CASE WHEN d.outcome = 'won' THEN " + v + " ELSE 0 END" }
			return []string{"0", "0", won("1"), "CASE WHEN d.outcome = 'lost' THEN 1 ELSE 0 END", "1",
				won("d.amount_cents"), won(cycle), "0", "0"}
		}}
	activities = source{from: "sales_activities a", at: "a.occurred_at", where: "a.kind IN ('call', 'meeting')",
		adds: func(bool, bool) []string {
			return []string{"0", "0", "0", "0", "0", "0", "0",
				"CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END", "CASE WHEN a.kind = 'meeting' THEN 1 ELSE 0 END"}
		}}
)

// union is the rows of sources as (owner_id, period_start, columns…):
// those matching filter (one ? for each source), or, without a filter,
// every row.
func union(pg bool, grain string, sources []source, filter string) string {
	branches := make([]string, len(sources))
	for i, s := range sources {
		alias := strings.Fields(s.from)[1]
		everything := filter == ""
		from, where := s.from, s.where
		if everything {
			from += s.join
		} else {
			where += " AND " + filter
		}
		adds := s.adds(pg, everything)
		for j := range adds {
			adds[j] += " AS " + columns[j]
		}
		branches[i] = fmt.Sprintf("SELECT %s.owner_id AS owner_id, %s AS period_start, %s FROM %s WHERE %s",
			alias, startExpr(pg, grain, s.at), strings.Join(adds, ", "), from, where)
	}
	return strings.Join(branches, " UNION ALL ")
}

// startExpr is the SQL for the first day (UTC) of the week or month a
// timestamp falls in, as period_start holds it.
func startExpr(pg bool, grain, col string) string {
	if pg {
		return fmt.Sprintf("CAST(date_trunc('%s', %s AT TIME ZONE 'UTC') AS DATE)", grain, col)
	}
	if grain == Week {
		return fmt.Sprintf("date(%s, '-6 days', 'weekday 1')", col)
	}
	return fmt.Sprintf("strftime('%%Y-%%m-01', %s)", col)
}
