package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// surveyDrivers returns the driver analysis of a team (or, for HR, the
// organisation) over the closed rounds of a date range.
func (s *Server) surveyDrivers(c echo.Context) error {
	id, q, err := s.resultsQuery(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return err
	}
	d, err := s.deps.Surveys.Drivers(ctx, id, q, scope)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, localDrivers(readerLocale(c), d))
}
