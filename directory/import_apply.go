package directory

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// importBatch is how many rows one short write transaction of an import
// takes: tens of milliseconds of SQLite's single writer, so an answer waiting
// behind it waits no longer than that.
const importBatch = 200

// importLog records employee imports as they are applied and undoes one
// that fails or is abandoned.
func (d *Directory) importLog() *batchimport.Log {
	return batchimport.New(d.db, d.now, batchimport.Config{Runs: "employee_imports", Undo: "employee_import_undo",
		What: "employee import", UndoOrder: []string{undoEmployeeUpdated, undoEmployeeCreated, undoTeamCreated},
		UndoEntries: undoBatch})
}

// UndoAbandonedImports undoes every employee import whose process stopped
// part-way (no batch finished for a minute), so the directory never keeps
// half an import. Start-up and every import call it.
func (d *Directory) UndoAbandonedImports(ctx context.Context) error {
	return d.importLog().UndoAbandoned(ctx)
}

// Undo entry kinds: delete a team or an employee the import created, or
// put back an employee as it was (Before).
const (
	undoTeamCreated     = "team_created"
	undoEmployeeCreated = "employee_created"
	undoEmployeeUpdated = "employee_updated"
)

// apply writes a checked import in short batches, recording in each batch
// how to undo it. If a batch fails, the batches before it are undone and
// the error is returned: nothing of the import remains.
func (d *Directory) apply(ctx context.Context, planned []plannedRow, newTeams []string, res ImportResult) error {
	return d.importLog().Apply(ctx, func(run *batchimport.Run) error {
		run.Counted(res.Created, res.Updated)
		return d.applyBatches(ctx, run, planned, newTeams)
	})
}

// ImportHistory lists employee imports, newest first: when each started
// and ended, whether it was done or undone, and how many people it
// created and updated.
func (d *Directory) ImportHistory(ctx context.Context, p page.Request) ([]batchimport.Record, string, error) {
	return batchimport.History(ctx, d.db, "employee_imports", false, "", "employees", p)
}

func (d *Directory) applyBatches(ctx context.Context, run *batchimport.Run, planned []plannedRow, newTeams []string) error {
	teamIDs, err := d.createImportTeams(ctx, run, newTeams)
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
		err := run.Batch(ctx, func(tx *gorm.DB) ([]batchimport.Entry, error) {
			return writeEmployees(tx, batch, teamIDs, created, d.now())
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
		err := run.Batch(ctx, func(tx *gorm.DB) ([]batchimport.Entry, error) {
			for _, p := range batch {
				err := tx.Model(&Employee{}).Where("id = ?", p.employee.ID).Update("manager_id", created[p.newManager]).Error
				if err != nil {
					return nil, err
				}
			}
			return nil, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *Directory) createImportTeams(ctx context.Context, run *batchimport.Run, names []string) (map[string]int64, error) {
	ids := map[string]int64{}
	for batch := range slices.Chunk(names, importBatch) {
		err := run.Batch(ctx, func(tx *gorm.DB) ([]batchimport.Entry, error) {
			var undo []batchimport.Entry
			for _, name := range batch {
				now := d.now()
				t := Team{Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&t).Error; err != nil {
					return nil, teamConflict(err, name)
				}
				ids[strings.ToLower(name)] = t.ID
				undo = append(undo, batchimport.Entry{Kind: undoTeamCreated, RowID: t.ID})
			}
			return undo, nil
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
func writeEmployees(tx *gorm.DB, batch []*plannedRow, teamIDs map[string]int64, created map[int64]int64, now time.Time) ([]batchimport.Entry, error) {
	var (
		fresh   []Employee
		newRows []*plannedRow
		undo    []batchimport.Entry
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
			return nil, fault.Conflictf("someone added a person of lines %d..%d while the file was imported; nothing was imported, try again",
				newRows[0].row.line, newRows[len(newRows)-1].row.line)
		}
		if err != nil {
			return nil, err
		}
	}
	for k, p := range newRows {
		created[p.employee.ID] = fresh[k].ID // from its placeholder
		p.employee.ID = fresh[k].ID
		undo = append(undo, batchimport.Entry{Kind: undoEmployeeCreated, RowID: fresh[k].ID})
	}
	for _, p := range batch {
		if p.isNew {
			continue
		}
		if err := updateImported(tx, p); err != nil {
			return nil, err
		}
		before, err := json.Marshal(p.before)
		if err != nil {
			return nil, err
		}
		undo = append(undo, batchimport.Entry{Kind: undoEmployeeUpdated, RowID: p.employee.ID, Before: string(before)})
	}
	return undo, nil
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

// undoBatch takes back entries of one kind: employees the import changed
// are put back, then those it created and its new teams go.
func undoBatch(tx *gorm.DB, kind string, batch []batchimport.Entry) error {
	ids := make([]int64, len(batch))
	for i, u := range batch {
		ids[i] = u.RowID
	}
	var err error
	switch kind {
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
	return err
}
