package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// differencingOrg is Sales (led by the bundle's manager) with six direct
// members and a sub-team, Sales West, of five; k is 5.
type differencingOrg struct {
	b      *bundle
	sv     survey.Survey
	round  survey.RoundStatus
	west   directory.Team
	direct []directory.Employee
	westP  []directory.Employee
}

func newDifferencingOrg(t *testing.T, db *database.DB) *differencingOrg {
	b := setup(t, db)
	o := &differencingOrg{b: b}
	var err error
	o.west, err = b.dir.CreateTeam(t.Context(), directory.TeamInput{Name: "Sales West", ParentID: &b.team.ID})
	require.NoError(t, err)
	o.direct = []directory.Employee{b.manager, b.employee}
	for i := range 4 {
		o.direct = append(o.direct, b.person(fmt.Sprintf("rep%d@example.com", i), directory.RoleEmployee, &b.team.ID, &b.manager.ID))
	}
	for i := range 5 {
		o.westP = append(o.westP, b.person(fmt.Sprintf("west%d@example.com", i), directory.RoleEmployee, &o.west.ID, &b.manager.ID))
	}
	o.sv = b.createSurvey(weeklyPulse)
	o.round = b.sendRound(o.sv.ID)
	return o
}

func (o *differencingOrg) answer(e directory.Employee, enps int) {
	o.b.t.Helper()
	qs := o.sv.Questions
	body := answers(qs[0].ID, enps, qs[3].ID, enps > 6, qs[4].ID, fmt.Sprintf("comment scored %d", enps))
	res := o.b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", o.round.ID), o.b.token(e), body)
	require.Equal(o.b.t, 200, res.Status, string(res.Body))
}

// surfaces is every response a viewer can read about a group (0: org-wide):
// results by round and by month, the CSV, the comments, and for HR the round.
func (o *differencingOrg) surfaces(token string, team int64) map[string]string {
	o.b.t.Helper()
	q := ""
	if team != 0 {
		q = fmt.Sprintf("team_id=%d&", team)
	}
	paths := map[string]string{
		"results":          fmt.Sprintf("/api/v1/surveys/%d/results?%sgroup_by=round", o.sv.ID, q),
		"results by month": fmt.Sprintf("/api/v1/surveys/%d/results?%sgroup_by=month", o.sv.ID, q),
		"csv":              fmt.Sprintf("/api/v1/surveys/%d/results.csv?%sgroup_by=round", o.sv.ID, q),
		"comments":         fmt.Sprintf("/api/v1/surveys/%d/comments?%s", o.sv.ID, q),
	}
	if token == o.b.hrToken {
		paths["round"] = fmt.Sprintf("/api/v1/rounds/%d", o.round.ID)
		paths["rounds"] = fmt.Sprintf("/api/v1/surveys/%d/rounds", o.sv.ID)
	}
	out := map[string]string{}
	for name, path := range paths {
		res := o.b.do("GET", path, token, nil)
		require.Equal(o.b.t, 200, res.Status, "%s: %s", name, res.Body)
		out[name] = string(res.Body)
	}
	return out
}

// Attack 1: a manager reads Sales while Sales West is below k (so only
// Sales is shown), waits until West crosses k, reads both again, and
// subtracts: Sales then minus Sales now, or West now minus (Sales now minus
// Sales then), isolates the one West person who answered last.
func TestAManagerLearnsNothingByReadingAParentThenItsSubTeam(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newDifferencingOrg(t, db)
		b := o.b
		for i, e := range o.direct {
			o.answer(e, 9+i%2)
		}
		for _, e := range o.westP[:4] {
			o.answer(e, 9)
		}
		before := map[string]map[string]string{"Sales": o.surfaces(b.managerToken, b.team.ID), "West": o.surfaces(b.managerToken, o.west.ID)}

		o.answer(o.westP[4], 1) // the fifth West answer: West crosses k
		after := map[string]map[string]string{"Sales": o.surfaces(b.managerToken, b.team.ID), "West": o.surfaces(b.managerToken, o.west.ID)}
		require.Equal(t, before, after, "while the round is open two reads differ in nothing")

		// Once closed, the figures exist, and never change again.
		require.Equal(t, 200, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", o.round.ID), b.hrToken, nil).Status)
		sales := b.trend(b.managerToken, o.sv.ID, fmt.Sprintf("team_id=%d&group_by=round", b.team.ID))
		require.Len(t, sales.Points, 1)
		require.False(t, sales.Points[0].Suppressed)
		require.Equal(t, 11, *sales.Points[0].N)
		closed := o.surfaces(b.managerToken, o.west.ID)
		require.NotEqual(t, after["West"], closed)
		require.Equal(t, closed, o.surfaces(b.managerToken, o.west.ID), "a closed round's figures never change")
	})
}

// Attack 2: HR reads Sales on every surface, watches one known person answer
// (asks them, or sees them tap), and reads again: any difference is that
// person's answer.
func TestHRLearnsNothingByReadingATeamBeforeAndAfterOnePersonAnswers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newDifferencingOrg(t, db)
		b := o.b
		for i, e := range o.direct[:3] {
			o.answer(e, 8+i)
		}
		before := map[string]map[string]string{"org": o.surfaces(b.hrToken, 0), "Sales": o.surfaces(b.hrToken, b.team.ID)}
		o.answer(o.direct[3], 2) // the known person
		after := map[string]map[string]string{"org": o.surfaces(b.hrToken, 0), "Sales": o.surfaces(b.hrToken, b.team.ID)}
		require.Equal(t, before, after, "while the round is open two reads differ in nothing")

		var status survey.RoundStatus
		b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", o.round.ID), b.hrToken, nil).data(t, &status)
		require.Equal(t, "open", status.Status)
		require.Nil(t, status.Answered, "no count of answers while open")
		require.Nil(t, status.Participation, "four answers are below k")
	})
}
