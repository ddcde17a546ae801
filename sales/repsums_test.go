package sales

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales/rollup"
	"github.com/pulsehq/pulse/survey"
)

// crmEdits writes a random CRM through the import paths: deals and
// activities drawn from small pools of external ids, so that later batches
// overwrite earlier ones (another owner, day, outcome, amount, kind, deal),
// follow-ups that name deals not imported yet, and imports cut off part-way
// that are undone.
type crmEdits struct {
	svc    *Service
	rng    *rand.Rand
	emails []string
	start  time.Time
}

func (c *crmEdits) when() time.Time {
	t := c.start.Add(time.Duration(c.rng.Int64N(200*24*3600)) * time.Second)
	if c.rng.IntN(8) == 0 { // midnight: the first second of a day, a week, a month
		y, m, d := t.Date()
		t = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func (c *crmEdits) deals(n int) []DealInput {
	out := make([]DealInput, n)
	for i := range out {
		created := c.when()
		d := DealInput{ExternalID: fmt.Sprint("D", c.rng.IntN(120)), OwnerEmail: c.emails[c.rng.IntN(len(c.emails))],
			Amount: Amount(fmt.Sprintf("%d.%02d", c.rng.IntN(50_000), c.rng.IntN(100))), Currency: "EUR",
			CreatedAt: created.Format(time.RFC3339), Outcome: []string{Won, Won, Lost, Open}[c.rng.IntN(4)]}
		if d.Outcome != Open {
			closed := created.Add(time.Duration(c.rng.Int64N(60*24*3600)) * time.Second)
			if c.rng.IntN(10) == 0 {
				closed = created
			}
			d.ClosedAt = closed.Format(time.RFC3339)
		}
		out[i] = d
	}
	return uniqueBy(out, func(d DealInput) string { return d.ExternalID })
}

func (c *crmEdits) activities(n int) []ActivityInput {
	out := make([]ActivityInput, n)
	for i := range out {
		a := ActivityInput{ExternalID: fmt.Sprint("A", c.rng.IntN(400)), OwnerEmail: c.emails[c.rng.IntN(len(c.emails))],
			Kind: []string{KindCall, KindMeeting, KindEmail, KindFollowUp, KindFollowUp}[c.rng.IntN(5)], OccurredAt: c.when().Format(time.RFC3339)}
		if a.Kind == KindFollowUp || c.rng.IntN(3) == 0 {
			a.DealExternalID = fmt.Sprint("D", c.rng.IntN(140)) // some deals are never imported
		}
		out[i] = a
	}
	return uniqueBy(out, func(a ActivityInput) string { return a.ExternalID })
}

func uniqueBy[T any](xs []T, key func(T) string) []T {
	seen := map[string]bool{}
	var out []T
	for _, x := range xs {
		if !seen[key(x)] {
			seen[key(x)] = true
			out = append(out, x)
		}
	}
	return out
}

// cutOff applies deals in a deals import that fails after its batches
// were written: the import undoes them.
func (c *crmEdits) cutOff(t *testing.T, in []DealInput) {
	var deals []Deal
	_, err := c.svc.withImporter(t.Context(), func(imp *importer) (ImportResult, error) {
		cur := "EUR"
		for i, d := range in {
			r := row{prefix: fmt.Sprintf("deals[%d].", i), f: map[string]string{"external_id": d.ExternalID,
				"owner_email": d.OwnerEmail, "amount": string(d.Amount), "currency": d.Currency, "created_at": d.CreatedAt,
				"closed_at": d.ClosedAt, "outcome": d.Outcome}}
			deals = append(deals, imp.deal(r, &cur))
		}
		return ImportResult{}, imp.problems.Err()
	})
	require.NoError(t, err)
	cut := errors.New("cut off")
	err = c.svc.imports[dealTable.kind].Apply(t.Context(), func(run *batchimport.Run) error {
		var res ImportResult
		for i := 0; i < len(deals); i += 7 {
			batch := deals[i:min(i+7, len(deals))]
			if err := run.Batch(t.Context(), func(tx *gorm.DB) ([]batchimport.Entry, error) {
				return dealTable.writeBatch(tx, batch, &res)
			}); err != nil {
				return err
			}
		}
		return cut
	})
	require.ErrorIs(t, err, cut)
}

// repSums reads sales_rep_periods as comparable lines, but for rows whose
// deals and activities all moved away (all zeros, which a rebuild has not).
func repSums(t *testing.T, tx *gorm.DB) []string {
	rows, err := tx.Raw(`SELECT grain, owner_id, period_start, deals_created, deals_followed_up, deals_won, deals_lost,
		deals_closed, won_cents, won_cycle_micros, calls, meetings FROM sales_rep_periods
		WHERE deals_created <> 0 OR deals_closed <> 0 OR calls <> 0 OR meetings <> 0
		OR deals_followed_up <> 0 OR deals_won <> 0 OR deals_lost <> 0 OR won_cents <> 0 OR won_cycle_micros <> 0
		ORDER BY grain, owner_id, period_start`).Rows()
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var grain string
		var owner, created, followed, won, lost, closed, cents, micros, calls, meetings int64
		var start periodColumn
		require.NoError(t, rows.Scan(&grain, &owner, &start, &created, &followed, &won, &lost, &closed, &cents, &micros, &calls, &meetings))
		out = append(out, fmt.Sprint(grain, owner, start, created, followed, won, lost, closed, cents, micros, calls, meetings))
	}
	require.NoError(t, rows.Err())
	return out
}

// requireSumsAsRebuilt checks that the sums kept write by write are the
// sums a rebuild from the CRM tables gives, row for row.
func requireSumsAsRebuilt(t *testing.T, db *database.DB, step string) {
	t.Helper()
	kept := repSums(t, db.Gorm)
	var rebuilt []string
	undo := errors.New("rolled back")
	err := db.Gorm.Transaction(func(tx *gorm.DB) error {
		require.NoError(t, rollup.Rebuild(tx, time.Now()))
		rebuilt = repSums(t, tx)
		return undo
	})
	require.ErrorIs(t, err, undo)
	require.NotEmpty(t, rebuilt, step)
	require.Equal(t, rebuilt, kept, step)
}

// The sums a KPI table adds up stay exact through everything that writes
// the CRM: re-imports that move deals to other owners and days, follow-ups
// imported before their deals and moved between deals, imports undone
// part-way, concurrent imports of deals and activities; and the tables
// agree with the in-memory oracle over the raw rows after each step,
// including after a rep moved to another team (their history goes with
// them: a team counts the reps in it today).
func TestRepSumsStayExactThroughImportsAndUndo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		dir := directory.New(db.Gorm, clock)
		hr, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "hr@example.com", Name: "HR", Role: directory.RoleHRAdmin})
		require.NoError(t, err)
		var teams []int64
		for i := range 2 {
			team, err := dir.CreateTeam(ctx, directory.TeamInput{Name: fmt.Sprint("Team ", i)})
			require.NoError(t, err)
			teams = append(teams, team.ID)
		}
		c := &crmEdits{svc: New(db.Gorm, clock, nil), rng: rand.New(rand.NewPCG(7, 11)),
			start: time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)}
		var reps []int64
		for i := range 5 {
			email := fmt.Sprintf("rep%d@example.com", i)
			e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: email, Name: fmt.Sprint("Rep ", i), TeamID: &teams[i%2]})
			require.NoError(t, err)
			c.emails, reps = append(c.emails, email), append(reps, e.ID)
		}

		steps := []struct {
			name string
			do   func(t *testing.T)
		}{
			{"follow-ups before their deals", func(t *testing.T) {
				_, err := c.svc.ImportActivityBatch(ctx, ActivityBatch{Activities: c.activities(150)})
				require.NoError(t, err)
			}},
			{"deals", func(t *testing.T) {
				_, err := c.svc.ImportDealBatch(ctx, DealBatch{Deals: c.deals(90)})
				require.NoError(t, err)
			}},
			{"deals re-imported with other owners, days and outcomes", func(t *testing.T) {
				_, err := c.svc.ImportDealBatch(ctx, DealBatch{Deals: c.deals(90)})
				require.NoError(t, err)
			}},
			{"activities re-imported", func(t *testing.T) {
				_, err := c.svc.ImportActivityBatch(ctx, ActivityBatch{Activities: c.activities(250)})
				require.NoError(t, err)
			}},
			{"a deals import cut off and undone", func(t *testing.T) { c.cutOff(t, c.deals(60)) }},
			{"deals and activities imported at once", func(t *testing.T) {
				deals, acts := c.deals(80), c.activities(200)
				var wg sync.WaitGroup
				errs := make([]error, 2)
				wg.Go(func() { _, errs[0] = c.svc.ImportDealBatch(context.Background(), DealBatch{Deals: deals}) })
				wg.Go(func() { _, errs[1] = c.svc.ImportActivityBatch(context.Background(), ActivityBatch{Activities: acts}) })
				wg.Wait()
				require.NoError(t, errors.Join(errs...))
			}},
			{"a rep moves to the other team", func(t *testing.T) {
				_, err := dir.UpdateEmployee(ctx, reps[0], directory.EmployeePatch{TeamID: &teams[1]})
				require.NoError(t, err)
			}},
		}
		from, to := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
		for _, step := range steps {
			step.do(t)
			requireSumsAsRebuilt(t, db, step.name)
			d, err := c.svc.load(ctx)
			require.NoError(t, err)
			for _, groupBy := range []string{survey.ByWeek, survey.ByMonth, survey.ByQuarter} {
				ps, err := periods(groupBy, &from, &to, now)
				require.NoError(t, err)
				q := KPIQuery{GroupBy: groupBy, From: &from, To: &to}
				got, err := c.svc.KPIs(ctx, q, hr)
				require.NoError(t, err)
				requireSameRows(t, oracleRows(d, Subject{Kind: "company", Name: "Company"}, subject{}, groupBy, ps, now), got.Rows)
				for _, team := range teams {
					q.TeamID = &team
					got, err := c.svc.KPIs(ctx, q, hr)
					require.NoError(t, err)
					requireSameRows(t, oracleTeamRows(t, c.svc, d, team, groupBy, ps, now), got.Rows)
				}
			}
		}
	})
}

