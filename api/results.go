package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/survey"
)

func (s *Server) resultsQuery(c echo.Context) (int64, survey.ResultsQuery, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, survey.ResultsQuery{}, err
	}
	q := survey.ResultsQuery{GroupBy: c.QueryParam("group_by")}
	if q.GroupBy == "" {
		q.GroupBy = survey.ByRound
	}
	if q.TeamID, err = queryID(c, "team_id"); err != nil {
		return 0, q, err
	}
	if q.From, q.FromDate, err = parseWhen(c, "from"); err != nil {
		return 0, q, err
	}
	q.To, q.ToDate, err = parseWhen(c, "to")
	return id, q, err
}

// results reads the query and computes the results the viewer may see.
func (s *Server) results(c echo.Context) (survey.Results, error) {
	id, q, err := s.resultsQuery(c)
	if err != nil {
		return survey.Results{}, err
	}
	ctx := c.Request().Context()
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return survey.Results{}, err
	}
	return s.deps.Surveys.Results(ctx, id, q, scope)
}

// resultsWithActions is a group's results with the action plans published
// for that group, to mark on its trend.
type resultsWithActions struct {
	survey.Results
	Actions []action.Marker `json:"actions"`
}

func (s *Server) surveyResults(c echo.Context) error {
	res, err := s.results(c)
	if err != nil {
		return err
	}
	markers := []action.Marker{}
	if s.deps.Actions != nil { // a server built without plans (a benchmark) marks none
		if markers, err = s.deps.Actions.Markers(c.Request().Context(), res.SurveyID, res.TeamID); err != nil {
			return err
		}
	}
	return reply(c, http.StatusOK, resultsWithActions{Results: res, Actions: markers})
}

// surveyResultsCSV exports the same aggregates as surveyResults, never a
// single answer; suppressed points stay empty.
func (s *Server) surveyResultsCSV(c echo.Context) error {
	res, err := s.results(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="survey-%d-results.csv"`, res.SurveyID))
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.Write([]string{"period_start", "rounds", "suppressed", "n", "promoters", "passives", "detractors",
		"enps", "moe", "participation", "significant_change", "ci_low", "ci_high", "everyone_answered"})
	for _, p := range res.Points {
		w.Write([]string{p.PeriodStart, strconv.Itoa(p.Rounds), strconv.FormatBool(p.Suppressed),
			intCell(p.N), intCell(p.Promoters), intCell(p.Passives), intCell(p.Detractors),
			floatCell(p.ENPS, 1), floatCell(p.MoE, 1), floatCell(p.Participation, 3), strconv.FormatBool(p.SignificantChange),
			floatCell(p.CILow, 1), floatCell(p.CIHigh, 1), strconv.FormatBool(p.EveryoneAnswered)})
	}
	w.Flush()
	return w.Error()
}

func intCell(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

func floatCell(v *float64, decimals int) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64)
}

func (s *Server) surveyComments(c echo.Context) error {
	id, q, err := s.resultsQuery(c)
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return err
	}
	comments, next, err := s.deps.Surveys.CommentPage(ctx, id, q, scope, p)
	if err != nil {
		return err
	}
	return replyPage(c, comments, next)
}

func (s *Server) getAnonymity(c echo.Context) error {
	t, err := s.deps.Surveys.Thresholds(c.Request().Context())
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, t)
}

func (s *Server) setAnonymity(c echo.Context) error {
	var in survey.Thresholds
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	t, err := s.deps.Surveys.SetThresholds(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, t)
}
