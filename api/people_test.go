package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

func emails(people []directory.Employee) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = p.Email
	}
	return out
}

func TestEmployeesAreScopedByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var people []directory.Employee
		b.do("GET", "/api/v1/employees", b.hrToken, nil).data(t, &people)
		require.ElementsMatch(t, []string{"hr@example.com", "boss@example.com", "rep@example.com", "dev@example.com"}, emails(people))

		b.do("GET", "/api/v1/employees", b.managerToken, nil).data(t, &people)
		require.ElementsMatch(t, []string{"boss@example.com", "rep@example.com"}, emails(people))

		b.do("GET", "/api/v1/employees", b.employeeToken, nil).data(t, &people)
		require.Equal(t, []string{"rep@example.com"}, emails(people))

		require.Equal(t, 200, b.do("GET", fmt.Sprintf("/api/v1/employees/%d", b.employee.ID), b.managerToken, nil).Status)
		res := b.do("GET", fmt.Sprintf("/api/v1/employees/%d", b.outsider.ID), b.managerToken, nil)
		require.Equal(t, 404, res.Status, "outside the manager's teams looks like nobody")
		require.Equal(t, 404, b.do("GET", fmt.Sprintf("/api/v1/employees/%d", b.manager.ID), b.employeeToken, nil).Status)

		b.do("GET", fmt.Sprintf("/api/v1/employees?team_id=%d", b.other.ID), b.hrToken, nil).data(t, &people)
		require.Equal(t, []string{"dev@example.com"}, emails(people))
	})
}

func TestManagerSeesSubTeams(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var sub directory.Team
		res := b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": "Sales APAC", "parent_id": b.team.ID})
		require.Equal(t, 201, res.Status, string(res.Body))
		res.data(t, &sub)
		res = b.do("POST", "/api/v1/employees", b.hrToken, map[string]any{"email": "Apac.Rep@Example.com", "name": "APAC Rep", "team_id": sub.ID})
		require.Equal(t, 201, res.Status, string(res.Body))
		var people []directory.Employee
		b.do("GET", "/api/v1/employees", b.managerToken, nil).data(t, &people)
		require.Contains(t, emails(people), "apac.rep@example.com", "emails are stored lowercased")
	})
}

func TestMyTeamsAreTheTeamsIMayQuery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var sub directory.Team
		res := b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": "Sales APAC", "parent_id": b.team.ID})
		require.Equal(t, 201, res.Status, string(res.Body))
		res.data(t, &sub)
		names := func(token string) []string {
			res := b.do("GET", "/api/v1/me/teams", token, nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			teams := []directory.Team{}
			res.data(t, &teams)
			out := []string{}
			for _, team := range teams {
				out = append(out, team.Name)
				query := fmt.Sprintf("/api/v1/surveys/999999/results?team_id=%d", team.ID)
				require.NotEqual(t, 403, b.do("GET", query, token, nil).Status, "%s may be queried", team.Name)
			}
			return out
		}
		require.ElementsMatch(t, []string{"Sales", "Sales APAC", "Engineering"}, names(b.hrToken))
		require.ElementsMatch(t, []string{"Sales", "Sales APAC"}, names(b.managerToken), "led teams and their sub-teams")
		query := fmt.Sprintf("/api/v1/surveys/999999/results?team_id=%d", b.other.ID)
		require.Equal(t, 403, b.do("GET", query, b.managerToken, nil).Status, "a team left out is one the manager may not query")
		res = b.do("GET", "/api/v1/me/teams", b.employeeToken, nil)
		require.JSONEq(t, `{"data": [], "next_cursor": null}`, string(res.Body), "an employee queries no team, and gets a list, not null")
	})
}

