package survey

import (
	"context"
	"slices"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// TeamResults is Results for several teams at once, read from one snapshot
// in a fixed number of queries however many teams are asked for; views that
// show many teams side by side (sales alongside eNPS) use it. Each team's
// results are exactly what Results gives for it alone. q.TeamID is ignored.
func (s *Service) TeamResults(ctx context.Context, surveyID int64, q ResultsQuery, teamIDs []int64, scope directory.Scope) (map[int64]Results, error) {
	q.TeamID = nil
	if err := q.validate(); err != nil {
		return nil, err
	}
	for _, id := range teamIDs {
		if err := CheckAccess(scope, &id); err != nil {
			return nil, err
		}
	}
	var in *resultInputs
	err := s.readSnapshot(ctx, func(ro *Service) error {
		var err error
		in, err = ro.loadResultInputs(ctx, surveyID, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Results, len(teamIDs))
	for _, id := range teamIDs {
		team := in.forTeam(id)
		if team == nil {
			return nil, fault.NotFound("team")
		}
		tq := q
		tq.TeamID = &id
		if out[id], err = team.results(surveyID, tq); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// forTeam is the same inputs narrowed to one team's group in each round's
// tree, or nil when the team does not exist today.
func (in *resultInputs) forTeam(teamID int64) *resultInputs {
	if !slices.ContainsFunc(in.teams, func(t directory.Team) bool { return t.ID == teamID }) {
		return nil
	}
	narrowed := *in
	narrowed.teamID = &teamID
	narrowed.groups = make(map[int64]map[int64]bool, len(in.rounds))
	for _, r := range in.rounds {
		narrowed.groups[r.ID] = subtreeSet(in.trees[r.ID], teamID)
	}
	return &narrowed
}
