package survey_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// world is a survey service over a fresh database with a clock the test moves.
type world struct {
	t   *testing.T
	db  *database.DB
	dir *directory.Directory
	svc *survey.Service

	mu  sync.Mutex
	now time.Time
}

func newWorld(t *testing.T, db *database.DB) *world {
	t.Helper()
	o := &world{t: t, db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	o.dir = directory.New(db.Gorm, o.clock)
	o.svc = survey.NewService(db.Gorm, o.clock, []byte("world-fixture-secret-world-fixture-secret"))
	return o
}

func (o *world) clock() time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.now
}

func (o *world) advance(d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.now = o.now.Add(d)
}

func (o *world) team(name string, parent *int64) directory.Team {
	o.t.Helper()
	tm, err := o.dir.CreateTeam(o.t.Context(), directory.TeamInput{Name: name, ParentID: parent})
	require.NoError(o.t, err)
	return tm
}

// people adds n employees to team (nil: no team), named after prefix.
func (o *world) people(prefix string, n int, team *int64) []directory.Employee {
	o.t.Helper()
	out := make([]directory.Employee, n)
	for i := range out {
		e, err := o.dir.CreateEmployee(o.t.Context(), directory.EmployeeInput{
			Email: fmt.Sprintf("%s%d@example.com", prefix, i), Name: prefix + strconv.Itoa(i), TeamID: team,
		})
		require.NoError(o.t, err)
		out[i] = e
	}
	return out
}

func (o *world) survey(questions ...survey.QuestionInput) survey.Survey {
	o.t.Helper()
	title := "Pulse"
	sv, err := o.svc.CreateSurvey(o.t.Context(), survey.SurveyInput{Title: &title, Questions: questions})
	require.NoError(o.t, err)
	return sv
}

// round sends a round of the survey now and checks it is a new one.
func (o *world) round(surveyID int64) survey.Round {
	o.t.Helper()
	r, created, err := o.svc.SendNow(o.t.Context(), surveyID, nil)
	require.NoError(o.t, err)
	require.True(o.t, created)
	return r
}

func (o *world) answer(roundID, employeeID int64, pairs ...any) {
	o.t.Helper()
	_, err := o.svc.Answer(o.t.Context(), roundID, employeeID, answerInputs(pairs...))
	require.NoError(o.t, err)
}

// inputs turns question id, value pairs into answer inputs.
func answerInputs(pairs ...any) []survey.AnswerInput {
	var out []survey.AnswerInput
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, survey.AnswerInput{QuestionID: pairs[i].(int64), Value: pairs[i+1]})
	}
	return out
}

// rollupCell is one rollup rollupCell: a value's count for a round, team and question.
type rollupCell struct {
	Round, Team, Question int64
	Value                 string
}

// rollup reads answer_counts as the results see it, leaving out empty cells
// but failing on a negative one.
func (o *world) rollup() map[rollupCell]int {
	o.t.Helper()
	var rows []struct {
		RoundID, TeamID, QuestionID int64
		Value                       string
		N                           int
	}
	require.NoError(o.t, o.db.Gorm.Table("answer_counts").Find(&rows).Error)
	out := map[rollupCell]int{}
	for _, r := range rows {
		require.GreaterOrEqual(o.t, r.N, 0, "a negative count in %+v", r)
		if r.N > 0 {
			out[rollupCell{r.RoundID, r.TeamID, r.QuestionID, r.Value}] = r.N
		}
	}
	return out
}

// recount counts the raw answers again, the slow way the rollup exists to avoid.
func (o *world) recount() map[rollupCell]int {
	o.t.Helper()
	var rows []struct {
		RoundID    int64
		TeamID     *int64
		QuestionID int64
		Kind       string
		Number     *int
		Text       *string
	}
	err := o.db.Gorm.Table("responses AS r").
		Select("r.round_id, r.team_id, a.question_id, q.kind, a.number, a.text").
		Joins("JOIN answers a ON a.response_id = r.id").
		Joins("JOIN questions q ON q.id = a.question_id").
		Find(&rows).Error
	require.NoError(o.t, err)
	out := map[rollupCell]int{}
	for _, r := range rows {
		var value string
		switch {
		case r.Kind == survey.KindText:
			continue
		case r.Kind == survey.KindYesNo:
			require.NotNil(o.t, r.Number)
			value = map[int]string{0: survey.AnswerNo, 1: survey.AnswerYes}[*r.Number]
		case r.Number != nil:
			value = strconv.Itoa(*r.Number)
		default:
			require.NotNil(o.t, r.Text)
			value = *r.Text
		}
		team := int64(0)
		if r.TeamID != nil {
			team = *r.TeamID
		}
		out[rollupCell{r.RoundID, team, r.QuestionID, value}]++
	}
	return out
}

func (o *world) countRows(table string, where string, args ...any) int {
	o.t.Helper()
	var n int64
	require.NoError(o.t, o.db.Gorm.Table(table).Where(where, args...).Count(&n).Error)
	return int(n)
}
