package survey

import (
	"cmp"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/page"
)

// Comment is a free-text answer shown without its author: no employee, no
// team finer than the group asked for, and only the day its round was sent.
type Comment struct {
	ID         string `json:"id" jsonschema:"description=opaque; no two comments share any part of their ids, even when one person wrote both"`
	QuestionID int64  `json:"question_id"`
	Prompt     string `json:"prompt"`
	Text       string `json:"text"`
	RoundDay   string `json:"round_day"`
	// Replyable says the author allowed anonymous replies and the time to
	// reply (30 days after the round closed) has not run out.
	Replyable bool `json:"replyable" jsonschema:"description=the author allowed anonymous replies and the 30 days after the round closed have not run out"`
	// HasConversation says replies were exchanged; the thread stays readable
	// after the time to reply has run out.
	HasConversation bool `json:"has_conversation"`
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
		in   *resultInputs
		rows []commentRow
	)
	err := s.readSnapshot(ctx, func(ro *Service) error {
		var err error
		if in, err = ro.loadResultInputs(ctx, surveyID, q); err != nil {
			return err
		}
		rows, err = ro.commentRows(ctx, in.rounds)
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
		out = append(out, Comment{ID: row.ID, QuestionID: row.QuestionID, Prompt: in.questions[row.QuestionID].Prompt,
			Text: row.Text, RoundDay: days[row.RoundID], Replyable: row.Linked, HasConversation: row.Conversation})
	}
	return out, nil
}

// CommentPage is one page of Comments and the cursor of the next ("" on the
// last). Which comments may be shown depends on all of them (the comment
// threshold), so the page is cut from the whole list.
func (s *Service) CommentPage(ctx context.Context, surveyID int64, q ResultsQuery, scope directory.Scope, p page.Request) ([]Comment, string, error) {
	all, err := s.Comments(ctx, surveyID, q, scope)
	if err != nil {
		return nil, "", err
	}
	return page.Slice(all, p, func(c Comment) (string, int64) { return c.ID, c.QuestionID })
}

// commentRow is one comment: an answer of a response, or a replyable
// comment moved out of its response when the round closed.
type commentRow struct {
	ID           string
	ResponseID   string
	QuestionID   int64
	Text         string
	RoundID      int64
	TeamID       *int64
	Linked       bool
	Conversation bool
	// commenter stands for the person in the comment threshold: the
	// response, or for a replyable comment its rank among those answering
	// the same question in its round and team (see replyableRows).
	commenter string
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
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	sealID, err := s.plainCommentIDs()
	if err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].ID = sealID(rows[i].ResponseID, rows[i].QuestionID)
		rows[i].commenter = rows[i].ResponseID
	}
	replyable, err := s.replyableRows(ctx, ids)
	rows = append(rows, replyable...)
	// Rounds in time order; within a round the ids, random or keyed, decide,
	// so the order says nothing about who wrote first or which kind it is.
	slices.SortFunc(rows, func(a, b commentRow) int {
		return cmp.Or(order[a.RoundID]-order[b.RoundID], strings.Compare(a.ID, b.ID))
	})
	for i := range rows {
		rows[i].Text = strings.TrimSpace(rows[i].Text)
	}
	// A blank comment is no comment, and must not count as a commenter.
	rows = slices.DeleteFunc(rows, func(r commentRow) bool { return r.Text == "" })
	return rows, err
}

// replyableRows reads the rounds' replyable comments. Nothing says which of
// them one person wrote, and one person may have written one per text
// question, so for the threshold they count as the most any one question
// got: the i-th replyable comment on each question stands for the same
// commenter "replyable-i". That never counts more people than there are.
func (s *Service) replyableRows(ctx context.Context, rounds []int64) ([]commentRow, error) {
	var rows []commentRow
	err := s.db.WithContext(ctx).Table("replyable_comments AS c").
		Select("c.id, c.question_id, c.text, c.round_id, c.team_id, l.comment_id IS NOT NULL AS linked, "+
			"EXISTS (SELECT 1 FROM comment_replies cr WHERE cr.comment_id = c.id) AS conversation").
		Joins("LEFT JOIN comment_links l ON l.comment_id = c.id").
		Where("c.round_id IN ? AND c.text <> ''", rounds).Order("c.id").Scan(&rows).Error
	rank := map[string]int{}
	for i, r := range rows {
		key := fmt.Sprintf("%d/%d/%d", r.RoundID, teamKey(r.TeamID), r.QuestionID)
		rows[i].commenter = fmt.Sprintf("replyable-%d", rank[key])
		rank[key]++
	}
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
		commenters[r.RoundID][team][r.commenter] = true
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

// A comment that is still an answer of its response gets an id that seals
// the response and question with a key derived from the server secret,
// deterministically (the nonce is a keyed hash of what it seals), so the
// id is stable across listings yet two comments of one person share no
// part of it, and without the secret it leads nowhere. Pulse opens it to
// find the comment again; replyable comments have random ids instead.

func (s *Service) commentIDCipher() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.derivedKey("pulse comment ids v1"))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// plainCommentIDs returns what makes plain comment ids, its cipher and
// nonce key derived once for a whole listing rather than once per comment.
func (s *Service) plainCommentIDs() (func(responseID string, questionID int64) string, error) {
	gcm, err := s.commentIDCipher()
	if err != nil {
		return nil, err
	}
	nonceKey := s.derivedKey("pulse comment id nonces v1")
	return func(responseID string, questionID int64) string {
		plain := []byte(pendingAAD(responseID, questionID))
		mac := hmac.New(sha256.New, nonceKey)
		mac.Write(plain)
		nonce := mac.Sum(nil)[:gcm.NonceSize()]
		return base64.RawURLEncoding.EncodeToString(gcm.Seal(nonce, nonce, plain, nil))
	}, nil
}

// openPlainCommentID returns the response and question a plain comment id
// names; ok is false for any other id, replyable ones included.
func (s *Service) openPlainCommentID(id string) (responseID string, questionID int64, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", 0, false
	}
	gcm, err := s.commentIDCipher()
	if err != nil || len(raw) < gcm.NonceSize()+gcm.Overhead() {
		return "", 0, false
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], nil)
	if err != nil {
		return "", 0, false
	}
	responseID, q, found := strings.Cut(string(plain), "-")
	questionID, err = strconv.ParseInt(q, 10, 64)
	return responseID, questionID, found && err == nil
}
