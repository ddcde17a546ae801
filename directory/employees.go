package directory

import (
	"context"
	"errors"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// EmployeeInput creates an employee.
type EmployeeInput struct {
	Email     string `json:"email"`
	Name      string `json:"name"`
	TeamID    *int64 `json:"team_id"`
	ManagerID *int64 `json:"manager_id"`
	Role      Role   `json:"role"`
	// SlackUserID is set only by the Slack directory sync, which creates
	// people it found in Slack; the API never takes it (see BindSlack).
	SlackUserID string `json:"-"`
	Timezone    string `json:"timezone"`
	Locale      string `json:"locale"`
}

// EmployeePatch changes an employee; nil fields stay as they are. A team or
// manager of 0 clears it. The Slack binding is not here: only the
// directory sync sets it, through BindSlack.
type EmployeePatch struct {
	Email     *string `json:"email"`
	Name      *string `json:"name"`
	TeamID    *int64  `json:"team_id"`
	ManagerID *int64  `json:"manager_id"`
	Role      *Role   `json:"role"`
	Timezone  *string `json:"timezone"`
	Locale    *string `json:"locale"`
	Active    *bool   `json:"active"`
}

// EmployeeFilter narrows a listing.
type EmployeeFilter struct {
	TeamID     *int64
	ActiveOnly bool
	// Search keeps people whose name or email contains it, ignoring case.
	Search string
	// SlackUnmatched keeps people the Slack directory sync has not bound
	// to a Slack user (no one in Slack has their email).
	SlackUnmatched bool
	// Scope limits the listing to what a viewer may see; the zero Scope sees
	// nobody, so callers must say EveryoneScope() to list all.
	Scope Scope
}

// MaxSearch is the longest search text a listing takes.
const MaxSearch = 100

// likeEscaper makes a search text literal inside a LIKE pattern.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

var slackUserID = regexp.MustCompile(`^[UW][A-Z0-9]{2,}$`)

// NormalizeEmail lowercases and trims an address, since emails are unique
// regardless of case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Employees lists employees, ordered by name.
func (d *Directory) Employees(ctx context.Context, f EmployeeFilter) ([]Employee, error) {
	var out []Employee
	return out, d.employeeQuery(ctx, f).Order("lower(name), id").Find(&out).Error
}

// byName is the order of the employee and team lists.
var byName = page.Order{Column: "lower(name)", Bind: "lower(?)"}

// EmployeePage is one page of Employees and the cursor of the next ("" on
// the last).
func (d *Directory) EmployeePage(ctx context.Context, f EmployeeFilter, p page.Request) ([]Employee, string, error) {
	q, err := page.Query(d.employeeQuery(ctx, f), p, byName)
	if err != nil {
		return nil, "", err
	}
	out := []Employee{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(e Employee) (any, int64) { return e.Name, e.ID })
	return out, next, nil
}

func (d *Directory) employeeQuery(ctx context.Context, f EmployeeFilter) *gorm.DB {
	q := d.db.WithContext(ctx)
	if f.TeamID != nil {
		q = q.Where("team_id = ?", *f.TeamID)
	}
	if f.ActiveOnly {
		q = q.Where("active")
	}
	if search := strings.ToLower(strings.TrimSpace(f.Search)); search != "" {
		pattern := "%" + likeEscaper.Replace(search) + "%"
		q = q.Where(`(lower(name) LIKE ? ESCAPE '\' OR lower(email) LIKE ? ESCAPE '\')`, pattern, pattern)
	}
	if f.SlackUnmatched {
		q = q.Where("slack_user_id = ''")
	}
	if !f.Scope.All {
		q = q.Where("id IN ?", append(f.Scope.EmployeeIDs(), 0))
	}
	return q
}

// Employee returns one employee.
func (d *Directory) Employee(ctx context.Context, id int64) (Employee, error) {
	var e Employee
	err := d.db.WithContext(ctx).First(&e, id).Error
	return e, notFoundAs(err, "employee")
}

// EmployeeByEmail finds an employee by address, ignoring case.
func (d *Directory) EmployeeByEmail(ctx context.Context, email string) (Employee, error) {
	var e Employee
	err := d.db.WithContext(ctx).Where("lower(email) = ?", NormalizeEmail(email)).First(&e).Error
	return e, notFoundAs(err, "employee")
}

// EmployeeBySlackUserID finds the employee with a Slack user id.
func (d *Directory) EmployeeBySlackUserID(ctx context.Context, slackUserID string) (Employee, error) {
	var e Employee
	if slackUserID == "" {
		return e, fault.NotFound("employee")
	}
	err := d.db.WithContext(ctx).Where("slack_user_id = ?", slackUserID).First(&e).Error
	return e, notFoundAs(err, "employee")
}

// CreateEmployee adds an employee.
func (d *Directory) CreateEmployee(ctx context.Context, in EmployeeInput) (Employee, error) {
	e := Employee{
		Email: NormalizeEmail(in.Email), Name: strings.TrimSpace(in.Name), TeamID: in.TeamID,
		ManagerID: in.ManagerID, Role: in.Role, SlackUserID: strings.TrimSpace(in.SlackUserID),
		Timezone: strings.TrimSpace(in.Timezone), Locale: strings.TrimSpace(in.Locale), Active: true,
	}
	if e.Role == "" {
		e.Role = RoleEmployee
	}
	if e.Locale == "" {
		e.Locale = "en"
	}
	err := d.withTx(ctx, func(tx *gorm.DB) error {
		if err := checkEmployee(ctx, tx, e); err != nil {
			return err
		}
		e.CreatedAt, e.UpdatedAt = d.now(), d.now()
		if err := employeeConflict(tx.Create(&e).Error, e); err != nil || e.SlackUserID == "" {
			return err
		}
		return d.audit(tx, ActorSlackSync, ActionSlackBound, e.ID, bindingChange("", e.SlackUserID))
	})
	return e, err
}

// UpdateEmployee changes an employee. A new email ends the person's
// credentials and is written to the audit log, in the same transaction.
func (d *Directory) UpdateEmployee(ctx context.Context, id int64, p EmployeePatch) (Employee, error) {
	var e Employee
	err := d.withTx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&e, id).Error; err != nil {
			return notFoundAs(err, "employee")
		}
		oldEmail := e.Email
		p.applyTo(&e)
		if err := checkEmployee(ctx, tx, e); err != nil {
			return err
		}
		e.UpdatedAt = d.now()
		// The binding is BindSlack's alone, so this write leaves it out.
		if err := employeeConflict(tx.Omit("slack_user_id").Save(&e).Error, e); err != nil || e.Email == oldEmail {
			return err
		}
		return d.identityChanged(ctx, tx, actorOf(ctx), ActionEmailChanged, e.ID, oldEmail+" -> "+e.Email)
	})
	return e, err
}

