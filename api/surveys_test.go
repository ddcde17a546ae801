package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

var weeklyPulse = map[string]any{
	"title":     "Weekly pulse",
	"audience":  map[string]any{"team_ids": []int64{}},
	"scale_min": 1,
	"cadence":   map[string]any{"kind": "weekly", "weekday": "monday", "time": "09:00", "timezone": "Europe/Berlin"},
	"questions": []map[string]any{
		{"kind": "enps", "prompt": "How likely are you to recommend us as a place to work?"},
		{"kind": "choice", "prompt": "Best part of the week?", "options": []string{"team", "customers"}},
		{"kind": "scale", "prompt": "My workload is manageable."},
		{"kind": "yes_no", "prompt": "Do you have the tools you need?"},
		{"kind": "text", "prompt": "Anything else?"},
	},
}

func (b *bundle) createSurvey(body map[string]any) survey.Survey {
	b.t.Helper()
	res := b.do("POST", "/api/v1/surveys", b.hrToken, body)
	require.Equal(b.t, 201, res.Status, string(res.Body))
	var sv survey.Survey
	res.data(b.t, &sv)
	return sv
}

func (b *bundle) sendRound(surveyID int64) survey.RoundStatus {
	b.t.Helper()
	res := b.do("POST", fmt.Sprintf("/api/v1/surveys/%d/rounds", surveyID), b.hrToken, nil)
	require.Equal(b.t, 201, res.Status, string(res.Body))
	var r survey.RoundStatus
	res.data(b.t, &r)
	return r
}

func answers(pairs ...any) map[string]any {
	var list []map[string]any
	for i := 0; i < len(pairs); i += 2 {
		list = append(list, map[string]any{"question_id": pairs[i], "value": pairs[i+1]})
	}
	return map[string]any{"answers": list}
}

func TestCreateSurveyAsTheContractSays(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(weeklyPulse)
		require.Positive(t, sv.ID)
		require.Len(t, sv.Questions, 5)
		for _, q := range sv.Questions {
			require.Positive(t, q.ID)
		}
		require.Equal(t, []string{"team", "customers"}, sv.Questions[1].Options)
		require.Equal(t, "weekly", sv.Cadence.Kind)

		var got survey.Survey
		b.do("GET", fmt.Sprintf("/api/v1/surveys/%d", sv.ID), b.managerToken, nil).data(t, &got)
		require.Equal(t, sv.Questions, got.Questions)
	})
}

func TestSurveyValidationNamesTheField(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		eleven := make([]map[string]any, 11)
		for i := range eleven {
			eleven[i] = map[string]any{"kind": "scale", "prompt": fmt.Sprintf("Q%d", i)}
		}
		cases := map[string]struct {
			body  map[string]any
			field string
		}{
			"an 11th question": {map[string]any{"title": "T", "questions": eleven}, "questions[10]"},
			"unknown kind":     {map[string]any{"title": "T", "questions": []map[string]any{{"kind": "stars", "prompt": "?"}}}, "questions[0].kind"},
			"one option": {map[string]any{"title": "T", "questions": []map[string]any{
				{"kind": "choice", "prompt": "?", "options": []string{"only"}}}}, "questions[0].options"},
			"empty prompt":  {map[string]any{"title": "T", "questions": []map[string]any{{"kind": "enps", "prompt": " "}}}, "questions[0].prompt"},
			"no title":      {map[string]any{"questions": []map[string]any{{"kind": "enps", "prompt": "?"}}}, "title"},
			"bad scale_min": {map[string]any{"title": "T", "scale_min": 2, "questions": []map[string]any{{"kind": "enps", "prompt": "?"}}}, "scale_min"},
			"bad cadence": {map[string]any{"title": "T", "cadence": map[string]any{"kind": "weekly", "weekday": "funday", "time": "09:00", "timezone": "Europe/Berlin"},
				"questions": []map[string]any{{"kind": "enps", "prompt": "?"}}}, "cadence.weekday"},
			"unknown team": {map[string]any{"title": "T", "audience": map[string]any{"team_ids": []int{424242}},
				"questions": []map[string]any{{"kind": "enps", "prompt": "?"}}}, "audience.team_ids"},
		}
		for name, tc := range cases {
			res := b.do("POST", "/api/v1/surveys", b.hrToken, tc.body)
			require.Equal(t, 422, res.Status, name)
			var fields []string
			for _, d := range res.err(t).Error.Details {
				fields = append(fields, d.Field)
			}
			require.Contains(t, fields, tc.field, name)
		}
		var all []survey.Survey
		b.do("GET", "/api/v1/surveys", b.hrToken, nil).data(t, &all)
		require.Empty(t, all, "nothing refused was stored")
	})
}

func TestEditingAnsweredQuestionsMakesANewVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(weeklyPulse)

		// Before any round, edits happen in place.
		res := b.do("PATCH", fmt.Sprintf("/api/v1/surveys/%d", sv.ID), b.hrToken, map[string]any{"title": "Pulse"})
		require.Equal(t, 200, res.Status, string(res.Body))
		res.data(t, &sv)
		require.Equal(t, 1, sv.Version)

		round := b.sendRound(sv.ID)
		res = b.do("PATCH", fmt.Sprintf("/api/v1/surveys/%d", sv.ID), b.hrToken, map[string]any{
			"questions": []map[string]any{{"kind": "enps", "prompt": "Would you recommend working here?"}},
		})
		require.Equal(t, 200, res.Status, string(res.Body))
		var edited survey.Survey
		res.data(t, &edited)
		require.Equal(t, 2, edited.Version)
		require.Len(t, edited.Questions, 1)
		var listed []survey.Survey
		b.do("GET", "/api/v1/surveys", b.hrToken, nil).data(t, &listed)
		require.Len(t, listed[0].Questions, 1, "the list shows the current version's questions only")
		require.Equal(t, edited.Questions[0].ID, listed[0].Questions[0].ID)

		var old survey.AssignedRound
		b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", round.ID), b.employeeToken, nil).data(t, &old)
		require.Len(t, old.Questions, 5, "the old round keeps the questions it was sent with")
		require.Equal(t, sv.Questions[0].ID, old.Questions[0].ID)
	})
}

func TestRoundsSnapshotTheAudience(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sub, err := b.dir.CreateTeam(t.Context(), directory.TeamInput{Name: "Sales West", ParentID: &b.team.ID})
		require.NoError(t, err)
		b.person("west@example.com", directory.RoleEmployee, &sub.ID, nil)
		gone := b.person("gone@example.com", directory.RoleEmployee, &sub.ID, nil)
		_, err = b.dir.DeactivateEmployee(t.Context(), gone.ID)
		require.NoError(t, err)

		body := map[string]any{"title": "Sales pulse", "audience": map[string]any{"team_ids": []int64{b.team.ID}},
			"questions": []map[string]any{{"kind": "enps", "prompt": "?"}}}
		sv := b.createSurvey(body)
		round := b.sendRound(sv.ID)
		require.Equal(t, 3, round.Recipients, "manager, rep and the sub-team's active member")
		require.Equal(t, "open", round.Status)
		var listed []survey.RoundStatus
		b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID), b.hrToken, nil).data(t, &listed)
		require.Len(t, listed, 1)
		require.Equal(t, 3, listed[0].Recipients)
		require.Equal(t, "open", listed[0].Status)

		// A retry in the same minute returns the same round.
		res := b.do("POST", fmt.Sprintf("/api/v1/surveys/%d/rounds", sv.ID), b.hrToken, nil)
		require.Equal(t, 200, res.Status)
		var again survey.RoundStatus
		res.data(t, &again)
		require.Equal(t, round.ID, again.ID)

		require.Equal(t, 403, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), b.hrToken,
			answers(sv.Questions[0].ID, 9)).Status, "HR was not asked")
		res = b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", round.ID), b.token(b.outsider), nil)
		require.Equal(t, 404, res.Status, "someone not asked cannot see the round")
	})
}

