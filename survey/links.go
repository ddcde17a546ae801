package survey

import (
	"cmp"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/fault"
)

// A comment whose author allowed replies lives in two steps.
//
// While its round is open it stays an ordinary answer of the response (so
// the author can still edit it), and a pendingLink, sealed to the author,
// records the consent; answering the comment again without consent removes
// it. When the round closes, the comment is moved out of the response into
// replyable_comments under a fresh random id, and only that copy is linked
// (commentLink) to its author. From then on nothing in the database joins
// the comment to the response, its eNPS or its other answers, and two
// comments of one person share nothing but their round.
//
// The link itself is erased ReplyLinkLifetime after the round closed; the
// comment and its thread stay, but nobody can reply any more.

// ReplyLinkLifetime is how long after its round closes a comment can still
// be replied to.
const ReplyLinkLifetime = 30 * 24 * time.Hour

// pendingLink is an open round's consent to replies for one comment.
type pendingLink struct {
	ResponseID string `gorm:"primaryKey"`
	QuestionID int64  `gorm:"primaryKey"`
	RoundID    int64
	Sealed     string
}

func (pendingLink) TableName() string { return "pending_reply_links" }

// replyableComment is a comment moved out of its response at close, with
// nothing that leads back to the response.
type replyableComment struct {
	ID         string `gorm:"primaryKey"`
	RoundID    int64
	TeamID     *int64
	QuestionID int64
	Text       string
}

func (replyableComment) TableName() string { return "replyable_comments" }

// commentLink is the sealed way back from a replyable comment to its
// author, kept only with the author's consent and for a limited time.
type commentLink struct {
	CommentID string `gorm:"primaryKey"`
	RoundID   int64
	Sealed    string
}

func (commentLink) TableName() string { return "comment_links" }

// pendingAAD binds a pending link to its response and question. It is the
// comment id of earlier versions, so links moved by migration 00013 open.
func pendingAAD(responseID string, questionID int64) string {
	return responseID + "-" + strconv.FormatInt(questionID, 10)
}

func (s *Service) derivedKey(purpose string) []byte {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

func (s *Service) linkCipher() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.derivedKey("pulse comment links v1"))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal encrypts who wrote a comment, bound to aad.
func (s *Service) seal(aad string, employeeID int64) (string, error) {
	gcm, err := s.linkCipher()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := gcm.Seal(nonce, nonce, []byte(strconv.FormatInt(employeeID, 10)), []byte(aad))
	return base64.RawStdEncoding.EncodeToString(out), nil
}

func (s *Service) unseal(aad, sealed string) (int64, error) {
	raw, err := base64.RawStdEncoding.DecodeString(sealed)
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
	plain, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(aad))
	if err != nil {
		return 0, fmt.Errorf("cannot open the sealed link (was PULSE_SECRET changed?): %w", err)
	}
	return strconv.ParseInt(string(plain), 10, 64)
}

// ErrNoLink means the comment's author did not allow replies, or the time
// to reply has run out.
var ErrNoLink = errors.New("the author of this comment did not allow replies, or the time to reply has run out")

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
	return s.unseal(commentID, link.Sealed)
}

