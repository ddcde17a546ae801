package survey

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/fault"
)

// MaxCommentLength bounds a free-text answer.
const MaxCommentLength = 2000

// Response is one person's anonymous answers to one round. It carries no
// employee id, a random id, only the day, and (while the round is open) a
// keyed hash that lets the same person edit it.
type Response struct {
	ID             string
	RoundID        int64
	TeamID         *int64
	AnswerDay      string
	RespondentHash *string
}

// answer is one stored value; yes/no is kept as 1/0 in Number.
type answer struct {
	ResponseID string `gorm:"primaryKey"`
	QuestionID int64  `gorm:"primaryKey"`
	Number     *int
	Text       *string
}

// answerCount is one cell of the rollup the results are computed from.
type answerCount struct {
	SurveyID   int64
	RoundID    int64
	TeamID     int64
	QuestionID int64
	Value      string
	N          int
}

// AnswerInput is one answer as given: a number for enps and scale, a
// boolean for yes_no, a string for choice and text.
type AnswerInput struct {
	QuestionID int64 `json:"question_id"`
	Value      any   `json:"value"`
}

// Receipt says what was recorded, for the person who answered.
type Receipt struct {
	RoundID       int64         `json:"round_id"`
	Answers       []AnswerInput `json:"answers"`
	EditableUntil time.Time     `json:"editable_until"`
	Anonymous     bool          `json:"anonymous"`
	// Round is the round as the person sees it now that they have
	// answered, so where they answered can be redrawn without reading it
	// again. It is not part of the reply.
	Round AssignedRound `json:"-"`
}

func (answer) TableName() string      { return "answers" }
func (answerCount) TableName() string { return "answer_counts" }

// maxAnswerAttempts bounds retries when two first answers of the same
// person race to create their response.
const maxAnswerAttempts = 3

// Answer records an employee's answers to an open round. Answering again
// changes those answers and never adds a response; questions not given keep
// their earlier answer. The same call serves the API, the web and Slack.
func (s *Service) Answer(ctx context.Context, roundID, employeeID int64, inputs []AnswerInput) (Receipt, error) {
	return s.AnswerWith(ctx, roundID, employeeID, inputs, AnswerOptions{})
}

// AnswerOptions are the answering person's choices beyond the answers.
type AnswerOptions struct {
	// AllowReplies keeps a sealed link from this response's comments to
	// their author, so a manager can reply without learning who it is.
	// Answering comments again without it removes the link.
	AllowReplies bool
}

// AnswerWith is Answer with the person's options. With group commit on
// (StartGroupCommit), answers arriving together share one transaction.
func (s *Service) AnswerWith(ctx context.Context, roundID, employeeID int64, inputs []AnswerInput, opts AnswerOptions) (Receipt, error) {
	req := &answerRequest{roundID: roundID, employeeID: employeeID, inputs: inputs, opts: opts}
	out := answerOutcome{alone: true}
	if s.commits != nil {
		out = s.commits.submit(ctx, req)
	}
	if out.alone {
		out.receipt, out.err = s.answerAlone(ctx, req)
	}
	if errors.Is(out.err, errKeyLost) {
		if err := s.closeKeyLost(ctx, roundID); err != nil {
			return Receipt{}, err
		}
		return Receipt{}, fault.Conflictf("this round has closed; answers can no longer be changed")
	}
	return out.receipt, out.err
}

// answerAlone records one person's answers in a transaction of their own.
func (s *Service) answerAlone(ctx context.Context, req *answerRequest) (Receipt, error) {
	var (
		receipt Receipt
		err     error
	)
	// A connection error is tried again within the request's retry budget.
	// That is safe even when the failure hid a commit: the response is found
	// again through the keyed hash and each answer is an upsert, so a second
	// run stores the same values and moves no count.
	err = database.Retry(ctx, func() error {
		for attempt := 1; attempt <= maxAnswerAttempts; attempt++ {
			err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
				out := make([]answerOutcome, 1)
				if err := s.answerBatch(tx, []*answerRequest{req}, out); err != nil {
					return err
				}
				receipt = out[0].receipt
				return out[0].err
			})
			if err == nil || !database.IsUniqueViolation(err) {
				break
			}
		}
		return err
	})
	return receipt, err
}

// answeredRound is what AssignedRound would now say of round to its
// recipient, from what answering has already read.
func (s *Service) answeredRound(round Round, rcpt Recipient, sv Survey, questions []Question) AssignedRound {
	now := s.now()
	return AssignedRound{Round: round, SurveyTitle: sv.Title, Locale: sv.Locale, ScaleMin: sv.ScaleMin,
		SurveyZone: cadenceZone(sv), Questions: questions, Answered: true, Open: round.OpenAt(now), OpensAt: rcpt.OpensAt,
		Status: Round{ClosesAt: round.ClosesAt, ClosedAt: round.ClosedAt, OpensAt: rcpt.OpensAt}.StatusAt(now)}
}

func (s *Service) openRoundFor(tx *gorm.DB, roundID, employeeID int64) (Round, Recipient, error) {
	round, err := loadRound(tx, roundID)
	if err != nil {
		return round, Recipient{}, err
	}
	rcpt, err := s.admitRecipient(tx, round, employeeID)
	return round, rcpt, err
}

func closedAt(r Round) time.Time {
	if r.ClosedAt != nil {
		return *r.ClosedAt
	}
	return r.ClosesAt
}

