package browser_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// A manager closes the loop by clicking: on their team's results they
// record an action on the closed round, linking one of the comments the
// results show, publish it (the trend gains a "published" mark), then mark
// it done with an update (a "done" mark). In Malay the section speaks Malay.
func TestAManagerRecordsPublishesAndFinishesAnAction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		ctx := t.Context()
		team := s.team("Sales", nil)
		manager := s.person("Maya Lead", directory.RoleManager, &team.ID, "Europe/London")
		_, err := s.dir.UpdateTeam(ctx, team.ID, directory.TeamPatch{ManagerID: &manager.ID})
		require.NoError(t, err)
		var members []directory.Employee
		for i := range 6 {
			members = append(members, s.person(fmt.Sprintf("Seller %d", i+1), directory.RoleEmployee, &team.ID, "Europe/London"))
		}
		title := "Weekly pulse"
		audience := survey.Audience{TeamIDs: []int64{team.ID}}
		sv, err := s.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title, Audience: &audience,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "How likely are you to recommend working here?"},
				{Kind: survey.KindText, Prompt: "What would help you sell more?"}}})
		require.NoError(t, err)
		round, _, err := s.surveys.SendNow(ctx, sv.ID, nil)
		require.NoError(t, err)
		for i, e := range members {
			_, err := s.surveys.Answer(ctx, round.ID, e.ID, []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 4 + i},
				{QuestionID: sv.Questions[1].ID, Value: fmt.Sprintf("Idea %d: fewer internal meetings on selling days", i+1)}})
			require.NoError(t, err)
		}
		_, err = s.surveys.CloseRound(ctx, round.ID, nil)
		require.NoError(t, err)

		lead := s.signIn(manager)
		lead.waitText("#actions-body", "No actions for this group yet.")
		lead.waitFor("the new action form", `document.querySelector(".new-action") !== null`)
		lead.eval(`document.querySelector(".new-action").open = true, ""`)
		lead.setIn("#actions-body", "Title", "Fewer meetings")
		lead.setIn("#actions-body", "What we heard", "Too many meetings leave no time to sell.")
		lead.setIn("#actions-body", "What we will do", "No internal meetings on Wednesdays.")
		lead.setIn("#actions-body", "Linked question", fmt.Sprint(sv.Questions[0].ID))
		lead.setIn("#actions-body", "Due", "2099-01-31")
		lead.check("Idea 3: fewer internal meetings on selling days")

		// HR raises the comment threshold above the six commenters while the
		// form is open: the comment is no longer shown, so the API refuses
		// the link and the page says why beside the comments.
		_, err = s.surveys.SetThresholds(ctx, survey.Thresholds{MinRespondents: 5, MinCommenters: 7})
		require.NoError(t, err)
		lead.click("#actions-body", "Record action")
		lead.waitText(".action-comment-picker .field-error", "Must name comments shown in this round's results for the group.")
		lead.waitText("#actions-body", "No actions for this group yet.")
		_, err = s.surveys.SetThresholds(ctx, survey.DefaultThresholds())
		require.NoError(t, err)
		lead.click("#actions-body", "Record action")
		lead.waitText(".action-plan", "Not published")
		lead.waitText(".action-plan .action-comments", "Idea 3: fewer internal meetings on selling days")
		require.NotContains(t, lead.text(".action-plan .action-comments"), "Idea 4", "only the linked comment is quoted")
		require.Equal(t, "0", lead.eval(`String(document.querySelectorAll(".chart .action-mark").length)`),
			"an unpublished plan marks nothing")

		lead.click(".action-plan", "Publish to the group")
		lead.waitFor("the published mark on the trend", `document.querySelector(".chart .action-mark.published") !== null`)
		lead.waitText(".action-plan", "published")
		lead.waitText(".action-plan", "Reactions show once at least 5 people have reacted.")
		lead.waitText(".chart-figure .legend", "Action published")

		lead.setIn(".action-plan", "Update", "Wednesdays are clear across the team.")
		lead.setIn(".action-plan", "Status", "done")
		lead.click(".action-plan", "Add update")
		lead.waitFor("the done mark on the trend", `document.querySelector(".chart .action-mark.done") !== null`)
		lead.waitText(".action-plan .badge", "Done")
		lead.waitText(".action-updates", "Wednesdays are clear across the team.")
		lead.screenshot("actions")

		// The heatmap marks the team's cell for the period the plan was
		// published and finished in, in the grid and in its table view.
		lead.click("#nav", "Heatmap")
		lead.waitFor("the marks on the heatmap", `document.querySelector("#heatmap-grid table.heatmap .heat-mark.published") !== null &&
			document.querySelector("#heatmap-grid table.heatmap .heat-mark.done") !== null`)
		lead.waitText("#heatmap-grid .heat-legend", "an action plan was published")
		require.Contains(t, lead.eval(`document.querySelector("#heatmap-grid .heat-table").textContent`), "Action done: Fewer meetings")
		lead.screenshot("actions-heatmap")
		lead.click("#nav", "Results")
		lead.waitText(".action-plan .badge", "Done")

		lead.set("Language", "ms")
		lead.waitReload(`document.documentElement.lang === "ms" && document.getElementById("nav").innerText.includes("Keputusan")`)
		lead.waitText("#actions-title", "Tindakan")
		lead.waitText(".action-plan .badge", "Selesai")
		lead.waitText(".action-plan", "Kami akan: No internal meetings on Wednesdays.")
		lead.waitText(".action-plan", "Pemilik Maya Lead")
		lead.waitText(".action-plan .action-comments", "Komen yang dipautkan")
		lead.waitText(".action-updates", "kini Selesai")
		lead.waitText(".action-plan", "Reaksi ditunjukkan setelah sekurang-kurangnya 5 orang memberi reaksi.")
		require.NotContains(t, lead.text("#actions-body"), "We will", "no English left in the section")
		require.NotContains(t, lead.text("#actions-body"), "Owner")
		lead.waitFor("the new action form", `document.querySelector(".new-action") !== null`)
		lead.eval(`document.querySelector(".new-action").open = true, ""`)
		lead.waitText(".new-action", "Rekodkan tindakan")
		lead.waitText(".new-action", "Tandakan sehingga 10 komen")
		lead.screenshot("actions-ms")

		// On a 390 px phone the section, its forms open, stays inside the page.
		lead.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		lead.waitText("#actions-title", "Tindakan")
		require.LessOrEqual(t, lead.pageWidth(), 390, "the Actions section scrolls sideways at 390 px")
		lead.screenshot("actions-ms-390")
	})
}
