package survey_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// startGroupCommit switches group commit on for svc until the test ends.
func startGroupCommit(t *testing.T, svc *survey.Service, cfg survey.GroupCommit) func(context.Context) error {
	stop := svc.StartGroupCommit(cfg)
	t.Cleanup(func() { require.NoError(t, stop(context.Background())) })
	return stop
}

// Sixty people tap at once through group commit, each changing their mind
// three times, and every third taps twice at the same moment (their first
// answers race each other, inside one batch or across two): one response
// each, holding their last tap, counted once, and the taps did share
// transactions.
func TestGroupCommitKeepsEveryTapOnceUnderConcurrentRepeats(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		teamOf := map[int64]int64{}
		var people []int64
		for i := range 3 {
			tm := o.team(fmt.Sprintf("Team %d", i), nil)
			for _, e := range o.people(fmt.Sprintf("t%d-", i), 20, &tm.ID) {
				people = append(people, e.ID)
				teamOf[e.ID] = tm.ID
			}
		}
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"},
			survey.QuestionInput{Kind: survey.KindYesNo, Prompt: "Tools?"})
		enps, tools := sv.Questions[0].ID, sv.Questions[1].ID
		round := o.round(sv.ID)
		startGroupCommit(t, o.svc, survey.GroupCommit{MaxBatch: 16, Linger: 2 * time.Millisecond})

		start := make(chan struct{})
		errs := make(chan error, 2*len(people)*3)
		last := map[int64]int{}
		var wg sync.WaitGroup
		for i, p := range people {
			values := []int{1 + i%10, 1 + (i+4)%10, 1 + (i+7)%10}
			last[p] = values[2]
			workers := 1
			if i%3 == 0 {
				workers = 2
			}
			for range workers {
				wg.Go(func() {
					<-start
					for _, v := range values {
						_, err := o.svc.Answer(t.Context(), round.ID, p, answerInputs(enps, v, tools, v >= 6))
						errs <- err
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

		require.Equal(t, len(people), o.countRows("responses", "round_id = ?", round.ID), "one response per person")
		want := map[rollupCell]int{}
		for p, v := range last {
			want[rollupCell{round.ID, teamOf[p], enps, strconv.Itoa(v)}]++
			yes := map[bool]string{true: survey.AnswerYes, false: survey.AnswerNo}[v >= 6]
			want[rollupCell{round.ID, teamOf[p], tools, yes}]++
		}
		require.Equal(t, want, o.rollup(), "the rollup holds each person's last tap, once")
		require.Equal(t, want, o.recount(), "the raw answers hold each person's last tap, once")
		batches, answers := survey.GroupCommitted(o.svc)
		require.Less(t, batches, answers, "taps shared transactions")
		t.Logf("%d answers in %d transactions", answers, batches)
	})
}

// One batch holds two good taps and four that must fail: someone not
// asked, a value off the scale, a closed round and a round that does not
// exist. Each is told its own outcome, and the good ones are recorded.
func TestGroupCommitRefusesOnlyTheFailingTapsOfABatch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		tm := o.team("Sales", nil)
		asked := o.people("rep", 2, &tm.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		enps := sv.Questions[0].ID
		closed := o.round(sv.ID)
		_, err := o.svc.CloseRound(t.Context(), closed.ID, nil)
		require.NoError(t, err)
		o.advance(25 * time.Hour) // one send a day
		round := o.round(sv.ID)
		late := o.people("late", 1, &tm.ID)[0] // joined after the round went out
		// The batch closes when all six are in: the linger never ends it.
		startGroupCommit(t, o.svc, survey.GroupCommit{MaxBatch: 6, Linger: time.Hour})

		taps := []struct {
			round, person int64
			value         int
			check         func(error) bool
		}{
			{round.ID, asked[0].ID, 9, func(err error) bool { return err == nil }},
			{round.ID, late.ID, 9, func(err error) bool { return errors.Is(err, fault.ErrForbidden) }},
			{round.ID, asked[1].ID, 42, func(err error) bool { _, ok := errors.AsType[*fault.Invalid](err); return ok }},
			{closed.ID, asked[0].ID, 3, func(err error) bool { _, ok := errors.AsType[*fault.Conflict](err); return ok }},
			{closed.ID + round.ID + 1000, asked[0].ID, 3, func(err error) bool { return errors.Is(err, fault.ErrNotFound) }},
			{round.ID, asked[1].ID, 2, func(err error) bool { return err == nil }},
		}
		errs := make([]error, len(taps))
		var wg sync.WaitGroup
		for i, tap := range taps {
			wg.Go(func() { _, errs[i] = o.svc.Answer(t.Context(), tap.round, tap.person, answerInputs(enps, tap.value)) })
		}
		wg.Wait()
		for i, tap := range taps {
			require.True(t, tap.check(errs[i]), "tap %d: %v", i, errs[i])
		}
		batches, answers := survey.GroupCommitted(o.svc)
		require.Equal(t, [2]int64{1, 6}, [2]int64{batches, answers}, "all six shared one transaction")
		require.Equal(t, map[rollupCell]int{{round.ID, tm.ID, enps, "9"}: 1, {round.ID, tm.ID, enps, "2"}: 1}, o.rollup())
		require.Equal(t, 2, o.countRows("responses", "round_id = ?", round.ID))
	})
}

