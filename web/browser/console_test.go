package browser_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// A pulse programme end to end, by clicking: HR signs in with a one-time
// link, creates a weekly survey for the Sales team and sees when it will
// go out, sends a round (the confirmation says how many it reaches), an
// employee answers on the web, HR closes the round, and the manager's
// trend, empty before, shows the round's eNPS. On the manager's heatmap
// the period is absent while the round is open; once it is closed, Sales
// shows its number and Sales Ops inside it, one answer of two people,
// stays "not enough answers".
func TestPulseProgrammeEndToEndInTheBrowser(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		salesTeam := s.team("Sales", nil)
		s.team("Engineering", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		manager := s.person("Maya Lead", directory.RoleManager, &salesTeam.ID, "Asia/Kuala_Lumpur")
		_, err := s.dir.UpdateTeam(t.Context(), salesTeam.ID, directory.TeamPatch{ManagerID: &manager.ID})
		require.NoError(t, err)
		rep := s.person("Rin Rep", directory.RoleEmployee, &salesTeam.ID, "Asia/Tokyo")
		var others []directory.Employee
		for i, zone := range []string{"Asia/Tokyo", "Asia/Tokyo", "America/New_York", ""} {
			others = append(others, s.person(fmt.Sprintf("Seller %d", i+1), directory.RoleEmployee, &salesTeam.ID, zone))
		}
		// A team of two inside Sales, which Maya leads with it.
		ops := s.team("Sales Ops", &salesTeam.ID)
		opsOne := s.person("Ops One", directory.RoleEmployee, &ops.ID, "Europe/London")
		s.person("Ops Two", directory.RoleEmployee, &ops.ID, "Europe/London")

		admin := s.signIn(hr)
		admin.click("#nav", "Survey setup")
		admin.waitText("#setup-body", "No surveys yet")
		admin.click("#view-setup", "New survey")
		admin.waitText("#setup-body", "5 questions of at most 10")
		admin.set("Title", "Weekly pulse")
		admin.check("Chosen teams (with their sub-teams)")
		admin.check("Sales")
		admin.waitText("#setup-body", "A round sent now would reach 8 people.")
		admin.set("How often", "weekly")
		admin.set("Weekday", "tuesday")
		admin.set("Local time", "10:30")
		admin.set("Time zone", "Europe/London")
		// The two zones most of Sales lives in: Tokyo (3) and one of the rest.
		admin.waitText(".preview-box", "Reaches someone in Asia/Tokyo (3)")
		admin.waitFor("five sends", `document.querySelectorAll(".preview-box tbody tr").length === 5`)
		// Tokyo gets it at 10:30 on its own clock, a Tuesday, as London does.
		admin.waitText(".preview-box tbody tr:first-child td", "Tue")
		admin.waitText(".preview-box tbody tr:first-child td", "10:30")
		admin.waitText(".preview-box tbody tr:first-child th", "10:30")
		require.Contains(t, admin.text(".preview-box thead"), "Round starts, your time (Europe/London)")
		admin.screenshot("survey-editor")
		admin.click("#setup-body", "Create survey")
		admin.waitText("#setup-status", "Saved \u201cWeekly pulse\u201d.")
		admin.waitText(".survey-card", "Every Tuesday at 10:30 (Europe/London)")
		require.Contains(t, admin.text(".survey-card .badge"), "Scheduled")

		lead := s.signIn(manager)
		lead.waitText("#results-body", "No rounds in this range yet.")
		require.NotContains(t, lead.text("#nav"), "Survey setup", "only HR sets surveys up")

		admin.click(".survey-card", "Send a round now")
		admin.waitText("dialog[open]", "goes to 8 people straight away")
		admin.screenshot("send-confirmation")
		admin.click("dialog[open]", "Send to 8 people")
		admin.waitText("#setup-status", "Round sent to 8 people")
		admin.screenshot("survey-setup")

		employee := s.signIn(rep)
		employee.waitText("#surveys-body", "Weekly pulse")
		tenOnTheScale := `document.querySelector('#surveys-body input[type=radio][value="10"]')`
		employee.waitFor("the eNPS buttons", tenOnTheScale+" !== null")
		employee.eval(tenOnTheScale + `.click(), ""`)
		employee.click("#surveys-body", "Send answers")
		employee.waitText("#surveys-body", "Thank you.")
		employee.screenshot("my-surveys")

		// Four more answer through the API, so the team reaches the
		// threshold, and one of Sales Ops.
		for i, score := range []int{10, 9, 8, 3} {
			s.answer(t, others[i], score)
		}
		s.answer(t, opsOne, 8)

		// While the round is open the heatmap has no period to show.
		lead.click("#nav", "Heatmap")
		lead.waitText("#heatmap-grid", "No survey has a closed round in this range yet.")
		require.NotContains(t, lead.text("#heatmap-grid"), "+", "no figure of an open round")
		lead.screenshot("manager-heatmap-open-round")

		admin.click("#nav", "Rounds")
		admin.waitText("#rounds-body", "Open")
		admin.click("#rounds-body", "Details")
		admin.click("#rounds-body", "Close now")
		admin.waitText("dialog[open]", "Nobody can answer or change answers afterwards")
		admin.click("dialog[open]", "Close the round")
		admin.waitText("#rounds-status", "Round closed.")
		admin.waitText("#rounds-body", "Closed")
		admin.screenshot("rounds")

		// Sales with Sales Ops: promoters 10, 10, 9, passives 8, 8 and one
		// detractor of six: eNPS +33.
		lead.click("#nav", "Results")
		lead.do(chromedp.Reload())
		lead.waitText("#results-body .stat-value", "+33")
		require.Contains(t, lead.text("#results-body .stat-note"), "6 answers")
		lead.screenshot("manager-results")

		lead.click("#nav", "Heatmap")
		lead.waitText("#heatmap-grid td.heat", "+33")
		shown, title := lead.heatCell("Sales")
		require.Equal(t, "+33", shown)
		require.Contains(t, title, "n = 6")
		shown, title = lead.heatCell("Sales Ops")
		require.Equal(t, "not enough answers", shown, "one answer of a team of two")
		require.Contains(t, title, "Sales Ops")
		require.NotContains(t, title, "n =", "no count of a suppressed cell")
		// The table view, for screen readers and phones, says the same.
		lead.eval(`document.querySelector("#heatmap-grid details.heat-table").open = true, ""`)
		row := func(team string) string {
			return lead.eval(fmt.Sprintf(`[...document.querySelectorAll("#heatmap-grid details.heat-table tbody tr")]
				.filter((tr) => tr.querySelector("th").innerText.trim() === %q).map((tr) => [...tr.querySelectorAll("td")].slice(1).map((td) => td.innerText).join(" ")).join("\n")`, team))
		}
		require.Contains(t, row("Sales"), "+33.3")
		require.Contains(t, row("Sales Ops"), "not enough answers")
		require.NotRegexp(t, `\d`, row("Sales Ops"), "no figure beside a suppressed team")
		require.NotContains(t, lead.text("#heatmap-grid"), "Engineering", "a team Maya does not lead")
		lead.screenshot("manager-heatmap")
	})
}

