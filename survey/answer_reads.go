package survey

import (
	"slices"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// The reads an answer makes, each in as few queries as it can: answers are
// the one write that arrives by the hundred per second, a round trip each.

// roundToAnswer is what an answer reads about its round: the round, its
// survey's settings, and the round's key (nil once closed or lost).
type roundToAnswer struct {
	Round
	SurveyTitle    string
	SurveyLocale   string
	SurveyScaleMin int
	SurveyCadence  *cadence.Cadence `gorm:"serializer:json"`
	RoundKey       []byte
}

// survey is the part of the round's survey an answer needs.
func (r roundToAnswer) survey() Survey {
	return Survey{ID: r.SurveyID, Title: r.SurveyTitle, Locale: r.SurveyLocale, ScaleMin: r.SurveyScaleMin,
		Cadence: r.SurveyCadence}
}

// lockRound reads the round an answer is for, with its survey and key, in
// one statement. On PostgreSQL it also share-locks the round for the rest
// of the answer's transaction. Closing updates the round row, so a close
// waits for answers in flight and an answer arriving during a close sees
// the round closed (and is refused before the key it read is used): none
// slips in after the hashes are erased to add a second response.
func lockRound(tx *gorm.DB, roundID int64) (roundToAnswer, error) {
	query := `SELECT r.*, s.title AS survey_title, s.locale AS survey_locale, s.scale_min AS survey_scale_min,
			s.cadence AS survey_cadence, k.key AS round_key
		FROM rounds r JOIN surveys s ON s.id = r.survey_id LEFT JOIN round_keys k ON k.round_id = r.id
		WHERE r.id = ?`
	if tx.Dialector.Name() == "postgres" {
		query += " FOR SHARE OF r"
	}
	var rows []roundToAnswer
	if err := tx.Raw(query, roundID).Scan(&rows).Error; err != nil {
		return roundToAnswer{}, err
	}
	if len(rows) == 0 {
		return roundToAnswer{}, fault.NotFound("round")
	}
	return rows[0], nil
}

// admitRecipient finds the person among the round's recipients and refuses
// them when the round is closed, they are deactivated, or it has not yet
// reached them; recipient and employee are read in one query.
func (s *Service) admitRecipient(tx *gorm.DB, round Round, employeeID int64) (Recipient, error) {
	var row struct {
		Found    int
		TeamID   *int64
		OpensAt  *time.Time
		Active   *bool
		Timezone *string
	}
	err := tx.Raw(`SELECT 1 AS found, rr.team_id, rr.opens_at, e.active, e.timezone
		FROM round_recipients rr LEFT JOIN employees e ON e.id = rr.employee_id
		WHERE rr.round_id = ? AND rr.employee_id = ?`, round.ID, employeeID).Scan(&row).Error
	rcpt := Recipient{RoundID: round.ID, EmployeeID: employeeID, TeamID: row.TeamID, OpensAt: row.OpensAt}
	switch {
	case err != nil:
		return rcpt, err
	case row.Found == 0:
		return rcpt, fault.Forbidden("you were not asked in this round")
	case !round.OpenAt(s.now()):
		return rcpt, fault.Conflictf("this round closed at %s; answers can no longer be changed",
			closedAt(round).Format(time.RFC3339))
	case row.Active == nil:
		return rcpt, fault.NotFound("employee")
	}
	e := directory.Employee{ID: employeeID, Active: *row.Active}
	if row.Timezone != nil {
		e.Timezone = *row.Timezone
	}
	return rcpt, admitAnswerer(tx, round, rcpt, e, s.now())
}

// sentQuestions remembers the questions of survey versions rounds were sent
// with. Those never change: editing the questions of a version a round uses
// makes a new version. It holds question texts only, nothing about anyone,
// and starts over when full.
type sentQuestions struct {
	mu        sync.RWMutex
	byVersion map[versionKey][]Question
}

const maxSentVersions = 1024

// of returns the questions of round's version, read once per version.
func (c *sentQuestions) of(tx *gorm.DB, round Round) ([]Question, error) {
	k := versionKey{round.SurveyID, round.SurveyVersion}
	c.mu.RLock()
	qs, ok := c.byVersion[k]
	c.mu.RUnlock()
	if ok {
		return slices.Clone(qs), nil
	}
	qs, err := questionsOf(tx, round.SurveyID, round.SurveyVersion)
	if err != nil || len(qs) == 0 {
		return qs, err
	}
	c.mu.Lock()
	if len(c.byVersion) >= maxSentVersions || c.byVersion == nil {
		c.byVersion = map[versionKey][]Question{}
	}
	c.byVersion[k] = slices.Clone(qs)
	c.mu.Unlock()
	return qs, nil
}

// responseWithAnswers finds the response with hash in the round together
// with the answers it holds; found is false when the person has not
// answered yet. On PostgreSQL the response is locked first, so two edits of
// it queue up, and its answers are read after the lock is granted: read in
// the locking statement they would be the ones from before the wait.
// SQLite's IMMEDIATE transactions already serialise edits, so there one
// query reads both.
func responseWithAnswers(tx *gorm.DB, roundID int64, hash string) (id string, earlier map[int64]answer, found bool, err error) {
	if tx.Dialector.Name() == "postgres" {
		var ids []string
		err := tx.Raw("SELECT id FROM responses WHERE round_id = ? AND respondent_hash = ? FOR UPDATE", roundID, hash).Scan(&ids).Error
		if err != nil || len(ids) == 0 {
			return "", nil, false, err
		}
		earlier, err = answersOf(tx, "a.response_id = ?", ids[0])
		return ids[0], earlier, true, err
	}
	earlier, err = answersOf(tx, "r.round_id = ? AND r.respondent_hash = ?", roundID, hash)
	for _, a := range earlier {
		id = a.ResponseID
	}
	return id, earlier, id != "", err
}

// answersOf reads the answers of the responses matching where, by
// question; a response holding none appears under question 0.
func answersOf(tx *gorm.DB, where string, args ...any) (map[int64]answer, error) {
	var rows []struct {
		ID         string
		QuestionID *int64
		Number     *int
		Text       *string
	}
	err := tx.Raw(`SELECT r.id, a.question_id, a.number, a.text
		FROM responses r LEFT JOIN answers a ON a.response_id = r.id WHERE `+where, args...).Scan(&rows).Error
	out := make(map[int64]answer, len(rows))
	for _, r := range rows {
		q := int64(0)
		if r.QuestionID != nil {
			q = *r.QuestionID
		}
		out[q] = answer{ResponseID: r.ID, QuestionID: q, Number: r.Number, Text: r.Text}
	}
	return out, err
}
