// Package page cuts lists that can grow into pages: a limit, and an opaque
// cursor naming the last row of the page before. Pages are keyset pages (the
// rows after the cursor in the list's order), so a page costs the same at the
// start of a list as at its end, and a row added meanwhile is neither skipped
// nor repeated. It knows nothing of HTTP.
package page

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// Bounds of a page's length.
const (
	DefaultLimit = 100
	MaxLimit     = 500
)

// Request asks for one page: Limit rows (0: DefaultLimit) after Cursor, the
// cursor the page before returned ("" for the first page).
type Request struct {
	Limit  int
	Cursor string
}

// Order is how a list is sorted: by Column (an SQL expression; "" sorts by
// the id alone), then by ID (the id column, "id" when empty), ascending
// unless Desc. Time says Column holds a time. Bind is how a cursor's value
// enters the comparison ("?" when empty): a list sorted by lower(name) keeps
// the row's name in its cursor and binds it as lower(?), so the database
// folds case the same way on both sides.
type Order struct {
	Column string
	Bind   string
	Time   bool
	Desc   bool
	ID     string
}

// key is what a cursor holds: the last row's sort value and id.
type key struct {
	S  string     `json:"s,omitempty"`
	T  *time.Time `json:"t,omitempty"`
	ID int64      `json:"id"`
}

// Query narrows q to the page r asks for in order o: the rows after the
// cursor, one more than the limit so that Cut can tell whether another page
// follows. Its error names the field at fault (limit or cursor).
func Query(q *gorm.DB, r Request, o Order) (*gorm.DB, error) {
	limit, after, err := r.check(o)
	if err != nil {
		return nil, err
	}
	id, op, dir := cmp.Or(o.ID, "id"), ">", ""
	if o.Desc {
		op, dir = "<", " DESC"
	}
	if o.Column != "" {
		q = q.Order(o.Column + dir)
	}
	q = q.Order(id + dir).Limit(limit + 1)
	switch {
	case after == nil:
		return q, nil
	case o.Column == "":
		return q.Where(id+" "+op+" ?", after.ID), nil
	}
	var v any = after.S
	if o.Time {
		v = *after.T
	}
	bind := cmp.Or(o.Bind, "?")
	return q.Where(fmt.Sprintf("(%[1]s %[2]s %[4]s OR (%[1]s = %[4]s AND %[3]s %[2]s ?))", o.Column, op, id, bind),
		v, v, after.ID), nil
}

// Cut trims rows fetched through Query to the page and returns the cursor of
// the next page, "" when this is the last. sortKey gives a row's value of
// the order's column (a string or a time.Time; nil when the order has no
// column) and its id.
func Cut[T any](rows []T, r Request, sortKey func(T) (any, int64)) ([]T, string) {
	limit := cmp.Or(r.Limit, DefaultLimit)
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	v, id := sortKey(rows[limit-1])
	k := key{ID: id}
	switch v := v.(type) {
	case string:
		k.S = v
	case time.Time:
		k.T = &v
	}
	raw, _ := json.Marshal(k)
	return rows, base64.RawURLEncoding.EncodeToString(raw)
}

// Slice is Query and Cut for a list that had to be computed in Go (where
// what is shown depends on every row, as with the anonymity threshold): the
// page of rows after the row the cursor names, in the list's order. sortKey
// gives a row's string key and id, which together name it.
func Slice[T any](rows []T, r Request, sortKey func(T) (string, int64)) ([]T, string, error) {
	_, after, err := r.check(Order{Column: "key"})
	if err != nil {
		return nil, "", err
	}
	start := 0
	if after != nil {
		i := slices.IndexFunc(rows, func(row T) bool { s, id := sortKey(row); return s == after.S && id == after.ID })
		if i < 0 {
			return nil, "", fault.Invalidf("cursor", "is not a cursor this list returned")
		}
		start = i + 1
	}
	rows, next := Cut(rows[start:], r, func(row T) (any, int64) { return sortKey(row) })
	return rows, next, nil
}

func (r Request) check(o Order) (int, *key, error) {
	var c fault.Checker
	limit := cmp.Or(r.Limit, DefaultLimit)
	c.Checkf(limit >= 1 && limit <= MaxLimit, "limit", "must be 1..%d", MaxLimit)
	var after *key
	if r.Cursor != "" {
		after = decode(r.Cursor, o)
		c.Check(after != nil, "cursor", "is not a cursor this list returned")
	}
	return limit, after, c.Err()
}

// decode reads a cursor made for order o, or returns nil.
func decode(cursor string, o Order) *key {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil
	}
	var k key
	if json.Unmarshal(raw, &k) != nil || k.ID <= 0 || (k.T != nil) != (o.Column != "" && o.Time) {
		return nil
	}
	return &k
}