func TestAnswersAreAnonymousAndEditableUntilClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(weeklyPulse)
		round := b.sendRound(sv.ID)
		q := sv.Questions
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)

		res := b.do("POST", path, b.employeeToken, answers(q[0].ID, 6, q[1].ID, "team", q[3].ID, true, q[4].ID, "More demos"))
		require.Equal(t, 200, res.Status, string(res.Body))
		res = b.do("POST", path, b.employeeToken, answers(q[0].ID, 10))
		require.Equal(t, 200, res.Status, string(res.Body))

		var mine struct{ Answers []survey.AnswerInput }
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.Len(t, mine.Answers, 4)
		require.EqualValues(t, 10, mine.Answers[0].Value, "the second answer replaced the first")

		var responses int64
		require.NoError(t, db.Gorm.Table("responses").Count(&responses).Error)
		require.EqualValues(t, 1, responses, "answering twice never adds a response")
		columns, err := db.Gorm.Migrator().ColumnTypes("responses")
		require.NoError(t, err)
		for _, c := range columns {
			require.NotContains(t, c.Name(), "employee", "responses carry no employee id")
			require.NotContains(t, c.Name(), "created", "nor a precise time")
		}
		var id string
		require.NoError(t, db.Gorm.Table("responses").Select("id").Scan(&id).Error)
		require.Regexp(t, `^[0-9a-f]{32}$`, id, "random ids, not a sequence")

		for name, body := range map[string]map[string]any{
			"out of range":  answers(q[0].ID, 11),
			"not an option": answers(q[1].ID, "pizza"),
			"wrong type":    answers(q[3].ID, "yes"),
			"scale above 5": answers(q[2].ID, 6),
			"foreign id":    answers(999999, 5),
			"no answers":    {"answers": []any{}},
			"fractional":    answers(q[0].ID, 7.5),
		} {
			res := b.do("POST", path, b.employeeToken, body)
			require.Equal(t, 422, res.Status, name)
		}

		res = b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), b.hrToken, nil)
		require.Equal(t, 200, res.Status)
		var hashes int64
		require.NoError(t, db.Gorm.Table("responses").Where("respondent_hash IS NOT NULL").Count(&hashes).Error)
		require.Zero(t, hashes, "closing erases the hashes")

		res = b.do("POST", path, b.employeeToken, answers(q[0].ID, 3))
		require.Equal(t, 409, res.Status, "a closed round takes no answers")
		require.Contains(t, res.err(t).Error.Message, "closed")
	})
}

func TestScheduleOfTheSurveysCadence(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db) // the clock says Friday 2026-11-27 10:00 UTC
		sv := b.createSurvey(weeklyPulse)
		var preview struct {
			Next []struct{ UTC, Local string }
		}
		res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/schedule?count=2", sv.ID), b.managerToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		res.data(t, &preview)
		require.Len(t, preview.Next, 2)
		require.Equal(t, "2026-11-30T08:00:00Z", preview.Next[0].UTC)
		require.Equal(t, "2026-11-30T09:00:00+01:00", preview.Next[0].Local)

		res = b.do("POST", "/api/v1/schedule/preview", b.hrToken, map[string]any{
			"cadence": map[string]any{"kind": "cron", "spec": "0 9 1 * *", "timezone": "Asia/Kolkata"}, "count": 1})
		require.Equal(t, 200, res.Status, string(res.Body))
		res.data(t, &preview)
		require.Equal(t, "2026-12-01T03:30:00Z", preview.Next[0].UTC)

		res = b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/schedule?count=500", sv.ID), b.hrToken, nil)
		require.Equal(t, 422, res.Status)
	})
}

func TestTemplatesInEnglishAndMalay(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	var en, ms []survey.Template
	b.do("GET", "/api/v1/survey-templates", b.hrToken, nil).data(t, &en)
	b.do("GET", "/api/v1/survey-templates?locale=ms", b.hrToken, nil).data(t, &ms)
	require.Equal(t, "How likely are you to recommend our company as a place to work?", en[0].Prompt)
	require.Len(t, ms, len(en))
	require.NotEqual(t, en[0].Prompt, ms[0].Prompt)
	require.Equal(t, 422, b.do("GET", "/api/v1/survey-templates?locale=fr", b.hrToken, nil).Status)
	_ = strings.TrimSpace
}

func TestWithoutSlackDeliveriesAreRecordedAsNotSent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.now = time.Now().UTC() // River works due jobs by the database's real clock
		completed, cancel := b.queue.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		require.NoError(t, b.queue.Start(t.Context()))
		defer b.queue.Stop(context.Background())

		sv := b.createSurvey(map[string]any{"title": "Now", "questions": []map[string]any{{"kind": "enps", "prompt": "?"}}})
		round := b.sendRound(sv.ID)
		require.Equal(t, 4, round.Recipients)
		for range 4 {
			select {
			case <-completed:
			case <-time.After(30 * time.Second):
				t.Fatal("deliveries were not worked")
			}
		}
		var report struct {
			Deliveries delivery.Summary
		}
		b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", round.ID), b.hrToken, nil).data(t, &report)
		require.Equal(t, 4, report.Deliveries.NotSent)
		require.Zero(t, report.Deliveries.Sent)
		require.Equal(t, []delivery.ReasonCount{{Status: delivery.StatusNotSent, Reason: "Slack is not configured", Count: 4}},
			report.Deliveries.Failures)
	})
}

