package conversation

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/pulsehq/pulse/survey"
)

// AuthorThread is a conversation on one of the signed-in person's own
// comments, as its author sees it: what they wrote, and the replies. It
// holds nothing the author's Slack DMs do not (who replied, and what),
// apart from the comment they wrote themselves.
type AuthorThread struct {
	CommentID   string  `json:"comment_id"`
	SurveyTitle string  `json:"survey_title"`
	Prompt      string  `json:"prompt"`
	Text        string  `json:"text"`
	Replies     []Reply `json:"replies"`
}

// Mine lists the conversations on employeeID's own comments that have
// replies and can still be answered (the sealed link lives until 30 days
// after the round closed), the latest reply first. Only the comments with
// replies are opened, one sealed link each; the links of others open to
// other people and are skipped, their content never read.
func (s *Service) Mine(ctx context.Context, employeeID int64) ([]AuthorThread, error) {
	var ids []string
	err := s.db.WithContext(ctx).Table("comment_replies AS r").Distinct("r.comment_id").
		Joins("JOIN comment_links l ON l.comment_id = r.comment_id").Pluck("r.comment_id", &ids).Error
	if err != nil {
		return nil, err
	}
	out := []AuthorThread{}
	for _, id := range ids {
		author, err := s.surveys.CommentAuthor(ctx, id)
		if errors.Is(err, survey.ErrNoLink) || (err == nil && author != employeeID) {
			continue
		}
		if err != nil {
			return nil, err
		}
		thread, err := s.authorThread(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, thread)
	}
	sort.SliceStable(out, func(i, j int) bool { return latest(out[i]).After(latest(out[j])) })
	return out, nil
}

func (s *Service) authorThread(ctx context.Context, commentID string) (AuthorThread, error) {
	target, err := s.surveys.Comment(ctx, commentID)
	if err != nil {
		return AuthorThread{}, err
	}
	sv, err := s.surveys.Survey(ctx, target.SurveyID)
	if err != nil {
		return AuthorThread{}, err
	}
	thread := AuthorThread{CommentID: commentID, SurveyTitle: sv.Title, Text: target.Text}
	for _, q := range sv.Questions {
		if q.ID == target.QuestionID {
			thread.Prompt = q.Prompt
		}
	}
	// The author sees their own answers at once, though managers see each
	// only from the later moment it is stamped with.
	err = s.db.WithContext(ctx).Where("comment_id = ?", commentID).Order("created_at, id").Find(&thread.Replies).Error
	if err != nil {
		return AuthorThread{}, err
	}
	return thread, s.nameRepliers(ctx, thread.Replies)
}

// latest is when a manager last replied in the thread.
func latest(t AuthorThread) time.Time {
	var at time.Time
	for _, r := range t.Replies {
		if !r.FromAuthor && r.CreatedAt.After(at) {
			at = r.CreatedAt
		}
	}
	return at
}