// updateLinks keeps or removes the pending links of a response's comments
// as the author chose this time. Comments not answered again keep theirs.
func (s *Service) updateLinks(tx *gorm.DB, round Round, responseID string, employeeID int64, values []checkedValue, allow bool) error {
	for _, v := range values {
		if v.question.Kind != KindText {
			continue
		}
		if !allow || v.text == nil || strings.TrimSpace(*v.text) == "" {
			err := tx.Where("response_id = ? AND question_id = ?", responseID, v.question.ID).Delete(&pendingLink{}).Error
			if err != nil {
				return err
			}
			continue
		}
		sealed, err := s.seal(pendingAAD(responseID, v.question.ID), employeeID)
		if err != nil {
			return err
		}
		link := pendingLink{ResponseID: responseID, QuestionID: v.question.ID, RoundID: round.ID, Sealed: sealed}
		err = tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "response_id"}, {Name: "question_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"sealed"})}).Create(&link).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// moveReplyableComments turns a sealed round's pending links into
// replyable comments: each comment leaves its response for a copy under a
// random id, sealed to its author under that id. It runs after sealing, so
// the copy carries the response's folded team. Copies are written in the
// order of their random ids, so neither ids nor storage order follow the
// order people answered in.
func (s *Service) moveReplyableComments(tx *gorm.DB, roundID int64) error {
	// Locked, so a replica moving the same round at the same moment waits,
	// then finds nothing left to move.
	var pending []pendingLink
	if err := lockForUpdate(tx).Where("round_id = ?", roundID).Find(&pending).Error; err != nil || len(pending) == 0 {
		return err
	}
	comments, err := pendingComments(tx, roundID)
	if err != nil {
		return err
	}
	var (
		copies  []replyableComment
		links   []commentLink
		renamed = map[string]string{} // pending key (the pre-00013 comment id) -> new id
	)
	for _, p := range pending {
		key := pendingAAD(p.ResponseID, p.QuestionID)
		c, ok := comments[key]
		if !ok {
			continue // blank: no comment to move
		}
		author, err := s.unseal(key, p.Sealed)
		if err != nil {
			// Sealed under another PULSE_SECRET: the consent cannot be
			// honoured, and must not keep the round from closing. The
			// comment stays an ordinary one.
			slog.Warn("a reply link could not be opened; its comment stays without replies", "round", roundID, "err", err)
			continue
		}
		id := randomID()
		sealed, err := s.seal(id, author)
		if err != nil {
			return err
		}
		copies = append(copies, replyableComment{ID: id, RoundID: roundID, TeamID: c.TeamID, QuestionID: p.QuestionID, Text: c.Text})
		links = append(links, commentLink{CommentID: id, RoundID: roundID, Sealed: sealed})
		renamed[key] = id
	}
	return s.storeMoves(tx, roundID, pending, copies, links, renamed)
}

type pendingComment struct {
	ResponseID string
	QuestionID int64
	Text       string
	TeamID     *int64
}

// pendingComments reads the round's opted-in comments with their responses'
// teams, in one query, keyed like the pending links.
func pendingComments(tx *gorm.DB, roundID int64) (map[string]pendingComment, error) {
	var rows []pendingComment
	err := tx.Table("answers AS a").Select("a.response_id, a.question_id, a.text, r.team_id").
		Joins("JOIN responses r ON r.id = a.response_id").
		Joins("JOIN pending_reply_links p ON p.response_id = a.response_id AND p.question_id = a.question_id").
		Where("p.round_id = ? AND a.text IS NOT NULL", roundID).Scan(&rows).Error
	out := make(map[string]pendingComment, len(rows))
	for _, r := range rows {
		if strings.TrimSpace(r.Text) != "" {
			out[pendingAAD(r.ResponseID, r.QuestionID)] = r
		}
	}
	return out, err
}

// storeMoves writes the copies and links in the order of their random ids,
// points threads started before migration 00013 at the new ids, deletes the
// moved answers, and then every pending link of the round.
func (s *Service) storeMoves(tx *gorm.DB, roundID int64, pending []pendingLink, copies []replyableComment, links []commentLink, renamed map[string]string) error {
	slices.SortFunc(copies, func(a, b replyableComment) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(links, func(a, b commentLink) int { return cmp.Compare(a.CommentID, b.CommentID) })
	if len(copies) > 0 {
		if err := tx.CreateInBatches(copies, 200).Error; err != nil {
			return err
		}
		if err := tx.CreateInBatches(links, 200).Error; err != nil {
			return err
		}
	}
	olds := make([]string, 0, len(renamed))
	for old := range renamed {
		olds = append(olds, old)
	}
	for chunk := range slices.Chunk(olds, 500) {
		var threaded []string
		if err := tx.Table("comment_replies").Where("comment_id IN ?", chunk).Distinct().Pluck("comment_id", &threaded).Error; err != nil {
			return err
		}
		for _, old := range threaded {
			if err := tx.Table("comment_replies").Where("comment_id = ?", old).Update("comment_id", renamed[old]).Error; err != nil {
				return err
			}
		}
	}
	// Pending links whose comment was not moved go first, so that what is
	// left of the round's pending links names exactly the answers to delete.
	for _, p := range pending {
		if _, moved := renamed[pendingAAD(p.ResponseID, p.QuestionID)]; !moved {
			if err := tx.Where("response_id = ? AND question_id = ?", p.ResponseID, p.QuestionID).Delete(&pendingLink{}).Error; err != nil {
				return err
			}
		}
	}
	err := tx.Exec("DELETE FROM answers WHERE EXISTS (SELECT 1 FROM pending_reply_links p WHERE p.round_id = ? "+
		"AND p.response_id = answers.response_id AND p.question_id = answers.question_id)", roundID).Error
	if err != nil {
		return err
	}
	return tx.Where("round_id = ?", roundID).Delete(&pendingLink{}).Error
}

// PurgeReplyLinks erases the links of comments whose round closed more
// than ReplyLinkLifetime ago, and moves any comment still waiting in a
// sealed round (links carried over by migration 00013). Rounds closed but
// not yet sealed wait for the closing pass, which folds them first. It returns how many links were erased. The scheduler
// runs it on every tick.
func (s *Service) PurgeReplyLinks(ctx context.Context) (int64, error) {
	var waiting []int64
	err := s.db.WithContext(ctx).Model(&pendingLink{}).Distinct("pending_reply_links.round_id").
		Joins("JOIN rounds ON rounds.id = pending_reply_links.round_id").
		Where("rounds.closed_at IS NOT NULL AND rounds.sealed").Pluck("pending_reply_links.round_id", &waiting).Error
	if err != nil {
		return 0, err
	}
	for _, id := range waiting {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.moveReplyableComments(tx, id) })
		if err != nil {
			return 0, err
		}
	}
	if len(waiting) > 0 {
		if err := shred(ctx, s.db); err != nil {
			return 0, err
		}
	}
	expired := s.db.WithContext(ctx).Model(&Round{}).Select("id").
		Where("closed_at IS NOT NULL AND closed_at <= ?", s.now().Add(-ReplyLinkLifetime))
	res := s.db.WithContext(ctx).Where("round_id IN (?)", expired).Delete(&commentLink{})
	return res.RowsAffected, res.Error
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
	var row struct {
		Text       *string
		RoundID    int64
		TeamID     *int64
		QuestionID int64
		SurveyID   int64
		Kind       string
	}
	q := s.db.WithContext(ctx)
	if responseID, questionID, ok := s.openPlainCommentID(commentID); ok {
		q = q.Table("answers AS a").Select("a.text, r.round_id, r.team_id, a.question_id, q.survey_id, q.kind").
			Joins("JOIN responses r ON r.id = a.response_id").Joins("JOIN questions q ON q.id = a.question_id").
			Where("a.response_id = ? AND a.question_id = ?", responseID, questionID)
	} else {
		q = q.Table("replyable_comments AS c").Select("c.text, c.round_id, c.team_id, c.question_id, q.survey_id, q.kind").
			Joins("JOIN questions q ON q.id = c.question_id").Where("c.id = ?", commentID)
	}
	if err := q.Limit(1).Scan(&row).Error; err != nil {
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
		Text: *row.Text, Replyable: links > 0, RoundOpen: round.OpenAt(s.now()), QuestionID: row.QuestionID}, err
}

var notFoundComment = fault.NotFound("comment")
