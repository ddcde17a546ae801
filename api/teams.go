package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/directory"
)

func (s *Server) listTeams(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	teams, next, err := s.deps.Directory.TeamPage(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return replyPage(c, teams, next)
}

func (s *Server) getTeam(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	team, err := s.deps.Directory.Team(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, team)
}

func (s *Server) createTeam(c echo.Context) error {
	var in directory.TeamInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	team, err := s.deps.Directory.CreateTeam(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, team)
}

func (s *Server) updateTeam(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p directory.TeamPatch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	team, err := s.deps.Directory.UpdateTeam(c.Request().Context(), id, p)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, team)
}

func (s *Server) deactivateTeam(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	team, err := s.deps.Directory.DeactivateTeam(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, team)
}