func TestEmployeeValidationNamesEveryField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("POST", "/api/v1/employees", b.hrToken, map[string]any{
			"email": "not-an-email", "name": "", "role": "boss", "timezone": "Mars/Olympus", "locale": "fr", "team_id": 9999,
		})
		require.Equal(t, 422, res.Status)
		e := res.err(t)
		require.Equal(t, "invalid", e.Error.Code)
		var fields []string
		for _, d := range e.Error.Details {
			fields = append(fields, d.Field)
		}
		require.ElementsMatch(t, []string{"email", "name", "role", "timezone", "locale", "team_id"}, fields)

		res = b.do("POST", "/api/v1/employees", b.hrToken, map[string]any{"email": "x@example.com", "name": "X", "team": "Sales"})
		require.Equal(t, 422, res.Status)
		require.Equal(t, "team", res.err(t).Error.Details[0].Field, "unknown fields are refused, not ignored")

		res = b.do("POST", "/api/v1/employees", b.hrToken, map[string]any{"email": "x@example.com", "name": 7})
		require.Equal(t, 422, res.Status)
		require.Equal(t, "name", res.err(t).Error.Details[0].Field)

		res = b.raw("POST", "/api/v1/employees", b.hrToken, "application/json", []byte(`{"email": `))
		require.Equal(t, 422, res.Status)
	})
}

func TestEmailsAreUniqueIgnoringCase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("POST", "/api/v1/employees", b.hrToken, map[string]any{"email": "REP@example.com", "name": "Copy"})
		require.Equal(t, 409, res.Status, string(res.Body))
		require.Contains(t, res.err(t).Error.Message, "rep@example.com")
	})
}

func TestUpdateEmployeeRefusesManagerLoops(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.manager.ID), b.hrToken, map[string]any{"manager_id": b.employee.ID})
		require.Equal(t, 422, res.Status, string(res.Body))
		require.Equal(t, "manager_id", res.err(t).Error.Details[0].Field)

		res = b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.employee.ID), b.hrToken, map[string]any{"timezone": "Asia/Tokyo", "manager_id": 0})
		require.Equal(t, 200, res.Status, string(res.Body))
		var e directory.Employee
		res.data(t, &e)
		require.Equal(t, "Asia/Tokyo", e.Timezone)
		require.Nil(t, e.ManagerID, "0 clears the manager")
	})
}

func TestTeamsFormATree(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var child directory.Team
		b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": "Inside Sales", "parent_id": b.team.ID}).data(t, &child)

		res := b.do("PATCH", fmt.Sprintf("/api/v1/teams/%d", b.team.ID), b.hrToken, map[string]any{"parent_id": child.ID})
		require.Equal(t, 422, res.Status, "a team cannot sit under its own child")
		require.Equal(t, "parent_id", res.err(t).Error.Details[0].Field)

		res = b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": "sales"})
		require.Equal(t, 409, res.Status, "team names are unique ignoring case")

		res = b.do("POST", fmt.Sprintf("/api/v1/teams/%d/deactivate", b.team.ID), b.hrToken, nil)
		require.Equal(t, 409, res.Status, "a team with members stays active")

		res = b.do("POST", fmt.Sprintf("/api/v1/teams/%d/deactivate", child.ID), b.hrToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		var teams []directory.Team
		b.do("GET", "/api/v1/teams", b.employeeToken, nil).data(t, &teams)
		require.Len(t, teams, 3)
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		bad := strings.Join([]string{
			"email,name,team,manager_email,role,timezone,locale",
			"new.one@example.com,New One,Sales,boss@example.com,employee,Europe/Berlin,en",
			"broken,Broken,Sales,,employee,,en",
			"two@example.com,,Sales,nobody@example.com,chief,Moon/Base,xx",
			"NEW.ONE@example.com,Again,Sales,,,,",
		}, "\n")
		res := b.do("POST", "/api/v1/employees/import", b.hrToken, bad)
		require.Equal(t, 422, res.Status, string(res.Body))
		lines := map[int][]string{}
		for _, d := range res.err(t).Error.Details {
			lines[d.Line] = append(lines[d.Line], d.Field)
		}
		require.Equal(t, []string{"email"}, lines[3])
		require.ElementsMatch(t, []string{"name", "role", "timezone", "locale", "manager_email"}, lines[4])
		require.Equal(t, []string{"email"}, lines[5], "duplicate email in the file")
		var people []directory.Employee
		b.do("GET", "/api/v1/employees", b.hrToken, nil).data(t, &people)
		require.Len(t, people, 4, "nothing was imported")

		good := strings.Join([]string{
			"name,email,team,manager_email,role",
			"Lead,lead@example.com,Field Sales,,manager",
			"Rep Renamed,REP@example.com,Field Sales,lead@example.com,",
			"Follower,follower@example.com,field sales,lead@example.com,employee",
		}, "\r\n")
		res = b.do("POST", "/api/v1/employees/import", b.hrToken, good)
		require.Equal(t, 200, res.Status, string(res.Body))
		var result directory.ImportResult
		res.data(t, &result)
		require.Equal(t, directory.ImportResult{Created: 2, Updated: 1, TeamsCreated: []string{"Field Sales"}}, result)

		b.do("GET", fmt.Sprintf("/api/v1/employees/%d", b.employee.ID), b.hrToken, nil).data(t, &people[0])
		rep := people[0]
		require.Equal(t, "Rep Renamed", rep.Name)
		require.Equal(t, directory.RoleEmployee, rep.Role, "an empty cell keeps the old value")

		res = b.do("POST", "/api/v1/employees/import", b.hrToken, good)
		res.data(t, &result)
		require.Equal(t, directory.ImportResult{Unchanged: 3}, result, "importing the same file again changes nothing")
	})
}

