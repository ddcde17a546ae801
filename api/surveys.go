package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

func (s *Server) listSurveys(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	surveys, next, err := s.deps.Surveys.SurveyPage(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return replyPage(c, surveys, next)
}

func (s *Server) getSurvey(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sv, err := s.deps.Surveys.Survey(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, sv)
}

func (s *Server) createSurvey(c echo.Context) error {
	var in survey.SurveyInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	sv, err := s.deps.Surveys.CreateSurvey(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, sv)
}

func (s *Server) updateSurvey(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in survey.SurveyInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	sv, err := s.deps.Surveys.UpdateSurvey(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, sv)
}

func (s *Server) archiveSurvey(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sv, err := s.deps.Surveys.ArchiveSurvey(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, sv)
}

func (s *Server) surveyTemplates(c echo.Context) error {
	locale := c.QueryParam("locale")
	if locale == "" {
		locale = "en"
	}
	templates, err := survey.Templates(locale)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, templates)
}

// schedulePreview is the answer to "when would this send?": in the
// cadence's zone, and in each zone the request named.
type schedulePreview struct {
	Next    []cadence.Occurrence `json:"next"`
	InZones []zonePreview        `json:"in_zones,omitempty"`
}

// zonePreview is when recipients in one zone receive the same rounds.
type zonePreview struct {
	Zone string               `json:"zone"`
	Next []cadence.Occurrence `json:"next"`
}

// maxPreviewZones caps the zones one preview may ask about.
const maxPreviewZones = 5

func (s *Server) surveySchedule(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	count, err := previewCount(c.QueryParam("count"))
	if err != nil {
		return err
	}
	sv, err := s.deps.Surveys.Survey(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if sv.Cadence == nil {
		return fault.Invalidf("cadence", "this survey has no cadence; it is sent by hand only")
	}
	return reply(c, http.StatusOK, schedulePreview{Next: sv.Cadence.Preview(s.deps.Now(), count)})
}

type previewRequest struct {
	Cadence cadence.Cadence `json:"cadence"`
	Count   int             `json:"count"`
	// Zones are recipients' time zones to show the same sends in.
	Zones []string `json:"zones"`
}

// previewCadence lists the send times of a cadence before it is saved, in
// its own zone and in the recipients' zones asked for.
func (s *Server) previewCadence(c echo.Context) error {
	var in previewRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if in.Count == 0 {
		in.Count = 5
	}
	if in.Count < 1 || in.Count > cadence.MaxPreview {
		return fault.Invalidf("count", "must be between 1 and %d", cadence.MaxPreview)
	}
	zones, err := previewZones(in.Zones)
	if err != nil {
		return err
	}
	if err := in.Cadence.ValidateAt(s.deps.Now()); err != nil {
		return err
	}
	now := s.deps.Now()
	out := schedulePreview{Next: in.Cadence.Preview(now, in.Count)}
	for i, loc := range zones {
		out.InZones = append(out.InZones, zonePreview{Zone: in.Zones[i], Next: in.Cadence.PreviewIn(now, in.Count, loc)})
	}
	return reply(c, http.StatusOK, out)
}

func previewZones(names []string) ([]*time.Location, error) {
	if len(names) > maxPreviewZones {
		return nil, fault.Invalidf("zones", "at most %d time zones, not %d", maxPreviewZones, len(names))
	}
	out := make([]*time.Location, len(names))
	for i, name := range names {
		loc, err := time.LoadLocation(name)
		if name == "" || err != nil {
			return nil, fault.Invalidf("zones", "%q is not an IANA time zone such as Europe/Berlin", name)
		}
		out[i] = loc
	}
	return out, nil
}

// previewAudience says how many people a survey with this audience would
// ask if a round went out now, and in which zones they live.
func (s *Server) previewAudience(c echo.Context) error {
	var in survey.Audience
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	summary, err := s.deps.Surveys.Audience(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, summary)
}

func previewCount(raw string) (int, error) {
	if raw == "" {
		return 5, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > cadence.MaxPreview {
		return 0, fault.Invalidf("count", "must be a whole number from 1 to %d", cadence.MaxPreview)
	}
	return n, nil
}

// parseWhen reads a from/to bound as a date (2026-01-31: midnight in the
// survey's zone, isDate true) or an RFC 3339 time.
func parseWhen(c echo.Context, name string) (t *time.Time, isDate bool, err error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return nil, false, nil
	}
	if at, err := time.Parse(time.DateOnly, raw); err == nil {
		return &at, true, nil
	}
	if at, err := time.Parse(time.RFC3339, raw); err == nil {
		return &at, false, nil
	}
	return nil, false, fault.Invalidf(name, "must be a date (2026-01-31) or an RFC 3339 time, not %q", raw)
}
