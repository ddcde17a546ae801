package action

import (
	"context"
	"time"

	"github.com/pulsehq/pulse/directory"
)

// Seen is a published plan as one member of its group sees it in Slack:
// the reaction counts as shown to everyone (suppressed below k) and the
// member's own reaction, read back through their keyed hash.
type Seen struct {
	Plan
	Reactions ReactionCounts
	// Mine is the member's own reaction: Helps, NotYet or "".
	Mine string
}

// NoticeFor returns a plan to tell employeeID about: ok is false unless the
// plan is published and not dropped, and employeeID is an active member of
// its group (someone who moved team since publishing is not told).
func (s *Service) NoticeFor(ctx context.Context, planID, employeeID int64) (Plan, bool, error) {
	var plans []Plan
	if err := s.db.WithContext(ctx).Where("id = ?", planID).Limit(1).Find(&plans).Error; err != nil || len(plans) == 0 {
		return Plan{}, false, err
	}
	p := plans[0]
	if !p.Published() || p.Status == StatusDropped {
		return Plan{}, false, nil
	}
	e, err := s.dir.Employee(ctx, employeeID)
	if err != nil || !e.Active {
		return Plan{}, false, err
	}
	g, err := s.groupOf(ctx, p)
	if err != nil || !g.has(e) {
		return Plan{}, false, err
	}
	return s.withOwnerNames(ctx, []Plan{p})[0], true, nil
}

// Shown returns a plan's reaction counts as anyone may see them.
func (s *Service) Shown(ctx context.Context, p Plan) (ReactionCounts, error) {
	k, err := s.surveys.Thresholds(ctx)
	if err != nil {
		return ReactionCounts{}, err
	}
	return countsOf(p, k.MinRespondents), nil
}

// OpenFor returns the published plans still being worked on that the
// employee's group sees (see ListOpenForTeam), at most limit, each with its
// counts and the employee's own reaction.
func (s *Service) OpenFor(ctx context.Context, e directory.Employee, limit int) ([]Seen, error) {
	plans, err := s.ListOpenForTeam(ctx, e.TeamID, limit)
	if err != nil || len(plans) == 0 {
		return nil, err
	}
	k, err := s.surveys.Thresholds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Seen, len(plans))
	for i, p := range plans {
		mine, err := s.MyReaction(ctx, p.ID, e.ID)
		if err != nil {
			return nil, err
		}
		out[i] = Seen{Plan: p, Reactions: countsOf(p, k.MinRespondents), Mine: mine}
	}
	return out, nil
}

// progressWindow is how long after it is done a plan is still worth a line
// in the next survey.
const progressWindow = 30 * 24 * time.Hour

// LatestFor returns the plan a survey DM to a member of team reports
// progress on: the most recently published one their group sees that is
// still open or was done within the last 30 days. ok is false when there
// is none.
func (s *Service) LatestFor(ctx context.Context, teamID *int64) (Plan, bool, error) {
	q, err := s.publishedFor(ctx, s.db.WithContext(ctx).Model(&Plan{}), teamID)
	if err != nil {
		return Plan{}, false, err
	}
	var plans []Plan
	err = q.Where("(status IN ? OR (status = ? AND done_at >= ?))", []string{StatusPlanned, StatusInProgress},
		StatusDone, s.now().Add(-progressWindow)).Order("published_at DESC, id DESC").Limit(1).Find(&plans).Error
	if err != nil || len(plans) == 0 {
		return Plan{}, false, err
	}
	return s.withOwnerNames(ctx, plans)[0], true, nil
}
