package survey

import (
	"context"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// Heatmap is a survey's eNPS for every team the viewer may see, period by
// period: a row per team (and for HR one for the organisation first), a
// cell per period in Periods' order.
type Heatmap struct {
	SurveyID       int64        `json:"survey_id"`
	GroupBy        string       `json:"group_by"`
	MinRespondents int          `json:"min_respondents"`
	Periods        []string     `json:"periods"`
	Rows           []HeatmapRow `json:"rows"`
}

// HeatmapRow is one group's cells; TeamID is null for the organisation.
type HeatmapRow struct {
	TeamID *int64  `json:"team_id"`
	Name   string  `json:"name"`
	Cells  []Point `json:"cells"`
}

// Heatmap computes teams × periods from one snapshot of the rollups. Every
// cell is exactly the point Results gives for that team and period, with
// the same per-round, tree-wide suppression, so the grid reveals nothing
// that asking Results team by team would not: subtracting cells (a parent
// minus its children, one period minus another) never isolates fewer than
// k people. HR gets the organisation and every team of today's tree; a
// manager the teams they lead and their sub-teams; anyone else nothing.
// q.TeamID is ignored; GroupBy round is refused, a heatmap being by period.
func (s *Service) Heatmap(ctx context.Context, surveyID int64, q ResultsQuery, scope directory.Scope) (Heatmap, error) {
	q.TeamID = nil
	if err := q.validate(); err != nil {
		return Heatmap{}, err
	}
	if q.GroupBy == ByRound {
		return Heatmap{}, fault.Invalidf("group_by", "must be week, month or quarter")
	}
	if !scope.All && len(scope.TeamIDs()) == 0 {
		return Heatmap{}, fault.Forbidden("the heatmap is for HR and for managers of teams")
	}
	var in *resultInputs
	err := s.readSnapshot(ctx, func(ro *Service) error {
		var err error
		in, err = ro.loadResultInputs(ctx, surveyID, q)
		return err
	})
	if err != nil {
		return Heatmap{}, err
	}
	return in.heatmap(surveyID, q, scope)
}

func (in *resultInputs) heatmap(surveyID int64, q ResultsQuery, scope directory.Scope) (Heatmap, error) {
	h := Heatmap{SurveyID: surveyID, GroupBy: q.GroupBy, MinRespondents: in.thresholds.MinRespondents, Periods: []string{}, Rows: []HeatmapRow{}}
	for _, p := range in.periods(q.GroupBy) {
		h.Periods = append(h.Periods, p.start)
	}
	if scope.All {
		shown, err := in.shownRounds(nil)
		if err != nil {
			return Heatmap{}, err
		}
		h.Rows = append(h.Rows, HeatmapRow{Name: "Organisation", Cells: in.points(q, shown)})
	}
	for _, t := range in.teams {
		if !scope.HasTeam(t.ID) {
			continue
		}
		team := in.forTeam(t.ID)
		shown, err := team.shownRounds(&t.ID)
		if err != nil {
			return Heatmap{}, err
		}
		id := t.ID
		h.Rows = append(h.Rows, HeatmapRow{TeamID: &id, Name: t.Name, Cells: team.points(q, shown)})
	}
	return h, nil
}
