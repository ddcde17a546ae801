package sales

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
	"github.com/pulsehq/pulse/sales/rollup"
)

// importBatch is how many rows one short write transaction of an import
// takes: tens of milliseconds of SQLite's single writer, so an answer
// waiting behind it waits no longer than that.
const importBatch = 200

// Undo entry kinds: a row the import created, or one it overwrote (kept as
// it was before).
const (
	undoUpdated = "updated"
	undoCreated = "created"
)

// table says how the rows of one kind of import are keyed, written and
// found again.
type table[T any] struct {
	kind     string   // the import's kind, as sales_imports records it
	conflict []string // the columns a row is keyed by
	update   []string // the columns an import overwrites
	key      func(T) string
	id       func(T) int64
	// stored reads the rows on file a batch may overwrite (more is fine).
	stored func(tx *gorm.DB, batch []T) ([]T, error)
	// sums keeps the reps' period sums (sales/rollup) as rows change; nil
	// for the kinds a KPI table reads as rows.
	sums *periodSums[T]
}

// periodSums says how rows of one kind count in the reps' period sums.
type periodSums[T any] struct {
	shift func(tx *gorm.DB, sign int, ids []int64) error
	// follows is the deal a row follows up, if any: its followed-up count
	// changes with the row.
	follows func(T) string
}

var dealTable = table[Deal]{kind: "deals", conflict: []string{"external_id"},
	update: []string{"owner_id", "amount_cents", "currency", "stage", "outcome", "created", "closed", "imported_at"},
	key:    func(d Deal) string { return d.ExternalID }, id: func(d Deal) int64 { return d.ID },
	stored: byExternalID(func(d Deal) string { return d.ExternalID }), sums: &periodSums[Deal]{shift: rollup.Deals}}

var activityTable = table[Activity]{kind: "activities", conflict: []string{"external_id"},
	update: []string{"owner_id", "kind", "occurred_at", "deal_external_id", "imported_at"},
	key:    func(a Activity) string { return a.ExternalID }, id: func(a Activity) int64 { return a.ID },
	stored: byExternalID(func(a Activity) string { return a.ExternalID }), sums: &periodSums[Activity]{shift: rollup.Activities, follows: followedDeal}}

// followedDeal is the deal a follow-up names.
func followedDeal(a Activity) string {
	if a.Kind == KindFollowUp {
		return a.DealExternalID
	}
	return ""
}

var leadTable = table[Lead]{kind: "leads", conflict: []string{"external_id"},
	update: []string{"owner_id", "created", "first_response", "converted", "imported_at"},
	key:    func(l Lead) string { return l.ExternalID }, id: func(l Lead) int64 { return l.ID },
	stored: byExternalID(func(l Lead) string { return l.ExternalID })}

var quotaTable = table[Quota]{kind: "quotas", conflict: []string{"owner_id", "period_kind", "period_start"},
	update: []string{"amount_cents", "imported_at"},
	key:    func(q Quota) string { return quotaKey(q.OwnerID, q.PeriodKind, q.PeriodStart) },
	id:     func(q Quota) int64 { return q.ID },
	stored: func(tx *gorm.DB, batch []Quota) ([]Quota, error) {
		owners := map[int64]bool{}
		for _, q := range batch {
			owners[q.OwnerID] = true
		}
		var out []Quota
		err := tx.Where("owner_id IN ?", mapKeys(owners)).Find(&out).Error
		return out, err
	}}

// spendTable's stored reads every period on file: one row a month at most.
var spendTable = table[Spend]{kind: "spend", conflict: []string{"period_kind", "period_start"},
	update: []string{"sales_cost_cents", "marketing_cost_cents", "imported_at"},
	key:    func(sp Spend) string { return periodKey(sp.PeriodKind, sp.PeriodStart.UTC()) },
	id:     func(sp Spend) int64 { return sp.ID },
	stored: func(tx *gorm.DB, _ []Spend) ([]Spend, error) {
		var out []Spend
		err := tx.Find(&out).Error
		return out, err
	}}

func quotaKey(owner int64, kind string, start time.Time) string {
	return fmt.Sprint(owner, "|", periodKey(kind, start.UTC()))
}

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func byExternalID[T any](key func(T) string) func(tx *gorm.DB, batch []T) ([]T, error) {
	return func(tx *gorm.DB, batch []T) ([]T, error) {
		keys := make([]string, len(batch))
		for i, item := range batch {
			keys[i] = key(item)
		}
		var out []T
		err := tx.Where("external_id IN ?", keys).Find(&out).Error
		return out, err
	}
}

// importLog is the record of t's imports, which undoes them.
func importLog[T any](db *gorm.DB, now func() time.Time, t table[T]) *batchimport.Log {
	return batchimport.New(db, now, batchimport.Config{Runs: "sales_imports", Undo: "sales_import_undo",
		Kind: t.kind, What: t.kind + " import", UndoOrder: []string{undoUpdated, undoCreated},
		UndoEntries: t.undoRows})
}

