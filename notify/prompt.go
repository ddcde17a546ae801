package notify

import (
	"context"
	"strconv"
	"time"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// SurveyLookup is what notify needs to know about a survey beyond the round:
// its time zone, for people whose own zone Slack has not told us.
type SurveyLookup interface {
	Survey(ctx context.Context, id int64) (survey.Survey, error)
}

// PromptFor describes round r to employee e. surveyZone is the survey's
// cadence zone, used when e has none of their own.
func PromptFor(r survey.AssignedRound, e directory.Employee, surveyZone string) SurveyPrompt {
	p := SurveyPrompt{
		RoundID:        strconv.FormatInt(r.ID, 10),
		SurveyTitle:    r.SurveyTitle,
		SurveyLocale:   r.Locale,
		EmployeeLocale: e.Locale,
		ScaleMin:       r.ScaleMin,
		ClosesAt:       r.ClosesAt,
		Timezone:       zoneOf(e.Timezone, surveyZone),
	}
	if r.ClosedAt != nil && r.ClosedAt.Before(r.ClosesAt) {
		p.ClosesAt = *r.ClosedAt // closed early by HR
	}
	for _, q := range r.Questions {
		if q.Kind == survey.KindENPS && p.ENPSQuestionID == "" {
			p.ENPSQuestionID, p.ENPSPrompt = strconv.FormatInt(q.ID, 10), q.Prompt
		}
	}
	p.HasMoreQuestions = p.ENPSQuestionID == "" || len(r.Questions) > 1
	return p
}

// QuestionsOf lists the round's questions as the modal shows them.
func QuestionsOf(r survey.AssignedRound) []Question {
	out := make([]Question, len(r.Questions))
	for i, q := range r.Questions {
		out[i] = Question{ID: strconv.FormatInt(q.ID, 10), Kind: q.Kind, Prompt: q.Prompt, Options: q.Options}
	}
	return out
}

// zoneOf picks the first zone that loads; nil (UTC) when neither does.
func zoneOf(names ...string) *time.Location {
	for _, name := range names {
		if name == "" || name == "Local" {
			continue
		}
		if zone, err := time.LoadLocation(name); err == nil {
			return zone
		}
	}
	return nil
}

// promptFor builds r's prompt for e, looking up the survey's zone when r
// does not carry it.
func promptFor(ctx context.Context, surveys SurveyLookup, r survey.AssignedRound, e directory.Employee) (SurveyPrompt, error) {
	if (e.Timezone != "" && zoneOf(e.Timezone) != nil) || r.SurveyZone != "" {
		return PromptFor(r, e, r.SurveyZone), nil
	}
	sv, err := surveys.Survey(ctx, r.SurveyID)
	if err != nil {
		return SurveyPrompt{}, err
	}
	zone := ""
	if sv.Cadence != nil {
		zone = sv.Cadence.Timezone
	}
	return PromptFor(r, e, zone), nil
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func questionIDString(id int64) string { return strconv.FormatInt(id, 10) }