// A batch whose commit went through unacknowledged, then one whose
// connection failed: every tap in them is tried again alone, within its
// own retry budget, and each person is counted once with their last tap.
func TestGroupCommitRidesOutBlipsAndCountsOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		tm := o.team("Sales", nil)
		people := o.people("rep", 4, &tm.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		enps := sv.Questions[0].ID
		round := o.round(sv.ID)
		pool := &flakyPool{DB: db.SQL}
		svc := o.flakyService(pool)
		startGroupCommit(t, svc, survey.GroupCommit{MaxBatch: len(people), Linger: time.Hour})

		tapAll := func(value int) {
			var wg sync.WaitGroup
			for _, p := range people {
				wg.Go(func() {
					_, err := svc.Answer(t.Context(), round.ID, p.ID, answerInputs(enps, value))
					require.NoError(t, err)
				})
			}
			wg.Wait()
		}
		pool.commitsLost.Store(1)
		tapAll(3)
		pool.beginFails.Store(2)
		tapAll(8)
		tapAll(8)

		require.Equal(t, map[rollupCell]int{{round.ID, tm.ID, enps, "8"}: 4}, o.rollup())
		require.Equal(t, map[rollupCell]int{{round.ID, tm.ID, enps, "8"}: 4}, o.recount())
		require.Equal(t, 4, o.countRows("responses", "round_id = ?", round.ID))
	})
}

// Stopping group commit records every answer already handed over (cutting
// the wait for more short), and answers after the stop are recorded alone.
func TestStoppingGroupCommitRecordsWhatWasHandedOver(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		tm := o.team("Sales", nil)
		people := o.people("rep", 6, &tm.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		enps := sv.Questions[0].ID
		round := o.round(sv.ID)
		stop := o.svc.StartGroupCommit(survey.GroupCommit{MaxBatch: 100, Linger: time.Hour})

		var wg sync.WaitGroup
		for _, p := range people[:5] {
			wg.Go(func() {
				_, err := o.svc.Answer(t.Context(), round.ID, p.ID, answerInputs(enps, 10))
				require.NoError(t, err)
			})
		}
		for survey.GroupCommitWaiting(o.svc) < 5 {
			time.Sleep(time.Millisecond) // until all five are handed over
		}
		require.NoError(t, stop(t.Context()))
		wg.Wait()
		batches, answers := survey.GroupCommitted(o.svc)
		require.Equal(t, [2]int64{1, 5}, [2]int64{batches, answers}, "the five waiting were recorded together")
		o.answer(round.ID, people[5].ID, enps, 10)
		require.Equal(t, map[rollupCell]int{{round.ID, tm.ID, enps, "10"}: 6}, o.rollup())
	})
}
