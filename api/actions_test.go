package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// loop is a bundle with a closed round the manager's team answered (six of
// seven), a manager of the other team, and a plan on it.
type loop struct {
	*bundle
	made                    int // plans planBody has titled
	survey, round, question int64
	otherManagerToken       string
	outsiderToken           string
}

func newLoop(t *testing.T, db *database.DB) *loop {
	t.Helper()
	b := setup(t, db)
	l := &loop{bundle: b}
	boss := b.person("boss2@example.com", directory.RoleManager, &b.other.ID, nil)
	_, err := b.dir.UpdateTeam(t.Context(), b.other.ID, directory.TeamPatch{ManagerID: &boss.ID})
	require.NoError(t, err)
	l.otherManagerToken, l.outsiderToken = b.token(boss), b.token(b.outsider)
	members := []directory.Employee{b.employee}
	for i := range 5 {
		members = append(members, b.person(fmt.Sprintf("rep%d@example.com", i), directory.RoleEmployee, &b.team.ID, &b.manager.ID))
	}
	sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{{"kind": "enps", "prompt": "Recommend?"}}})
	l.survey, l.question = sv.ID, sv.Questions[0].ID
	r := b.sendRound(sv.ID)
	l.round = r.ID
	for i, e := range members {
		_, err := b.surveys.Answer(t.Context(), r.ID, e.ID, []survey.AnswerInput{{QuestionID: l.question, Value: 4 + i}})
		require.NoError(t, err)
	}
	res := b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", r.ID), b.hrToken, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	return l
}

// planBody is a valid plan for the manager's team, titled apart from the
// ones before (a group has one plan of a title per round).
func (l *loop) planBody() map[string]any {
	l.made++
	return map[string]any{"survey_id": l.survey, "round_id": l.round, "team_id": l.team.ID, "title": fmt.Sprintf("Fewer meetings %d", l.made),
		"heard": "Too many meetings", "question_id": l.question, "will_do": "No-meeting Wednesdays",
		"owner_id": l.manager.ID, "due_on": l.now.AddDate(0, 1, 0).Format(time.DateOnly)}
}

type planView struct {
	ID          int64
	Version     int
	Status      string
	PublishedAt *time.Time `json:"published_at"`
}

func (l *loop) plan(t *testing.T, token string) planView {
	t.Helper()
	res := l.do("POST", "/api/v1/actions", token, l.planBody())
	require.Equal(t, 201, res.Status, string(res.Body))
	var p planView
	res.data(t, &p)
	return p
}

func (l *loop) version(t *testing.T, id int64) int {
	t.Helper()
	var p planView
	l.do("GET", fmt.Sprintf("/api/v1/actions/%d", id), l.hrToken, nil).data(t, &p)
	return p.Version
}

// Every action route as every role: HR, the team's manager, another team's
// manager, an employee of the team, one of another team, HR through a
// dashboard session, and no or a bad credential.
func TestEveryActionRouteAsEveryRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		p := l.plan(t, l.managerToken)
		res := l.do("POST", fmt.Sprintf("/api/v1/actions/%d/publish", p.ID), l.managerToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		session := l.signIn(l.hr.ID)
		roles := []struct{ name, token string }{
			{"hr", l.hrToken}, {"manager", l.managerToken}, {"other_manager", l.otherManagerToken},
			{"employee", l.employeeToken}, {"outsider", l.outsiderToken}, {"hr_session", session},
		}
		plan := fmt.Sprintf("/api/v1/actions/%d", p.ID)
		for _, tc := range []struct {
			method, path string
			body         func() any
			want         map[string]int // by role; the rest of the roles expect "other"
		}{
			{"GET", "/api/v1/actions", nil, map[string]int{"hr": 200, "manager": 200, "other_manager": 200, "employee": 200, "outsider": 200, "hr_session": 200}},
			{"POST", "/api/v1/actions", func() any { return l.planBody() },
				map[string]int{"hr": 201, "manager": 201, "other_manager": 403, "employee": 403, "outsider": 403, "hr_session": 201}},
			{"GET", plan, nil, map[string]int{"hr": 200, "manager": 200, "other_manager": 404, "employee": 200, "outsider": 404, "hr_session": 200}},
			{"PATCH", plan, func() any { return map[string]any{"version": l.version(t, p.ID), "title": "Renamed"} },
				map[string]int{"hr": 200, "manager": 200, "other_manager": 404, "employee": 403, "outsider": 403, "hr_session": 200}},
			{"POST", plan + "/publish", nil, map[string]int{"hr": 200, "manager": 200, "other_manager": 404, "employee": 403, "outsider": 403, "hr_session": 200}},
			{"POST", plan + "/updates", func() any { return map[string]any{"text": "Going well"} },
				map[string]int{"hr": 201, "manager": 201, "other_manager": 404, "employee": 403, "outsider": 403, "hr_session": 201}},
			{"GET", plan + "/updates", nil, map[string]int{"hr": 200, "manager": 200, "other_manager": 404, "employee": 200, "outsider": 404, "hr_session": 200}},
			{"GET", plan + "/reactions", nil, map[string]int{"hr": 200, "manager": 200, "other_manager": 404, "employee": 200, "outsider": 404, "hr_session": 200}},
			// HR is in no team: the plan is not theirs to react to.
			{"PUT", plan + "/reaction", func() any { return map[string]any{"value": "helps"} },
				map[string]int{"hr": 404, "manager": 200, "other_manager": 404, "employee": 200, "outsider": 404, "hr_session": 404}},
			{"GET", plan + "/effect", nil, map[string]int{"hr": 200, "manager": 200, "other_manager": 404, "employee": 403, "outsider": 403, "hr_session": 200}},
		} {
			key := tc.method + " " + tc.path
			body := func() any {
				if tc.body == nil {
					return nil
				}
				return tc.body()
			}
			require.Equal(t, 401, l.do(tc.method, tc.path, "", body()).Status, "%s without a credential", key)
			require.Equal(t, 401, l.do(tc.method, tc.path, "pulse_notarealtoken", body()).Status, "%s with a bad one", key)
			for _, role := range roles {
				res := l.do(tc.method, tc.path, role.token, body())
				require.Equal(t, tc.want[role.name], res.Status, "%s as %s: %s", key, role.name, res.Body)
			}
		}
	})
}

