package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// sendRound creates a round now. A retry in the same minute gets the round
// already created, with 200 instead of 201.
func (s *Server) sendRound(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	round, created, err := s.deps.Surveys.SendNow(c.Request().Context(), id, s.deps.OnRoundCreated)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return s.roundReport(c, round.ID, status)
}

// roundReport is what HR sees of a round: participation and deliveries.
type roundReport struct {
	survey.RoundStatus
	Deliveries delivery.Summary `json:"deliveries"`
}

func (s *Server) roundReport(c echo.Context, id int64, status int) error {
	ctx := c.Request().Context()
	st, err := s.deps.Surveys.RoundStatus(ctx, id)
	if err != nil {
		return err
	}
	sum, err := s.deps.Deliveries.Summary(ctx, id)
	if err != nil {
		return err
	}
	return reply(c, status, roundReport{RoundStatus: st, Deliveries: sum})
}

func (s *Server) listRounds(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	rounds, next, err := s.deps.Surveys.RoundPage(c.Request().Context(), id, p)
	if err != nil {
		return err
	}
	return replyPage(c, rounds, next)
}

// getRound shows HR the round's participation, and a recipient the round
// with its questions; to anyone else the round does not exist.
func (s *Server) getRound(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	me := viewer(c)
	if me.Role == directory.RoleHRAdmin {
		return s.roundReport(c, id, http.StatusOK)
	}
	round, err := s.deps.Surveys.AssignedRound(c.Request().Context(), id, me.ID)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, round)
}

func (s *Server) closeRound(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.deps.Surveys.CloseRound(c.Request().Context(), id, s.deps.OnRoundClosed); err != nil {
		return err
	}
	return s.roundReport(c, id, http.StatusOK)
}

type answersRequest struct {
	Answers []survey.AnswerInput `json:"answers"`
	// AllowReplies lets managers reply to my comments anonymously.
	AllowReplies bool `json:"allow_replies,omitempty"`
}

func (s *Server) answerRound(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in answersRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	receipt, err := s.deps.Surveys.AnswerWith(c.Request().Context(), id, viewer(c).ID, in.Answers,
		survey.AnswerOptions{AllowReplies: in.AllowReplies})
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, receipt)
}

func (s *Server) myAnswers(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	mine, err := s.deps.Surveys.MyResponse(c.Request().Context(), id, viewer(c).ID)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, mine)
}

func (s *Server) myRounds(c echo.Context) error {
	rounds, err := s.deps.Surveys.OpenRoundsFor(c.Request().Context(), viewer(c).ID)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, rounds)
}

// roundDeliveries lists, for HR, each recipient's survey DM: status, local
// due time and failure reason, never anything about answers.
func (s *Server) roundDeliveries(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	round, err := s.deps.Surveys.Round(ctx, id)
	if err != nil {
		return err
	}
	sv, err := s.deps.Surveys.Survey(ctx, round.SurveyID)
	if err != nil {
		return err
	}
	rows, next, err := s.deps.Deliveries.RecipientPage(ctx, sv, id, delivery.Status(c.QueryParam("status")), p)
	if err != nil {
		return err
	}
	return replyPage(c, rows, next)
}
