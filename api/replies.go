package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/fault"
)

type replyRequest struct {
	Body string `json:"body"`
}

// Where a reply goes on from here: "slack" when the bot delivers it, or
// "dashboard" when Slack is off, so the other side reads it only on the web.
const (
	deliveryInSlack     = "slack"
	deliveryOnDashboard = "dashboard"
)

// sentReply is a stored reply and how it reaches the other side.
type sentReply struct {
	conversation.Reply
	Delivery string `json:"delivery"`
}

func (s *Server) sent(r conversation.Reply) sentReply {
	if s.deps.SlackOff {
		return sentReply{Reply: r, Delivery: deliveryOnDashboard}
	}
	return sentReply{Reply: r, Delivery: deliveryInSlack}
}

type authorReplyRequest struct {
	CommentID string `json:"comment_id"`
	Body      string `json:"body"`
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
	return reply(c, http.StatusCreated, s.sent(r))
}

// myConversations lists the conversations on the viewer's own comments.
func (s *Server) myConversations(c echo.Context) error {
	threads, err := s.deps.Conversations.Mine(c.Request().Context(), viewer(c).ID)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, threads)
}

// answerAsAuthor is the web's way to do what the reply DM's "Answer
// anonymously" button does. The comment's id travels in the body, so no
// log line pairs it with the person.
func (s *Server) answerAsAuthor(c echo.Context) error {
	var in authorReplyRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.CommentID == "" {
		return fault.Invalidf("comment_id", "is required")
	}
	r, err := s.deps.Conversations.AuthorReply(c.Request().Context(), in.CommentID, viewer(c).ID, in.Body, s.deps.OnReply)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, s.sent(r))
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
