package action_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// fields lists the fields an *fault.Invalid names.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var inv *fault.Invalid
	require.ErrorAs(t, err, &inv)
	var out []string
	for _, p := range inv.Problems {
		out = append(out, p.Field)
	}
	return out
}

func isConflict(err error) bool {
	var c *fault.Conflict
	return errors.As(err, &c)
}

func TestOnlyHROrTheTeamsManagerMakeAPlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		org := w.input()
		org.TeamID, org.OwnerID = nil, w.hr.ID
		for _, tc := range []struct {
			who  directory.Employee
			in   action.PlanInput
			want error
		}{
			{w.bossA, w.input(), nil},
			{w.hr, w.input(), nil},
			{w.hr, org, nil},
			{w.bossB, w.input(), fault.ErrForbidden},
			{w.a[0], w.input(), fault.ErrForbidden},
			{w.bossA, org, fault.ErrForbidden},
		} {
			_, err := w.svc.Create(ctx, w.actor(tc.who), tc.in)
			if tc.want == nil {
				require.NoError(t, err, tc.who.Name)
			} else {
				require.ErrorIs(t, err, tc.want, tc.who.Name)
			}
		}
	})
}

func TestAPlanNeedsAClosedRoundThatShowsTheGroup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		hr := w.actor(w.hr)

		open := w.input()
		open.RoundID = w.open.ID
		_, err := w.svc.Create(ctx, hr, open)
		require.True(t, isConflict(err), "an open round has no results yet: %v", err)

		// A team of three who all answered the open round, once closed,
		// is below k: no plan on its results.
		small := w.team("C", w.bossB.ID)
		for _, name := range []string{"c0", "c1", "c2"} {
			w.person(name, &small.ID, directory.RoleEmployee)
		}
		in := w.input()
		in.TeamID, in.OwnerID = &small.ID, w.hr.ID
		_, err = w.svc.Create(ctx, hr, in)
		require.True(t, isConflict(err), "team C was not in the closed round: %v", err)
		require.Contains(t, err.Error(), "suppressed")

		nowhere := w.input()
		missing := int64(999999)
		nowhere.TeamID = &missing
		require.Equal(t, []string{"team_id"}, fields(t, must(w.svc.Create(ctx, hr, nowhere))))

		other := w.input()
		other.SurveyID = w.sv.ID + 100
		require.Contains(t, fields(t, must(w.svc.Create(ctx, hr, other))), "round_id")
	})
}

func must[T any](_ T, err error) error { return err }

func TestBadInputNamesEachField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		in := w.input()
		in.Title, in.Heard, in.WillDo = "", strings.Repeat("x", action.MaxText+1), "ok\x00"
		in.DueOn = "2026-13-01"
		_, err := w.svc.Create(ctx, w.actor(w.hr), in)
		require.ElementsMatch(t, []string{"title", "heard", "will_do", "due_on"}, fields(t, err))

		in = w.input()
		in.DueOn = w.clock().AddDate(0, 0, -1).Format("2006-01-02")
		require.Equal(t, []string{"due_on"}, fields(t, must(w.svc.Create(ctx, w.actor(w.hr), in))))

		in = w.input()
		q := int64(999999)
		in.QuestionID, in.OwnerID = &q, w.b[0].ID
		// boss A may not name someone of team B as owner.
		require.ElementsMatch(t, []string{"question_id", "owner_id"}, fields(t, must(w.svc.Create(ctx, w.actor(w.bossA), in))))
	})
}

// The attacker is team A's manager: A's three comments are below the
// comment threshold, so A's results never show them. Linking one (learned
// from the organisation's comments, which HR sees) to A's plan must fail,
// or the plan would say "this comment came from team A".
func TestACommentBelowTheCommentThresholdCannotBeLinked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		q := survey.ResultsQuery{TeamID: nil}
		orgComments, err := w.surveys.Comments(ctx, w.sv.ID, q, directory.EveryoneScope())
		require.NoError(t, err)
		require.NotEmpty(t, orgComments)
		q.TeamID = &w.teamA.ID
		teamA, err := w.surveys.Comments(ctx, w.sv.ID, q, directory.EveryoneScope())
		require.NoError(t, err)
		require.Empty(t, teamA, "the fixture keeps A's comments below the threshold")

		for _, c := range orgComments {
			in := w.input()
			in.CommentIDs = []string{c.ID}
			_, err := w.svc.Create(ctx, w.actor(w.hr), in)
			require.Equal(t, []string{"comment_ids"}, fields(t, err))
		}
		org := w.input()
		org.TeamID, org.OwnerID, org.CommentIDs = nil, w.hr.ID, []string{orgComments[0].ID}
		p := w.create(w.actor(w.hr), org)
		require.Equal(t, []string{orgComments[0].ID}, p.CommentIDs, "the organisation shows it, so its plan may link it")
	})
}

