package browser_test

import (
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

// With Slack off, a manager's reply says it waits on the dashboard, and the
// author reads it under My surveys and answers back there, in Malay too,
// on a phone.
func TestRepliesReachAnAuthorOnTheWeb(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		sales := s.team("Sales", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		manager := s.person("Maya Lead", directory.RoleManager, &sales.ID, "Asia/Kuala_Lumpur")
		_, err := s.dir.UpdateTeam(t.Context(), sales.ID, directory.TeamPatch{ManagerID: &manager.ID})
		require.NoError(t, err)
		rep := s.person("Rin Rep", directory.RoleEmployee, &sales.ID, "Asia/Kuala_Lumpur")
		team := []directory.Employee{rep}
		for i := range 3 {
			team = append(team, s.person(fmt.Sprintf("Seller %d", i+1), directory.RoleEmployee, &sales.ID, ""))
		}
		s.call(t, hr, http.MethodPut, "/api/v1/settings/anonymity", map[string]int{"min_respondents": 3, "min_comment_respondents": 3}, nil)
		var sv survey.Survey
		s.call(t, hr, http.MethodPost, "/api/v1/surveys", map[string]any{"title": "Pulse", "audience": map[string]any{"team_ids": []int64{sales.ID}},
			"questions": []map[string]any{{"kind": "enps", "prompt": "Recommend us?"}, {"kind": "text", "prompt": "Anything else?"}}}, &sv)
		var round survey.Round
		s.call(t, hr, http.MethodPost, fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID), nil, &round)
		for i, e := range team {
			body := map[string]any{"answers": []map[string]any{{"question_id": sv.Questions[0].ID, "value": 8},
				{"question_id": sv.Questions[1].ID, "value": fmt.Sprintf("Comment number %d", i)}}}
			if e.ID == rep.ID {
				body["answers"].([]map[string]any)[1]["value"] = "Quotas went up again without warning"
				body["allow_replies"] = true
			}
			s.call(t, e, http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), body, nil)
		}
		s.call(t, hr, http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), nil, nil)

		lead := s.signIn(manager)
		lead.waitText("#comments-body", "Quotas went up again without warning")
		lead.click("#comments-body", "Reply")
		lead.set("Your reply", "Which quotas do you mean?")
		lead.click("#comments-body", "Send reply")
		lead.waitText("#comments-body .replies", "Which quotas do you mean?")
		lead.waitText("#comments-body", "Slack is switched off on this Pulse")

		author := s.signIn(rep)
		author.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		author.waitText("#surveys-body", "Replies to my comments")
		author.waitText(".my-replies", "Quotas went up again without warning")
		author.waitText(".my-replies", "Maya Lead")
		author.waitText(".my-replies", "Which quotas do you mean?")
		author.set("Your answer (sent without your name)", "The sales targets for March.")
		author.click(".my-replies", "Send answer")
		author.waitText(".my-replies .replies", "The sales targets for March.")
		author.waitText(".my-replies", "managers read it here in the dashboard")
		require.LessOrEqual(t, author.pageWidth(), 390, "My surveys scrolls sideways on a phone")
		author.screenshot("phone-my-replies")

		// Nobody else in the team has anything to read.
		other := s.signIn(team[1])
		other.waitText("#surveys-body", "no open surveys")
		require.NotContains(t, other.text("#surveys-body"), "Replies to my comments")

		author.set("Language", "ms")
		author.waitReload(`document.documentElement.lang === "ms" && document.body.innerText.includes("Balasan kepada komen saya")`)
		author.waitText(".my-replies", "The sales targets for March.")
	})
}
