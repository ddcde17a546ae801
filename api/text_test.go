package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// problemsOf lists a 422's details as "field: reason" or "line field: reason".
func problemsOf(t *testing.T, res response) []string {
	t.Helper()
	require.Equal(t, 422, res.Status, string(res.Body))
	var out []string
	for _, d := range res.err(t).Error.Details {
		if d.Line > 0 {
			out = append(out, fmt.Sprintf("%d %s: %s", d.Line, d.Field, d.Reason))
		} else {
			out = append(out, d.Field+": "+d.Reason)
		}
	}
	return out
}

// A NUL byte or invalid UTF-8 in any JSON string is refused with the path
// of the field, on both databases: PostgreSQL answered 500 and SQLite kept
// the bytes raw. Bodies are written by hand, since encoding/json would
// repair the invalid bytes before they were sent.
func TestJSONTextADatabaseCannotKeepIsRefusedByPath(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		body := func(title, third string) []byte {
			return []byte(`{"title": "` + title + `", "questions": [{"kind": "enps", "prompt": "How likely?"},
				{"kind": "choice", "prompt": "Best?", "options": ["team", "cust` + third + `omers"]},
				{"kind": "text", "prompt": "Anything` + third + ` else?"}]}`)
		}
		for name, tc := range map[string]struct {
			path string
			body []byte
			want []string
		}{
			"NUL in a prompt and an option": {"/api/v1/surveys", body("Pulse", `\u0000`), []string{
				"questions[1].options[1]: holds a NUL byte, which text may not contain",
				"questions[2].prompt: holds a NUL byte, which text may not contain"}},
			"invalid UTF-8 in a title": {"/api/v1/surveys", body("Pul\xffse", ""), []string{
				"title: is not valid UTF-8"}},
			"invalid UTF-8 in a prompt": {"/api/v1/surveys", body("Pulse", "\xc3"), []string{
				"questions[1].options[1]: is not valid UTF-8", "questions[2].prompt: is not valid UTF-8"}},
			"NUL in a field name": {"/api/v1/surveys", []byte(`{"title": "T", "questions": [{"kind\u0000": "enps"}]}`), []string{
				"questions[0]: has a field name that holds a NUL byte, which text may not contain"}},
			"NUL in a team name":      {"/api/v1/teams", []byte(`{"name": "Sa\u0000les"}`), []string{"name: holds a NUL byte, which text may not contain"}},
			"invalid UTF-8 in a name": {"/api/v1/teams", []byte("{\"name\": \"Sa\xffles\"}"), []string{"name: is not valid UTF-8"}},
		} {
			res := b.raw("POST", tc.path, b.hrToken, "application/json", tc.body)
			require.Equal(t, tc.want, problemsOf(t, res), name)
		}
		var all []survey.Survey
		b.do("GET", "/api/v1/surveys", b.hrToken, nil).data(t, &all)
		require.Empty(t, all, "nothing refused was stored")

		sv := b.createSurvey(map[string]any{"title": "Café pulse", "questions": []map[string]any{
			{"kind": "enps", "prompt": "How likely?"}, {"kind": "text", "prompt": "Anything else?"}}})
		require.Equal(t, "Café pulse", sv.Title, "real accents are fine")
		round := b.sendRound(sv.ID)
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
		for _, comment := range []string{`More\u0000demos`, "More\xffdemos"} {
			body := fmt.Sprintf(`{"answers": [{"question_id": %d, "value": 9}, {"question_id": %d, "value": "%s"}]}`,
				sv.Questions[0].ID, sv.Questions[1].ID, comment)
			got := problemsOf(t, b.raw("POST", path, b.employeeToken, "application/json", []byte(body)))
			require.Len(t, got, 1)
			require.True(t, strings.HasPrefix(got[0], "answers[1].value: "), got[0])
		}
		var responses int64
		require.NoError(t, db.Gorm.Table("responses").Count(&responses).Error)
		require.Zero(t, responses, "a refused answer is not half-stored")
	})
}

