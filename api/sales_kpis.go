package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/sales"
)

func (s *Server) salesKPIs(c echo.Context) error {
	q := sales.KPIQuery{GroupBy: c.QueryParam("group_by")}
	var err error
	if q.TeamID, err = queryID(c, "team_id"); err != nil {
		return err
	}
	if q.RepID, err = queryID(c, "rep_id"); err != nil {
		return err
	}
	if q.TeamID != nil && q.RepID != nil {
		return fault.Invalidf("rep_id", "give team_id or rep_id, not both")
	}
	if q.From, _, err = parseWhen(c, "from"); err != nil {
		return err
	}
	if q.To, _, err = parseWhen(c, "to"); err != nil {
		return err
	}
	rep, err := s.deps.Sales.KPIs(c.Request().Context(), q, viewer(c))
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, localKPIReport(readerLocale(c), rep))
}

func (s *Server) salesAlongside(c echo.Context) error {
	id, err := queryID(c, "survey_id")
	if err != nil {
		return err
	}
	if id == nil {
		return fault.Invalidf("survey_id", "is required: the survey whose eNPS goes next to the KPIs")
	}
	q := sales.AlongsideQuery{SurveyID: *id, GroupBy: c.QueryParam("group_by")}
	if q.From, _, err = parseWhen(c, "from"); err != nil {
		return err
	}
	if q.To, _, err = parseWhen(c, "to"); err != nil {
		return err
	}
	res, err := s.deps.Sales.Alongside(c.Request().Context(), q, viewer(c))
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, localAlongside(readerLocale(c), res))
}
