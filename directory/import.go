package directory

import (
	"context"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/csvfile"
	"github.com/pulsehq/pulse/fault"
)

// ImportColumns is the header of an employee CSV file, in any order; only
// email and name are required. There is no Slack column: a Slack binding
// comes only from the directory sync, matched by email.
var ImportColumns = []string{"email", "name", "team", "manager_email", "role", "timezone", "locale"}

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
//
// Every check runs before anything is written, against the directory as it
// stands. The writes then go in short batches (see apply), so a large import
// never holds the database while someone answers a survey; a failure
// part-way undoes the batches already written.
func (d *Directory) Import(ctx context.Context, r io.Reader) (ImportResult, error) {
	rows, err := readImportCSV(r)
	if err != nil {
		return ImportResult{}, err
	}
	imp, err := d.newImporter(d.db.WithContext(ctx))
	if err != nil {
		return ImportResult{}, err
	}
	planned := imp.plan(rows)
	if err := imp.problems.Err(); err != nil {
		return ImportResult{}, err
	}
	res, newTeams := imp.resolve(planned)
	if err := imp.problems.Err(); err != nil {
		return ImportResult{}, err
	}
	if err := d.apply(ctx, planned, newTeams, res); err != nil {
		return ImportResult{}, err
	}
	return res, nil
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
		case h == "slack_user_id":
			c.AddLine(1, h, "is not imported: a Slack binding is set only by the Slack directory sync, matched by email")
		case !slices.Contains(ImportColumns, h):
			c.AddLinef(1, h, "unknown column; expected %s", strings.Join(ImportColumns, ","))
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
	byEmail  map[string]*Employee
	teams    map[string]*Team
	problems fault.Checker
}

func (d *Directory) newImporter(tx *gorm.DB) (*importer, error) {
	imp := &importer{byEmail: map[string]*Employee{}, teams: map[string]*Team{}}
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

type plannedRow struct {
	row      importRow
	employee Employee
	before   Employee // as on file, for an employee already there
	isNew    bool
	changed  bool
	team     string
	manager  string
	// newTeam is the key of a team the import creates; newManager is
	// the placeholder id of a manager it creates. Both get real ids as the
	// import is applied.
	newTeam    string
	newManager int64
}

// plan merges each row into the employee on file (or a new one) and checks it.
func (imp *importer) plan(rows []importRow) []plannedRow {
	inFile := map[string]int{}
	for _, r := range rows {
		email := NormalizeEmail(r.fields["email"])
		if first, dup := inFile[email]; dup && email != "" {
			imp.problems.AddLinef(r.line, "email", "appears again (first on line %d)", first)
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
			imp.problems.Relay(r.line, err.(*fault.Invalid))
		}
		if utf8.RuneCountInString(p.team) > maxTeamName {
			imp.problems.AddLinef(r.line, "team", "must be at most %d characters", maxTeamName)
		}
		if p.manager != "" {
			_, known := imp.byEmail[p.manager]
			_, inThisFile := inFile[p.manager]
			if !known && !inThisFile {
				imp.problems.AddLinef(r.line, "manager_email", "%s is neither in the file nor in the directory", p.manager)
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
		p.employee, p.before = *existing, *existing
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

// resolve settles teams and managers before anything is written: the new
// teams to create, each row's team and manager (a new employee stands in
// with a placeholder id below zero until created), and loops of managers.
func (imp *importer) resolve(planned []plannedRow) (ImportResult, []string) {
	var (
		res      ImportResult
		newTeams []string
	)
	for i := range planned {
		p := &planned[i]
		if p.isNew {
			p.employee.ID = -int64(i + 1)
			imp.byEmail[p.employee.Email] = &p.employee
		}
		if p.team == "" {
			continue
		}
		key := strings.ToLower(p.team)
		team, known := imp.teams[key]
		switch {
		case !known:
			imp.teams[key] = &Team{Name: p.team}
			newTeams = append(newTeams, p.team)
			p.newTeam, p.changed = key, true
		case team.ID == 0:
			p.newTeam, p.changed = key, true
		case p.employee.TeamID == nil || *p.employee.TeamID != team.ID:
			p.employee.TeamID, p.changed = &team.ID, true
		}
	}
	res.TeamsCreated = newTeams
	managers := map[int64]*int64{}
	for _, e := range imp.byEmail {
		managers[e.ID] = e.ManagerID
	}
	for i := range planned {
		p := &planned[i]
		if p.manager == "" {
			continue
		}
		mgr := imp.byEmail[p.manager].ID
		if mgr < 0 {
			p.newManager, p.changed = mgr, true
		} else if p.employee.ManagerID == nil || *p.employee.ManagerID != mgr {
			p.employee.ManagerID, p.changed = &mgr, true
		}
		managers[p.employee.ID] = &mgr
	}
	for _, p := range planned {
		if managers[p.employee.ID] != nil && chainLoops(managers, p.employee.ID) {
			imp.problems.AddLine(p.row.line, "manager_email", "would make a loop of managers")
		}
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
	}
	return res, newTeams
}
