package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// pageOf is one page of a list as the API sends it.
type pageOf struct {
	Data       []map[string]any
	NextCursor *string `json:"next_cursor"`
}

// walk reads every page of path, limit rows at a time, and returns the ids
// in the order they came and how many pages it took.
func (b *bundle) walk(t *testing.T, path, token string, limit int) (ids []any, pages int) {
	t.Helper()
	sep := querySep(path)
	next := fmt.Sprintf("%s%slimit=%d", path, sep, limit)
	for pages = 1; ; pages++ {
		res := b.do("GET", next, token, nil)
		require.Equal(t, 200, res.Status, "%s: %s", next, res.Body)
		var p pageOf
		require.NoError(t, json.Unmarshal(res.Body, &p))
		require.LessOrEqual(t, len(p.Data), limit)
		for _, row := range p.Data {
			ids = append(ids, row["id"])
		}
		if p.NextCursor == nil {
			return ids, pages
		}
		require.Len(t, p.Data, limit, "only the last page is short")
		next = fmt.Sprintf("%s%slimit=%d&cursor=%s", path, sep, limit, *p.NextCursor)
	}
}

// querySep is what joins one more query parameter to path.
func querySep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// growingLists fills every list that can grow with at least three rows and
// returns each list's path with a viewer allowed to read it.
func growingLists(t *testing.T, b *bundle) map[string]string {
	t.Helper()
	sv, comments := commentingTeam(t, b)
	// Two people whose names differ only in case sort together; the id
	// breaks the tie, on both sides of a page boundary.
	for _, email := range []string{"zed.one@example.com", "zed.two@example.com"} {
		e := b.person(email, directory.RoleEmployee, &b.team.ID, &b.manager.ID)
		name := map[string]string{"zed.one@example.com": "Zed", "zed.two@example.com": "zed"}[email]
		require.Equal(t, 200, b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", e.ID), b.hrToken, map[string]any{"name": name}).Status)
	}
	for _, name := range []string{"Support", "support EMEA"} {
		require.Equal(t, 201, b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": name}).Status)
	}
	for i := range 3 {
		b.createSurvey(map[string]any{"title": fmt.Sprintf("Survey %d", i), "questions": []map[string]any{
			{"kind": "enps", "prompt": "Recommend us?"}}})
	}
	for range 2 {
		b.now = b.now.Add(24 * time.Hour)
		b.sendRound(sv.ID)
	}
	for i := range 2 {
		b.created(t, "/api/v1/tokens", b.hrToken, map[string]any{"name": fmt.Sprintf("script %d", i)})
	}
	var people []directory.Employee
	b.do("GET", fmt.Sprintf("/api/v1/employees?team_id=%d&limit=500", b.team.ID), b.hrToken, nil).data(t, &people)
	var series int64
	for _, p := range people {
		if p.ManagerID != nil && *p.ManagerID == b.manager.ID {
			id := b.created(t, "/api/v1/one-on-ones", b.managerToken, map[string]any{"report_id": p.ID})
			if p.ID == b.employee.ID {
				series = id
			}
		}
	}
	var meeting int64
	for _, at := range []string{"2026-12-03T09:00:00Z", "2026-12-01T09:00:00Z", "2026-12-02T09:00:00Z"} {
		meeting = b.meeting(t, series, at)
	}
	for i := range 3 {
		b.created(t, fmt.Sprintf("/api/v1/one-on-ones/meetings/%d/action-items", meeting), b.managerToken,
			map[string]any{"text": fmt.Sprintf("item %d", i), "owner_id": b.employee.ID})
	}
	open, _ := replyable(comments)
	for i := range 3 {
		b.created(t, "/api/v1/comments/"+open.ID+"/replies", b.managerToken, map[string]any{"body": fmt.Sprintf("reply %d", i)})
		b.now = b.now.Add(time.Minute)
	}
	return map[string]string{
		"/api/v1/employees":   b.hrToken,
		"/api/v1/teams":       b.employeeToken,
		"/api/v1/me/teams":    b.hrToken,
		"/api/v1/surveys":     b.managerToken,
		"/api/v1/tokens":      b.hrToken,
		"/api/v1/one-on-ones": b.managerToken,
		fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID):                         b.hrToken,
		fmt.Sprintf("/api/v1/surveys/%d/comments?team_id=%d", sv.ID, b.team.ID): b.managerToken,
		"/api/v1/comments/" + open.ID + "/replies":                              b.managerToken,
		fmt.Sprintf("/api/v1/one-on-ones/%d/meetings", series):                  b.employeeToken,
		fmt.Sprintf("/api/v1/one-on-ones/%d/action-items", series):              b.employeeToken,
	}
}

// Every list that can grow pages: walking it two rows at a time gives the
// same rows in the same order as one big page, each once.
func TestEveryGrowingListPages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		for path, token := range growingLists(t, b) {
			all, pages := b.walk(t, path, token, 500)
			require.Equal(t, 1, pages, path)
			require.GreaterOrEqual(t, len(all), 3, "%s needs rows on more than one page", path)
			paged, pages := b.walk(t, path, token, 2)
			require.Equal(t, all, paged, "%s: the pages hold every row once, in order", path)
			require.Equal(t, (len(all)+1)/2, pages, "%s: no empty last page", path)
		}
	})
}

// A bad limit or cursor is refused with the field named, on every list.
func TestEveryPagedListRefusesBadLimitsAndCursors(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	for path, token := range growingLists(t, b) {
		sep := querySep(path)
		for _, bad := range []string{"limit=0", "limit=501", "limit=ten"} {
			requireField(t, b.do("GET", path+sep+bad, token, nil), 0, "limit")
		}
		for _, bad := range []string{"abc", "eyJpZCI6LTF9", "eyJzIjoieCJ9"} {
			requireField(t, b.do("GET", path+sep+"cursor="+bad, token, nil), 0, "cursor")
		}
	}
}
