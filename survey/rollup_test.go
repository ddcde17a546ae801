package survey_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// The rollup the results are computed from must always agree with a recount
// of the raw answers, and with what people actually answered last: after
// random answers and changes across teams, sub-teams, people without a team,
// several open rounds of two survey versions, refused answers, a person
// moving team mid-round, and after the rounds close.
func TestRollupAgreesWithRawAnswers(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2026} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				checkRollupAfterRandomAnswers(t, db, seed)
			})
		})
	}
}

func checkRollupAfterRandomAnswers(t *testing.T, db *database.DB, seed uint64) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(seed, 42))
	w := newWorld(t, db)
	sales := w.team("Sales", nil)
	west := w.team("Sales West", &sales.ID)
	support := w.team("Support", nil)
	var people []directory.Employee
	people = append(people, w.people("sales", 8, &sales.ID)...)
	people = append(people, w.people("west", 6, &west.ID)...)
	people = append(people, w.people("support", 7, &support.ID)...)
	people = append(people, w.people("loner", 3, nil)...)

	zero := 0
	title := "Pulse"
	sv, err := w.svc.CreateSurvey(ctx, survey.SurveyInput{Title: &title, ScaleMin: &zero, Questions: []survey.QuestionInput{
		{Kind: survey.KindENPS, Prompt: "Recommend us?"},
		{Kind: survey.KindScale, Prompt: "Workload is fine."},
		{Kind: survey.KindYesNo, Prompt: "Tools?"},
		{Kind: survey.KindChoice, Prompt: "Best part?", Options: []string{"team", "customers", "pay"}},
		{Kind: survey.KindText, Prompt: "Anything else?"},
	}})
	require.NoError(t, err)

	// Who is in which team when each round is sent: answers count there.
	teamAt := map[int64]map[int64]int64{}
	snapshot := func(r survey.Round) {
		teamAt[r.ID] = map[int64]int64{}
		for _, p := range people {
			cur, err := w.dir.Employee(ctx, p.ID)
			require.NoError(t, err)
			if cur.TeamID != nil {
				teamAt[r.ID][p.ID] = *cur.TeamID
			} else {
				teamAt[r.ID][p.ID] = 0
			}
		}
	}
	questionsOf := map[int64][]survey.Question{}
	var rounds []survey.Round
	send := func() {
		current, err := w.svc.Survey(ctx, sv.ID)
		require.NoError(t, err)
		r := w.round(sv.ID)
		rounds = append(rounds, r)
		questionsOf[r.ID] = current.Questions
		snapshot(r)
		w.advance(time.Hour)
	}
	send()
	send()
	// A new version: other choice options and one question fewer.
	_, err = w.svc.UpdateSurvey(ctx, sv.ID, survey.SurveyInput{Questions: []survey.QuestionInput{
		{Kind: survey.KindENPS, Prompt: "Recommend us?"},
		{Kind: survey.KindYesNo, Prompt: "Tools?"},
		{Kind: survey.KindChoice, Prompt: "Best part?", Options: []string{"team", "customers", "pay", "growth"}},
		{Kind: survey.KindText, Prompt: "Anything else?"},
	}})
	require.NoError(t, err)
	// Someone moves team after two rounds went out: those still count in Sales.
	mover := people[0].ID
	_, err = w.dir.UpdateEmployee(ctx, mover, directory.EmployeePatch{TeamID: &support.ID})
	require.NoError(t, err)
	send()
	require.Equal(t, 2, rounds[2].SurveyVersion)

	last := map[[2]int64]map[int64]any{} // (round, person) -> question -> value
	for step := range 500 {
		r := rounds[rng.IntN(len(rounds))]
		p := people[rng.IntN(len(people))].ID
		qs := questionsOf[r.ID]
		var given []survey.AnswerInput
		for _, i := range rng.Perm(len(qs))[:1+rng.IntN(len(qs))] {
			given = append(given, survey.AnswerInput{QuestionID: qs[i].ID, Value: randomValue(rng, qs[i])})
		}
		bad := rng.IntN(10) == 0
		if bad { // out of range, or the question twice: either spoils the whole call
			given = append(given, survey.AnswerInput{QuestionID: qs[0].ID, Value: 11})
		}
		_, err := w.svc.Answer(ctx, r.ID, p, given)
		if bad {
			var invalid *fault.Invalid
			require.True(t, errors.As(err, &invalid), "step %d: %v", step, err)
			continue
		}
		require.NoError(t, err, "step %d", step)
		key := [2]int64{r.ID, p}
		if last[key] == nil {
			last[key] = map[int64]any{}
		}
		for _, g := range given {
			last[key][g.QuestionID] = g.Value
		}
	}

	want := expectedCells(last, teamAt, questionsOf)
	require.Equal(t, want, w.rollup(), "the rollup holds every person's last answers")
	require.Equal(t, want, w.recount(), "the raw answers hold every person's last answers")
	respondents := map[int64]int{}
	for key := range last {
		respondents[key[0]]++
	}
	for _, r := range rounds {
		require.Equal(t, respondents[r.ID], w.countRows("responses", "round_id = ?", r.ID), "round %d", r.ID)
	}
	res, err := w.svc.Results(ctx, sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
	require.NoError(t, err)
	require.Empty(t, res.Points, "open rounds have no results")

	// Closing one round by hand and the rest by time changes no total; it
	// folds teams below k into their ancestors, in the rollup and the raw
	// responses alike, and nothing changes them afterwards.
	_, err = w.svc.SetThresholds(ctx, survey.Thresholds{MinRespondents: 3, MinCommenters: 3})
	require.NoError(t, err)
	_, err = w.svc.CloseRound(ctx, rounds[0].ID, nil)
	require.NoError(t, err)
	w.advance(6 * 24 * time.Hour)
	closed, err := w.svc.CloseDue(ctx, nil)
	require.NoError(t, err)
	require.Len(t, closed, 2)
	require.Zero(t, w.countRows("responses", "respondent_hash IS NOT NULL"), "closing erases every hash")
	for _, r := range rounds {
		_, err := w.svc.Answer(ctx, r.ID, people[1].ID, answerInputs(questionsOf[r.ID][0].ID, 3))
		require.Error(t, err, "a closed round takes no answers")
	}
	require.Equal(t, w.recount(), w.rollup(), "after close")
	require.Equal(t, acrossTeams(want), acrossTeams(w.rollup()), "after close")
	requireResultsMatch(t, w, sv.ID, rounds, questionsOf, last)
}

