package directory

import (
	"context"
	"maps"
	"slices"

	"github.com/pulsehq/pulse/page"
)

// Scope is the part of the organisation a viewer may see: HR sees all,
// a manager the teams they lead (with their sub-teams) and their reports,
// an employee only themselves.
type Scope struct {
	All       bool
	teams     map[int64]bool
	employees map[int64]bool
}

// EveryoneScope sees the whole organisation.
func EveryoneScope() Scope { return Scope{All: true} }

// HasTeam reports whether the viewer may see the team's aggregates.
func (s Scope) HasTeam(id int64) bool { return s.All || s.teams[id] }

// HasEmployee reports whether the viewer may see the employee's record.
func (s Scope) HasEmployee(id int64) bool { return s.All || s.employees[id] }

// TeamIDs lists the teams in scope, sorted; empty when All.
func (s Scope) TeamIDs() []int64 { return slices.Sorted(maps.Keys(s.teams)) }

// EmployeeIDs lists the employees in scope, sorted; empty when All.
func (s Scope) EmployeeIDs() []int64 { return slices.Sorted(maps.Keys(s.employees)) }

// ScopeOf works out what viewer may see.
func (d *Directory) ScopeOf(ctx context.Context, viewer Employee) (Scope, error) {
	if viewer.Role == RoleHRAdmin {
		return EveryoneScope(), nil
	}
	s := Scope{teams: map[int64]bool{}, employees: map[int64]bool{viewer.ID: true}}
	if viewer.Role != RoleManager {
		return s, nil
	}
	teams, err := d.Teams(ctx)
	if err != nil {
		return s, err
	}
	var led []int64
	for _, t := range teams {
		if t.ManagerID != nil && *t.ManagerID == viewer.ID {
			led = append(led, t.ID)
		}
	}
	for _, id := range Subtree(teams, led...) {
		s.teams[id] = true
	}
	var people []Employee
	q := d.db.WithContext(ctx).Select("id").Where("manager_id = ?", viewer.ID)
	if ids := s.TeamIDs(); len(ids) > 0 {
		q = q.Or("team_id IN ?", ids)
	}
	if err := q.Find(&people).Error; err != nil {
		return s, err
	}
	for _, p := range people {
		s.employees[p.ID] = true
	}
	return s, nil
}

// Subtree returns roots and every team below them, each once, sorted.
func Subtree(teams []Team, roots ...int64) []int64 {
	children := map[int64][]int64{}
	for _, t := range teams {
		if t.ParentID != nil {
			children[*t.ParentID] = append(children[*t.ParentID], t.ID)
		}
	}
	seen := map[int64]bool{}
	queue := slices.Clone(roots)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		queue = append(queue, children[id]...)
	}
	return slices.Sorted(maps.Keys(seen))
}

// TeamSubtree returns roots and every team below them.
func (d *Directory) TeamSubtree(ctx context.Context, roots ...int64) ([]int64, error) {
	teams, err := d.Teams(ctx)
	if err != nil {
		return nil, err
	}
	return Subtree(teams, roots...), nil
}

// TeamsInScopePage is one page of TeamsInScope and the cursor of the next
// ("" on the last).
func (d *Directory) TeamsInScopePage(ctx context.Context, viewer Employee, p page.Request) ([]Team, string, error) {
	teams, err := d.TeamsInScope(ctx, viewer)
	if err != nil {
		return nil, "", err
	}
	return page.Slice(teams, p, func(t Team) (string, int64) { return t.Name, t.ID })
}

// TeamsInScope lists the teams whose results viewer may see: every team for
// HR, the led teams and their sub-teams for a manager, none for others.
func (d *Directory) TeamsInScope(ctx context.Context, viewer Employee) ([]Team, error) {
	scope, err := d.ScopeOf(ctx, viewer)
	if err != nil {
		return nil, err
	}
	all, err := d.Teams(ctx)
	if err != nil {
		return nil, err
	}
	teams := []Team{}
	for _, t := range all {
		if scope.HasTeam(t.ID) {
			teams = append(teams, t)
		}
	}
	return teams, nil
}
