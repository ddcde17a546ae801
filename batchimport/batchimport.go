// Package batchimport writes a large, already checked import in short
// transactions, so that it never holds the database for long: on SQLite's
// single writer, an answer waiting behind a batch waits tens of
// milliseconds, not the seconds of one long transaction. It keeps the
// import all-or-nothing: each batch records, in its own transaction, how to
// take back what it wrote; a batch that fails undoes the batches before it,
// and an import whose process died is undone at the next start or import.
// Undo entries are deleted once an import is done, so none is left behind.
//
// It knows nothing of what the rows mean: the caller writes them and says
// how to undo an entry. It never checks a file; that is done before.
package batchimport

import (
	"context"
	"fmt"
	"maps"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/fault"
)

// Stale is how long an import may go without finishing a batch before it
// is taken for dead (its process crashed) and undone.
const Stale = time.Minute

// Import statuses, as recorded in the runs table.
const (
	Applying = "applying"
	Done     = "done"
	Undone   = "undone"
)

// Config says where a kind of import is recorded and how to undo it.
type Config struct {
	// Runs holds one row per import (id, status, started_at, updated_at,
	// and kind when Kind is set), with a unique index that lets only one
	// row of a kind be applying. Undo holds the entries (id, import_id,
	// kind, row_id, before).
	Runs, Undo string
	// Kind tells this import's rows from other kinds' in a shared Runs
	// table; empty when the table records a single kind and has no kind
	// column.
	Kind string
	// What names the import in errors ("employee import").
	What string
	// UndoOrder lists the entry kinds in the order they are undone.
	UndoOrder []string
	// UndoEntries takes back a batch of entries, all of one kind.
	UndoEntries func(tx *gorm.DB, kind string, entries []Entry) error
}

// Entry says how to take back one change of an import: which row, what
// kind of change, and the row as it was before (when it was changed).
type Entry struct {
	ID       int64
	ImportID int64
	Kind     string
	RowID    int64
	Before   string
}

type run struct {
	ID        int64
	Kind      string
	Status    string
	StartedAt time.Time
	UpdatedAt time.Time
}

// undoBatch is how many entries one undo transaction takes back.
const undoBatch = 200

// Log applies and undoes the imports of one kind.
type Log struct {
	db  *gorm.DB
	now func() time.Time
	cfg Config
}

// New returns the log of the imports cfg describes.
func New(db *gorm.DB, now func() time.Time, cfg Config) *Log {
	return &Log{db: db, now: func() time.Time { return now().UTC() }, cfg: cfg}
}

// Run is one import being applied.
type Run struct {
	log              *Log
	id               int64
	created, updated int
}

// Counted records how many rows the import created and updated, kept in
// its history once it is done.
func (r *Run) Counted(created, updated int) {
	r.created, r.updated = created, updated
}

// Apply records a new import, lets write apply it batch by batch
// (Run.Batch), and records the outcome. If write fails, what its batches
// wrote is undone and write's error is returned: nothing of it remains.
func (l *Log) Apply(ctx context.Context, write func(r *Run) error) error {
	r, err := l.Start(ctx)
	if err != nil {
		return err
	}
	return r.Finish(ctx, write(r))
}

// Start records a new import, first undoing any of its kind that died
// part-way. Only one import of a kind is applied at a time.
func (l *Log) Start(ctx context.Context) (*Run, error) {
	if err := l.UndoAbandoned(ctx); err != nil {
		return nil, err
	}
	now := l.now()
	rec := run{Kind: l.cfg.Kind, Status: Applying, StartedAt: now, UpdatedAt: now}
	db := l.db.WithContext(ctx).Table(l.cfg.Runs)
	if l.cfg.Kind == "" {
		db = db.Omit("kind")
	}
	err := db.Create(&rec).Error
	if err != nil && database.IsUniqueViolation(err) {
		return nil, fault.Conflictf("another %s is being applied; try again when it is done", l.cfg.What)
	}
	if err != nil {
		return nil, err
	}
	return &Run{log: l, id: rec.ID}, nil
}

// Batch runs write in one short transaction that also records the entries
// it returns and marks the import as alive.
func (r *Run) Batch(ctx context.Context, write func(tx *gorm.DB) ([]Entry, error)) error {
	return r.log.tx(ctx, r.id, func(tx *gorm.DB) error {
		entries, err := write(tx)
		if err != nil || len(entries) == 0 {
			return err
		}
		for i := range entries {
			entries[i].ImportID = r.id
		}
		return tx.Table(r.log.cfg.Undo).Create(&entries).Error
	})
}

// Finish records an import as done when err is nil; otherwise it undoes
// the import and returns err. The undo runs even when the request has gone
// away; if it cannot finish now, the next import or start does it.
func (r *Run) Finish(ctx context.Context, err error) error {
	l := r.log
	if err == nil {
		return l.end(ctx, r.id, Done, map[string]any{"created": r.created, "updated": r.updated})
	}
	if undoErr := l.undo(context.WithoutCancel(ctx), r.id); undoErr != nil {
		return fmt.Errorf("%s %d failed (%w) and could not be undone yet: %v; it is undone at the next import or start",
			l.cfg.What, r.id, err, undoErr)
	}
	return err
}

// UndoAbandoned undoes every import of this kind whose process stopped
// part-way (no batch finished for Stale), so the database never keeps half
// an import. Start-up and every import call it.
func (l *Log) UndoAbandoned(ctx context.Context) error {
	var ids []int64
	err := l.runs(ctx).Where("status = ? AND updated_at < ?", Applying, l.now().Add(-Stale)).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := l.undo(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func (l *Log) runs(ctx context.Context) *gorm.DB {
	db := l.db.WithContext(ctx).Table(l.cfg.Runs)
	if l.cfg.Kind != "" {
		db = db.Where("kind = ?", l.cfg.Kind)
	}
	return db
}

func (l *Log) tx(ctx context.Context, id int64, fn func(tx *gorm.DB) error) error {
	return l.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Table(l.cfg.Runs).Where("id = ?", id).Update("updated_at", l.now()).Error
	})
}

// undo takes back what an import wrote, in short batches, kind by kind in
// the configured order.
func (l *Log) undo(ctx context.Context, id int64) error {
	for _, kind := range l.cfg.UndoOrder {
		for {
			var batch []Entry
			err := l.db.WithContext(ctx).Table(l.cfg.Undo).Where("import_id = ? AND kind = ?", id, kind).
				Order("id").Limit(undoBatch).Find(&batch).Error
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			err = l.tx(ctx, id, func(tx *gorm.DB) error {
				if err := l.cfg.UndoEntries(tx, kind, batch); err != nil {
					return err
				}
				return tx.Table(l.cfg.Undo).Where("id IN ?", entryIDs(batch)).Delete(&Entry{}).Error
			})
			if err != nil {
				return err
			}
		}
	}
	return l.end(ctx, id, Undone, nil)
}

func entryIDs(entries []Entry) []int64 {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}

// end records the outcome and drops what is left of the undo entries.
func (l *Log) end(ctx context.Context, id int64, status string, counts map[string]any) error {
	db := l.db.WithContext(ctx)
	for {
		var ids []int64
		if err := db.Table(l.cfg.Undo).Where("import_id = ?", id).Order("id").Limit(2000).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		if err := db.Table(l.cfg.Undo).Where("id IN ?", ids).Delete(&Entry{}).Error; err != nil {
			return err
		}
	}
	fields := map[string]any{"status": status, "updated_at": l.now()}
	maps.Copy(fields, counts)
	return db.Table(l.cfg.Runs).Where("id = ?", id).Updates(fields).Error
}
