package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/survey"
)

// surveyHeatmap returns teams × periods of a survey in one call; group_by
// defaults to week.
func (s *Server) surveyHeatmap(c echo.Context) error {
	id, q, err := s.resultsQuery(c)
	if err != nil {
		return err
	}
	if c.QueryParam("group_by") == "" {
		q.GroupBy = survey.ByWeek
	}
	ctx := c.Request().Context()
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return err
	}
	h, err := s.deps.Surveys.Heatmap(ctx, id, q, scope)
	if err != nil {
		return err
	}
	out := heatmapWithActions{Heatmap: h, Actions: []action.Marker{}}
	if s.deps.Actions != nil {
		teams, org := []int64{}, false
		for _, row := range h.Rows {
			if row.TeamID == nil {
				org = true
			} else {
				teams = append(teams, *row.TeamID)
			}
		}
		if out.Actions, err = s.deps.Actions.MarkersOf(ctx, id, teams, org); err != nil {
			return err
		}
	}
	return reply(c, http.StatusOK, out)
}

// heatmapWithActions is a heatmap with the action plans published for its
// rows' groups, each naming its row by team_id (null: the organisation).
type heatmapWithActions struct {
	survey.Heatmap
	Actions []action.Marker `json:"actions"`
}
