package sales

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// ImportResult says what an import changed. A re-import of the same file
// updates every row in place and creates none.
type ImportResult struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// importer checks rows against the file and the database together, so a
// bad file is refused whole with every bad row named.
type importer struct {
	db       *gorm.DB
	now      time.Time
	owners   map[string]int64   // email -> employee id
	byName   map[string][]int64 // full name, folded -> active employees called so
	problems fault.Checker
	firstAt  map[string]int // key -> line (or item) it was first seen on
}

// withImporter reads the directory and hands fn an importer to check rows
// with. The checks read outside any write transaction: the writes come
// after, in short batches (see write).
func (s *Service) withImporter(ctx context.Context, fn func(imp *importer) (ImportResult, error)) (ImportResult, error) {
	db := s.db.WithContext(ctx)
	var people []directory.Employee
	if err := db.Select("id, email, name, active").Find(&people).Error; err != nil {
		return ImportResult{}, err
	}
	imp := &importer{db: db, now: s.now(), owners: map[string]int64{}, byName: map[string][]int64{},
		firstAt: map[string]int{}}
	for _, p := range people {
		imp.owners[directory.NormalizeEmail(p.Email)] = p.ID
		if p.Active {
			imp.byName[foldName(p.Name)] = append(imp.byName[foldName(p.Name)], p.ID)
		}
	}
	return fn(imp)
}

// owner finds the employee a row belongs to: by email, or, since HubSpot
// and Pipedrive export the owner's name, by a full name exactly one active
// employee has.
func (imp *importer) owner(r row, optional bool) *int64 {
	raw := r.f["owner_email"]
	switch {
	case raw == "":
		if !optional {
			r.problem(&imp.problems, "owner_email", "is required: the owner's email as in the directory")
		}
		return nil
	case !strings.Contains(raw, "@"):
		return imp.ownerByName(r, raw)
	}
	id, ok := imp.owners[directory.NormalizeEmail(raw)]
	if !ok {
		r.problem(&imp.problems, "owner_email", "%q is not an employee's email in the directory", raw)
		return nil
	}
	return &id
}

func (imp *importer) ownerByName(r row, name string) *int64 {
	switch ids := imp.byName[foldName(name)]; len(ids) {
	case 1:
		return &ids[0]
	case 0:
		r.problem(&imp.problems, "owner_email", "no active employee is called %q; "+
			"export the owner's email too, or add them to the directory", name)
	default:
		r.problem(&imp.problems, "owner_email", "%d active employees are called %q; "+
			"export the owner's email to say which", len(ids), name)
	}
	return nil
}

// foldName is a name as it is compared: case and spacing do not count.
func foldName(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// once reports a key seen earlier in the same file as a problem.
func (imp *importer) once(r row, field, key string, pos int) bool {
	if key == "" {
		return true
	}
	if first, dup := imp.firstAt[key]; dup {
		r.problem(&imp.problems, field, "appears again (first at %s)", where(r, first))
		return false
	}
	imp.firstAt[key] = pos
	return true
}

func where(r row, pos int) string {
	if r.line > 0 {
		return fmt.Sprintf("line %d", pos)
	}
	return fmt.Sprintf("item %d", pos)
}

func position(r row, i int) int {
	if r.line > 0 {
		return r.line
	}
	return i
}

func (imp *importer) required(r row, field string) (string, bool) {
	v := r.f[field]
	if v == "" {
		r.problem(&imp.problems, field, "is required")
	}
	return v, v != ""
}

// optionalTime reads a date or time; given is false when the cell is empty,
// and a bad value is reported and returned as given but nil.
func (imp *importer) optionalTime(r row, field string) (at *time.Time, given bool) {
	v := r.f[field]
	if v == "" {
		return nil, false
	}
	t, err := parseTime(v)
	if err != nil {
		r.problem(&imp.problems, field, "%v", err)
		return nil, true
	}
	return &t, true
}

func (imp *importer) requiredTime(r row, field string) time.Time {
	at, given := imp.optionalTime(r, field)
	if !given {
		r.problem(&imp.problems, field, "is required")
	}
	if at == nil {
		return time.Time{}
	}
	return *at
}

func (imp *importer) cents(r row, field string) int64 {
	v, ok := imp.required(r, field)
	if !ok {
		return 0
	}
	c, err := parseCents(v)
	if err != nil {
		r.problem(&imp.problems, field, "%v", err)
	}
	return c
}

// upsert writes items keyed by conflict columns: new keys are created,
// known ones overwritten, so a re-import never duplicates.
func upsert[T any](tx *gorm.DB, items []T, keys []string, update []string) error {
	if len(items) == 0 {
		return nil
	}
	cols := make([]clause.Column, len(keys))
	for i, k := range keys {
		cols[i] = clause.Column{Name: k}
	}
	return tx.Clauses(clause.OnConflict{Columns: cols, DoUpdates: clause.AssignmentColumns(update)}).
		CreateInBatches(items, 500).Error
}

// readAndImport parses a CSV file and hands its rows to an import.
func readAndImport(r io.Reader, what string, cols []column, run func([]row) (ImportResult, error)) (ImportResult, error) {
	rows, err := readCSV(r, what, cols)
	if err != nil {
		return ImportResult{}, err
	}
	return run(rows)
}
