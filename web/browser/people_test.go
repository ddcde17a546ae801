package browser_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// upload puts a CSV file with text into the file field labelled label, as
// picking it in the file dialog would.
func (tb *tab) upload(scope, label, name, text string) {
	tb.s.t.Helper()
	find := fmt.Sprintf(`[...document.querySelector(%q).querySelectorAll("label")]
		.filter((l) => l.checkVisibility() && l.textContent.trim() === %q).map((l) => l.control).find(Boolean)`, scope, label)
	tb.waitFor("a file field "+label, find+" !== undefined")
	tb.eval(fmt.Sprintf(`(() => { const dt = new DataTransfer(); dt.items.add(new File([%q], %q, { type: "text/csv" }));
		const f = %s; f.files = dt.files; return ""; })()`, text, name, find))
}

// uncheck clears the checkbox labelled label when it is ticked.
func (tb *tab) uncheck(label string) {
	tb.s.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll("label")].filter((l) => l.checkVisibility() && l.textContent.trim() === %q)
		.map((l) => l.control).find(Boolean)`, label)
	tb.waitFor("a choice "+label, find+" !== undefined")
	tb.eval(`(() => { const box = ` + find + `; if (box.checked) box.click(); return ""; })()`)
}

// HR finds a person, edits them (the API's error lands beside its field),
// sees who Slack does not know, creates a team inside another and is told
// beside the parent that moving the outer team into it would make a loop.
func TestPeopleAndTeamsByClicking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		salesTeam := s.team("Sales", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		_, err := s.dir.BindSlack(t.Context(), hr.ID, "U0HANA")
		require.NoError(t, err)
		rep := s.person("Rin Rep", directory.RoleEmployee, &salesTeam.ID, "")
		s.person("Sam Seller", directory.RoleEmployee, &salesTeam.ID, "")
		manager := s.person("Maya Lead", directory.RoleManager, nil, "")
		support := s.team("Support", nil)
		s.person("Sol Support", directory.RoleEmployee, &support.ID, "")
		_, err = s.dir.UpdateTeam(t.Context(), salesTeam.ID, directory.TeamPatch{ManagerID: &manager.ID})
		require.NoError(t, err)

		// A manager sees the people of their teams, and changes nothing.
		lead := s.signIn(manager)
		lead.click("#nav", "People")
		lead.waitText("#people-list", "Rin Rep")
		require.NotContains(t, lead.text("#people-list"), "Sol Support")
		require.NotContains(t, lead.text("#view-people"), "Add a person")
		require.NotContains(t, lead.text("#view-people"), "New team")
		require.Equal(t, "0", lead.eval(`String(document.querySelectorAll("#people-list tbody button").length)`), "no edit buttons")
		require.NotContains(t, lead.text("#view-people"), "Identity changes", "the audit log is HR's")

		admin := s.signIn(hr)
		admin.click("#nav", "People")
		admin.waitText("#people-list", "Sam Seller")
		admin.set("Search people", "rin")
		admin.waitFor("only Rin listed", `document.querySelectorAll("#people-list tbody tr").length === 1`)
		admin.waitText("#people-list tbody", "Rin Rep")
		admin.click("#people-list", "Edit")
		admin.waitText("#people-list", "Slack: not matched.")
		admin.setIn("#people-list", "Name", "Rin Tanaka")
		admin.setIn("#people-list", "Role", "manager")
		admin.setIn("#people-list", "Language", "ms")
		admin.setIn("#people-list", "Time zone", "Mars/Olympus")
		admin.click("#people-list", "Save")
		admin.waitText("#people-list .field-error", "Must be an IANA time zone")
		admin.screenshot("person-error")
		admin.setIn("#people-list", "Time zone", "Asia/Tokyo")
		admin.setIn("#people-list", "Email", "rin.tanaka@example.com")
		admin.click("#people-list", "Save")
		admin.waitText("#people-status", "Saved Rin Tanaka.")
		saved, err := s.dir.Employee(t.Context(), rep.ID)
		require.NoError(t, err)
		require.Equal(t, "Rin Tanaka", saved.Name)
		require.Equal(t, directory.RoleManager, saved.Role)
		require.Equal(t, "ms", saved.Locale)
		require.Equal(t, "Asia/Tokyo", saved.Timezone)
		require.Equal(t, salesTeam.ID, *saved.TeamID, "the team was kept")
		admin.click("#people-extra", "Show the audit log")
		admin.waitText("#people-extra table.audit", "Email changed")
		require.Contains(t, admin.text("#people-extra table.audit tbody"), "rin.rep@example.com -> rin.tanaka@example.com")
		require.Contains(t, admin.text("#people-extra table.audit tbody"), "Hana Admin", "who changed it")

		admin.set("Search people", "")
		admin.check("Only people not matched to Slack")
		admin.waitFor("Hana, bound to Slack, left out", `!document.querySelector("#people-list tbody").innerText.includes("Hana Admin")`)
		admin.waitText("#people-list tbody", "Rin Tanaka")

		admin.click("#teams-card", "New team")
		admin.setIn("#teams-card", "Name", "Field Sales")
		admin.setIn("#teams-card", "Inside team", strconv.FormatInt(salesTeam.ID, 10))
		admin.click("#teams-card", "Create team")
		admin.waitText("#people-status", "Created team Field Sales.")
		admin.waitText("#teams-card .tree ul", "Field Sales")
		teams, err := s.dir.Teams(t.Context())
		require.NoError(t, err)
		var field directory.Team
		for _, team := range teams {
			if team.Name == "Field Sales" {
				field = team
			}
		}
		require.NotNil(t, field.ParentID)
		require.Equal(t, salesTeam.ID, *field.ParentID)

		admin.click("#teams-card", "Edit") // Sales, first in the tree
		admin.setIn("#teams-card", "Inside team", strconv.FormatInt(field.ID, 10))
		admin.click("#teams-card", "Save team")
		admin.waitText("#teams-card .field-error", "Would make the team its own ancestor")
		admin.screenshot("people")

		admin.uncheck("Only people not matched to Slack")
		admin.set("Search people", "sam")
		admin.waitFor("only Sam listed", `document.querySelector("#people-list tbody").innerText.includes("Sam Seller") && document.querySelectorAll("#people-list tbody tr").length === 1`)
		admin.click("#people-list", "Edit")
		admin.click("#people-list", "Deactivate")
		admin.waitText("dialog[open]", "every sign-in and API token of theirs stops working at once")
		admin.click("dialog[open]", "Deactivate")
		admin.waitText("#people-status", "Sam Seller was deactivated.")
		admin.waitText("#people-list tbody", "Sam Seller (inactive)")
		sam, err := s.dir.EmployeeByEmail(t.Context(), "sam.seller@example.com")
		require.NoError(t, err)
		require.False(t, sam.Active)
		admin.click("#people-list", "Edit")
		admin.click("#people-list", "Reactivate")
		admin.waitText("#people-status", "Sam Seller is active again")
		sam, err = s.dir.EmployeeByEmail(t.Context(), "sam.seller@example.com")
		require.NoError(t, err)
		require.True(t, sam.Active)
	})
}

const peopleCSV = "email,name,team,role\n" +
	"ana@example.com,Ana Lim,Support,employee\n" +
	"ben@example.com,Ben Ong,Support,chief\n" +
	"cal@example.com,Cal Tan,Support,employee\n"

// HR uploads a people file with one bad line: nothing is imported and the
// report names line 3 and why; fixed, it imports, and the history says so.
// A CRM export goes the same way.
func TestImportsByClicking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		admin := s.signIn(hr)
		admin.click("#nav", "Imports")
		admin.waitText("#imports-body", "Nothing imported yet.")

		admin.upload("#imports-body section:nth-of-type(1)", "CSV file", "people.csv", peopleCSV)
		admin.click("#imports-body", "Import people")
		admin.waitText(".import-report", "Nothing was imported: the file was refused whole.")
		report := admin.text(".import-report tbody tr")
		require.Contains(t, report, "3")
		require.Contains(t, report, "role")
		require.Contains(t, report, "must be employee, manager or hr_admin")
		require.NotContains(t, report, "ana@example.com")
		admin.screenshot("import-refused")
		_, err := s.dir.EmployeeByEmail(t.Context(), "ana@example.com")
		require.Error(t, err, "nothing of a refused file is written")

		fixed := "email,name,team,role\nana@example.com,Ana Lim,Support,employee\ncal@example.com,Cal Tan,Support,employee\n"
		admin.upload("#imports-body section:nth-of-type(1)", "CSV file", "people.csv", fixed)
		admin.click("#imports-body", "Import people")
		admin.waitText("#imports-body", "Imported: 2 added, 0 updated, 0 unchanged. New teams: Support.")
		admin.waitText("#imports-body table.imports", "done")

		deals := "external_id,owner_email,amount,created_at,closed_at,outcome\n" +
			"D-1,ana@example.com,1000,2026-10-01,2026-10-20,won\n" +
			"D-2,nobody@example.com,500,2026-10-02,,open\n"
		admin.setIn("#imports-body", "Kind of data", "deals")
		admin.upload("#imports-body section:nth-of-type(2)", "CSV file", "deals.csv", deals)
		admin.click("#imports-body", "Import sales data")
		admin.waitText("#imports-body section:nth-of-type(2) .import-report", "is not an employee's email in the directory")
		admin.upload("#imports-body section:nth-of-type(2)", "CSV file", "deals.csv", deals[:len(deals)-len("D-2,nobody@example.com,500,2026-10-02,,open\n")])
		admin.click("#imports-body", "Import sales data")
		admin.waitText("#imports-body", "Imported: 1 added, 0 updated.")
		admin.waitText("#imports-body table.imports", "Deals")
		admin.screenshot("imports")
	})
}

// An employee signed in on two browsers ends the other sign-in from one;
// HR then ends the remaining one from the person's page.
func TestSignInsAreRevokedByClicking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		rep := s.person("Rin Rep", directory.RoleEmployee, nil, "Asia/Tokyo")
		laptop := s.signIn(rep)
		phone := s.signIn(rep)

		laptop.click("#nav", "Sign-ins")
		laptop.waitFor("two sign-ins", `document.querySelectorAll("#access-body table.access")[0].tBodies[0].rows.length === 2`)
		laptop.waitText("#access-body", "this browser")
		laptop.screenshot("sign-ins")
		laptop.click("#access-body", "Sign out") // the newest: the phone's
		laptop.waitText("dialog[open]", "Whoever uses it must sign in again")
		laptop.click("dialog[open]", "Sign out")
		laptop.waitText("#access-status", "Signed out.")
		phone.do(chromedp.Reload())
		phone.waitText("#sign-in-error", "Your sign-in has expired")

		// The employee makes an API token and revokes it.
		laptop.setIn("#access-body", "Token name", "reporting script")
		laptop.click("#access-body", "Create token")
		laptop.waitText("#access-body", "Copy it now")
		secret := laptop.eval(`document.querySelector("#new-token-secret").value`)
		require.Contains(t, secret, "pulse_")
		laptop.waitText("#access-body table.access", "reporting script")
		laptop.click("#access-body", "Revoke")
		laptop.waitText("dialog[open]", "Scripts using it stop working at once")
		laptop.click("dialog[open]", "Revoke")
		laptop.waitText("#access-status", "Token \u201creporting script\u201d revoked.")
		_, err := s.tokens.Authenticate(t.Context(), secret)
		require.Error(t, err, "a revoked token no longer works")

		admin := s.signIn(hr)
		admin.click("#nav", "People")
		admin.waitText("#people-list", "Rin Rep")
		admin.eval(fmt.Sprintf(`location.hash = "#access/%d", ""`, rep.ID))
		admin.waitText("#access-body", "Sign-ins and API tokens of Rin Rep")
		admin.waitText("#access-body", "show only the day")
		require.NotContains(t, admin.text("#access-body"), "Token name", "HR makes no token for someone else")
		admin.click("#access-body", "Sign out")
		admin.click("dialog[open]", "Sign out")
		admin.waitText("#access-status", "Signed out.")
		laptop.do(chromedp.Reload())
		laptop.waitText("#sign-in-error", "Your sign-in has expired")
	})
}

// HR opens a round's details and sees each person's survey DM: its status
// and due time on their clock, and no word of whether they answered.
func TestRoundDeliveriesByClicking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		team := s.team("Sales", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		rep := s.person("Rin Rep", directory.RoleEmployee, &team.ID, "Asia/Tokyo")
		s.person("Sam Seller", directory.RoleEmployee, &team.ID, "")
		s.sendPulse(t, hr)
		s.answer(t, rep, 9)

		admin := s.signIn(hr)
		admin.click("#nav", "Rounds")
		admin.click("#rounds-body", "Details")
		admin.click("#rounds-body", "Show each person")
		admin.waitText("#rounds-body table.deliveries", "Rin Rep")
		admin.waitText("#rounds-body table.deliveries", "Asia/Tokyo")
		require.Equal(t, "Name\tStatus\tDue, their time\tWhy", admin.text("#rounds-body table.deliveries thead tr"))
		body := admin.text("#rounds-body table.deliveries tbody")
		require.Contains(t, body, "Sam Seller")
		require.Contains(t, body, "Europe/Berlin", "no zone of their own: the survey's")
		require.NotContains(t, body, "nswer", "nothing about answers")
		admin.setIn("#rounds-body", "Show", "failed")
		admin.waitText("#rounds-body table.deliveries", "Nobody in this status.")
		admin.screenshot("deliveries")
	})
}

// sendPulse creates a weekly survey for everyone and sends a round now.
func (s *site) sendPulse(t *testing.T, hr directory.Employee) survey.RoundStatus {
	var sv survey.Survey
	s.call(t, hr, http.MethodPost, "/api/v1/surveys", map[string]any{
		"title": "Pulse", "audience": map[string]any{"team_ids": []int64{}},
		"cadence":   map[string]any{"kind": "weekly", "weekday": "monday", "time": "09:00", "timezone": "Europe/Berlin"},
		"questions": []map[string]any{{"kind": "enps", "prompt": "How likely are you to recommend us?"}},
	}, &sv)
	var round survey.RoundStatus
	s.call(t, hr, http.MethodPost, fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID), nil, &round)
	return round
}

// On a 390 px phone none of these pages scrolls sideways.
func TestPeoplePagesFitAPhone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		team := s.team("Customer success and renewals in Asia Pacific", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "America/Argentina/Buenos_Aires")
		s.person("Maximiliana Featherstonehaugh-Vandenberghe", directory.RoleEmployee, &team.ID, "America/Indiana/Petersburg")
		s.sendPulse(t, hr)
		admin := s.signIn(hr)
		admin.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))

		admin.click("#nav", "People")
		admin.waitText("#people-list", "Maximiliana")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the people list scrolls sideways")
		admin.click("#people-list", "Edit")
		admin.waitText("#people-list", "Slack: not matched.")
		admin.click("#people-extra", "Show the audit log")
		admin.waitText("#people-extra", "No identity changes yet.")
		admin.screenshot("phone-person")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the person form scrolls sideways")

		admin.click("#nav", "Imports")
		admin.upload("#imports-body section:nth-of-type(1)", "CSV file", "people.csv", peopleCSV)
		admin.click("#imports-body", "Import people")
		admin.waitText(".import-report", "must be employee, manager or hr_admin")
		admin.screenshot("phone-imports")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the import report scrolls sideways")

		admin.click("#nav", "Sign-ins")
		admin.waitText("#access-body", "this browser")
		admin.screenshot("phone-sign-ins")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the sign-ins scroll sideways")

		admin.click("#nav", "Rounds")
		admin.click("#rounds-body", "Details")
		admin.click("#rounds-body", "Show each person")
		admin.waitText("#rounds-body table.deliveries", "Maximiliana")
		admin.screenshot("phone-deliveries")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the deliveries scroll sideways")
	})
}
