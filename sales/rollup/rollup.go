// Package rollup keeps sales_rep_days: per rep and UTC day, the sums of the
// CRM's deals and activities that sales KPI tables add up, so that a table
// reads reps × days rows instead of every deal and activity of its periods.
//
// A day's row is never adjusted by a difference: every write recomputes the
// whole rows of the days it touched from the CRM tables, in the write's own
// transaction, after taking the one CRM write lock (Lock). A missed or
// repeated recomputation therefore cannot leave a row wrong for good, and
// two writers never interleave their recomputations. The package knows the
// tables' columns, not what a KPI means; it never reads leads, quotas or
// spend, which stay rows (a median is not a sum).
package rollup

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Key names one rep's day; Day is midnight UTC.
type Key struct {
	Owner int64
	Day   time.Time
}

// DayOf is the key of owner's day that t falls on, in UTC.
func DayOf(owner int64, t time.Time) Key {
	y, m, d := t.UTC().Date()
	return Key{Owner: owner, Day: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// lockKey, hashed with the schema's name, is the CRM write lock on
// PostgreSQL; any constant unique to it will do.
const lockKey = 7_305_918_443

// Lock takes the CRM write lock until tx ends. Every transaction that
// writes deals or activities takes it before reading what it recomputes:
// its recomputation then sees every other writer's rows committed. SQLite
// has one writer at a time already.
func Lock(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended(current_schema(), ?))", lockKey).Error
}

// keysPerStatement bounds the parameters of one recomputation (four a key).
const keysPerStatement = 200

// Refresh recomputes the rows of keys from the CRM tables as tx sees them:
// a day left with nothing to count loses its row. The caller holds Lock.
func Refresh(tx *gorm.DB, keys []Key) error {
	keys = distinct(keys)
	pg := tx.Dialector.Name() == "postgres"
	for batch := range slices.Chunk(keys, keysPerStatement) {
		with, args := keyTable(pg, batch)
		err := tx.Exec(with+` DELETE FROM sales_rep_days WHERE EXISTS (SELECT 1 FROM k
			WHERE k.owner_id = sales_rep_days.owner_id AND k.day = sales_rep_days.day)`, args...).Error
		if err != nil {
			return err
		}
		if err := tx.Exec(with+" "+insert(pg, true), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// Rebuild recomputes every row from the CRM tables and records that the
// days are built. The caller holds Lock.
func Rebuild(tx *gorm.DB, now time.Time) error {
	if err := tx.Exec("DELETE FROM sales_rep_days").Error; err != nil {
		return err
	}
	if err := tx.Exec(insert(tx.Dialector.Name() == "postgres", false)).Error; err != nil {
		return err
	}
	if err := tx.Exec("DELETE FROM sales_rep_days_built").Error; err != nil {
		return err
	}
	return tx.Exec("INSERT INTO sales_rep_days_built (id, built_at) VALUES (1, ?)", now.UTC()).Error
}

// Backfill builds the days once, the first time it runs on a database
// (Pulse's start calls it): an install upgraded with CRM data in it gets
// its history; every later call, from any replica, finds them built and
// returns at once.
func Backfill(ctx context.Context, db *gorm.DB, now time.Time) (built bool, err error) {
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := Lock(tx); err != nil {
			return err
		}
		var n int64
		if err := tx.Table("sales_rep_days_built").Count(&n).Error; err != nil || n > 0 {
			return err
		}
		built = true
		return Rebuild(tx, now)
	})
	return built, err
}

// DealDays are the days the deals with these external ids were created
// on: the days whose follow-up counts an activity linked to them changes.
func DealDays(tx *gorm.DB, externalIDs []string) ([]Key, error) {
	var keys []Key
	for batch := range slices.Chunk(distinctStrings(externalIDs), 500) {
		var deals []struct {
			OwnerID int64
			Created time.Time
		}
		if err := tx.Table("sales_deals").Select("owner_id, created").Where("external_id IN ?", batch).Find(&deals).Error; err != nil {
			return nil, err
		}
		for _, d := range deals {
			keys = append(keys, DayOf(d.OwnerID, d.Created))
		}
	}
	return keys, nil
}

// keyTable is a WITH clause naming keys as k(owner_id, day, lo, hi): the
// day and the half-open UTC range of timestamps that fall on it.
func keyTable(pg bool, keys []Key) (string, []any) {
	row := "(?, ?, ?, ?)"
	if pg {
		row = "(CAST(? AS BIGINT), CAST(? AS DATE), CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ))"
	}
	rows := make([]string, len(keys))
	args := make([]any, 0, 4*len(keys))
	for i, k := range keys {
		rows[i] = row
		args = append(args, k.Owner, k.Day.Format(time.DateOnly), k.Day, k.Day.AddDate(0, 0, 1))
	}
	return "WITH k(owner_id, day, lo, hi) AS (VALUES " + strings.Join(rows, ", ") + ")", args
}

// columns of sales_rep_days after the key, in the order each source gives
// them.
var columns = []string{"deals_created", "deals_followed_up", "deals_won", "deals_lost", "deals_closed",
	"won_cents", "won_cycle_micros", "calls", "meetings"}

// source is one CRM table's part of the days: which rows count, on the day
// of which timestamp, and what each adds to columns.
type source struct {
	from, at, where string
	adds            func(pg bool) []string
}

var sources = []source{
	{from: "sales_deals d", at: "d.created", where: "1 = 1", adds: func(bool) []string {
		return []string{"1", `CASE WHEN EXISTS (SELECT 1 FROM sales_activities x
			WHERE x.kind = 'follow_up' AND x.deal_external_id = d.external_id) THEN 1 ELSE 0 END`, "0", "0", "0", "0", "0", "0", "0"}
	}},
	{from: "sales_deals d", at: "d.closed", where: "d.closed IS NOT NULL", adds: func(pg bool) []string {
		cycle := "CAST(EXTRACT(EPOCH FROM d.closed - d.created) * 1000000 AS BIGINT)"
		if !pg {
			// SQLite's clock has milliseconds.
			cycle = "CAST(round((unixepoch(d.closed, 'subsec') - unixepoch(d.created, 'subsec')) * 1000) AS INTEGER) * 1000"
		}
		won := func(v string) string { return "CASE WHEN d.outcome = 'won' THEN " + v + " ELSE 0 END" }
		return []string{"0", "0", won("1"), "CASE WHEN d.outcome = 'lost' THEN 1 ELSE 0 END", "1",
			won("d.amount_cents"), won(cycle), "0", "0"}
	}},
	{from: "sales_activities a", at: "a.occurred_at", where: "a.kind IN ('call', 'meeting')", adds: func(bool) []string {
		return []string{"0", "0", "0", "0", "0", "0", "0",
			"CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END", "CASE WHEN a.kind = 'meeting' THEN 1 ELSE 0 END"}
	}},
}

// insert is the INSERT of the days' sums: of the days in k when keyed,
// else of every day.
func insert(pg bool, keyed bool) string {
	branches := make([]string, len(sources))
	for i, s := range sources {
		alias := strings.Fields(s.from)[1]
		day, from := dayExpr(pg, s.at), s.from
		if keyed {
			day = "k.day"
			from = fmt.Sprintf("k JOIN %s ON %s.owner_id = k.owner_id AND %s >= k.lo AND %s < k.hi", s.from, alias, s.at, s.at)
		}
		adds := s.adds(pg)
		for j := range adds {
			adds[j] += " AS " + columns[j]
		}
		branches[i] = fmt.Sprintf("SELECT %s.owner_id AS owner_id, %s AS day, %s FROM %s WHERE %s",
			alias, day, strings.Join(adds, ", "), from, s.where)
	}
	sums := make([]string, len(columns))
	for i, c := range columns {
		sums[i] = "SUM(" + c + ")"
	}
	return fmt.Sprintf("INSERT INTO sales_rep_days (owner_id, day, %s) SELECT owner_id, day, %s FROM (%s) f GROUP BY owner_id, day",
		strings.Join(columns, ", "), strings.Join(sums, ", "), strings.Join(branches, " UNION ALL "))
}

// dayExpr is the SQL for the UTC day of a timestamp, as the day column
// holds it.
func dayExpr(pg bool, col string) string {
	if pg {
		return "CAST(" + col + " AT TIME ZONE 'UTC' AS DATE)"
	}
	return "date(" + col + ")"
}

func distinct(keys []Key) []Key {
	seen := make(map[Key]bool, len(keys))
	out := make([]Key, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b Key) int {
		return cmp.Or(cmp.Compare(a.Owner, b.Owner), a.Day.Compare(b.Day))
	})
	return out
}

func distinctStrings(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	return out
}
