package directory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/fault"
)

// importBatch is how many rows one short write transaction of an import
// takes: tens of milliseconds of SQLite's single writer, so an answer waiting
// behind it waits no longer than that.
const importBatch = 200

// staleImport is how long an import may go without finishing a batch
// before it is taken for dead (its process crashed) and undone.
const staleImport = time.Minute

// importRecord is one import being applied, or its outcome.
type importRecord struct {
	ID        int64
	Status    string
	StartedAt time.Time
	UpdatedAt time.Time
}

func (importRecord) TableName() string { return "employee_imports" }

// importUndo says how to take back one change of an import: delete a team
// or an employee it created, or put back an employee as it was (Before).
type importUndo struct {
	ID       int64
	ImportID int64
	Kind     string
	RowID    int64
	Before   string
}

func (importUndo) TableName() string { return "employee_import_undo" }

const (
	undoTeamCreated     = "team_created"
	undoEmployeeCreated = "employee_created"
	undoEmployeeUpdated = "employee_updated"
)

// apply writes a checked import in short batches, recording in each batch
// how to undo it. If a batch fails, the batches before it are undone and
// the error is returned: nothing of the import remains.
func (d *Directory) apply(ctx context.Context, planned []plannedRow, newTeams []string) error {
	rec, err := d.startImport(ctx)
	if err != nil {
		return err
	}
	err = d.applyBatches(ctx, rec.ID, planned, newTeams)
	if err == nil {
		return d.endImport(ctx, rec.ID, "done")
	}
	// The undo must run even when the request has gone away.
	undoCtx := context.WithoutCancel(ctx)
	if undoErr := d.undoImport(undoCtx, rec.ID); undoErr != nil {
		return fmt.Errorf("directory: import %d failed (%w) and could not be undone yet: %v; it is undone at the next import or start", rec.ID, err, undoErr)
	}
	return err
}

