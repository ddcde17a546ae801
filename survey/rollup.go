package survey

import (
	"strconv"

	"gorm.io/gorm"
)

// storeAnswer writes one answer and moves its rollup count from the old
// value (if there was one) to the new one, in the caller's transaction.
func storeAnswer(tx *gorm.DB, round Round, team int64, responseID string, v checkedValue, old answer, hadOld bool) error {
	oldKey := ""
	if hadOld {
		oldKey = rollupKey(v.question, old)
	}
	err := tx.Exec(`INSERT INTO answers (response_id, question_id, number, text) VALUES (?, ?, ?, ?)
		ON CONFLICT (response_id, question_id) DO UPDATE SET number = excluded.number, text = excluded.text`,
		responseID, v.question.ID, v.number, v.text).Error
	if err != nil {
		return err
	}
	if oldKey == v.rollup {
		return nil
	}
	// Every transaction takes its count rows in (question, value) order, so
	// two people moving answers in opposite directions never deadlock.
	first, second := moveCount{oldKey, -1}, moveCount{v.rollup, +1}
	if first.value > second.value {
		first, second = second, first
	}
	for _, m := range []moveCount{first, second} {
		if err := m.apply(tx, round, team, v.question.ID); err != nil {
			return err
		}
	}
	return nil
}

// moveCount is a change of one rollup cell by delta; an empty value (text,
// or no earlier answer) has no cell.
type moveCount struct {
	value string
	delta int
}

func (m moveCount) apply(tx *gorm.DB, round Round, team, questionID int64) error {
	if m.value == "" {
		return nil
	}
	// Plain SQL: these run for every answer, and GORM's statement building
	// cost more than the database's work.
	if m.delta < 0 {
		return tx.Exec("UPDATE answer_counts SET n = n - 1 WHERE round_id = ? AND team_id = ? AND question_id = ? AND value = ?",
			round.ID, team, questionID, m.value).Error
	}
	return tx.Exec(`INSERT INTO answer_counts (survey_id, round_id, team_id, question_id, value, n) VALUES (?, ?, ?, ?, ?, 1)
		ON CONFLICT (round_id, team_id, question_id, value) DO UPDATE SET n = answer_counts.n + 1`,
		round.SurveyID, round.ID, team, questionID, m.value).Error
}

func rollupKey(q Question, a answer) string {
	switch {
	case q.Kind == KindText:
		return ""
	case q.Kind == KindYesNo && a.Number != nil:
		if *a.Number == 1 {
			return AnswerYes
		}
		return AnswerNo
	case a.Number != nil:
		return strconv.Itoa(*a.Number)
	case a.Text != nil:
		return *a.Text
	}
	return ""
}