// EnsureHRAdmin creates an HR admin, or gives an existing employee with
// that email the hr_admin role (and reactivates them): how a new install
// gets its first administrator.
func (d *Directory) EnsureHRAdmin(ctx context.Context, email, name string) (Employee, error) {
	existing, err := d.EmployeeByEmail(ctx, email)
	if errors.Is(err, fault.ErrNotFound) {
		return d.CreateEmployee(ctx, EmployeeInput{Email: email, Name: name, Role: RoleHRAdmin})
	}
	if err != nil {
		return existing, err
	}
	role, active := RoleHRAdmin, true
	return d.UpdateEmployee(ctx, existing.ID, EmployeePatch{Role: &role, Active: &active})
}

// HasHRAdmin says whether anyone active can administer Pulse yet; a new
// install has nobody until `pulse admin create`.
func (d *Directory) HasHRAdmin(ctx context.Context) (bool, error) {
	var n int64
	err := d.db.WithContext(ctx).Model(&Employee{}).Where("role = ? AND active", RoleHRAdmin).Limit(1).Count(&n).Error
	return n > 0, err
}

// Preferences are the settings each person changes for themselves.
type Preferences struct {
	WeeklyDigest *bool `json:"weekly_digest"`
	// Locale is the language Pulse speaks to the person in, on the web and in
	// Slack alike: "en" or "ms".
	Locale *string `json:"locale"`
}

// SetPreferences changes a person's own settings. Anyone may opt in to the
// weekly digest: a manager's or HR's summarises the teams they lead, and
// everyone's lists their own open 1:1 action items and the overdue action
// plans they own.
func (d *Directory) SetPreferences(ctx context.Context, id int64, p Preferences) (Employee, error) {
	var e Employee
	err := d.withTx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&e, id).Error; err != nil {
			return notFoundAs(err, "employee")
		}
		if p.WeeklyDigest != nil {
			e.WeeklyDigest = *p.WeeklyDigest
		}
		if p.Locale != nil {
			if !slices.Contains(Locales, *p.Locale) {
				return fault.Invalidf("locale", "must be one of %s", strings.Join(Locales, ", "))
			}
			e.Locale = *p.Locale
		}
		e.UpdatedAt = d.now()
		return tx.Model(&Employee{}).Where("id = ?", id).
			Updates(map[string]any{"weekly_digest": e.WeeklyDigest, "locale": e.Locale, "updated_at": e.UpdatedAt}).Error
	})
	return e, err
}

// LedTeams lists the teams a person leads directly (not their sub-teams).
func (d *Directory) LedTeams(ctx context.Context, id int64) ([]Team, error) {
	var teams []Team
	err := d.db.WithContext(ctx).Where("manager_id = ? AND active", id).Order("lower(name), id").Find(&teams).Error
	return teams, err
}

