package action_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

var secret = []byte("action-fixture-secret-action-fixture-secret")

// world is an organisation with one closed round where teams A and B
// answered six each (A has a seventh member who never answers); in A only three left a comment (below the comment
// threshold), in B all six. An open round follows.
type world struct {
	t       testing.TB
	db      *database.DB
	dir     *directory.Directory
	surveys *survey.Service
	svc     *action.Service

	mu   sync.Mutex
	now  time.Time
	made int // plans input() has titled

	hr, bossA, bossB directory.Employee
	teamA, teamB     directory.Team
	a, b             []directory.Employee
	quiet            directory.Employee // in team A, never answers
	sv               survey.Survey
	enps, comment    int64
	closed, open     survey.Round
}

func newWorld(t testing.TB, db *database.DB) *world {
	t.Helper()
	w := &world{t: t, db: db, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	w.dir = directory.New(db.Gorm, w.clock)
	w.surveys = survey.NewService(db.Gorm, w.clock, secret)
	w.svc = action.New(db.Gorm, w.clock, secret, w.surveys)
	w.hr = w.person("hr", nil, directory.RoleHRAdmin)
	w.bossA = w.person("boss-a", nil, directory.RoleManager)
	w.bossB = w.person("boss-b", nil, directory.RoleManager)
	w.teamA = w.team("A", w.bossA.ID)
	w.teamB = w.team("B", w.bossB.ID)
	for i := range 6 {
		w.a = append(w.a, w.person(fmt.Sprintf("a%d", i), &w.teamA.ID, directory.RoleEmployee))
	}
	w.quiet = w.person("a-quiet", &w.teamA.ID, directory.RoleEmployee)
	for i := range 6 {
		w.b = append(w.b, w.person(fmt.Sprintf("b%d", i), &w.teamB.ID, directory.RoleEmployee))
	}
	title := "Pulse"
	sv, err := w.surveys.CreateSurvey(t.Context(), survey.SurveyInput{Title: &title, Questions: []survey.QuestionInput{
		{Kind: survey.KindENPS, Prompt: "Recommend?"}, {Kind: survey.KindText, Prompt: "Anything else?"}}})
	require.NoError(t, err)
	w.sv, w.enps, w.comment = sv, sv.Questions[0].ID, sv.Questions[1].ID
	w.closed = w.round()
	for i, e := range append(append([]directory.Employee{}, w.a...), w.b...) {
		text := fmt.Sprintf("comment %s", e.Name)
		if i >= 3 && i < 6 {
			text = ""
		}
		w.answer(w.closed.ID, e.ID, 4+i%7, text)
	}
	w.advance(6 * 24 * time.Hour)
	_, err = w.surveys.CloseDue(t.Context(), nil)
	require.NoError(t, err)
	w.open = w.round()
	return w
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(d)
}

func (w *world) today() string { return w.clock().Format(time.DateOnly) }

func (w *world) person(name string, team *int64, role directory.Role) directory.Employee {
	w.t.Helper()
	e, err := w.dir.CreateEmployee(w.t.Context(), directory.EmployeeInput{Email: name + "@example.com", Name: name, TeamID: team, Role: role})
	require.NoError(w.t, err)
	return e
}

func (w *world) team(name string, manager int64) directory.Team {
	w.t.Helper()
	tm, err := w.dir.CreateTeam(w.t.Context(), directory.TeamInput{Name: name, ManagerID: &manager})
	require.NoError(w.t, err)
	return tm
}

func (w *world) round() survey.Round {
	w.t.Helper()
	r, created, err := w.surveys.SendNow(w.t.Context(), w.sv.ID, nil)
	require.NoError(w.t, err)
	require.True(w.t, created)
	return r
}

func (w *world) answer(roundID, employeeID int64, score int, text string) {
	w.t.Helper()
	answers := []survey.AnswerInput{{QuestionID: w.enps, Value: score}}
	if text != "" {
		answers = append(answers, survey.AnswerInput{QuestionID: w.comment, Value: text})
	}
	_, err := w.surveys.Answer(w.t.Context(), roundID, employeeID, answers)
	require.NoError(w.t, err)
}

// actor is the employee with the scope the API would give them.
func (w *world) actor(e directory.Employee) action.Actor {
	w.t.Helper()
	scope, err := w.dir.ScopeOf(w.t.Context(), e)
	require.NoError(w.t, err)
	return action.Actor{Employee: e, Scope: scope}
}

// input is a valid plan for team A on the closed round, titled apart from
// the ones before (a group has one plan of a title per round).
func (w *world) input() action.PlanInput {
	w.mu.Lock()
	w.made++
	title := "Fewer meetings"
	if w.made > 1 {
		title = fmt.Sprintf("Fewer meetings (%d)", w.made)
	}
	w.mu.Unlock()
	return action.PlanInput{SurveyID: w.sv.ID, RoundID: w.closed.ID, TeamID: &w.teamA.ID, Title: title,
		Heard: "Too many meetings", QuestionID: &w.enps, WillDo: "No-meeting Wednesdays", OwnerID: w.bossA.ID,
		DueOn: w.clock().AddDate(0, 1, 0).Format(time.DateOnly)}
}

func (w *world) create(a action.Actor, in action.PlanInput) action.Plan {
	w.t.Helper()
	p, err := w.svc.Create(w.t.Context(), a, in)
	require.NoError(w.t, err)
	return p
}

func ids(people []directory.Employee) []int64 {
	out := make([]int64, len(people))
	for i, e := range people {
		out[i] = e.ID
	}
	return out
}
