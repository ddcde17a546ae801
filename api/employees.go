package api

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

func (s *Server) me(c echo.Context) error {
	return reply(c, http.StatusOK, viewer(c))
}

func (s *Server) setPreferences(c echo.Context) error {
	var p directory.Preferences
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	e, err := s.deps.Directory.SetPreferences(c.Request().Context(), viewer(c).ID, p)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, e)
}

// myTeams lists the teams whose results the viewer may ask for: every team
// for HR, the teams a manager leads with their sub-teams, none for an
// employee. The dashboard offers exactly these in its team picker.
func (s *Server) myTeams(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	teams, next, err := s.deps.Directory.TeamsInScopePage(c.Request().Context(), viewer(c), p)
	if err != nil {
		return err
	}
	return replyPage(c, teams, next)
}

// listEmployees shows HR everyone, a manager their teams and reports, and an
// employee only themselves.
func (s *Server) listEmployees(c echo.Context) error {
	ctx := c.Request().Context()
	teamID, err := queryID(c, "team_id")
	if err != nil {
		return err
	}
	activeOnly, err := queryBool(c, "active")
	if err != nil {
		return err
	}
	search, unmatched, err := employeeSearch(c)
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return err
	}
	people, next, err := s.deps.Directory.EmployeePage(ctx, directory.EmployeeFilter{TeamID: teamID,
		ActiveOnly: activeOnly, Search: search, SlackUnmatched: unmatched, Scope: scope}, p)
	if err != nil {
		return err
	}
	return replyPage(c, people, next)
}

// employeeSearch reads q (a part of a name or email) and slack
// ("unmatched": only people no Slack user was found for).
func employeeSearch(c echo.Context) (string, bool, error) {
	search := strings.TrimSpace(c.QueryParam("q"))
	if utf8.RuneCountInString(search) > directory.MaxSearch {
		return "", false, fault.Invalidf("q", "must be at most %d characters", directory.MaxSearch)
	}
	switch slack := c.QueryParam("slack"); slack {
	case "":
		return search, false, nil
	case "unmatched":
		return search, true, nil
	default:
		return "", false, fault.Invalidf("slack", "must be unmatched (or left out), not %q", slack)
	}
}

// getEmployee answers 404, not 403, for someone outside the viewer's scope,
// so the route cannot be used to probe who exists.
func (s *Server) getEmployee(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return err
	}
	if !scope.HasEmployee(id) {
		return fault.NotFound("employee")
	}
	e, err := s.deps.Directory.Employee(ctx, id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, e)
}

// bindEmployee reads an employee body and explains the one field people
// expect and will not find: the Slack binding comes only from the sync.
func bindEmployee(c echo.Context, v any) error {
	err := bindJSON(c, v)
	if invalid, ok := errors.AsType[*fault.Invalid](err); ok && invalid.Problems[0].Field == "slack_user_id" {
		return fault.Invalidf("slack_user_id", "is set only by the Slack directory sync, matched by email (pulse slack sync)")
	}
	return err
}

func (s *Server) createEmployee(c echo.Context) error {
	var in directory.EmployeeInput
	if err := bindEmployee(c, &in); err != nil {
		return err
	}
	e, err := s.deps.Directory.CreateEmployee(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, e)
}

func (s *Server) updateEmployee(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p directory.EmployeePatch
	if err := bindEmployee(c, &p); err != nil {
		return err
	}
	e, err := s.deps.Directory.UpdateEmployee(c.Request().Context(), id, p)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, e)
}

func (s *Server) deactivateEmployee(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	e, err := s.deps.Directory.DeactivateEmployee(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, e)
}
