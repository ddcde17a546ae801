package directory

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/csvfile"
	"github.com/pulsehq/pulse/fault"
)

// ImportColumns is the header of an employee CSV file, in any order; only
// email and name are required.
var ImportColumns = []string{"email", "name", "team", "manager_email", "role", "slack_user_id", "timezone", "locale"}

// ImportResult says what an import changed.
type ImportResult struct {
	Created      int      `json:"created"`
	Updated      int      `json:"updated"`
	Unchanged    int      `json:"unchanged"`
	TeamsCreated []string `json:"teams_created"`
}

type importRow struct {
	line   int
	fields map[string]string
}

// Import upserts employees from CSV by email. It is all-or-nothing: if any row
// is bad, nothing is written and the error lists every bad line and why.
// An empty cell keeps the existing value of an employee already on file; a
// team that does not exist yet is created at the top level.
func (d *Directory) Import(ctx context.Context, r io.Reader) (ImportResult, error) {
	rows, err := readImportCSV(r)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = d.withTx(ctx, func(tx *gorm.DB) error {
		imp, err := d.newImporter(tx)
		if err != nil {
			return err
		}
		res, err = imp.run(ctx, rows)
		return err
	})
	return res, err
}

func readImportCSV(r io.Reader) ([]importRow, error) {
	lines, err := csvfile.Read(r, csvfile.Spec{What: "employees", Fields: importHeader,
		Header: "the header " + strings.Join(ImportColumns, ",")})
	if err != nil {
		return nil, err
	}
	rows := make([]importRow, len(lines))
	for i, l := range lines {
		rows[i] = importRow{line: l.Line, fields: l.Fields}
	}
	return rows, nil
}

func importHeader(header []string) ([]string, error) {
	var c fault.Checker
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		cols[i] = h
		switch {
		case !slices.Contains(ImportColumns, h):
			c.AddLine(1, h, "unknown column; expected "+strings.Join(ImportColumns, ","))
		case seen[h]:
			c.AddLine(1, h, "column appears twice")
		}
		seen[h] = true
	}
	for _, req := range []string{"email", "name"} {
		c.Check(seen[req], req, "column is required in the header")
	}
	return cols, c.Err()
}

// importer holds the directory as it stands, so every row is checked against
// the file and the database together before anything is written.
type importer struct {
	d        *Directory
	tx       *gorm.DB
	byEmail  map[string]*Employee
	teams    map[string]*Team
	problems fault.Checker
}

func (d *Directory) newImporter(tx *gorm.DB) (*importer, error) {
	imp := &importer{d: d, tx: tx, byEmail: map[string]*Employee{}, teams: map[string]*Team{}}
	var people []Employee
	if err := tx.Find(&people).Error; err != nil {
		return nil, err
	}
	for i := range people {
		imp.byEmail[people[i].Email] = &people[i]
	}
	var teams []Team
	if err := tx.Find(&teams).Error; err != nil {
		return nil, err
	}
	for i := range teams {
		imp.teams[strings.ToLower(teams[i].Name)] = &teams[i]
	}
	return imp, nil
}

func (imp *importer) run(ctx context.Context, rows []importRow) (ImportResult, error) {
	planned := imp.plan(rows)
	if err := imp.problems.Err(); err != nil {
		return ImportResult{}, err
	}
	return imp.write(ctx, planned)
}

type plannedRow struct {
	row      importRow
	employee Employee
	isNew    bool
	changed  bool
	team     string
	manager  string
}

// plan merges each row into the employee on file (or a new one) and checks it.
func (imp *importer) plan(rows []importRow) []plannedRow {
	inFile := map[string]int{}
	for _, r := range rows {
		email := NormalizeEmail(r.fields["email"])
		if first, dup := inFile[email]; dup && email != "" {
			imp.problems.AddLine(r.line, "email", fmt.Sprintf("appears again (first on line %d)", first))
			continue
		}
		inFile[email] = r.line
	}
	var out []plannedRow
	for _, r := range rows {
		p := imp.merge(r)
		var c fault.Checker
		checkFields(&c, p.employee)
		if err := c.Err(); err != nil {
			for _, pr := range err.(*fault.Invalid).Problems {
				imp.problems.AddLine(r.line, pr.Field, pr.Reason)
			}
		}
		if utf8.RuneCountInString(p.team) > maxTeamName {
			imp.problems.AddLine(r.line, "team", fmt.Sprintf("must be at most %d characters", maxTeamName))
		}
		if p.manager != "" {
			_, known := imp.byEmail[p.manager]
			_, inThisFile := inFile[p.manager]
			if !known && !inThisFile {
				imp.problems.AddLine(r.line, "manager_email", p.manager+" is neither in the file nor in the directory")
			}
			if p.manager == p.employee.Email {
				imp.problems.AddLine(r.line, "manager_email", "an employee cannot be their own manager")
			}
		}
		out = append(out, p)
	}
	return out
}