// openRound is the round rep was asked in, as the API shows it to them.
func (s *site) openRound(t *testing.T, e directory.Employee) survey.AssignedRound {
	var rounds []survey.AssignedRound
	s.call(t, e, http.MethodGet, "/api/v1/me/rounds", nil, &rounds)
	require.Len(t, rounds, 1)
	return rounds[0]
}

// answer gives e's eNPS score to the open round through the API, as a tap
// in Slack would.
func (s *site) answer(t *testing.T, e directory.Employee, score int) {
	round := s.openRound(t, e)
	body := map[string]any{"answers": []survey.AnswerInput{{QuestionID: round.Questions[0].ID, Value: score}}}
	s.call(t, e, http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), body, nil)
}

func (s *site) call(t *testing.T, e directory.Employee, method, path string, body, out any) {
	t.Helper()
	secret, _, err := s.tokens.Create(t.Context(), e.ID, "browser test")
	require.NoError(t, err)
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), method, s.url+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+secret)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Less(t, res.StatusCode, 300, "%s %s", method, path)
	if out != nil {
		require.NoError(t, json.NewDecoder(res.Body).Decode(&struct{ Data any }{out}))
	}
}

// heatCell is what the heatmap shows on screen in the first period of
// team's row (not the text kept for screen readers), and its tooltip.
func (tb *tab) heatCell(team string) (shown, title string) {
	tb.s.t.Helper()
	td := fmt.Sprintf(`[...document.querySelectorAll("#heatmap-grid table.heatmap tbody tr")]
		.find((tr) => tr.querySelector("th").innerText.trim() === %q).querySelector("td")`, team)
	shown = tb.eval(`(() => { const td = ` + td + `; return (td.querySelector("[aria-hidden=true]") || td).innerText.trim(); })()`)
	return shown, tb.eval(td + `.title`)
}
