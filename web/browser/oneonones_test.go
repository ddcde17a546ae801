package browser_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// raw calls the API as e and returns the status and the body as sent,
// whatever the status.
func (s *site) raw(t *testing.T, e directory.Employee, method, path string, body any) (int, string) {
	t.Helper()
	secret, _, err := s.tokens.Create(t.Context(), e.ID, "browser test")
	require.NoError(t, err)
	var in io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		in = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, s.url+path, in)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(out)
}

// A private 1:1 note stays its author's, by clicking: the manager starts a
// 1:1 with a report, schedules a meeting and writes a private note and a
// shared one. The report sees the shared note and nothing of the private
// one, not even that it exists. HR, who never reads 1:1 contents
// (PRODUCT.md, roles and section 5), sees no 1:1 at all, and its address
// answers "not found". The API answers each of them the same way.
func TestPrivateOneOnOneNoteByClicking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		salesTeam := s.team("Sales", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		manager := s.person("Maya Lead", directory.RoleManager, &salesTeam.ID, "Europe/London")
		_, err := s.dir.UpdateTeam(t.Context(), salesTeam.ID, directory.TeamPatch{ManagerID: &manager.ID})
		require.NoError(t, err)
		rep, err := s.dir.CreateEmployee(t.Context(), directory.EmployeeInput{Email: "rin.rep@example.com", Name: "Rin Rep",
			Role: directory.RoleEmployee, TeamID: &salesTeam.ID, ManagerID: &manager.ID, Timezone: "Europe/London"})
		require.NoError(t, err)
		const private = "Rin seems tired; ask about the workload quietly"
		const shared = "Agreed: Rin leads the Q1 pipeline review"

		lead := s.signIn(manager)
		lead.click("#nav", "One-on-ones")
		lead.waitText("#one-on-ones-body", "Start a 1:1")
		lead.set("With", fmt.Sprint(rep.ID))
		lead.click("#one-on-ones-body", "Start the 1:1")
		lead.waitText("#one-on-ones-body h3", "1:1 with Rin Rep")
		require.Contains(t, lead.text("#one-on-ones-body .meta"), "only you and Rin Rep can see this")
		// The series repeats on Tuesdays at 10:00: a blank time takes the next one.
		lead.click("#one-on-ones-body", "Schedule")
		lead.waitText("#one-on-ones-status", "Scheduled for")
		lead.screenshot("one-on-one-series")
		meetingLink := `document.querySelector('#one-on-ones-body a[href^="#one-on-ones/meetings/"]')`
		lead.waitFor("the meeting's link", meetingLink+" !== null")
		lead.eval(meetingLink + `.click(), ""`)
		lead.waitText("#one-on-ones-body h3", "1:1 with Rin Rep")
		lead.waitText("#one-on-ones-body", "No notes yet.")
		meetingID := strings.TrimPrefix(lead.eval(`location.hash`), "#one-on-ones/meetings/")
		require.Regexp(t, `^\d+$`, meetingID)

		lead.set("Write a note", private) // private is the default
		lead.click("#one-on-ones-body", "Add note")
		lead.waitText("#one-on-ones-body .notes", private)
		lead.set("Write a note", shared)
		lead.check("Shared with Rin Rep")
		lead.click("#one-on-ones-body", "Add note")
		lead.waitText("#one-on-ones-body .notes", shared)
		require.Equal(t, "1", lead.eval(`String(document.querySelectorAll("#one-on-ones-body .notes li.note.private").length)`))
		require.Contains(t, lead.text("#one-on-ones-body .notes li.note.private"), "Private \u2014 only you can read this")
		require.Contains(t, lead.text("#one-on-ones-body .notes li.note.shared"), "Shared with Rin Rep")
		lead.screenshot("one-on-one-meeting")

		// The report opens the meeting from their list.
		report := s.signIn(rep)
		report.click("#nav", "One-on-ones")
		report.waitText("#one-on-ones-body", "Maya Lead")
		require.Contains(t, report.text("#one-on-ones-body"), "your manager")
		report.screenshot("one-on-ones-report")
		report.eval(meetingLink + `.click(), ""`)
		report.waitText("#one-on-ones-body .notes", shared)
		require.Equal(t, "1", report.eval(`String(document.querySelectorAll("#one-on-ones-body .notes li").length)`),
			"one note listed: the private one leaves no empty or sealed entry")
		require.NotContains(t, report.eval(`document.documentElement.outerHTML`), private)
		require.NotContains(t, report.text("#one-on-ones-body .notes"), "Private")
		require.NotContains(t, report.text("#one-on-ones-body .notes"), "sealed")
		require.Contains(t, report.text("#one-on-ones-body .notes"), "Maya Lead")
		report.screenshot("one-on-one-meeting-report")

		var detail struct {
			Notes []struct {
				ID   int64  `json:"id"`
				Body string `json:"body"`
			} `json:"notes"`
		}
		status, body := s.raw(t, manager, http.MethodGet, "/api/v1/one-on-ones/meetings/"+meetingID, nil)
		require.Equal(t, http.StatusOK, status)
		require.NoError(t, json.Unmarshal([]byte(body), &struct{ Data any }{&detail}))
		require.Len(t, detail.Notes, 2)
		var privateID int64
		for _, n := range detail.Notes {
			if n.Body == private {
				privateID = n.ID
			}
		}
		require.NotZero(t, privateID)

		status, body = s.raw(t, rep, http.MethodGet, "/api/v1/one-on-ones/meetings/"+meetingID, nil)
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, body, shared)
		require.NotContains(t, body, private)
		detail.Notes = nil
		require.NoError(t, json.Unmarshal([]byte(body), &struct{ Data any }{&detail}))
		require.Len(t, detail.Notes, 1, "only the shared note, no placeholder for the private one")
		require.Equal(t, shared, detail.Notes[0].Body)

		// HR: no 1:1 listed, and the meeting's address is not found.
		admin := s.signIn(hr)
		admin.click("#nav", "One-on-ones")
		admin.waitText("#one-on-ones-body", "You have no one-on-ones yet.")
		require.NotContains(t, admin.text("#view-one-on-ones"), "Rin Rep")
		require.NotContains(t, admin.text("#view-one-on-ones"), "Maya Lead")
		admin.screenshot("one-on-ones-hr")
		admin.eval(`location.hash = "#one-on-ones/meetings/` + meetingID + `", ""`)
		admin.waitText("#one-on-ones-error", "This one-on-one could not be found.")
		page := admin.eval(`document.documentElement.outerHTML`)
		require.NotContains(t, page, private)
		require.NotContains(t, page, shared)
		admin.screenshot("one-on-one-hr-not-found")

		// Every way in through the API: the list is empty, the rest 404,
		// and no answer carries either text.
		status, body = s.raw(t, hr, http.MethodGet, "/api/v1/one-on-ones", nil)
		require.Equal(t, http.StatusOK, status)
		require.JSONEq(t, `[]`, string(mustData(t, body)))
		var series []struct {
			ID int64 `json:"id"`
		}
		s.call(t, manager, http.MethodGet, "/api/v1/one-on-ones", nil, &series)
		require.Len(t, series, 1)
		seriesPath := fmt.Sprintf("/api/v1/one-on-ones/%d", series[0].ID)
		for _, probe := range []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "/api/v1/one-on-ones/meetings/" + meetingID, nil},
			{http.MethodGet, seriesPath, nil},
			{http.MethodGet, seriesPath + "/meetings", nil},
			{http.MethodGet, seriesPath + "/action-items", nil},
			{http.MethodPatch, fmt.Sprintf("/api/v1/one-on-ones/notes/%d", privateID), map[string]any{"visibility": "shared"}},
		} {
			status, body := s.raw(t, hr, probe.method, probe.path, probe.body)
			require.Equal(t, http.StatusNotFound, status, "HR: %s %s", probe.method, probe.path)
			require.NotContains(t, body, private)
			require.NotContains(t, body, shared)
		}
		// The report cannot turn the manager's private note into a shared one.
		status, body = s.raw(t, rep, http.MethodPatch, fmt.Sprintf("/api/v1/one-on-ones/notes/%d", privateID), map[string]any{"visibility": "shared"})
		require.Equal(t, http.StatusNotFound, status)
		require.NotContains(t, body, private)
		status, body = s.raw(t, rep, http.MethodGet, "/api/v1/one-on-ones/meetings/"+meetingID, nil)
		require.Equal(t, http.StatusOK, status)
		require.NotContains(t, body, private, "still private after the attempts")
	})
}

// mustData is the data field of an API answer.
func mustData(t *testing.T, body string) json.RawMessage {
	t.Helper()
	var out struct {
		Data json.RawMessage `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out), body)
	return out.Data
}
