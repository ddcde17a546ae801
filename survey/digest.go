package survey

import (
	"context"
	"slices"
	"time"

	"github.com/pulsehq/pulse/directory"
)

// DigestLine is one team's week in a manager's digest: the latest closed
// round's eNPS (or that it is suppressed), the change from the previous shown
// closed round (Latest.SignificantChange says whether it is significant),
// and how many new comments can be read. Every figure obeys the same
// anonymity rules as the results API, because it comes from it.
type DigestLine struct {
	SurveyID    int64  `json:"survey_id"`
	SurveyTitle string `json:"survey_title"`
	TeamID      int64  `json:"team_id"`
	Latest      *Point `json:"latest"`
	// Change is Latest minus the previous shown point, when both are shown.
	Change      *float64 `json:"change"`
	NewComments int      `json:"new_comments"`
}

// digestWindow is how far back a digest looks for the previous point.
const digestWindow = 8 * 7 * 24 * time.Hour

// Digest summarises each of teamIDs for the viewer across every survey that
// asks the eNPS question; since bounds what counts as a new comment.
func (s *Service) Digest(ctx context.Context, teamIDs []int64, scope directory.Scope, since time.Time) ([]DigestLine, error) {
	surveys, err := s.Surveys(ctx)
	if err != nil {
		return nil, err
	}
	var out []DigestLine
	for _, sv := range surveys {
		if sv.Archived || !hasENPS(sv) {
			continue
		}
		for _, team := range teamIDs {
			line, ok, err := s.digestLine(ctx, sv, team, scope, since)
			if err != nil {
				return nil, err
			}
			if ok {
				out = append(out, line)
			}
		}
	}
	return out, nil
}

func (s *Service) digestLine(ctx context.Context, sv Survey, team int64, scope directory.Scope, since time.Time) (DigestLine, bool, error) {
	from := s.now().Add(-digestWindow)
	res, err := s.Results(ctx, sv.ID, ResultsQuery{GroupBy: ByRound, TeamID: &team, From: &from}, scope)
	if err != nil {
		return DigestLine{}, false, err
	}
	points, err := s.closedPoints(ctx, sv.ID, res.Points)
	if err != nil || len(points) == 0 {
		return DigestLine{}, false, err
	}
	line := DigestLine{SurveyID: sv.ID, SurveyTitle: sv.Title, TeamID: team}
	latest := points[len(points)-1]
	line.Latest = &latest
	if prev := previousShown(points); !latest.Suppressed && prev != nil {
		change := *latest.ENPS - *prev.ENPS
		line.Change = &change
	}
	comments, err := s.Comments(ctx, sv.ID, ResultsQuery{TeamID: &team, From: &since}, scope)
	line.NewComments = len(comments)
	return line, true, err
}

// closedPoints keeps the points of closed rounds. A digest reports what is
// final: the round created ahead for this very Monday (or one still taking
// answers) has no result yet and must not hide last week's.
func (s *Service) closedPoints(ctx context.Context, surveyID int64, points []Point) ([]Point, error) {
	ids := make([]int64, 0, len(points))
	for _, p := range points {
		if p.RoundID != nil {
			ids = append(ids, *p.RoundID)
		}
	}
	var closed []int64
	err := s.db.WithContext(ctx).Model(&Round{}).Where("survey_id = ? AND id IN ? AND closed_at IS NOT NULL", surveyID, append(ids, 0)).
		Pluck("id", &closed).Error
	out := make([]Point, 0, len(closed))
	for _, p := range points {
		if p.RoundID != nil && slices.Contains(closed, *p.RoundID) {
			out = append(out, p)
		}
	}
	return out, err
}

// previousShown is the last shown point before the latest one.
func previousShown(points []Point) *Point {
	for i := len(points) - 2; i >= 0; i-- {
		if !points[i].Suppressed {
			return &points[i]
		}
	}
	return nil
}

func hasENPS(sv Survey) bool {
	for _, q := range sv.Questions {
		if q.Kind == KindENPS {
			return true
		}
	}
	return false
}
