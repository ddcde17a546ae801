package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// speaksMalay switches the person of token to Malay the way the dashboard
// does.
func (b *bundle) speaksMalay(token string) {
	b.t.Helper()
	res := b.do("PATCH", "/api/v1/me/preferences", token, map[string]string{"locale": "ms"})
	require.Equal(b.t, 200, res.Status, string(res.Body))
}

// A person who reads Malay gets the server's own words (422 reasons, 409
// conflicts) in Malay; one who reads English gets the same answer in
// English. Fields, lines and codes are the same for both.
func TestServerMessagesAreInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		englishHR := b.token(b.person("hr2@example.com", directory.RoleHRAdmin, nil, nil))
		b.speaksMalay(b.hrToken)

		bad := map[string]any{"title": "", "scale_min": 5, "questions": []any{}}
		ms := b.do("POST", "/api/v1/surveys", b.hrToken, bad)
		require.Equal(t, []string{
			"title: diperlukan",
			"scale_min: mesti 1 (lalai) atau 0",
			"questions: tinjauan memerlukan sekurang-kurangnya satu soalan",
		}, problemsOf(t, ms))
		require.Equal(t, "permintaan mempunyai medan yang tidak sah: title: diperlukan; "+
			"scale_min: mesti 1 (lalai) atau 0; "+
			"questions: tinjauan memerlukan sekurang-kurangnya satu soalan", ms.err(t).Error.Message)
		require.Equal(t, "invalid", ms.err(t).Error.Code)

		en := b.do("POST", "/api/v1/surveys", englishHR, bad)
		require.Equal(t, []string{
			"title: is required",
			"scale_min: must be 1 (the default) or 0",
			"questions: a survey needs at least one question",
		}, problemsOf(t, en))
		require.Equal(t, "the request has invalid fields: title: is required; "+
			"scale_min: must be 1 (the default) or 0; "+
			"questions: a survey needs at least one question", en.err(t).Error.Message)

		// A reason with arguments: the values stay, the words change.
		res := b.do("PATCH", fmt.Sprintf("/api/v1/teams/%d", b.team.ID), b.hrToken, map[string]any{"name": fmt.Sprintf("%0101d", 0)})
		require.Equal(t, []string{"name: mesti tidak melebihi 100 aksara"}, problemsOf(t, res))

		// A cadence's reason, relayed by the survey's own checks.
		res = b.do("POST", "/api/v1/surveys", b.hrToken, map[string]any{"title": "Pulse",
			"questions": []map[string]any{{"kind": "enps", "prompt": "How likely?"}},
			"cadence":   map[string]any{"kind": "weekly", "weekday": "funday", "time": "09:00", "timezone": "Asia/Kuala_Lumpur"}})
		require.Equal(t, []string{`cadence.weekday: hari "funday" tidak dikenali: gunakan monday, tuesday, ` +
			`wednesday, thursday, friday, saturday atau sunday`}, problemsOf(t, res))

		// A conflict, and a line of an uploaded file.
		res = b.do("POST", "/api/v1/teams", b.hrToken, map[string]any{"name": "Sales"})
		require.Equal(t, 409, res.Status, string(res.Body))
		require.Equal(t, `pasukan bernama "Sales" sudah wujud`, res.err(t).Error.Message)
		res = b.do("POST", "/api/v1/teams", englishHR, map[string]any{"name": "Sales"})
		require.Equal(t, `a team named "Sales" already exists`, res.err(t).Error.Message)

		csv := "email,name,manager_email\nann@example.com,Ann,ghost@example.com\n"
		res = b.do("POST", "/api/v1/employees/import", b.hrToken, csv)
		require.Equal(t, []string{"2 manager_email: ghost@example.com tiada dalam fail mahupun dalam direktori"}, problemsOf(t, res))
		deals := "Opportunity ID,Opportunity Owner,Amount,Created Date,Won\n006A,rep@example.com,lots,2026-02-01,false\n"
		require.Equal(t, []string{`2 amount: mesti amaun seperti 12500, 12500.00, 12,500.00 atau 12.500,00, bukan "lots"`},
			problemsOf(t, b.do("POST", "/api/v1/sales/deals/import", b.hrToken, deals)))
		require.Equal(t, "permintaan mempunyai medan yang tidak sah: baris 2: manager_email: "+
			"ghost@example.com tiada dalam fail mahupun dalam direktori", res.err(t).Error.Message)
	})
}

// Why a KPI or a driver is not shown is prose the API returns with the
// data: it follows the reader's language too.
func TestKPIReasonsAndDriverNotesAreInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		require.Equal(t, 200, b.do("POST", "/api/v1/sales/deals/import", b.hrToken, sfDeals).Status)
		march := "group_by=month&from=2026-03-01&to=2026-04-01"
		english := b.kpis(b.employeeToken, march)[0].KPIs
		b.speaksMalay(b.employeeToken)
		malay := b.kpis(b.employeeToken, march)[0].KPIs
		require.Equal(t, "no quota for the period", english["quota_attainment"].Reason)
		require.Equal(t, "tiada kuota untuk tempoh ini", malay["quota_attainment"].Reason)
		require.Equal(t, 12500.0, *malay["revenue"].Value, "figures are the same in any language")
		require.Contains(t, malay["clv"].Reason, "tidak dapat dikira daripada input ini")

		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{
			{"kind": "enps", "prompt": "How likely?"}, {"kind": "scale", "prompt": "Workload?"}}})
		path := fmt.Sprintf("/api/v1/surveys/%d/drivers?team_id=%d", sv.ID, b.team.ID)
		var d survey.Drivers
		b.do("GET", path, b.managerToken, nil).data(t, &d)
		require.Equal(t, survey.NotEnoughForDrivers, d.Message)
		require.Equal(t, survey.NotCause, d.Caution)
		b.speaksMalay(b.managerToken)
		b.do("GET", path, b.managerToken, nil).data(t, &d)
		require.Equal(t, "jawapan tidak mencukupi untuk analisis pemacu", d.Message)
		require.Equal(t, "Korelasi bukan sebab: soalan yang bergerak seiring eNPS mungkin berkongsi punca yang sama dengannya, bukan memacunya.", d.Caution)
	})
}

// The person answering a survey in the dashboard reads why an answer is
// refused in their language.
func TestAnswerProblemsAreInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{
			{"kind": "enps", "prompt": "How likely?"}, {"kind": "choice", "prompt": "Best?", "options": []string{"team", "pay"}}}})
		round := b.sendRound(sv.ID)
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
		body := map[string]any{"answers": []map[string]any{
			{"question_id": sv.Questions[0].ID, "value": 11}, {"question_id": sv.Questions[1].ID, "value": "desk"}}}
		require.Equal(t, []string{"answers[0].value: must be a whole number from 1 to 10",
			"answers[1].value: must be one of the options: [team pay]"}, problemsOf(t, b.do("POST", path, b.employeeToken, body)))
		b.speaksMalay(b.employeeToken)
		require.Equal(t, []string{"answers[0].value: mesti nombor bulat dari 1 hingga 10",
			"answers[1].value: mesti salah satu pilihan jawapan: [team pay]"}, problemsOf(t, b.do("POST", path, b.employeeToken, body)))
	})
}