func TestDateBoundsAreDaysInTheSurveysZone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(map[string]any{"title": "Tokyo pulse", "questions": []map[string]any{{"kind": "enps", "prompt": "?"}},
			"cadence": map[string]any{"kind": "weekly", "weekday": "monday", "time": "08:00", "timezone": "Asia/Tokyo"}})
		b.now = time.Date(2026, 1, 4, 23, 0, 0, 0, time.UTC) // Monday 5 January, 08:00 in Tokyo
		round := b.sendRound(sv.ID)
		require.Equal(t, 200, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), b.hrToken, nil).Status)
		points := func(query string) int {
			var res survey.Results
			r := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?%s", sv.ID, query), b.hrToken, nil)
			require.Equal(t, 200, r.Status, string(r.Body))
			r.data(t, &res)
			return len(res.Points)
		}
		require.Equal(t, 1, points("from=2026-01-05"), "the round is on 5 January in Tokyo")
		require.Equal(t, 0, points("to=2026-01-05"))
		require.Equal(t, 1, points("from=2026-01-04T23:00:00Z"), "an exact time is taken as given")
	})
}

func TestMovingATeamLaterNeitherChangesOldFiguresNorRevealsIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		require.Equal(t, 200, b.do("PUT", "/api/v1/settings/anonymity", b.hrToken,
			map[string]int{"min_respondents": 3, "min_comment_respondents": 3}).Status)
		ctx := t.Context()
		small, err := b.dir.CreateTeam(ctx, directory.TeamInput{Name: "Sales Small", ParentID: &b.team.ID})
		require.NoError(t, err)
		big, err := b.dir.CreateTeam(ctx, directory.TeamInput{Name: "Sales Big", ParentID: &b.team.ID})
		require.NoError(t, err)
		var people []directory.Employee
		for i, team := range []int64{b.team.ID, small.ID, small.ID, big.ID, big.ID, big.ID} {
			people = append(people, b.person(fmt.Sprintf("p%d@example.com", i), directory.RoleEmployee, &team, nil))
		}
		sv := b.createSurvey(map[string]any{"title": "Pulse", "audience": map[string]any{"team_ids": []int64{b.team.ID}},
			"questions": []map[string]any{{"kind": "enps", "prompt": "?"}}})
		round := b.sendRound(sv.ID)
		for _, p := range append(people, b.employee) {
			res := b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), b.token(p), answers(sv.Questions[0].ID, 10))
			require.Equal(t, 200, res.Status, string(res.Body))
		}
		require.Equal(t, 200, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), b.hrToken, nil).Status)
		salesN := func() any {
			var res survey.Results
			b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?team_id=%d", sv.ID, b.team.ID), b.hrToken, nil).data(t, &res)
			require.Len(t, res.Points, 1)
			if res.Points[0].N == nil {
				return "suppressed"
			}
			return *res.Points[0].N
		}
		before := salesN()
		require.Equal(t, 7, before)

		res := b.do("PATCH", fmt.Sprintf("/api/v1/teams/%d", small.ID), b.hrToken, map[string]any{"parent_id": b.other.ID})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, before, salesN(), "the round keeps the tree it was sent with")
	})
}

func TestParticipationIsCountedPerTeamAtCloseNeverPerPerson(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{{"kind": "enps", "prompt": "?"}}})
		round := b.sendRound(sv.ID)
		for _, token := range []string{b.employeeToken, b.managerToken} {
			res := b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), token, answers(sv.Questions[0].ID, 8))
			require.Equal(t, 200, res.Status)
		}
		// A flag per person would say, after close, who answered; a flag
		// written as each answer lands would also line up with the response.
		require.False(t, db.Gorm.Migrator().HasColumn("round_recipients", "answered"), "no per-person participation flag")
		var status survey.RoundStatus
		b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", round.ID), b.hrToken, nil).data(t, &status)
		require.Nil(t, status.Answered, "no count while the round is open")
		require.Nil(t, status.Participation, "two answers are below k")
		var mine survey.AssignedRound
		b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", round.ID), b.employeeToken, nil).data(t, &mine)
		require.True(t, mine.Answered, "the person still sees that they answered")

		require.Equal(t, 200, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), b.hrToken, nil).Status)
		b.do("GET", fmt.Sprintf("/api/v1/rounds/%d", round.ID), b.hrToken, nil).data(t, &status)
		require.NotNil(t, status.Answered)
		require.Equal(t, 2, *status.Answered, "counted at close")
		var n int64
		require.NoError(t, db.Gorm.Table("round_team_counts").Where("round_id = ?", round.ID).Select("SUM(respondents)").Row().Scan(&n))
		require.EqualValues(t, 2, n)
	})
}
