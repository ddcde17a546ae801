package action

import (
	"context"
	"maps"
	"slices"

	"github.com/pulsehq/pulse/directory"
)

// group is who a plan speaks to: everyone, or the members of some teams.
type group struct {
	everyone bool
	teams    map[int64]bool
}

func (g group) has(e directory.Employee) bool {
	return g.everyone || (e.TeamID != nil && g.teams[*e.TeamID])
}

// groupOf works out a plan's group: a team plan the team and its
// sub-teams; an organisation plan the audience of its survey (everyone
// when the survey goes to everyone).
func (s *Service) groupOf(ctx context.Context, p Plan) (group, error) {
	roots := []int64{}
	if p.TeamID != nil {
		roots = append(roots, *p.TeamID)
	} else {
		sv, err := s.surveys.Survey(ctx, p.SurveyID)
		if err != nil {
			return group{}, err
		}
		if len(sv.Audience.TeamIDs) == 0 {
			return group{everyone: true}, nil
		}
		roots = sv.Audience.TeamIDs
	}
	ids, err := s.dir.TeamSubtree(ctx, roots...)
	if err != nil {
		return group{}, err
	}
	g := group{teams: map[int64]bool{}}
	for _, id := range ids {
		g.teams[id] = true
	}
	return g, nil
}

// Audience lists the active employees a plan speaks to: those told when it
// is published, who see it in Slack and may react to it.
func (s *Service) Audience(ctx context.Context, p Plan) ([]directory.Employee, error) {
	g, err := s.groupOf(ctx, p)
	if err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Where("active")
	if !g.everyone {
		q = q.Where("team_id IN ?", append(slices.Collect(maps.Keys(g.teams)), 0))
	}
	people := []directory.Employee{}
	return people, q.Order("id").Find(&people).Error
}

// sees reports whether the actor may read the plan: HR every plan, a
// manager those of their teams; once published, an organisation plan
// everyone and a team plan the members of the team and its sub-teams.
func (s *Service) sees(ctx context.Context, a Actor, p Plan) (bool, error) {
	switch {
	case a.may(p.TeamID):
		return true, nil
	case p.PublishedAt == nil:
		return false, nil
	case p.TeamID == nil:
		return true, nil
	}
	g, err := s.groupOf(ctx, p)
	return err == nil && g.has(a.Employee), err
}