func TestImportRefusesManagerLoopsAndBadHeaders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		loop := "email,name,manager_email\na@example.com,A,b@example.com\nb@example.com,B,a@example.com\n"
		res := b.do("POST", "/api/v1/employees/import", b.hrToken, loop)
		require.Equal(t, 422, res.Status, string(res.Body))
		require.Equal(t, "manager_email", res.err(t).Error.Details[0].Field)
		var people []directory.Employee
		b.do("GET", "/api/v1/employees", b.hrToken, nil).data(t, &people)
		require.Len(t, people, 4)

		res = b.do("POST", "/api/v1/employees/import", b.hrToken, "mail,name\nx@example.com,X\n")
		require.Equal(t, 422, res.Status)
		require.Contains(t, string(res.Body), "unknown column")

		res = b.raw("POST", "/api/v1/employees/import", b.hrToken, "application/json", []byte(`{}`))
		require.Equal(t, 415, res.Status)
	})
}

// Anyone opts into the digest: a manager's summarises their teams, and an
// employee's lists their own open 1:1 action items and overdue plans.
func TestEveryoneOptsIntoTheDigest(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("PATCH", "/api/v1/me/preferences", b.employeeToken, map[string]bool{"weekly_digest": true})
		require.Equal(t, 200, res.Status, string(res.Body))
		var employee directory.Employee
		b.do("GET", "/api/v1/me", b.employeeToken, nil).data(t, &employee)
		require.True(t, employee.WeeklyDigest)
		res = b.do("PATCH", "/api/v1/me/preferences", b.employeeToken, map[string]string{"weekly_digest": "yes"})
		require.Equal(t, 422, res.Status, "not a boolean")
		res = b.do("PATCH", "/api/v1/me/preferences", b.managerToken, map[string]bool{"weekly_digest": true})
		require.Equal(t, 200, res.Status, string(res.Body))
		var me directory.Employee
		b.do("GET", "/api/v1/me", b.managerToken, nil).data(t, &me)
		require.True(t, me.WeeklyDigest)
	})
}

func TestEveryoneSetsTheirOwnLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("PATCH", "/api/v1/me/preferences", b.employeeToken, map[string]string{"locale": "fr"})
		require.Equal(t, 422, res.Status)
		require.Equal(t, "locale", res.err(t).Error.Details[0].Field)
		res = b.do("PATCH", "/api/v1/me/preferences", b.employeeToken, map[string]string{"locale": "ms"})
		require.Equal(t, 200, res.Status, string(res.Body))
		var me, other directory.Employee
		b.do("GET", "/api/v1/me", b.employeeToken, nil).data(t, &me)
		require.Equal(t, "ms", me.Locale)
		// Only the caller's own language changed, and nothing else of theirs.
		b.do("GET", "/api/v1/me", b.managerToken, nil).data(t, &other)
		require.Equal(t, "en", other.Locale)
		require.False(t, me.WeeklyDigest)
	})
}
