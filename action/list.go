package action

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// Filter narrows a list of plans; zero fields do not narrow.
type Filter struct {
	SurveyID int64
	RoundID  int64
	// TeamID picks one team's plans; Org picks the organisation's.
	TeamID *int64
	Org    bool
	Status string
}

// List returns one page of the plans the actor may see, newest first, and
// the cursor of the next page ("" on the last): HR every plan, a manager
// those of their teams and published organisation plans, an employee the
// published plans of their team (and the teams above it) and of the
// organisation.
func (s *Service) List(ctx context.Context, a Actor, f Filter, r page.Request) ([]Plan, string, error) {
	if f.Status != "" && !validStatus(f.Status) {
		return nil, "", fault.Invalidf("status", "must be planned, in_progress, done or dropped")
	}
	q, err := s.visible(ctx, a)
	if err != nil {
		return nil, "", err
	}
	q = narrow(q, f)
	if q, err = page.Query(q, r, page.Order{Desc: true}); err != nil {
		return nil, "", err
	}
	out := []Plan{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, r, func(p Plan) (any, int64) { return nil, p.ID })
	return s.withOwnerNames(ctx, out), next, nil
}

func narrow(q *gorm.DB, f Filter) *gorm.DB {
	if f.SurveyID > 0 {
		q = q.Where("survey_id = ?", f.SurveyID)
	}
	if f.RoundID > 0 {
		q = q.Where("round_id = ?", f.RoundID)
	}
	if f.TeamID != nil {
		q = q.Where("team_id = ?", *f.TeamID)
	} else if f.Org {
		q = q.Where("team_id IS NULL")
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return q
}

// visible is the query of the plans the actor may see (see List).
func (s *Service) visible(ctx context.Context, a Actor) (*gorm.DB, error) {
	q := s.db.WithContext(ctx).Model(&Plan{})
	switch a.Employee.Role {
	case directory.RoleHRAdmin:
		return q, nil
	case directory.RoleManager:
		teams := append(a.Scope.TeamIDs(), 0)
		own, err := s.teamAndAbove(ctx, a.Employee.TeamID)
		if err != nil {
			return nil, err
		}
		return q.Where("team_id IN ? OR (published_at IS NOT NULL AND (team_id IS NULL OR team_id IN ?))", teams, own), nil
	}
	return s.publishedFor(ctx, q, a.Employee.TeamID)
}

// publishedFor narrows q to the published plans a member of team sees.
func (s *Service) publishedFor(ctx context.Context, q *gorm.DB, teamID *int64) (*gorm.DB, error) {
	own, err := s.teamAndAbove(ctx, teamID)
	if err != nil {
		return nil, err
	}
	return q.Where("published_at IS NOT NULL AND (team_id IS NULL OR team_id IN ?)", own), nil
}

// teamAndAbove is the team and every team above it (never empty, so it
// can go in an IN list).
func (s *Service) teamAndAbove(ctx context.Context, teamID *int64) ([]int64, error) {
	out := []int64{0}
	if teamID == nil {
		return out, nil
	}
	teams, err := s.dir.Teams(ctx)
	if err != nil {
		return nil, err
	}
	parent := map[int64]*int64{}
	for _, t := range teams {
		parent[t.ID] = t.ParentID
	}
	for id, hops := teamID, 0; id != nil && hops <= len(teams); id, hops = parent[*id], hops+1 {
		out = append(out, *id)
	}
	return out, nil
}

// ListOpenForTeam returns the published plans still being worked on
// (planned or in progress) that members of the team see: the team's, those
// of the teams above it, and the organisation's; nil team means someone in
// no team, who sees the organisation's. Oldest due first, at most limit.
func (s *Service) ListOpenForTeam(ctx context.Context, teamID *int64, limit int) ([]Plan, error) {
	q, err := s.publishedFor(ctx, s.db.WithContext(ctx).Model(&Plan{}), teamID)
	if err != nil {
		return nil, err
	}
	out := []Plan{}
	err = q.Where("status IN ?", []string{StatusPlanned, StatusInProgress}).Order("due_on, id").Limit(max(limit, 1)).Find(&out).Error
	return s.withOwnerNames(ctx, out), err
}

// Overdue returns the open plans past their due date as of asOf (a date in
// UTC) that the person owns or whose team they manage (with sub-teams),
// oldest due first, at most limit: what their digest lists.
func (s *Service) Overdue(ctx context.Context, asOf time.Time, employeeID int64, limit int) ([]Plan, error) {
	led, err := s.dir.LedTeams(ctx, employeeID)
	if err != nil {
		return nil, err
	}
	roots := make([]int64, 0, len(led))
	for _, t := range led {
		roots = append(roots, t.ID)
	}
	teams := []int64{0}
	if len(roots) > 0 {
		sub, err := s.dir.TeamSubtree(ctx, roots...)
		if err != nil {
			return nil, err
		}
		teams = append(teams, sub...)
	}
	out := []Plan{}
	err = s.db.WithContext(ctx).Where("status IN ? AND due_on < ? AND (owner_id = ? OR team_id IN ?)",
		[]string{StatusPlanned, StatusInProgress}, asOf.UTC().Format(time.DateOnly), employeeID, teams).
		Order("due_on, id").Limit(max(limit, 1)).Find(&out).Error
	return s.withOwnerNames(ctx, out), err
}

// Marker is a plan as a point on a trend: when it was published and done.
type Marker struct {
	PlanID int64 `json:"plan_id"`
	// TeamID is the plan's group: a team, or nil for the organisation.
	TeamID      *int64     `json:"team_id"`
	Title       string     `json:"title"`
	Status      string     `json:"status"`
	QuestionID  *int64     `json:"question_id"`
	PublishedAt time.Time  `json:"published_at"`
	DoneAt      *time.Time `json:"done_at"`
}

// Markers returns the published plans of a survey for exactly one group
// (teamID nil: the organisation), in the order they were published. The
// caller has already checked the actor may see that group's results.
func (s *Service) Markers(ctx context.Context, surveyID int64, teamID *int64) ([]Marker, error) {
	if teamID == nil {
		return s.markers(ctx, surveyID, nil, true)
	}
	return s.markers(ctx, surveyID, []int64{*teamID}, false)
}

// MarkersOf is Markers for several groups at once (a heatmap's rows): the
// teams listed, and the organisation when org is set.
func (s *Service) MarkersOf(ctx context.Context, surveyID int64, teamIDs []int64, org bool) ([]Marker, error) {
	return s.markers(ctx, surveyID, teamIDs, org)
}

func (s *Service) markers(ctx context.Context, surveyID int64, teamIDs []int64, org bool) ([]Marker, error) {
	q := s.db.WithContext(ctx).Where("survey_id = ? AND published_at IS NOT NULL", surveyID)
	if org {
		q = q.Where("(team_id IS NULL OR team_id IN ?)", append(teamIDs, 0))
	} else {
		q = q.Where("team_id IN ?", append(teamIDs, 0))
	}
	var plans []Plan
	if err := q.Order("published_at, id").Limit(500).Find(&plans).Error; err != nil {
		return nil, err
	}
	out := make([]Marker, len(plans))
	for i, p := range plans {
		out[i] = Marker{PlanID: p.ID, TeamID: p.TeamID, Title: p.Title, Status: p.Status, QuestionID: p.QuestionID,
			PublishedAt: *p.PublishedAt, DoneAt: p.DoneAt}
	}
	return out, nil
}
