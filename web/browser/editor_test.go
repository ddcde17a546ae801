package browser_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// The editor refuses an 11th question in the form, puts the API's field
// errors beside their fields, offers every kind of cadence, and edits,
// pauses, resumes and archives a survey.
func TestSurveyEditorGuardsItsFieldsAndManagesASurvey(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		team := s.team("Support", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Asia/Kuala_Lumpur")
		s.person("Sam Agent", directory.RoleEmployee, &team.ID, "")

		admin := s.signIn(hr)
		admin.click("#nav", "Survey setup")
		admin.click("#view-setup", "New survey")
		admin.set("Start from", "blank")
		admin.waitText("#setup-body", "1 question of at most 10")
		for range 9 {
			admin.click("#setup-body", "Add a question")
		}
		admin.waitText("#setup-body", "10 questions of at most 10")
		admin.click("#setup-body", "Add a question")
		admin.waitText("#setup-body .field-error", "A pulse survey has at most 10 questions")
		require.Equal(t, "10", admin.eval(`String(document.querySelectorAll(".question-list > li").length)`))

		// A cron line that sends every minute: the preview says why, by the field.
		admin.set("How often", "cron")
		admin.set("Cron expression", "* * * * *")
		admin.waitText(".field:has(#"+admin.idOf("Cron expression")+") .field-error", "at most once a day")

		// Saving with no title and empty questions: each error beside its field.
		admin.set("How often", "monthly")
		admin.set("Which day", "nth")
		admin.set("Which one", "-1")
		admin.set("Weekday", "friday")
		admin.waitText(".preview-box tbody", "Fri")
		// "Chosen teams" with none ticked would mean everyone: the form says so.
		admin.check("Chosen teams (with their sub-teams)")
		admin.click("#setup-body", "Create survey")
		admin.waitText(".audience .field-error", "Pick at least one team, or choose everyone in the organisation.")
		admin.check("Everyone in the organisation")
		admin.click("#setup-body", "Create survey")
		admin.waitText("#setup-body .error", "Nothing was saved. Check the fields marked above.")
		admin.waitText(".field:has(#"+admin.idOf("Title")+") .field-error", "Is required.")
		admin.waitText(".question-list > li:first-child .field-error", "Is required.")
		admin.screenshot("editor-errors")

		for range 9 {
			admin.eval(`document.querySelector(".question-list > li:last-child button").click(), ""`)
		}
		admin.set("Title", "Monthly check-in")
		admin.set("Kind", "choice")
		admin.set("Question", "Where do you work most days?")
		admin.set("Options (2 to 10, one per line)", "Office\nHome\nBoth")
		// One question of every other kind.
		for i, q := range [][2]string{{"enps", "Would you recommend us?"}, {"scale", "I can focus."}, {"yes_no", "Did you take leave?"}, {"text", "Anything else?"}} {
			admin.click("#setup-body", "Add a question")
			item := fmt.Sprintf(".question-list > li:nth-child(%d)", i+2)
			admin.setIn(item, "Kind", q[0])
			admin.setIn(item, "Question", q[1])
		}
		admin.set("eNPS scale", "0")
		admin.set("Survey language", "ms")
		admin.click("#setup-body", "Create survey")
		admin.waitText(".survey-card", "The last Friday of every month at 09:00 (Asia/Kuala_Lumpur)")
		require.Contains(t, admin.text(".survey-card .meta"), "Bahasa Melayu")
		require.Contains(t, admin.text(".survey-card .meta"), "5 questions")
		saved, err := s.surveys.Surveys(t.Context())
		require.NoError(t, err)
		var kinds []string
		for _, q := range saved[0].Questions {
			kinds = append(kinds, q.Kind)
		}
		require.Equal(t, []string{"choice", "enps", "scale", "yes_no", "text"}, kinds)
		require.Equal(t, []string{"Office", "Home", "Both"}, saved[0].Questions[0].Options)
		require.Equal(t, 0, saved[0].ScaleMin)
		require.Equal(t, "ms", saved[0].Locale)

		// Every other kind of cadence previews and saves.
		for _, kind := range []struct {
			set   func()
			shows string
		}{
			{func() { admin.set("How often", "quarterly"); admin.set("First weekday of the quarter", "wednesday") },
				"The first Wednesday of every quarter at 09:00"},
			{func() { admin.set("How often", "once"); admin.set("Date and time", "2030-03-04T08:15") },
				"Once, on 2030-03-04 at 08:15"},
			{func() { admin.set("How often", "cron"); admin.set("Cron expression", "0 8 * * 1") }, "Cron \u201c0 8 * * 1\u201d"},
			{func() { admin.set("How often", "weekly"); admin.set("Weekday", "thursday") }, "Every Thursday at 09:00"},
		} {
			admin.click(".survey-card", "Edit")
			admin.waitText("#setup-body", "Edit \u201cMonthly check-in\u201d")
			kind.set()
			admin.waitFor("a preview", `document.querySelectorAll(".preview-box tbody tr").length > 0`)
			admin.click("#setup-body", "Save changes")
			admin.waitText(".survey-card", kind.shows)
		}

		admin.click(".survey-card", "Pause")
		admin.waitText("#setup-status", "is paused")
		admin.waitText(".survey-card .badge", "Paused")
		admin.click(".survey-card", "Resume")
		admin.waitText(".survey-card .badge", "Scheduled")
		admin.click(".survey-card", "Archive")
		admin.click("dialog[open]", "Archive")
		admin.waitText(".survey-card .badge", "Archived")
		require.NotContains(t, admin.text(".survey-card"), "Send a round now")
	})
}

// On a 390 px phone the pages of survey setup never scroll sideways.
func TestSurveySetupFitsAPhone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		team := s.team("Customer success and renewals in Asia Pacific", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "America/Argentina/Buenos_Aires")
		s.person("Sam Agent", directory.RoleEmployee, &team.ID, "Australia/Lord_Howe")
		s.person("Kim Agent", directory.RoleEmployee, &team.ID, "America/Indiana/Petersburg")

		admin := s.signIn(hr)
		admin.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		admin.click("#nav", "Survey setup")
		admin.click("#view-setup", "New survey")
		admin.set("Title", "Pulse")
		admin.waitFor("the preview", `document.querySelectorAll(".preview-box tbody tr").length === 5`)
		admin.screenshot("phone-editor")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the editor scrolls sideways")

		admin.click("#setup-body", "Create survey")
		admin.waitText(".survey-card", "Every Monday at 09:00")
		admin.screenshot("phone-setup")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the survey list scrolls sideways")

		admin.click("#nav", "Rounds")
		admin.waitText("#rounds-body", "No rounds yet")
		admin.click("#view-rounds", "Send a round now")
		admin.waitText("dialog[open]", "goes to 3 people")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the confirmation scrolls sideways")
		admin.click("dialog[open]", "Send to 3 people")
		admin.waitText("#rounds-status", "Round sent to 3 people")
		admin.waitText("#rounds-body", "Open")
		admin.screenshot("phone-rounds")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the rounds scroll sideways")
	})
}