// Every length limit counts characters, as its message says, not bytes:
// "é" is two bytes, so a limit in bytes refused half as much as promised.
func TestEveryLengthLimitCountsCharacters(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{
			{"kind": "enps", "prompt": "How likely?"}, {"kind": "text", "prompt": "Anything else?"}}})
		answerPath := fmt.Sprintf("/api/v1/rounds/%d/answers", b.sendRound(sv.ID).ID)
		_, comments := commentingTeam(t, b)
		open, _ := replyable(comments)
		_, meeting := b.oneOnOne(t)
		meetingPath := fmt.Sprintf("/api/v1/one-on-ones/meetings/%d", meeting)
		onlyQuestion := func(q map[string]any) map[string]any {
			return map[string]any{"title": "T", "questions": []map[string]any{q}}
		}
		n := 0
		for _, tc := range []struct {
			name  string
			limit int
			field string
			send  func(s string) response
		}{
			{"survey title", 200, "title", func(s string) response {
				return b.do("POST", "/api/v1/surveys", b.hrToken, map[string]any{"title": s, "questions": []map[string]any{{"kind": "enps", "prompt": "?"}}})
			}},
			{"question prompt", 500, "questions[0].prompt", func(s string) response {
				return b.do("POST", "/api/v1/surveys", b.hrToken, onlyQuestion(map[string]any{"kind": "enps", "prompt": s}))
			}},
			{"choice option", 100, "questions[0].options", func(s string) response {
				return b.do("POST", "/api/v1/surveys", b.hrToken, onlyQuestion(map[string]any{"kind": "choice", "prompt": "?", "options": []string{s, "b"}}))
			}},
			{"comment", survey.MaxCommentLength, "answers[1].value", func(s string) response {
				return b.do("POST", answerPath, b.employeeToken, answers(sv.Questions[0].ID, 9, sv.Questions[1].ID, s))
			}},
			{"team name", 100, "name", func(s string) response {
				return b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": s})
			}},
			{"employee name", 200, "name", func(s string) response {
				n++
				return b.do("POST", "/api/v1/employees", b.hrToken, map[string]any{"email": fmt.Sprintf("long%d@example.com", n), "name": s, "role": "employee"})
			}},
			{"team name in an employee import", 100, "team", func(s string) response {
				n++
				return b.do("POST", "/api/v1/employees/import", b.hrToken, fmt.Sprintf("email,name,team\nlong%d@example.com,Long,%s\n", n, s))
			}},
			{"token name", 100, "name", func(s string) response {
				return b.do("POST", "/api/v1/tokens", b.managerToken, map[string]any{"name": s})
			}},
			{"reply", 2000, "body", func(s string) response {
				return b.do("POST", "/api/v1/comments/"+open.ID+"/replies", b.managerToken, map[string]any{"body": s})
			}},
			{"meeting title", 200, "title", func(s string) response {
				return b.do("PATCH", meetingPath, b.managerToken, map[string]any{"title": s})
			}},
			{"agenda item", 500, "text", func(s string) response {
				return b.do("POST", meetingPath+"/agenda", b.managerToken, map[string]any{"text": s})
			}},
			{"note", 20000, "body", func(s string) response {
				return b.do("POST", meetingPath+"/notes", b.managerToken, map[string]any{"body": s, "visibility": "private"})
			}},
			{"action item", 500, "text", func(s string) response {
				return b.do("POST", meetingPath+"/action-items", b.managerToken, map[string]any{"text": s, "owner_id": b.employee.ID})
			}},
		} {
			res := tc.send(strings.Repeat("é", tc.limit))
			require.Contains(t, []int{200, 201}, res.Status, "%s of %d characters: %s", tc.name, tc.limit, res.Body)
			res = tc.send(strings.Repeat("é", tc.limit+1))
			var fields []string
			for _, d := range res.err(t).Error.Details {
				fields = append(fields, d.Field)
			}
			require.Equal(t, 422, res.Status, tc.name)
			require.Contains(t, fields, tc.field, tc.name)
		}
	})
}

// Every CSV import answers a broken quote or a cell no database can keep
// with a 422 naming the line, never a 500, and stores nothing.
func TestEveryCSVImportRefusesBrokenFilesByLine(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		headers := map[string]string{
			"/api/v1/employees/import":        "email,name",
			"/api/v1/sales/deals/import":      "external_id,owner_email,amount,created_at,outcome",
			"/api/v1/sales/activities/import": "external_id,owner_email,kind,occurred_at",
			"/api/v1/sales/leads/import":      "external_id,created_at",
			"/api/v1/sales/quotas/import":     "owner_email,period,amount",
			"/api/v1/sales/spend/import":      "period,sales_cost,marketing_cost",
		}
		for path, header := range headers {
			first, _, _ := strings.Cut(header, ",")
			for name, tc := range map[string]struct {
				body string
				want string
			}{
				"quote never closed": {header + "\n\"a@q.io,A\n", "2 : is not valid CSV"},
				"NUL in a cell":      {header + "\nok,x,x,x,x\nA\x00B,x,x,x,x\n", "3 " + first + ": column 1 holds a NUL byte"},
				"invalid UTF-8":      {header + "\nA\xffB,x,x,x,x\n", "2 " + first + ": column 1 is not valid UTF-8 (at byte 2)"},
			} {
				body := tc.body
				if n := strings.Count(header, ",") + 1; n < 5 {
					// As many cells as the header has.
					body = strings.ReplaceAll(body, strings.Repeat(",x", 4), strings.Repeat(",x", n-1))
				}
				got := problemsOf(t, b.do("POST", path, b.hrToken, body))
				require.NotEmpty(t, got, "%s %s", path, name)
				require.True(t, strings.HasPrefix(got[0], tc.want), "%s %s: %v", path, name, got)
			}
		}
		var people int64
		require.NoError(t, db.Gorm.Table("employees").Count(&people).Error)
		require.EqualValues(t, 4, people, "only the people of setup")
	})
}
