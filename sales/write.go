package sales

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
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
	// days are the reps' days (sales_rep_days) whose sums rows count in;
	// nil for the kinds a KPI table reads as rows.
	days func(tx *gorm.DB, rows []T) ([]rollup.Key, error)
}

var dealTable = table[Deal]{kind: "deals", conflict: []string{"external_id"},
	update: []string{"owner_id", "amount_cents", "currency", "stage", "outcome", "created", "closed", "imported_at"},
	key:    func(d Deal) string { return d.ExternalID }, id: func(d Deal) int64 { return d.ID },
	stored: byExternalID(func(d Deal) string { return d.ExternalID }), days: dealDays}

var activityTable = table[Activity]{kind: "activities", conflict: []string{"external_id"},
	update: []string{"owner_id", "kind", "occurred_at", "deal_external_id", "imported_at"},
	key:    func(a Activity) string { return a.ExternalID }, id: func(a Activity) int64 { return a.ID },
	stored: byExternalID(func(a Activity) string { return a.ExternalID }), days: activityDays}

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
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
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
	if err := upsert(tx, batch, t.conflict, t.update); err != nil {
		return nil, err
	}
	after, err := t.onFile(tx, batch)
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
	return entries, t.refresh(tx, slices.Collect(maps.Values(before)), batch)
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
	if t.days != nil {
		if err := tx.Where("id IN ?", ids).Find(&current).Error; err != nil {
			return err
		}
	}
	if kind == undoCreated {
		if err := tx.Where("id IN ?", ids).Delete(new(T)).Error; err != nil {
			return err
		}
		return t.refresh(tx, current)
	}
	restored := make([]T, len(entries))
	for i, e := range entries {
		if err := json.Unmarshal([]byte(e.Before), &restored[i]); err != nil {
			return err
		}
		if err := tx.Model(new(T)).Where("id = ?", e.RowID).Select("*").UpdateColumns(&restored[i]).Error; err != nil {
			return err
		}
	}
	return t.refresh(tx, current, restored)
}

// lock takes the CRM write lock for the kinds kept in reps' days.
func (t table[T]) lock(tx *gorm.DB) error {
	if t.days == nil {
		return nil
	}
	return rollup.Lock(tx)
}

// refresh recomputes the reps' days the given rows count in: rows as they
// were and as they are now, so that a row moved to another day or owner
// leaves the old day right too.
func (t table[T]) refresh(tx *gorm.DB, sets ...[]T) error {
	if t.days == nil {
		return nil
	}
	var keys []rollup.Key
	for _, rows := range sets {
		k, err := t.days(tx, rows)
		if err != nil {
			return err
		}
		keys = append(keys, k...)
	}
	return rollup.Refresh(tx, keys)
}

// dealDays are the days a deal counts in: created (and followed up), and
// closed.
func dealDays(_ *gorm.DB, deals []Deal) ([]rollup.Key, error) {
	keys := make([]rollup.Key, 0, 2*len(deals))
	for _, d := range deals {
		keys = append(keys, rollup.DayOf(d.OwnerID, d.Created))
		if d.Closed != nil {
			keys = append(keys, rollup.DayOf(d.OwnerID, *d.Closed))
		}
	}
	return keys, nil
}

// activityDays are the days an activity counts in: its own, for calls and
// meetings, and the day its deal was created, for a follow-up.
func activityDays(tx *gorm.DB, activities []Activity) ([]rollup.Key, error) {
	var keys []rollup.Key
	var followed []string
	for _, a := range activities {
		switch a.Kind {
		case KindCall, KindMeeting:
			keys = append(keys, rollup.DayOf(a.OwnerID, a.OccurredAt))
		case KindFollowUp:
			followed = append(followed, a.DealExternalID)
		}
	}
	dealKeys, err := rollup.DealDays(tx, followed)
	return append(keys, dealKeys...), err
}