func (d *Directory) applyBatches(ctx context.Context, importID int64, planned []plannedRow, newTeams []string) error {
	teamIDs, err := d.createImportTeams(ctx, importID, newTeams)
	if err != nil {
		return err
	}
	var writes []*plannedRow
	for i := range planned {
		if planned[i].isNew || planned[i].changed {
			writes = append(writes, &planned[i])
		}
	}
	created := map[int64]int64{} // placeholder id -> real id
	for batch := range slices.Chunk(writes, importBatch) {
		err := d.importTx(ctx, importID, func(tx *gorm.DB) error {
			return writeEmployees(tx, importID, batch, teamIDs, created, d.now())
		})
		if err != nil {
			return err
		}
	}
	var linked []*plannedRow
	for _, p := range writes {
		if p.newManager != 0 {
			linked = append(linked, p)
		}
	}
	for batch := range slices.Chunk(linked, importBatch) {
		err := d.importTx(ctx, importID, func(tx *gorm.DB) error {
			for _, p := range batch {
				err := tx.Model(&Employee{}).Where("id = ?", p.employee.ID).Update("manager_id", created[p.newManager]).Error
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *Directory) createImportTeams(ctx context.Context, importID int64, names []string) (map[string]int64, error) {
	ids := map[string]int64{}
	for batch := range slices.Chunk(names, importBatch) {
		err := d.importTx(ctx, importID, func(tx *gorm.DB) error {
			for _, name := range batch {
				now := d.now()
				t := Team{Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&t).Error; err != nil {
					return teamConflict(err, name)
				}
				ids[strings.ToLower(name)] = t.ID
				if err := tx.Create(&importUndo{ImportID: importID, Kind: undoTeamCreated, RowID: t.ID}).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// writeEmployees writes one batch: the new people in one statement, then
// the changes. An employee already on file is changed only if nobody changed
// it since the import read it; otherwise the import stops rather than
// overwrite that change.
func writeEmployees(tx *gorm.DB, importID int64, batch []*plannedRow, teamIDs map[string]int64, created map[int64]int64, now time.Time) error {
	var (
		fresh   []Employee
		newRows []*plannedRow
		undo    []importUndo
	)
	for _, p := range batch {
		e := &p.employee
		if p.newTeam != "" {
			id := teamIDs[p.newTeam]
			e.TeamID = &id
		}
		e.UpdatedAt = now
		if p.isNew {
			row := *e
			row.ID, row.CreatedAt = 0, now
			fresh, newRows = append(fresh, row), append(newRows, p)
		}
	}
	if len(fresh) > 0 {
		err := tx.Create(&fresh).Error
		if err != nil && database.IsUniqueViolation(err) {
			return fault.Conflictf("someone added a person of lines %d..%d while the file was imported; nothing was imported, try again",
				newRows[0].row.line, newRows[len(newRows)-1].row.line)
		}
		if err != nil {
			return err
		}
	}
	for k, p := range newRows {
		created[p.employee.ID] = fresh[k].ID // from its placeholder
		p.employee.ID = fresh[k].ID
		undo = append(undo, importUndo{ImportID: importID, Kind: undoEmployeeCreated, RowID: fresh[k].ID})
	}
	for _, p := range batch {
		if p.isNew {
			continue
		}
		if err := updateImported(tx, p); err != nil {
			return err
		}
		before, err := json.Marshal(p.before)
		if err != nil {
			return err
		}
		undo = append(undo, importUndo{ImportID: importID, Kind: undoEmployeeUpdated, RowID: p.employee.ID, Before: string(before)})
	}
	if len(undo) == 0 {
		return nil
	}
	return tx.Create(&undo).Error
}

func updateImported(tx *gorm.DB, p *plannedRow) error {
	e := &p.employee
	res := tx.Model(&Employee{}).Where("id = ? AND updated_at = ?", e.ID, p.before.UpdatedAt).
		Select("name", "team_id", "manager_id", "role", "timezone", "locale", "updated_at").UpdateColumns(e)
	if res.Error != nil {
		return employeeConflict(res.Error, *e)
	}
	if res.RowsAffected == 0 {
		return fault.Conflictf("%s was changed while the file was imported (line %d); nothing was imported, try again",
			e.Email, p.row.line)
	}
	return nil
}

// importTx runs one batch in a short transaction that also marks the
// import as alive.
func (d *Directory) importTx(ctx context.Context, importID int64, fn func(tx *gorm.DB) error) error {
	return d.withTx(ctx, func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.Model(&importRecord{}).Where("id = ?", importID).Update("updated_at", d.now()).Error
	})
}

// startImport records a new import, first undoing any that died part-way.
// Only one import is applied at a time.
func (d *Directory) startImport(ctx context.Context) (importRecord, error) {
	if err := d.UndoAbandonedImports(ctx); err != nil {
		return importRecord{}, err
	}
	now := d.now()
	rec := importRecord{Status: "applying", StartedAt: now, UpdatedAt: now}
	err := d.db.WithContext(ctx).Create(&rec).Error
	if err != nil && database.IsUniqueViolation(err) {
		return rec, fault.Conflictf("another employee import is being applied; try again when it is done")
	}
	return rec, err
}

// UndoAbandonedImports undoes every import whose process stopped part-way
// (no batch finished for a minute), so the directory never keeps half an
// import. Start-up and every import call it.
func (d *Directory) UndoAbandonedImports(ctx context.Context) error {
	var stale []importRecord
	err := d.db.WithContext(ctx).Where("status = ? AND updated_at < ?", "applying", d.now().Add(-staleImport)).
		Find(&stale).Error
	if err != nil {
		return err
	}
	for _, rec := range stale {
		if err := d.undoImport(ctx, rec.ID); err != nil {
			return err
		}
	}
	return nil
}

// undoImport takes back what an import wrote, in short batches: employees
// it changed are put back, then those it created and its new teams go.
func (d *Directory) undoImport(ctx context.Context, importID int64) error {
	for _, kind := range []string{undoEmployeeUpdated, undoEmployeeCreated, undoTeamCreated} {
		for {
			var batch []importUndo
			err := d.db.WithContext(ctx).Where("import_id = ? AND kind = ?", importID, kind).
				Order("id").Limit(importBatch).Find(&batch).Error
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			if err := d.importTx(ctx, importID, func(tx *gorm.DB) error { return undoBatch(tx, batch) }); err != nil {
				return err
			}
		}
	}
	return d.endImport(ctx, importID, "undone")
}

func undoBatch(tx *gorm.DB, batch []importUndo) error {
	ids, undoIDs := make([]int64, len(batch)), make([]int64, len(batch))
	for i, u := range batch {
		ids[i], undoIDs[i] = u.RowID, u.ID
	}
	var err error
	switch batch[0].Kind {
	case undoEmployeeUpdated:
		for _, u := range batch {
			var e Employee
			if err := json.Unmarshal([]byte(u.Before), &e); err != nil {
				return err
			}
			if err := tx.Model(&Employee{}).Where("id = ?", e.ID).Select("*").UpdateColumns(&e).Error; err != nil {
				return err
			}
		}
	case undoEmployeeCreated:
		err = tx.Model(&Employee{}).Where("manager_id IN ?", ids).Update("manager_id", nil).Error
		if err == nil {
			err = tx.Where("id IN ?", ids).Delete(&Employee{}).Error
		}
	case undoTeamCreated:
		err = tx.Where("id IN ?", ids).Delete(&Team{}).Error
	}
	if err != nil {
		return err
	}
	return tx.Where("id IN ?", undoIDs).Delete(&importUndo{}).Error
}

// endImport records the outcome and drops what is left of the undo rows.
func (d *Directory) endImport(ctx context.Context, importID int64, status string) error {
	for {
		var ids []int64
		db := d.db.WithContext(ctx)
		if err := db.Model(&importUndo{}).Where("import_id = ?", importID).Order("id").Limit(2000).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		if err := db.Where("id IN ?", ids).Delete(&importUndo{}).Error; err != nil {
			return err
		}
	}
	return d.db.WithContext(ctx).Model(&importRecord{}).Where("id = ?", importID).
		Updates(map[string]any{"status": status, "updated_at": d.now()}).Error
}
