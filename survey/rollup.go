package survey

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// countCell is one cell of answer_counts.
type countCell struct {
	roundID, teamID, questionID int64
	value                       string
}

// countMoves are the rollup moves of one transaction's answers, netted per
// cell: taps arriving together that move a cell back and forth cost
// nothing, and all of them are written by one statement.
type countMoves struct {
	delta    map[countCell]int
	surveyOf map[int64]int64 // round -> survey
}

// add moves a cell by delta; an empty value (text, or no earlier answer)
// has no cell.
func (m *countMoves) add(round Round, team, questionID int64, value string, delta int) {
	if value == "" {
		return
	}
	if m.delta == nil {
		m.delta, m.surveyOf = map[countCell]int{}, map[int64]int64{}
	}
	m.delta[countCell{round.ID, team, questionID, value}] += delta
	m.surveyOf[round.ID] = round.SurveyID
}

// apply writes the moves in one statement. Cells are taken in (round, team,
// question, value) order, so two transactions moving counts in opposite
// directions never deadlock. A cell is only ever lowered after it was
// raised, so it exists; were it missing, it is created at 0 rather than
// made negative.
func (m *countMoves) apply(tx *gorm.DB) error {
	cells := make([]countCell, 0, len(m.delta))
	for c, d := range m.delta {
		if d != 0 {
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return nil
	}
	slices.SortFunc(cells, func(a, b countCell) int {
		return cmp.Or(cmp.Compare(a.roundID, b.roundID), cmp.Compare(a.teamID, b.teamID),
			cmp.Compare(a.questionID, b.questionID), strings.Compare(a.value, b.value))
	})
	var sql strings.Builder
	args := make([]any, 0, 6*len(cells))
	// The first row's casts give the list its column types on PostgreSQL.
	sql.WriteString(`WITH d (survey_id, round_id, team_id, question_id, value, delta) AS (VALUES
		(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS INTEGER))`)
	for i, c := range cells {
		if i > 0 {
			sql.WriteString(", (?, ?, ?, ?, ?, ?)")
		}
		args = append(args, m.surveyOf[c.roundID], c.roundID, c.teamID, c.questionID, c.value, m.delta[c])
	}
	// "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
	sql.WriteString(`)
		INSERT INTO answer_counts (survey_id, round_id, team_id, question_id, value, n)
		SELECT survey_id, round_id, team_id, question_id, value, CASE WHEN delta > 0 THEN delta ELSE 0 END
		FROM d WHERE true ORDER BY round_id, team_id, question_id, value
		ON CONFLICT (round_id, team_id, question_id, value) DO UPDATE SET n = answer_counts.n + (SELECT d.delta FROM d
			WHERE d.round_id = excluded.round_id AND d.team_id = excluded.team_id
			AND d.question_id = excluded.question_id AND d.value = excluded.value)`)
	return tx.Exec(sql.String(), args...).Error
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