func TestAnActionThroughTheAPIMarksTheTrend(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		bad := l.planBody()
		bad["title"], bad["due_on"] = "", "tomorrow"
		res := l.do("POST", "/api/v1/actions", l.managerToken, bad)
		require.Equal(t, 422, res.Status, string(res.Body))
		var fields []string
		for _, d := range res.err(t).Error.Details {
			fields = append(fields, d.Field)
		}
		require.ElementsMatch(t, []string{"title", "due_on"}, fields)

		open := l.planBody()
		l.now = l.now.Add(24 * time.Hour)
		open["round_id"] = l.sendRound(l.survey).ID
		require.Equal(t, 409, l.do("POST", "/api/v1/actions", l.managerToken, open).Status, "no action on an open round")

		p := l.plan(t, l.managerToken)
		again := l.planBody()
		again["title"] = fmt.Sprintf("Fewer meetings %d", l.made-1)
		require.Equal(t, 409, l.do("POST", "/api/v1/actions", l.managerToken, again).Status, "a create sent twice makes one plan")
		path := fmt.Sprintf("/api/v1/surveys/%d/results?team_id=%d", l.survey, l.team.ID)
		var before struct{ Actions []map[string]any }
		l.do("GET", path, l.managerToken, nil).data(t, &before)
		require.Empty(t, before.Actions, "an unpublished plan marks nothing")

		l.do("POST", fmt.Sprintf("/api/v1/actions/%d/publish", p.ID), l.managerToken, nil)
		res = l.do("POST", fmt.Sprintf("/api/v1/actions/%d/updates", p.ID), l.managerToken,
			map[string]any{"text": "Held", "status": "done", "version": 1})
		require.Equal(t, 409, res.Status, "publishing moved the version: %s", res.Body)
		res = l.do("POST", fmt.Sprintf("/api/v1/actions/%d/updates", p.ID), l.managerToken,
			map[string]any{"text": "Held", "status": "done"})
		require.Equal(t, 201, res.Status, string(res.Body))

		var after struct {
			Points  []map[string]any
			Actions []struct {
				Title       string
				PublishedAt *time.Time `json:"published_at"`
				DoneAt      *time.Time `json:"done_at"`
			}
		}
		l.do("GET", path, l.managerToken, nil).data(t, &after)
		require.Len(t, after.Actions, 1)
		require.Contains(t, after.Actions[0].Title, "Fewer meetings")
		require.NotNil(t, after.Actions[0].PublishedAt)
		require.NotNil(t, after.Actions[0].DoneAt)
		require.NotEmpty(t, after.Points, "the results themselves are unchanged")

		heat := fmt.Sprintf("/api/v1/surveys/%d/heatmap?group_by=month", l.survey)
		var grid struct {
			Actions []struct {
				TeamID *int64 `json:"team_id"`
				Title  string
			}
		}
		l.do("GET", heat, l.managerToken, nil).data(t, &grid)
		require.Len(t, grid.Actions, 1, "the heatmap marks the team's row")
		require.Equal(t, l.team.ID, *grid.Actions[0].TeamID)
		l.do("GET", heat, l.otherManagerToken, nil).data(t, &grid)
		require.Empty(t, grid.Actions, "another team's manager sees no mark of a team they do not lead")

		var listed []planView
		res = l.do("GET", fmt.Sprintf("/api/v1/actions?team_id=%d&status=done&limit=1", l.team.ID), l.employeeToken, nil)
		res.data(t, &listed)
		require.Len(t, listed, 1)
		require.Equal(t, 422, l.do("GET", "/api/v1/actions?status=finished", l.hrToken, nil).Status)
	})
}
