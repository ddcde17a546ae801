package survey

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/pulsehq/pulse/directory"
)

// Comment is a free-text answer shown without its author: no employee, no
// team finer than the group asked for, and only the day its round was sent.
type Comment struct {
	ID         string `json:"id"`
	QuestionID int64  `json:"question_id"`
	Prompt     string `json:"prompt"`
	Text       string `json:"text"`
	RoundDay   string `json:"round_day"`
	// Replyable says the author allowed anonymous replies.
	Replyable bool `json:"replyable"`
}

// Comments returns the free-text answers of a group, only from rounds where
// the group (and every group that could be subtracted from it) has at least
// the comment threshold of commenters. They come ordered by round, then by
// their random ids, so the order says nothing about who wrote first.
func (s *Service) Comments(ctx context.Context, surveyID int64, q ResultsQuery, scope directory.Scope) ([]Comment, error) {
	q.GroupBy = ByRound
	if err := q.validate(); err != nil {
		return nil, err
	}
	if err := CheckAccess(scope, q.TeamID); err != nil {
		return nil, err
	}
	var (
		in     *resultInputs
		rows   []commentRow
		linked map[string]bool
	)
	err := s.readSnapshot(ctx, func(ro *Service) error {
		var err error
		if in, err = ro.loadResultInputs(ctx, surveyID, q); err != nil {
			return err
		}
		if rows, err = ro.commentRows(ctx, in.rounds); err != nil {
			return err
		}
		linked, err = ro.linkedComments(ctx, in.rounds)
		return err
	})
	if err != nil {
		return nil, err
	}
	shown, err := in.shownForComments(rows, q.TeamID)
	if err != nil {
		return nil, err
	}
	days := map[int64]string{}
	for _, r := range in.rounds {
		days[r.ID] = r.ScheduledAt.In(in.zone).Format(time.DateOnly)
	}
	out := []Comment{}
	for _, row := range rows {
		if !shown[row.RoundID] || !in.inGroup(row.RoundID, teamKey(row.TeamID)) {
			continue
		}
		id := CommentID(row.ResponseID, row.QuestionID)
		out = append(out, Comment{ID: id, QuestionID: row.QuestionID, Prompt: in.questions[row.QuestionID].Prompt,
			Text: row.Text, RoundDay: days[row.RoundID], Replyable: linked[id]})
	}
	return out, nil
}

func (s *Service) linkedComments(ctx context.Context, rounds []Round) (map[string]bool, error) {
	out := map[string]bool{}
	if len(rounds) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rounds))
	for i, r := range rounds {
		ids[i] = r.ID
	}
	var linked []string
	err := s.db.WithContext(ctx).Model(&commentLink{}).Where("round_id IN ?", ids).Pluck("comment_id", &linked).Error
	for _, id := range linked {
		out[id] = true
	}
	return out, err
}

type commentRow struct {
	ResponseID string
	QuestionID int64
	Text       string
	RoundID    int64
	TeamID     *int64
}

func (s *Service) commentRows(ctx context.Context, rounds []Round) ([]commentRow, error) {
	var rows []commentRow
	if len(rounds) == 0 {
		return rows, nil
	}
	ids := make([]int64, len(rounds))
	order := make(map[int64]int, len(rounds))
	for i, r := range rounds {
		ids[i], order[r.ID] = r.ID, i
	}
	err := s.db.WithContext(ctx).Table("answers AS a").
		Select("a.response_id, a.question_id, a.text, r.round_id, r.team_id").
		Joins("JOIN responses r ON r.id = a.response_id").
		Joins("JOIN questions q ON q.id = a.question_id").
		Where("r.round_id IN ? AND q.kind = ? AND a.text IS NOT NULL AND a.text <> ''", ids, KindText).
		Order("a.response_id, a.question_id").Scan(&rows).Error
	// Rounds in time order; within a round the random response ids decide.
	slices.SortStableFunc(rows, func(a, b commentRow) int { return order[a.RoundID] - order[b.RoundID] })
	for i := range rows {
		rows[i].Text = strings.TrimSpace(rows[i].Text)
	}
	// A blank comment is no comment, and must not count as a commenter.
	rows = slices.DeleteFunc(rows, func(r commentRow) bool { return r.Text == "" })
	return rows, err
}

// shownForComments applies the comment threshold, with the same
// subtraction protection as scores, counting distinct commenters.
func (in *resultInputs) shownForComments(rows []commentRow, teamID *int64) (map[int64]bool, error) {
	commenters := map[int64]map[int64]map[string]bool{} // round -> team -> responses
	for _, r := range rows {
		team := teamKey(r.TeamID)
		if commenters[r.RoundID] == nil {
			commenters[r.RoundID] = map[int64]map[string]bool{}
		}
		if commenters[r.RoundID][team] == nil {
			commenters[r.RoundID][team] = map[string]bool{}
		}
		commenters[r.RoundID][team][r.ResponseID] = true
	}
	shown := map[int64]bool{}
	for round, byTeam := range commenters {
		direct := map[int64]int{}
		for team, people := range byTeam {
			direct[team] = len(people)
		}
		supp, err := SuppressTeams(in.teamCounts(round, direct), direct[0], in.thresholds.MinCommenters)
		if err != nil {
			return nil, err
		}
		shown[round] = (teamID == nil && supp.OrgShown()) || (teamID != nil && supp.TeamShown(*teamID))
	}
	return shown, nil
}
