package survey

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/fault"
)

// commentLink is the sealed way back from a comment to its author, kept
// only with the author's consent and apart from the answer itself.
type commentLink struct {
	CommentID string `gorm:"primaryKey"`
	RoundID   int64
	Sealed    string
}

func (commentLink) TableName() string { return "comment_links" }

// CommentID names a free-text answer: its response and question. Response
// ids are random, so the id says nothing about who wrote it or when.
func CommentID(responseID string, questionID int64) string {
	return fmt.Sprintf("%s-%d", responseID, questionID)
}

// linkKey derives the sealing key from the server secret.
func (s *Service) linkKey() []byte {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte("pulse comment links v1"))
	return mac.Sum(nil)
}

// seal encrypts who wrote a comment, bound to that comment's id.
func (s *Service) seal(commentID string, employeeID int64) (string, error) {
	gcm, err := s.linkCipher()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := gcm.Seal(nonce, nonce, []byte(strconv.FormatInt(employeeID, 10)), []byte(commentID))
	return base64.RawStdEncoding.EncodeToString(out), nil
}

// ErrNoLink means the comment's author did not allow replies.
var ErrNoLink = errors.New("the author of this comment did not allow replies")

// CommentAuthor opens a comment's sealed link. Only reply delivery calls
// it; nothing it returns is ever shown to the person replying.
func (s *Service) CommentAuthor(ctx context.Context, commentID string) (int64, error) {
	var link commentLink
	if err := s.db.WithContext(ctx).Where("comment_id = ?", commentID).Limit(1).Find(&link).Error; err != nil {
		return 0, err
	}
	if link.CommentID == "" {
		return 0, ErrNoLink
	}
	raw, err := base64.RawStdEncoding.DecodeString(link.Sealed)
	if err != nil {
		return 0, err
	}
	gcm, err := s.linkCipher()
	if err != nil {
		return 0, err
	}
	if len(raw) < gcm.NonceSize() {
		return 0, errors.New("sealed link is too short")
	}
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(commentID))
	if err != nil {
		return 0, fmt.Errorf("cannot open the sealed link (was PULSE_SECRET changed?): %w", err)
	}
	return strconv.ParseInt(string(plain), 10, 64)
}

func (s *Service) linkCipher() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.linkKey())
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// updateLinks keeps or removes the sealed links of a response's comments as
// the author chose this time.
func (s *Service) updateLinks(tx *gorm.DB, round Round, responseID string, employeeID int64, values []checkedValue, allow bool) error {
	for _, v := range values {
		if v.question.Kind != KindText {
			continue
		}
		id := CommentID(responseID, v.question.ID)
		if !allow || v.text == nil || strings.TrimSpace(*v.text) == "" {
			if err := tx.Where("comment_id = ?", id).Delete(&commentLink{}).Error; err != nil {
				return err
			}
			continue
		}
		sealed, err := s.seal(id, employeeID)
		if err != nil {
			return err
		}
		link := commentLink{CommentID: id, RoundID: round.ID, Sealed: sealed}
		err = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "comment_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"sealed"})}).Create(&link).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// CommentTarget is what a reply needs to know about a comment: where it
// sits, never who wrote it.
type CommentTarget struct {
	CommentID  string
	SurveyID   int64
	RoundID    int64
	TeamID     *int64
	Text       string
	Replyable  bool
	RoundOpen  bool
	QuestionID int64
}

// Comment finds a comment by id for replying to it.
func (s *Service) Comment(ctx context.Context, commentID string) (CommentTarget, error) {
	responseID, qid, ok := strings.Cut(commentID, "-")
	questionID, err := strconv.ParseInt(qid, 10, 64)
	if !ok || err != nil {
		return CommentTarget{}, notFoundComment
	}
	var row struct {
		Text     *string
		RoundID  int64
		TeamID   *int64
		SurveyID int64
		Kind     string
	}
	err = s.db.WithContext(ctx).Table("answers AS a").
		Select("a.text, r.round_id, r.team_id, q.survey_id, q.kind").
		Joins("JOIN responses r ON r.id = a.response_id").Joins("JOIN questions q ON q.id = a.question_id").
		Where("a.response_id = ? AND a.question_id = ?", responseID, questionID).Limit(1).Scan(&row).Error
	if err != nil {
		return CommentTarget{}, err
	}
	if row.Kind != KindText || row.Text == nil {
		return CommentTarget{}, notFoundComment
	}
	var links int64
	if err := s.db.WithContext(ctx).Model(&commentLink{}).Where("comment_id = ?", commentID).Count(&links).Error; err != nil {
		return CommentTarget{}, err
	}
	round, err := s.Round(ctx, row.RoundID)
	return CommentTarget{CommentID: commentID, SurveyID: row.SurveyID, RoundID: row.RoundID, TeamID: row.TeamID,
		Text: *row.Text, Replyable: links > 0, RoundOpen: round.OpenAt(s.now()), QuestionID: questionID}, err
}

var notFoundComment = fault.NotFound("comment")