func (imp *importer) merge(r importRow) plannedRow {
	f := r.fields
	email := NormalizeEmail(f["email"])
	p := plannedRow{row: r, team: f["team"], manager: NormalizeEmail(f["manager_email"])}
	if existing, ok := imp.byEmail[email]; ok {
		p.employee = *existing
	} else {
		p.isNew = true
		p.employee = Employee{Email: email, Role: RoleEmployee, Locale: "en", Active: true}
	}
	e := &p.employee
	keep := func(dst *string, v string) {
		if v != "" && *dst != v {
			*dst, p.changed = v, true
		}
	}
	keep(&e.Name, f["name"])
	keep(&e.SlackUserID, f["slack_user_id"])
	keep(&e.Timezone, f["timezone"])
	keep(&e.Locale, strings.ToLower(f["locale"]))
	if role := Role(strings.ToLower(f["role"])); role != "" && role != e.Role {
		e.Role, p.changed = role, true
	}
	if p.isNew && !e.Active {
		e.Active = true
	}
	return p
}

// write creates missing teams, then employees, then links managers, since a
// manager may appear later in the file than their reports.
func (imp *importer) write(ctx context.Context, planned []plannedRow) (ImportResult, error) {
	var res ImportResult
	now := imp.d.now()
	for i := range planned {
		p := &planned[i]
		if p.team != "" {
			team, created, err := imp.team(p.team)
			if err != nil {
				return res, err
			}
			if created {
				res.TeamsCreated = append(res.TeamsCreated, team.Name)
			}
			if p.employee.TeamID == nil || *p.employee.TeamID != team.ID {
				p.employee.TeamID, p.changed = &team.ID, true
			}
		}
		if !p.isNew && !p.changed {
			continue
		}
		p.employee.UpdatedAt = now
		if p.isNew {
			p.employee.CreatedAt = now
		}
		if err := imp.tx.WithContext(ctx).Save(&p.employee).Error; err != nil {
			return res, employeeConflict(err, p.employee)
		}
		imp.byEmail[p.employee.Email] = &p.employee
	}
	managers := map[int64]*int64{}
	for email, e := range imp.byEmail {
		managers[e.ID] = imp.byEmail[email].ManagerID
	}
	for i := range planned {
		p := &planned[i]
		if p.manager == "" {
			continue
		}
		mgr := imp.byEmail[p.manager].ID
		if p.employee.ManagerID == nil || *p.employee.ManagerID != mgr {
			p.employee.ManagerID, p.changed = &mgr, true
			managers[p.employee.ID] = &mgr
		}
	}
	for _, p := range planned {
		if p.employee.ManagerID != nil && chainLoops(managers, p.employee.ID) {
			imp.problems.AddLine(p.row.line, "manager_email", "would make a loop of managers")
		}
	}
	if err := imp.problems.Err(); err != nil {
		return res, err
	}
	for _, p := range planned {
		switch {
		case p.isNew:
			res.Created++
		case p.changed:
			res.Updated++
		default:
			res.Unchanged++
		}
		if p.changed && p.employee.ManagerID != nil {
			err := imp.tx.WithContext(ctx).Model(&Employee{}).Where("id = ?", p.employee.ID).
				Update("manager_id", *p.employee.ManagerID).Error
			if err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

func (imp *importer) team(name string) (*Team, bool, error) {
	if t, ok := imp.teams[strings.ToLower(name)]; ok {
		return t, false, nil
	}
	now := imp.d.now()
	t := &Team{Name: name, Active: true, CreatedAt: now, UpdatedAt: now}
	if err := imp.tx.Create(t).Error; err != nil {
		return nil, false, teamConflict(err, name)
	}
	imp.teams[strings.ToLower(name)] = t
	return t, true, nil
}
