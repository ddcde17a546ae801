package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/fault"
)

// importFixture is a directory with a manager and a report on file, and a
// file that changes both and adds enough people to take several batches.
type importFixture struct {
	dir   *Directory
	db    *database.DB
	now   time.Time
	boss  Employee
	rep   Employee
	file  string
	added int
}

func newImportFixture(t *testing.T, db *database.DB) *importFixture {
	f := &importFixture{db: db, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	f.dir = New(db.Gorm, func() time.Time { return f.now })
	sales, err := f.dir.CreateTeam(t.Context(), TeamInput{Name: "Sales"})
	require.NoError(t, err)
	f.boss, err = f.dir.CreateEmployee(t.Context(), EmployeeInput{Email: "boss@example.com", Name: "Boss", Role: RoleManager, TeamID: &sales.ID})
	require.NoError(t, err)
	f.rep, err = f.dir.CreateEmployee(t.Context(), EmployeeInput{Email: "rep@example.com", Name: "Rep", TeamID: &sales.ID, ManagerID: &f.boss.ID})
	require.NoError(t, err)
	lines := []string{"email,name,team,manager_email,role",
		"lead@example.com,New Lead,Field Sales,,manager",
		"rep@example.com,Rep Renamed,Field Sales,lead@example.com,",
		"boss@example.com,Boss Renamed,,,"}
	f.added = 2*importBatch + 50
	for i := range f.added {
		lines = append(lines, fmt.Sprintf("p%d@example.com,Person %d,Field Sales,lead@example.com,employee", i, i))
	}
	f.file = strings.Join(lines, "\n")
	return f
}

// directoryRows is every row of the directory's tables, as someone holding
// the database would see them.
func directoryRows(t *testing.T, db *database.DB) map[string][]string {
	dump := dbtest.Dump(t, db)
	return map[string][]string{"employees": dump["employees"], "teams": dump["teams"], "undo": dump["employee_import_undo"]}
}

func importStatuses(t *testing.T, db *database.DB) []string {
	var out []string
	require.NoError(t, db.Gorm.Table("employee_imports").Order("id").Pluck("status", &out).Error)
	return out
}

// The database fails in the third batch: what the first two wrote is
// undone, so the import leaves nothing behind.
func TestImportFailingPartWayLeavesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newImportFixture(t, db)
		before := directoryRows(t, db)
		var creates atomic.Int32
		err := db.Gorm.Callback().Create().Before("gorm:create").Register("test:fail", func(tx *gorm.DB) {
			if tx.Statement.Table == "employees" && creates.Add(1) == 3 { // the third batch
				tx.AddError(errors.New("disk I/O error"))
			}
		})
		require.NoError(t, err)
		_, err = f.dir.Import(t.Context(), strings.NewReader(f.file))
		require.ErrorContains(t, err, "disk I/O error")
		require.Equal(t, before, directoryRows(t, db), "nothing of the import remains")
		require.Equal(t, []string{"undone"}, importStatuses(t, db))

		require.NoError(t, db.Gorm.Callback().Create().Remove("test:fail"))
		res, err := f.dir.Import(t.Context(), strings.NewReader(f.file))
		require.NoError(t, err, "the same file imports once the database is well")
		require.Equal(t, ImportResult{Created: f.added + 1, Updated: 2, TeamsCreated: []string{"Field Sales"}}, res)
		rep, err := f.dir.Employee(t.Context(), f.rep.ID)
		require.NoError(t, err)
		lead, err := f.dir.EmployeeByEmail(t.Context(), "lead@example.com")
		require.NoError(t, err)
		require.Equal(t, "Rep Renamed", rep.Name)
		require.Equal(t, lead.ID, *rep.ManagerID, "a manager created by the import is linked")
		require.Equal(t, []string{"undone", "done"}, importStatuses(t, db))
		require.Empty(t, directoryRows(t, db)["undo"], "a finished import keeps no undo rows")
	})
}

// A process that dies part-way leaves an import applying; once it has been
// silent for a minute, it is undone.
func TestAbandonedImportIsUndone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newImportFixture(t, db)
		before := directoryRows(t, db)
		imp, err := f.dir.newImporter(db.Gorm)
		require.NoError(t, err)
		rows, err := readImportCSV(strings.NewReader(f.file))
		require.NoError(t, err)
		planned := imp.plan(rows)
		_, teams := imp.resolve(planned)
		require.NoError(t, imp.problems.Err())
		run, err := f.dir.importLog().Start(t.Context())
		require.NoError(t, err)
		require.NoError(t, f.dir.applyBatches(t.Context(), run, planned[:importBatch+5], teams), "the process dies here")

		_, err = f.dir.Import(t.Context(), strings.NewReader(f.file))
		_, conflict := errors.AsType[*fault.Conflict](err)
		require.True(t, conflict, "an import still applying is not undone under it: %v", err)
		require.NotEqual(t, before, directoryRows(t, db))

		f.now = f.now.Add(batchimport.Stale + time.Second)
		require.NoError(t, f.dir.UndoAbandonedImports(context.Background()))
		require.Equal(t, before, directoryRows(t, db))
		require.Equal(t, []string{"undone"}, importStatuses(t, db))
	})
}

// Someone changes a person between the import's checks and its writes: the
// import stops and is undone rather than overwrite that change.
func TestImportNeverOverwritesAChangeMadeMeanwhile(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newImportFixture(t, db)
		imp, err := f.dir.newImporter(db.Gorm)
		require.NoError(t, err)
		rows, err := readImportCSV(strings.NewReader(f.file))
		require.NoError(t, err)
		planned := imp.plan(rows)
		res, teams := imp.resolve(planned)
		f.now = f.now.Add(time.Second)
		name := "Boss Meanwhile"
		_, err = f.dir.UpdateEmployee(t.Context(), f.boss.ID, EmployeePatch{Name: &name})
		require.NoError(t, err)
		before := directoryRows(t, db)

		err = f.dir.apply(t.Context(), planned, teams, res)
		_, conflict := errors.AsType[*fault.Conflict](err)
		require.True(t, conflict, "%v", err)
		require.ErrorContains(t, err, "boss@example.com was changed while the file was imported")
		require.Equal(t, before, directoryRows(t, db))
	})
}
