package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/page"
)

// One-on-ones are read and changed only by their two participants; the
// domain answers 404 to anyone else, whatever their role.

type carryOverResult struct {
	Moved int64 `json:"moved"`
}

// oneOnOne runs a domain call on the path's id as the viewer and replies.
func oneOnOne[T any](status int, call func(c echo.Context, id, viewerID int64) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		out, err := call(c, id, viewer(c).ID)
		if err != nil {
			return err
		}
		return reply(c, status, out)
	}
}

// withBody is oneOnOne for calls that take a JSON body.
func withBody[In, T any](status int, call func(c echo.Context, id, viewerID int64, in In) (T, error)) echo.HandlerFunc {
	return oneOnOne(status, func(c echo.Context, id, viewerID int64) (T, error) {
		var in In
		if err := bindJSON(c, &in); err != nil {
			var zero T
			return zero, err
		}
		return call(c, id, viewerID, in)
	})
}

func (s *Server) createSeries(c echo.Context) error {
	var in oneonone.SeriesInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	sr, err := s.deps.OneOnOnes.CreateSeries(c.Request().Context(), viewer(c).ID, in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, sr)
}

// oneOnOnePage is oneOnOne for a list that pages.
func oneOnOnePage[T any](call func(c echo.Context, id, viewerID int64, p page.Request) ([]T, string, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		p, err := pageRequest(c)
		if err != nil {
			return err
		}
		rows, next, err := call(c, id, viewer(c).ID, p)
		if err != nil {
			return err
		}
		return replyPage(c, rows, next)
	}
}

func (s *Server) mySeries(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	list, next, err := s.deps.OneOnOnes.SeriesPage(c.Request().Context(), viewer(c).ID, p)
	if err != nil {
		return err
	}
	return replyPage(c, list, next)
}

func (s *Server) getSeries(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (oneonone.SeriesDetail, error) {
		return s.deps.OneOnOnes.Series(c.Request().Context(), id, me)
	})(c)
}

func (s *Server) listMeetings(c echo.Context) error {
	return oneOnOnePage(func(c echo.Context, id, me int64, p page.Request) ([]oneonone.Meeting, string, error) {
		return s.deps.OneOnOnes.MeetingPage(c.Request().Context(), id, me, p)
	})(c)
}

func (s *Server) createMeeting(c echo.Context) error {
	return withBody(http.StatusCreated, func(c echo.Context, id, me int64, in oneonone.MeetingInput) (oneonone.Meeting, error) {
		return s.deps.OneOnOnes.CreateMeeting(c.Request().Context(), id, me, in, s.deps.OnMeetingScheduled)
	})(c)
}

func (s *Server) seriesActionItems(c echo.Context) error {
	open, err := queryBool(c, "open")
	if err != nil {
		return err
	}
	return oneOnOnePage(func(c echo.Context, id, me int64, p page.Request) ([]oneonone.ActionItem, string, error) {
		return s.deps.OneOnOnes.ActionItemPage(c.Request().Context(), id, me, open, p)
	})(c)
}

func (s *Server) carryOver(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (carryOverResult, error) {
		n, err := s.deps.OneOnOnes.CarryOver(c.Request().Context(), id, me)
		return carryOverResult{Moved: n}, err
	})(c)
}

func (s *Server) getMeeting(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (oneonone.MeetingDetail, error) {
		return s.deps.OneOnOnes.Meeting(c.Request().Context(), id, me)
	})(c)
}

func (s *Server) updateMeeting(c echo.Context) error {
	return withBody(http.StatusOK, func(c echo.Context, id, me int64, p oneonone.MeetingPatch) (oneonone.Meeting, error) {
		return s.deps.OneOnOnes.UpdateMeeting(c.Request().Context(), id, me, p, s.deps.OnMeetingScheduled)
	})(c)
}

func (s *Server) completeMeeting(c echo.Context) error {
	return oneOnOne(http.StatusOK, func(c echo.Context, id, me int64) (oneonone.Meeting, error) {
		return s.deps.OneOnOnes.CompleteMeeting(c.Request().Context(), id, me)
	})(c)
}
