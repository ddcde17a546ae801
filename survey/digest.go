package survey

import (
	"context"
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
	from := s.now().Add(-digestWindow)
	for _, sv := range surveys {
		if sv.Archived || !hasENPS(sv) {
			continue
		}
		// Results hold closed rounds only, so the latest point is the latest
		// closed round, never one created ahead for today.
		results, err := s.TeamResults(ctx, sv.ID, ResultsQuery{GroupBy: ByRound, From: &from}, teamIDs, scope)
		if err != nil {
			return nil, err
		}
		for _, team := range teamIDs {
			points := results[team].Points
			if len(points) == 0 {
				continue
			}
			line, err := s.digestLine(ctx, sv, team, points, scope, since)
			if err != nil {
				return nil, err
			}
			out = append(out, line)
		}
	}
	return out, nil
}

func (s *Service) digestLine(ctx context.Context, sv Survey, team int64, points []Point, scope directory.Scope, since time.Time) (DigestLine, error) {
	line := DigestLine{SurveyID: sv.ID, SurveyTitle: sv.Title, TeamID: team}
	latest := points[len(points)-1]
	line.Latest = &latest
	if prev := previousShown(points); !latest.Suppressed && prev != nil {
		change := *latest.ENPS - *prev.ENPS
		line.Change = &change
	}
	comments, err := s.Comments(ctx, sv.ID, ResultsQuery{TeamID: &team, From: &since}, scope)
	line.NewComments = len(comments)
	return line, err
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
