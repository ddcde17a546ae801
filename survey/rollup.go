package survey

import (
	"strconv"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// earlierAnswers reads what a response already holds, by question, in one
// query; a response just created holds nothing.
func earlierAnswers(tx *gorm.DB, resp Response, created bool) (map[int64]answer, error) {
	out := map[int64]answer{}
	if created {
		return out, nil
	}
	var rows []answer
	if err := tx.Where("response_id = ?", resp.ID).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, a := range rows {
		out[a.QuestionID] = a
	}
	return out, nil
}

// storeAnswer writes one answer and moves its rollup count from the old
// value (if there was one) to the new one, in the caller's transaction.
func storeAnswer(tx *gorm.DB, round Round, team int64, responseID string, v checkedValue, old answer, hadOld bool) error {
	oldKey := ""
	if hadOld {
		oldKey = rollupKey(v.question, old)
	}
	next := answer{ResponseID: responseID, QuestionID: v.question.ID, Number: v.number, Text: v.text}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "response_id"}, {Name: "question_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"number", "text"}),
	}).Create(&next).Error
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
	if m.delta < 0 {
		return tx.Model(&answerCount{}).Where("round_id = ? AND team_id = ? AND question_id = ? AND value = ?",
			round.ID, team, questionID, m.value).Update("n", gorm.Expr("n - 1")).Error
	}
	cell := answerCount{SurveyID: round.SurveyID, RoundID: round.ID, TeamID: team, QuestionID: questionID, Value: m.value, N: 1}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "round_id"}, {Name: "team_id"}, {Name: "question_id"}, {Name: "value"}},
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("answer_counts.n + 1")}),
	}).Create(&cell).Error
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
