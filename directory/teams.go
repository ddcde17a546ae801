package directory

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// TeamInput creates a team.
type TeamInput struct {
	Name      string `json:"name"`
	ParentID  *int64 `json:"parent_id"`
	ManagerID *int64 `json:"manager_id"`
}

// TeamPatch changes a team; nil fields stay as they are. A parent or manager
// of 0 clears it.
type TeamPatch struct {
	Name      *string `json:"name"`
	ParentID  *int64  `json:"parent_id"`
	ManagerID *int64  `json:"manager_id"`
	Active    *bool   `json:"active"`
}

// Teams lists every team, active or not, ordered by name.
func (d *Directory) Teams(ctx context.Context) ([]Team, error) {
	var teams []Team
	err := d.db.WithContext(ctx).Order("lower(name), id").Find(&teams).Error
	return teams, err
}

// TeamPage is one page of Teams and the cursor of the next ("" on the last).
func (d *Directory) TeamPage(ctx context.Context, p page.Request) ([]Team, string, error) {
	q, err := page.Query(d.db.WithContext(ctx), p, byName)
	if err != nil {
		return nil, "", err
	}
	teams := []Team{}
	if err := q.Find(&teams).Error; err != nil {
		return nil, "", err
	}
	teams, next := page.Cut(teams, p, func(t Team) (any, int64) { return t.Name, t.ID })
	return teams, next, nil
}

// Team returns one team.
func (d *Directory) Team(ctx context.Context, id int64) (Team, error) {
	var t Team
	err := d.db.WithContext(ctx).First(&t, id).Error
	return t, notFoundAs(err, "team")
}

// CreateTeam adds a team.
func (d *Directory) CreateTeam(ctx context.Context, in TeamInput) (Team, error) {
	t := Team{Name: strings.TrimSpace(in.Name), ParentID: in.ParentID, ManagerID: in.ManagerID, Active: true}
	err := d.withTx(ctx, func(tx *gorm.DB) error {
		if err := checkTeam(ctx, tx, t); err != nil {
			return err
		}
		t.CreatedAt, t.UpdatedAt = d.now(), d.now()
		return teamConflict(tx.Create(&t).Error, t.Name)
	})
	return t, err
}

// UpdateTeam changes a team. A team cannot become its own ancestor, and it
// cannot be deactivated while it has active members or active sub-teams.
func (d *Directory) UpdateTeam(ctx context.Context, id int64, p TeamPatch) (Team, error) {
	var t Team
	err := d.withTx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&t, id).Error; err != nil {
			return notFoundAs(err, "team")
		}
		if p.Name != nil {
			t.Name = strings.TrimSpace(*p.Name)
		}
		if p.ParentID != nil {
			t.ParentID = clearZero(*p.ParentID)
		}
		if p.ManagerID != nil {
			t.ManagerID = clearZero(*p.ManagerID)
		}
		if err := checkTeam(ctx, tx, t); err != nil {
			return err
		}
		if p.Active != nil && !*p.Active && t.Active {
			if err := checkTeamEmpty(tx, t.ID); err != nil {
				return err
			}
		}
		if p.Active != nil {
			t.Active = *p.Active
		}
		t.UpdatedAt = d.now()
		return teamConflict(tx.Save(&t).Error, t.Name)
	})
	return t, err
}

// DeactivateTeam marks a team inactive.
func (d *Directory) DeactivateTeam(ctx context.Context, id int64) (Team, error) {
	inactive := false
	return d.UpdateTeam(ctx, id, TeamPatch{Active: &inactive})
}

func clearZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// maxTeamName is the longest team name, in characters.
const maxTeamName = 100

func checkTeam(ctx context.Context, tx *gorm.DB, t Team) error {
	var c fault.Checker
	c.Check(t.Name != "", "name", "is required")
	c.Checkf(utf8.RuneCountInString(t.Name) <= maxTeamName, "name", "must be at most %d characters", maxTeamName)
	if t.ParentID != nil {
		if t.ID != 0 && *t.ParentID == t.ID {
			c.Add("parent_id", "a team cannot be its own parent")
		} else if ok, err := exists(tx, &Team{}, *t.ParentID); err != nil {
			return err
		} else if !ok {
			c.Add("parent_id", "no such team")
		} else if t.ID != 0 {
			cyclic, err := createsCycle(ctx, tx, t.ID, *t.ParentID)
			if err != nil {
				return err
			}
			c.Check(!cyclic, "parent_id", "would make the team its own ancestor")
		}
	}
	if t.ManagerID != nil {
		var m Employee
		if err := tx.First(&m, *t.ManagerID).Error; err != nil {
			c.Add("manager_id", "no such employee")
		} else {
			c.Check(m.Active, "manager_id", "is deactivated")
			c.Check(m.Role != RoleEmployee, "manager_id", "must have the manager or hr_admin role")
		}
	}
	return c.Err()
}

// createsCycle reports whether making parent the parent of team id would
// close a loop, i.e. whether id is parent or one of parent's ancestors.
func createsCycle(ctx context.Context, tx *gorm.DB, id, parent int64) (bool, error) {
	var teams []Team
	if err := tx.WithContext(ctx).Find(&teams).Error; err != nil {
		return false, err
	}
	parents := make(map[int64]*int64, len(teams))
	for _, t := range teams {
		parents[t.ID] = t.ParentID
	}
	for cur, steps := &parent, 0; cur != nil && steps <= len(teams); cur, steps = parents[*cur], steps+1 {
		if *cur == id {
			return true, nil
		}
	}
	return false, nil
}

func checkTeamEmpty(tx *gorm.DB, id int64) error {
	var members, children int64
	if err := tx.Model(&Employee{}).Where("team_id = ? AND active", id).Count(&members).Error; err != nil {
		return err
	}
	if err := tx.Model(&Team{}).Where("parent_id = ? AND active", id).Count(&children).Error; err != nil {
		return err
	}
	if members > 0 || children > 0 {
		return fault.Conflictf("team still has %d active members and %d active sub-teams; move them first", members, children)
	}
	return nil
}

func exists(tx *gorm.DB, model any, id int64) (bool, error) {
	var n int64
	err := tx.Model(model).Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

func teamConflict(err error, name string) error {
	if err != nil && database.IsUniqueViolation(err) {
		return fault.Conflictf("a team named %q already exists", name)
	}
	return err
}
