package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/oneonone"
)

func (s *Server) addAgendaItem(c echo.Context) error {
	return withBody(http.StatusCreated, func(c echo.Context, id, me int64, in oneonone.AgendaInput) (oneonone.AgendaItem, error) {
		return s.deps.OneOnOnes.AddAgendaItem(c.Request().Context(), id, me, in)
	})(c)
}

func (s *Server) updateAgendaItem(c echo.Context) error {
	return withBody(http.StatusOK, func(c echo.Context, id, me int64, p oneonone.AgendaPatch) (oneonone.AgendaItem, error) {
		return s.deps.OneOnOnes.UpdateAgendaItem(c.Request().Context(), id, me, p)
	})(c)
}

func (s *Server) addNote(c echo.Context) error {
	return withBody(http.StatusCreated, func(c echo.Context, id, me int64, in oneonone.NoteInput) (oneonone.Note, error) {
		return s.deps.OneOnOnes.AddNote(c.Request().Context(), id, me, in)
	})(c)
}

func (s *Server) updateNote(c echo.Context) error {
	return withBody(http.StatusOK, func(c echo.Context, id, me int64, p oneonone.NotePatch) (oneonone.Note, error) {
		return s.deps.OneOnOnes.UpdateNote(c.Request().Context(), id, me, p)
	})(c)
}

func (s *Server) deleteNote(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (oneonone.Note, error) {
		return s.deps.OneOnOnes.DeleteNote(c.Request().Context(), id, me)
	})(c)
}

func (s *Server) addActionItem(c echo.Context) error {
	return withBody(http.StatusCreated, func(c echo.Context, id, me int64, in oneonone.ActionItemInput) (oneonone.ActionItem, error) {
		return s.deps.OneOnOnes.AddActionItem(c.Request().Context(), id, me, in)
	})(c)
}

func (s *Server) updateActionItem(c echo.Context) error {
	return withBody(http.StatusOK, func(c echo.Context, id, me int64, p oneonone.ActionItemPatch) (oneonone.ActionItem, error) {
		return s.deps.OneOnOnes.UpdateActionItem(c.Request().Context(), id, me, p)
	})(c)
}

func (s *Server) completeActionItem(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (oneonone.ActionItem, error) {
		return s.deps.OneOnOnes.CompleteActionItem(c.Request().Context(), id, me)
	})(c)
}

func (s *Server) deleteActionItem(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (oneonone.ActionItem, error) {
		return s.deps.OneOnOnes.DeleteActionItem(c.Request().Context(), id, me)
	})(c)
}