func TestStatusMovesForwardOnlyAndFinishedPlansAreFinal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		boss := w.actor(w.bossA)
		p := w.create(boss, w.input())
		_, _, err := w.svc.AddUpdate(ctx, p.ID, boss, action.UpdateInput{Text: " ", Status: action.StatusDone})
		require.Equal(t, []string{"text"}, fields(t, err))
		_, _, err = w.svc.AddUpdate(ctx, p.ID, boss, action.UpdateInput{Text: "x", Status: "finished"})
		require.Equal(t, []string{"status"}, fields(t, err))

		p, _, err = w.svc.AddUpdate(ctx, p.ID, boss, action.UpdateInput{Text: "Done", Status: action.StatusDone})
		require.NoError(t, err)
		require.NotNil(t, p.DoneAt)
		_, _, err = w.svc.AddUpdate(ctx, p.ID, boss, action.UpdateInput{Text: "Again", Status: action.StatusInProgress})
		require.Equal(t, []string{"status"}, fields(t, err))
		_, _, err = w.svc.AddUpdate(ctx, p.ID, boss, action.UpdateInput{Text: "More"})
		require.True(t, isConflict(err), "%v", err)
		title := "New"
		_, err = w.svc.Edit(ctx, p.ID, boss, action.PlanPatch{Version: p.Version, Title: &title})
		require.True(t, isConflict(err), "%v", err)

		_, _, err = w.svc.AddUpdate(ctx, p.ID, w.actor(w.bossB), action.UpdateInput{Text: "x"})
		require.ErrorIs(t, err, fault.ErrNotFound, "another team's manager does not learn an unpublished plan exists")
	})
}

// Two people edit the same version at once: one edit lands, the other is
// refused; neither is silently lost.
func TestTwoEditsOfOneVersionNeverBothLand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		p := w.create(w.actor(w.bossA), w.input())
		titles := []string{"From boss", "From HR"}
		actors := []action.Actor{w.actor(w.bossA), w.actor(w.hr)}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				_, errs[i] = w.svc.Edit(ctx, p.ID, actors[i], action.PlanPatch{Version: p.Version, Title: &titles[i]})
			})
		}
		wg.Wait()
		var won []string
		for i, err := range errs {
			if err == nil {
				won = append(won, titles[i])
			} else {
				require.True(t, isConflict(err), "%v", err)
			}
		}
		require.Len(t, won, 1)
		got, err := w.svc.Get(ctx, p.ID, w.actor(w.hr))
		require.NoError(t, err)
		require.Equal(t, won[0], got.Title)
		require.Equal(t, p.Version+1, got.Version)

		_, err = w.svc.Edit(ctx, p.ID, w.actor(w.hr), action.PlanPatch{Title: &titles[0]})
		require.Equal(t, []string{"version"}, fields(t, err))
	})
}

func TestPublishingTwiceTellsNobodyTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		ctx := t.Context()
		boss := w.actor(w.bossA)
		p := w.create(boss, w.input())
		var mu sync.Mutex
		told := 0
		hook := func(_ context.Context, _ *gorm.DB, _ action.Plan, audience []directory.Employee) error {
			mu.Lock()
			defer mu.Unlock()
			told += len(audience)
			return nil
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				_, _, err := w.svc.Publish(ctx, p.ID, boss, hook)
				require.NoError(t, err)
			})
		}
		wg.Wait()
		require.Equal(t, len(w.a)+1, told)

		_, err := w.svc.Get(ctx, p.ID, w.actor(w.b[0]))
		require.ErrorIs(t, err, fault.ErrNotFound, "team B's members do not see A's plan")
		_, err = w.svc.Get(ctx, p.ID, w.actor(w.a[0]))
		require.NoError(t, err, "A's members do once it is published")
	})
}

// A create sent twice at once (a retry after a lost reply) makes one plan.
func TestACreateSentTwiceMakesOnePlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		errs := make([]error, 2)
		in := w.input()
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() { _, errs[i] = w.svc.Create(t.Context(), w.actor(w.bossA), in) })
		}
		wg.Wait()
		var n int64
		require.NoError(t, db.Gorm.Table("action_plans").Count(&n).Error)
		require.EqualValues(t, 1, n)
		require.True(t, errs[0] == nil != (errs[1] == nil), "one lands: %v", errs)
		for _, err := range errs {
			if err != nil {
				require.True(t, isConflict(err), "the other is told why: %v", err)
			}
		}
		org := w.input()
		org.TeamID, org.OwnerID = nil, w.hr.ID
		w.create(w.actor(w.hr), org)
		_, err := w.svc.Create(t.Context(), w.actor(w.hr), org)
		require.True(t, isConflict(err), "the organisation's plans too: %v", err)
	})
}