// An install upgraded with CRM data in it gets its reps' sums built on
// the first start, once: a second start (or replica) finds them built.
func TestRepSumsAreBuiltOnceForExistingData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)
		dir := directory.New(db.Gorm, func() time.Time { return now })
		_, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "rep@example.com", Name: "Rep"})
		require.NoError(t, err)
		c := &crmEdits{svc: New(db.Gorm, func() time.Time { return now }, nil), rng: rand.New(rand.NewPCG(3, 5)),
			emails: []string{"rep@example.com"}, start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		_, err = c.svc.ImportDealBatch(ctx, DealBatch{Deals: c.deals(50)})
		require.NoError(t, err)
		_, err = c.svc.ImportActivityBatch(ctx, ActivityBatch{Activities: c.activities(80)})
		require.NoError(t, err)
		kept := repSums(t, db.Gorm)
		require.NotEmpty(t, kept)

		// As before the upgrade: CRM rows, no sums.
		require.NoError(t, db.Gorm.Exec("DELETE FROM sales_rep_periods").Error)
		require.NoError(t, db.Gorm.Exec("DELETE FROM sales_rep_periods_built").Error)
		built, err := c.svc.BuildRepSums(ctx)
		require.NoError(t, err)
		require.True(t, built)
		require.Equal(t, kept, repSums(t, db.Gorm))

		require.NoError(t, db.Gorm.Exec("DELETE FROM sales_rep_periods WHERE grain = 'week'").Error)
		built, err = c.svc.BuildRepSums(ctx)
		require.NoError(t, err)
		require.False(t, built, "built once: a later start does not read the whole CRM again")
		require.NotEqual(t, kept, repSums(t, db.Gorm))
	})
}
