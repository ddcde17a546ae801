package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

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
	return reply(c, http.StatusOK, h)
}