// write stores checked rows of one kind in short batches, each of which
// can be undone: a failure part-way, or a process that dies, leaves nothing
// of the import.
func write[T any](ctx context.Context, s *Service, t table[T], items []T) (ImportResult, error) {
	var res ImportResult
	err := s.imports[t.kind].Apply(ctx, func(run *batchimport.Run) error {
		for batch := range slices.Chunk(items, importBatch) {
			err := run.Batch(ctx, func(tx *gorm.DB) ([]batchimport.Entry, error) {
				return t.writeBatch(tx, batch, &res)
			})
			if err != nil {
				return err
			}
		}
		run.Counted(res.Created, res.Updated)
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// ImportKinds are the kinds of sales data that are imported.
var ImportKinds = []string{"deals", "activities", "leads", "quotas", "spend"}

// ImportHistory lists sales imports, newest first, of one kind or (kind
// "") of every kind: when each ran, whether it was done or undone, and how
// many rows it created and updated.
func (s *Service) ImportHistory(ctx context.Context, kind string, p page.Request) ([]batchimport.Record, string, error) {
	if kind != "" && !slices.Contains(ImportKinds, kind) {
		return nil, "", fault.Invalidf("kind", "must be one of %s, not %q", strings.Join(ImportKinds, ", "), kind)
	}
	return batchimport.History(ctx, s.db, "sales_imports", true, kind, "", p)
}

// writeBatch upserts one batch and returns how to undo it: the rows it
// overwrote as they were, and the ids of those it created.
func (t table[T]) writeBatch(tx *gorm.DB, batch []T, res *ImportResult) ([]batchimport.Entry, error) {
	if err := t.lock(tx); err != nil {
		return nil, err
	}
	before, err := t.onFile(tx, batch)
	if err != nil {
		return nil, err
	}
	var entries []batchimport.Entry
	for _, item := range batch {
		old, ok := before[t.key(item)]
		if !ok {
			continue
		}
		was, err := json.Marshal(old)
		if err != nil {
			return nil, err
		}
		entries = append(entries, batchimport.Entry{Kind: undoUpdated, RowID: t.id(old), Before: string(was)})
	}
	var after map[string]T
	err = t.change(tx, slices.Collect(maps.Values(before)), batch, func() ([]T, error) {
		if err := upsert(tx, batch, t.conflict, t.update); err != nil {
			return nil, err
		}
		after, err = t.onFile(tx, batch)
		return slices.Collect(maps.Values(after)), err
	})
	if err != nil {
		return nil, err
	}
	for _, item := range batch {
		if _, ok := before[t.key(item)]; !ok {
			entries = append(entries, batchimport.Entry{Kind: undoCreated, RowID: t.id(after[t.key(item)])})
		}
	}
	res.Updated += len(before)
	res.Created += len(batch) - len(before)
	return entries, nil
}

// onFile is the stored rows a batch names, by key.
func (t table[T]) onFile(tx *gorm.DB, batch []T) (map[string]T, error) {
	stored, err := t.stored(tx, batch)
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(batch))
	for _, item := range batch {
		names[t.key(item)] = true
	}
	out := make(map[string]T, len(batch))
	for _, row := range stored {
		if k := t.key(row); names[k] {
			out[k] = row
		}
	}
	return out, nil
}

// undoRows takes back entries of one kind: an overwritten row is put back
// as it was, a created one deleted.
func (t table[T]) undoRows(tx *gorm.DB, kind string, entries []batchimport.Entry) error {
	if err := t.lock(tx); err != nil {
		return err
	}
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.RowID
	}
	var current []T
	if t.sums != nil {
		if err := tx.Where("id IN ?", ids).Find(&current).Error; err != nil {
			return err
		}
	}
	if kind == undoCreated {
		return t.change(tx, current, nil, func() ([]T, error) {
			return nil, tx.Where("id IN ?", ids).Delete(new(T)).Error
		})
	}
	restored := make([]T, len(entries))
	for i, e := range entries {
		if err := json.Unmarshal([]byte(e.Before), &restored[i]); err != nil {
			return err
		}
	}
	return t.change(tx, current, restored, func() ([]T, error) {
		for i, e := range entries {
			if err := tx.Model(new(T)).Where("id = ?", e.RowID).Select("*").UpdateColumns(&restored[i]).Error; err != nil {
				return nil, err
			}
		}
		return restored, nil
	})
}

// lock takes the CRM write lock for the kinds kept in the reps' sums.
func (t table[T]) lock(tx *gorm.DB) error {
	if t.sums == nil {
		return nil
	}
	return rollup.Lock(tx)
}

// change runs write, which turns the stored rows old into next (as given;
// write returns them as stored, with their ids), keeping the reps' period
// sums right: what old counted is taken out before, what the stored rows
// count added after, and the deals either follows up are counted again.
func (t table[T]) change(tx *gorm.DB, old, next []T, write func() ([]T, error)) error {
	if t.sums == nil {
		_, err := write()
		return err
	}
	var followed []string
	if t.sums.follows != nil {
		for _, rows := range [][]T{old, next} {
			for _, r := range rows {
				if id := t.sums.follows(r); id != "" {
					followed = append(followed, id)
				}
			}
		}
		slices.Sort(followed)
		followed = slices.Compact(followed)
	}
	if err := t.shift(tx, -1, old, followed); err != nil {
		return err
	}
	written, err := write()
	if err != nil {
		return err
	}
	return t.shift(tx, 1, written, followed)
}

func (t table[T]) shift(tx *gorm.DB, sign int, rows []T, followed []string) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = t.id(r)
	}
	if err := t.sums.shift(tx, sign, ids); err != nil {
		return err
	}
	return rollup.FollowUps(tx, sign, followed)
}
