package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type replyRequest struct {
	Body string `json:"body"`
}

// replyToComment sends a manager's (or HR's) reply to a comment's author,
// who stays unknown to them.
func (s *Server) replyToComment(c echo.Context) error {
	var in replyRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := viewer(c)
	scope, err := s.deps.Directory.ScopeOf(ctx, me)
	if err != nil {
		return err
	}
	r, err := s.deps.Conversations.Reply(ctx, c.Param("id"), me, scope, in.Body, s.deps.OnReply)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, r)
}

func (s *Server) commentThread(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	scope, err := s.deps.Directory.ScopeOf(ctx, viewer(c))
	if err != nil {
		return err
	}
	thread, next, err := s.deps.Conversations.ThreadPage(ctx, c.Param("id"), scope, p)
	if err != nil {
		return err
	}
	return replyPage(c, thread, next)
}