// DigestSubscribers lists the active people who opted in to the digest.
func (d *Directory) DigestSubscribers(ctx context.Context) ([]Employee, error) {
	var out []Employee
	err := d.db.WithContext(ctx).Where("weekly_digest AND active").Order("id").Find(&out).Error
	return out, err
}

// DeactivateEmployee marks an employee inactive: they get no more surveys and
// their tokens stop working. Their past participation is kept.
func (d *Directory) DeactivateEmployee(ctx context.Context, id int64) (Employee, error) {
	inactive := false
	return d.UpdateEmployee(ctx, id, EmployeePatch{Active: &inactive})
}

func (p EmployeePatch) applyTo(e *Employee) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	if p.Email != nil {
		e.Email = NormalizeEmail(*p.Email)
	}
	set(&e.Name, p.Name)
	set(&e.Timezone, p.Timezone)
	set(&e.Locale, p.Locale)
	if p.TeamID != nil {
		e.TeamID = clearZero(*p.TeamID)
	}
	if p.ManagerID != nil {
		e.ManagerID = clearZero(*p.ManagerID)
	}
	if p.Role != nil {
		e.Role = *p.Role
	}
	if p.Active != nil {
		e.Active = *p.Active
	}
}

// checkFields validates what can be checked without the database.
func checkFields(c *fault.Checker, e Employee) {
	if addr, err := mail.ParseAddress(e.Email); err != nil || addr.Address != e.Email || addr.Name != "" {
		c.Add("email", "must be a plain email address such as name@example.com")
	}
	c.Check(e.Name != "", "name", "is required")
	c.Check(utf8.RuneCountInString(e.Name) <= 200, "name", "must be at most 200 characters")
	c.Check(e.Role.Valid(), "role", "must be employee, manager or hr_admin")
	c.Check(e.SlackUserID == "" || slackUserID.MatchString(e.SlackUserID), "slack_user_id", "must look like U0123ABCD")
	if e.Timezone != "" {
		_, err := time.LoadLocation(e.Timezone)
		c.Check(err == nil && e.Timezone != "Local", "timezone", "must be an IANA time zone such as Europe/Berlin")
	}
	c.Check(slices.Contains(Locales, e.Locale), "locale", "must be one of "+strings.Join(Locales, ", "))
}

func checkEmployee(ctx context.Context, tx *gorm.DB, e Employee) error {
	var c fault.Checker
	checkFields(&c, e)
	if e.TeamID != nil {
		var t Team
		if err := tx.First(&t, *e.TeamID).Error; err != nil {
			c.Add("team_id", "no such team")
		} else {
			c.Check(t.Active || !e.Active, "team_id", "team is deactivated")
		}
	}
	if e.ManagerID != nil {
		if e.ID != 0 && *e.ManagerID == e.ID {
			c.Add("manager_id", "an employee cannot be their own manager")
		} else if cyclic, err := managerCycle(ctx, tx, e.ID, *e.ManagerID); err != nil {
			return err
		} else if cyclic {
			c.Add("manager_id", "would make the employee their own indirect manager")
		} else {
			var m Employee
			if err := tx.First(&m, *e.ManagerID).Error; err != nil {
				c.Add("manager_id", "no such employee")
			} else {
				c.Check(m.Active || !e.Active, "manager_id", "manager is deactivated")
			}
		}
	}
	return c.Err()
}

// managerCycle reports whether giving employee id the manager mgr makes id
// manage themselves through the chain.
func managerCycle(ctx context.Context, tx *gorm.DB, id, mgr int64) (bool, error) {
	if id == 0 {
		return false, nil
	}
	var rows []Employee
	if err := tx.WithContext(ctx).Select("id", "manager_id").Find(&rows).Error; err != nil {
		return false, err
	}
	managers := make(map[int64]*int64, len(rows))
	for _, r := range rows {
		managers[r.ID] = r.ManagerID
	}
	managers[id] = &mgr
	return chainLoops(managers, id), nil
}

// chainLoops follows manager links from start and reports whether they come
// back to it.
func chainLoops(managers map[int64]*int64, start int64) bool {
	cur := managers[start]
	for steps := 0; cur != nil && steps <= len(managers); steps++ {
		if *cur == start {
			return true
		}
		cur = managers[*cur]
	}
	return false
}

func employeeConflict(err error, e Employee) error {
	if err == nil || !database.IsUniqueViolation(err) {
		return err
	}
	if strings.Contains(err.Error(), "slack_user_id") {
		return fault.Conflictf("another employee already has Slack user id %s", e.SlackUserID)
	}
	return fault.Conflictf("an employee with email %s already exists", e.Email)
}