// lockForUpdate takes a row lock on PostgreSQL, so two edits of the same
// response queue up; SQLite's IMMEDIATE transactions already serialise them.
func lockForUpdate(tx *gorm.DB) *gorm.DB {
	if tx.Dialector.Name() == "postgres" {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// checkedValue is an answer validated against its question.
type checkedValue struct {
	question Question
	number   *int
	text     *string
	rollup   string // the value's key in answer_counts; empty for text
}

func checkAnswers(inputs []AnswerInput, questions []Question, scaleMin int) ([]checkedValue, error) {
	var c fault.Checker
	c.Check(len(inputs) > 0, "answers", "give at least one answer")
	byID := map[int64]Question{}
	for _, q := range questions {
		byID[q.ID] = q
	}
	var out []checkedValue
	seen := map[int64]bool{}
	for i, in := range inputs {
		field := fmt.Sprintf("answers[%d]", i)
		q, ok := byID[in.QuestionID]
		if !ok {
			c.Add(field+".question_id", "is not a question of this round")
			continue
		}
		if seen[q.ID] {
			c.Add(field+".question_id", "is answered twice")
			continue
		}
		seen[q.ID] = true
		v, ok := checkValue(&c, field+".value", q, in.Value, scaleMin)
		if !ok {
			continue
		}
		out = append(out, v)
	}
	return out, c.Err()
}

// checkValue records on c why value cannot answer q, if it cannot.
func checkValue(c *fault.Checker, field string, q Question, value any, scaleMin int) (checkedValue, bool) {
	v := checkedValue{question: q}
	switch q.Kind {
	case KindENPS, KindScale:
		lo, hi := scaleMin, 10
		if q.Kind == KindScale {
			lo, hi = 1, 5
		}
		n, ok := wholeNumber(value)
		if !ok || n < lo || n > hi {
			c.Addf(field, "must be a whole number from %d to %d", lo, hi)
			return v, false
		}
		v.number, v.rollup = &n, strconv.Itoa(n)
	case KindYesNo:
		b, ok := value.(bool)
		if !ok {
			c.Add(field, "must be true or false")
			return v, false
		}
		n, key := 0, AnswerNo
		if b {
			n, key = 1, AnswerYes
		}
		v.number, v.rollup = &n, key
	case KindChoice:
		s, ok := value.(string)
		if !ok || !slices.Contains(q.Options, s) {
			c.Addf(field, "must be one of the options: %v", q.Options)
			return v, false
		}
		v.text, v.rollup = &s, s
	case KindText:
		s, ok := value.(string)
		if !ok || utf8.RuneCountInString(s) > MaxCommentLength {
			c.Addf(field, "must be text of at most %d characters", MaxCommentLength)
			return v, false
		}
		if why := fault.TextProblem(s); why != "" {
			c.Add(field, why)
			return v, false
		}
		v.text = &s
	}
	return v, true
}

func wholeNumber(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1e6 {
			return int(n), true
		}
	}
	return 0, false
}

// MyResponse is what a person has given in an open round: their answers,
// and whether they allowed anonymous replies to their comments.
type MyResponse struct {
	Answers      []AnswerInput `json:"answers"`
	AllowReplies bool          `json:"allow_replies"`
}

// MyAnswers returns what the employee has answered in an open round, found
// through the keyed hash. Once the round closes nobody can find them.
func (s *Service) MyAnswers(ctx context.Context, roundID, employeeID int64) ([]AnswerInput, error) {
	r, err := s.MyResponse(ctx, roundID, employeeID)
	return r.Answers, err
}

// MyResponse is MyAnswers with the person's reply consent.
func (s *Service) MyResponse(ctx context.Context, roundID, employeeID int64) (MyResponse, error) {
	out := MyResponse{Answers: []AnswerInput{}}
	tx := s.db.WithContext(ctx)
	round, _, err := s.openRoundFor(tx, roundID, employeeID)
	if err != nil {
		return out, err
	}
	var resp Response
	hash, err := hashFor(tx, round.ID, employeeID)
	if errors.Is(err, errKeyLost) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	if err := tx.Where("round_id = ? AND respondent_hash = ?", round.ID, hash).Limit(1).Find(&resp).Error; err != nil || resp.ID == "" {
		return out, err
	}
	questions, err := questionsOf(tx, round.SurveyID, round.SurveyVersion)
	if err != nil {
		return out, err
	}
	var stored []answer
	if err := tx.Where("response_id = ?", resp.ID).Find(&stored).Error; err != nil {
		return out, err
	}
	kinds := map[int64]string{}
	for _, q := range questions {
		kinds[q.ID] = q.Kind
	}
	for _, a := range stored {
		out.Answers = append(out.Answers, AnswerInput{QuestionID: a.QuestionID, Value: displayValue(kinds[a.QuestionID], a)})
	}
	slices.SortFunc(out.Answers, func(a, b AnswerInput) int { return int(a.QuestionID - b.QuestionID) })
	var links int64
	err = tx.Model(&pendingLink{}).Where("response_id = ?", resp.ID).Count(&links).Error
	out.AllowReplies = links > 0
	return out, err
}

func displayValue(kind string, a answer) any {
	switch {
	case kind == KindYesNo && a.Number != nil:
		return *a.Number == 1
	case a.Number != nil:
		return *a.Number
	case a.Text != nil:
		return *a.Text
	}
	return nil
}
