package survey_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// Two hundred answers arrive at once: 40 people answer once, 40 tap twice
// with the same value at the same moment (their first answers race), and 40
// change their mind (one after the other, while everyone else runs in
// parallel, half of them moving up the scale and half down so that counts
// move in opposite directions). Exactly 120 responses must result, and the
// counts must be each person's last answer.
func TestTwoHundredConcurrentAnswersGiveExactCounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		var teams [3]int64
		var people []int64
		teamOf := map[int64]int64{}
		for i := range teams {
			tm := o.team(fmt.Sprintf("Team %d", i), nil)
			teams[i] = tm.ID
			for _, e := range o.people(fmt.Sprintf("t%d-", i), 40, &tm.ID) {
				people = append(people, e.ID)
				teamOf[e.ID] = tm.ID
			}
		}
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"},
			survey.QuestionInput{Kind: survey.KindYesNo, Prompt: "Tools?"})
		enps, tools := sv.Questions[0].ID, sv.Questions[1].ID
		round := o.round(sv.ID)

		type plan struct {
			person  int64
			values  []int // answered in this order by one goroutine
			workers int   // goroutines sending the same values at once
		}
		var plans []plan
		last := map[int64]int{}
		calls := 0
		for i, p := range people {
			first := 1 + i%10
			pl := plan{person: p, values: []int{first}, workers: 1}
			switch i % 3 {
			case 1: // a double tap: the first answer races itself
				pl.workers = 2
			case 2: // a change of mind: 1→10, 2→9, …, 10→1
				pl.values = append(pl.values, 11-first)
			}
			plans = append(plans, pl)
			last[p] = pl.values[len(pl.values)-1]
			calls += pl.workers * len(pl.values)
		}
		require.Equal(t, 200, calls)

		start := make(chan struct{})
		errs := make(chan error, calls)
		var wg sync.WaitGroup
		for _, pl := range plans {
			for range pl.workers {
				wg.Go(func() {
					<-start
					for _, v := range pl.values {
						_, err := o.svc.Answer(t.Context(), round.ID, pl.person, answerInputs(enps, v, tools, v >= 6))
						if err != nil {
							errs <- fmt.Errorf("person %d answering %d: %w", pl.person, v, err)
						}
					}
				})
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}

		require.Equal(t, 120, o.countRows("responses", "round_id = ?", round.ID), "one response per person")
		require.Equal(t, 240, o.countRows("answers", "1 = 1"), "one answer per person and question")
		st, err := o.svc.RoundStatus(t.Context(), round.ID)
		require.NoError(t, err)
		require.Equal(t, 120, st.Recipients)
		require.Nil(t, st.Answered, "an open round says no count")
		require.NotNil(t, st.Participation, "120 of 120 answered: at least k")
		require.Equal(t, 1.0, *st.Participation)

		want := map[rollupCell]int{}
		for p, v := range last {
			want[rollupCell{round.ID, teamOf[p], enps, strconv.Itoa(v)}]++
			yes := map[bool]string{true: survey.AnswerYes, false: survey.AnswerNo}[v >= 6]
			want[rollupCell{round.ID, teamOf[p], tools, yes}]++
		}
		got := o.rollup()
		require.Equal(t, want, got, "the rollup holds each person's last answer, once")
		require.Equal(t, want, o.recount(), "the raw answers hold each person's last answer, once")

		for _, p := range people[:12] {
			mine, err := o.svc.MyAnswers(t.Context(), round.ID, p)
			require.NoError(t, err)
			require.Len(t, mine, 2)
			require.EqualValues(t, last[p], mine[0].Value, "person %d sees their last answer", p)
		}
	})
}

// Twelve taps of the same person's first answer at once, each with another
// value: one response, counted once, holding whichever value came last.
func TestRacingFirstAnswersOfOnePersonMakeOneResponse(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		tm := o.team("Sales", nil)
		people := o.people("rep", 5, &tm.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		enps := sv.Questions[0].ID
		round := o.round(sv.ID)

		start := make(chan struct{})
		errs := make(chan error, 12*len(people))
		var wg sync.WaitGroup
		for _, p := range people {
			for v := range 12 {
				wg.Go(func() {
					<-start
					_, err := o.svc.Answer(t.Context(), round.ID, p.ID, answerInputs(enps, 1+v%10))
					errs <- err
				})
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}

		require.Equal(t, len(people), o.countRows("responses", "round_id = ?", round.ID))
		want := map[rollupCell]int{}
		for _, p := range people {
			mine, err := o.svc.MyAnswers(t.Context(), round.ID, p.ID)
			require.NoError(t, err)
			require.Len(t, mine, 1)
			want[rollupCell{round.ID, tm.ID, enps, fmt.Sprint(mine[0].Value)}]++
		}
		require.Equal(t, want, o.rollup(), "each person counted once, with the answer they see")
		require.Equal(t, want, o.recount())
	})
}

// Closing a round while changes of answer arrive: each change lands before
// the close or is refused after it, so nobody is counted twice and no
// answer keeps its hash once the round is closed.
func TestClosingWhileAnswersArriveNeverCountsTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		tm := w.team("Sales", nil)
		people := w.people("rep", 60, &tm.ID)
		sv := w.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		enps := sv.Questions[0].ID
		for attempt := range 5 {
			round := w.round(sv.ID)
			for _, p := range people {
				w.answer(round.ID, p.ID, enps, 5)
			}
			start := make(chan struct{})
			refusals := make(chan error, len(people))
			closing := make(chan error, 1)
			var wg sync.WaitGroup
			for i, p := range people {
				wg.Go(func() {
					<-start
					if _, err := w.svc.Answer(t.Context(), round.ID, p.ID, answerInputs(enps, 9)); err != nil {
						refusals <- err
					}
				})
				if i == len(people)/2 {
					wg.Go(func() {
						<-start
						_, err := w.svc.CloseRound(t.Context(), round.ID, nil)
						closing <- err
					})
				}
			}
			close(start)
			wg.Wait()
			close(refusals)
			require.NoError(t, <-closing)
			for err := range refusals {
				require.ErrorContains(t, err, "closed", "a change is refused only because the round closed")
			}

			require.Equal(t, len(people), w.countRows("responses", "round_id = ?", round.ID), "attempt %d", attempt)
			require.Zero(t, w.countRows("responses", "round_id = ? AND respondent_hash IS NOT NULL", round.ID),
				"attempt %d: a closed round keeps no hash", attempt)
			total := 0
			for c, n := range w.rollup() {
				if c.Round == round.ID {
					total += n
				}
			}
			require.Equal(t, len(people), total, "attempt %d", attempt)
			w.advance(time.Hour)
		}
		require.Equal(t, w.recount(), w.rollup())
	})
}
