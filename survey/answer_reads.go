package survey

import (
	"slices"
	"sync"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
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
	var rows []recipientRow
	err := tx.Raw(`SELECT rr.round_id, rr.employee_id, rr.team_id, rr.opens_at, e.active, e.timezone
		FROM round_recipients rr LEFT JOIN employees e ON e.id = rr.employee_id
		WHERE rr.round_id = ? AND rr.employee_id = ?`, round.ID, employeeID).Scan(&rows).Error
	if err != nil {
		return Recipient{RoundID: round.ID, EmployeeID: employeeID}, err
	}
	var row recipientRow
	if len(rows) > 0 {
		row = rows[0]
	}
	return s.admit(tx, round, employeeID, row, len(rows) > 0)
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