// acrossTeams adds up each value's count over the teams of its round.
func acrossTeams(cells map[rollupCell]int) map[rollupCell]int {
	out := map[rollupCell]int{}
	for c, n := range cells {
		c.Team = 0
		out[c] += n
	}
	return out
}

func randomValue(rng *rand.Rand, q survey.Question) any {
	switch q.Kind {
	case survey.KindENPS:
		return rng.IntN(11) // the survey uses 0..10
	case survey.KindScale:
		return 1 + rng.IntN(5)
	case survey.KindYesNo:
		return rng.IntN(2) == 0
	case survey.KindChoice:
		return q.Options[rng.IntN(len(q.Options))]
	}
	return []string{"", "More demos", "Less travel", "Fine"}[rng.IntN(4)]
}

func expectedCells(last map[[2]int64]map[int64]any, teamAt map[int64]map[int64]int64, questionsOf map[int64][]survey.Question) map[rollupCell]int {
	want := map[rollupCell]int{}
	for key, answers := range last {
		round, person := key[0], key[1]
		for _, q := range questionsOf[round] {
			v, ok := answers[q.ID]
			if !ok || q.Kind == survey.KindText {
				continue
			}
			value := fmt.Sprint(v)
			if b, isBool := v.(bool); isBool {
				value = map[bool]string{true: survey.AnswerYes, false: survey.AnswerNo}[b]
			}
			want[rollupCell{round, teamAt[round][person], q.ID, value}]++
		}
	}
	return want
}

// requireResultsMatch checks the org-wide trend (k = 3) against the answers:
// every round with at least 3 eNPS answers shows exactly their buckets.
func requireResultsMatch(t *testing.T, w *world, surveyID int64, rounds []survey.Round,
	questionsOf map[int64][]survey.Question, last map[[2]int64]map[int64]any) {
	t.Helper()
	_, err := w.svc.SetThresholds(t.Context(), survey.Thresholds{MinRespondents: 3, MinCommenters: 3})
	require.NoError(t, err)
	res, err := w.svc.Results(t.Context(), surveyID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
	require.NoError(t, err)
	require.Len(t, res.Points, len(rounds))
	for i, r := range rounds {
		enps := questionsOf[r.ID][0]
		require.Equal(t, survey.KindENPS, enps.Kind)
		var counts survey.ENPSCounts
		for key, answers := range last {
			if v, ok := answers[enps.ID]; ok && key[0] == r.ID {
				counts.Add(v.(int))
			}
		}
		p := res.Points[i]
		require.Equal(t, r.ID, *p.RoundID)
		if counts.N() < 3 {
			require.True(t, p.Suppressed, "round %d", r.ID)
			continue
		}
		require.False(t, p.Suppressed, "round %d", r.ID)
		require.Equal(t, []int{counts.N(), counts.Promoters, counts.Passives, counts.Detractors},
			[]int{*p.N, *p.Promoters, *p.Passives, *p.Detractors}, "round %d", r.ID)
	}
}
