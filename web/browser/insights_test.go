package browser_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/demo"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

var insightSurvey = map[string]any{
	"title":     "Weekly pulse",
	"audience":  map[string]any{"team_ids": []int64{}},
	"scale_min": 1,
	"cadence":   map[string]any{"kind": "weekly", "weekday": "monday", "time": "09:00", "timezone": "Europe/London"},
	"questions": []map[string]any{
		{"kind": "enps", "prompt": "How likely are you to recommend us as a place to work?"},
		{"kind": "yes_no", "prompt": "Do you have the tools you need?"},
	},
}

// HR sees Sales (six answers) with a number and Support (three) as "not
// enough answers" on the heatmap (Engineering's five are hidden too: the
// organisation minus Sales and Engineering would be Support's three), opens Sales' trend from its row, and the
// driver page says a group this small gets no driver analysis; on a phone
// neither page scrolls sideways.
func TestHeatmapSuppressesASmallTeamAndDrillsIntoATrend(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		salesTeam := s.team("Sales", nil)
		engineering := s.team("Engineering", nil)
		support := s.team("Support", nil)
		hr := s.person("Hana Admin", directory.RoleHRAdmin, nil, "Europe/London")
		var people []directory.Employee
		for i := range 6 {
			people = append(people, s.person(fmt.Sprintf("Seller %d", i+1), directory.RoleEmployee, &salesTeam.ID, ""))
		}
		for i := range 5 {
			people = append(people, s.person(fmt.Sprintf("Builder %d", i+1), directory.RoleEmployee, &engineering.ID, ""))
		}
		for i := range 3 {
			people = append(people, s.person(fmt.Sprintf("Helper %d", i+1), directory.RoleEmployee, &support.ID, ""))
		}
		var sv survey.Survey
		s.call(t, hr, http.MethodPost, "/api/v1/surveys", insightSurvey, &sv)
		var round survey.RoundStatus
		s.call(t, hr, http.MethodPost, fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID), nil, &round)
		for i, e := range people {
			s.answer(t, e, []int{10, 9, 9, 8, 7, 3, 9, 9, 8, 7, 2, 2, 5, 6}[i])
		}
		s.call(t, hr, http.MethodPost, fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), nil, nil)

		admin := s.signIn(hr)
		admin.click("#nav", "Heatmap")
		admin.waitText("#heatmap-grid", "Support")
		// Sales: promoters 10, 9, 9 and one detractor 3 of six: +33.
		admin.waitText("#heatmap-grid td.heat", "+33")
		supportCell := admin.eval(`[...document.querySelectorAll("#heatmap-grid table.heatmap tbody tr")]
			.find((tr) => tr.querySelector("th").innerText.trim() === "Support").querySelector("td").innerText`)
		require.Equal(t, "not enough answers", supportCell)
		require.Contains(t, admin.text(".heat-legend"), "+40 and above")
		admin.screenshot("heatmap")

		admin.click("#heatmap-grid", "Sales")
		admin.waitText("#heatmap-drill", "Trend of Sales")
		admin.waitFor("the trend chart", `document.querySelector("#heatmap-drill svg.chart") !== null`)
		admin.screenshot("heatmap-drill")

		admin.click("#nav", "Drivers")
		admin.waitText("#drivers-result", "Not enough answers for a driver analysis")
		require.Contains(t, admin.text("#drivers-result"), "Correlation is not cause")
		admin.screenshot("drivers-not-enough")

		admin.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		admin.waitText("#drivers-result", "Not enough answers for a driver analysis")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the driver page scrolls sideways")
		admin.click("#nav", "Heatmap")
		admin.waitText("#heatmap-grid", "Support")
		require.LessOrEqual(t, admin.pageWidth(), 390, "the heatmap scrolls sideways")
		admin.screenshot("heatmap-phone")
	})
}

// On the demo organisation, which has months of answers and sales data,
// the sales page draws team eNPS against a KPI with rho and n, and the
// driver page ranks the questions.
func TestSalesScatterAndDriversOnTheDemo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		_, err := demo.Load(t.Context(), db.Gorm, s.now(), demo.Steps(demo.Options{Secret: s.secret})...)
		require.NoError(t, err)
		hr, err := s.dir.EmployeeByEmail(t.Context(), demo.HRAdminEmail)
		require.NoError(t, err)

		// A round sent and closed today puts the running month on the
		// scatter as well: a hollow dot, "in progress", left out of rho.
		ctx := t.Context()
		surveys, err := s.surveys.Surveys(ctx)
		require.NoError(t, err)
		sv := surveys[0]
		var enps int64
		for _, q := range sv.Questions {
			if q.Kind == survey.KindENPS {
				enps = q.ID
			}
		}
		round, _, err := s.surveys.SendNow(ctx, sv.ID, nil)
		require.NoError(t, err)
		people, err := s.dir.Employees(ctx, directory.EmployeeFilter{ActiveOnly: true, Scope: directory.EveryoneScope()})
		require.NoError(t, err)
		answered := 0
		for i, e := range people {
			if _, err := s.surveys.Answer(ctx, round.ID, e.ID, []survey.AnswerInput{{QuestionID: enps, Value: 5 + i%6}}); err == nil {
				answered++
			}
		}
		require.Greater(t, answered, 40, "the demo's people answer today's round")
		_, err = s.surveys.CloseRound(ctx, round.ID, nil)
		require.NoError(t, err)

		admin := s.signIn(hr)
		// Results opens first: each question says what it covers and how
		// its latest month moved.
		admin.waitText("#results-body .q-periods", "Covers")
		admin.waitText("#results-body .q-periods", " since ")
		admin.screenshot("question-periods")

		admin.click("#nav", "Sales")
		admin.waitFor("the scatter", `document.querySelector("#sales-body svg.scatter circle") !== null`)
		admin.waitText("#sales-body .scatter-rho", "Spearman's rho")
		require.Regexp(t, `over \d+ team-periods`, admin.text("#sales-body .scatter-rho"))
		admin.waitFor("a hollow dot for the running month", `document.querySelector("#sales-body svg.scatter circle.dot.running") !== null`)
		require.Contains(t, admin.eval(`[...document.querySelectorAll("#sales-body svg.scatter circle.dot.running")].map((c) => c.textContent).join("\n")`), "in progress")
		first := admin.eval(`document.querySelector("#sales-body table.sales tbody tr").innerText`)
		require.Contains(t, first, "in progress", "newest first: the running month leads")
		apac := admin.eval(`[...document.querySelectorAll("#s-team option")].find((o) => o.textContent === "Sales APAC").value`)
		admin.set("Team", apac)
		admin.waitFor("one team", `[...document.querySelectorAll("#sales-body h3")].every((h) => h.innerText !== "Sales Americas")`)
		admin.screenshot("sales-scatter")

		admin.click("#nav", "Drivers")
		admin.waitFor("the driver table or its message", `document.querySelector("#drivers-result table.drivers, #drivers-result .drivers-empty") !== null`)
		admin.screenshot("drivers")

		admin.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		admin.click("#nav", "Sales")
		admin.waitFor("the scatter", `document.querySelector("#sales-body svg.scatter circle") !== null`)
		require.LessOrEqual(t, admin.pageWidth(), 390, "the sales page scrolls sideways")
		admin.screenshot("sales-phone")
	})
}
