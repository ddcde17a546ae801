package sales_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
)

func newSales(t *testing.T, db *database.DB) *sales.Service {
	t.Helper()
	clock := func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
	dir := directory.New(db.Gorm, clock)
	for _, email := range []string{"ana@example.com", "ben@example.com"} {
		_, err := dir.CreateEmployee(t.Context(), directory.EmployeeInput{Email: email, Name: email[:3], Role: directory.RoleEmployee})
		require.NoError(t, err)
	}
	return sales.New(db.Gorm, clock, survey.NewService(db.Gorm, clock, []byte("test-secret-test-secret-test-secret")))
}

func count(t *testing.T, db *database.DB, table string) int64 {
	var n int64
	require.NoError(t, db.Gorm.Table(table).Count(&n).Error)
	return n
}

func problems(t *testing.T, err error) []fault.Problem {
	t.Helper()
	var invalid *fault.Invalid
	require.ErrorAs(t, err, &invalid)
	return invalid.Problems
}

const salesforceDeals = `Opportunity ID,Opportunity Name,Opportunity Owner,Amount,Stage,Created Date,Close Date,Won,Closed
006A,Acme renewal,ana@example.com,"12,500.00",Closed Won,2026-01-05,2026-02-10,1,1
006B,Globex,ANA@example.com,8000,Closed Lost,2026-01-20,2026-03-01,0,1
006C,Initech,ben@example.com,3000,Negotiation,2026-03-02,2026-06-30,0,0
`

func TestDealsImportIsIdempotentAndReadsSalesforceHeaders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newSales(t, db)
		res, err := svc.ImportDeals(t.Context(), strings.NewReader(salesforceDeals))
		require.NoError(t, err)
		require.Equal(t, sales.ImportResult{Created: 3}, res)

		res, err = svc.ImportDeals(t.Context(), strings.NewReader(salesforceDeals))
		require.NoError(t, err)
		require.Equal(t, sales.ImportResult{Updated: 3}, res, "a re-import updates in place")
		require.EqualValues(t, 3, count(t, db, "sales_deals"))

		var deals []sales.Deal
		require.NoError(t, db.Gorm.Order("external_id").Find(&deals).Error)
		require.Equal(t, []string{sales.Won, sales.Lost, sales.Open}, []string{deals[0].Outcome, deals[1].Outcome, deals[2].Outcome})
		require.EqualValues(t, 1_250_000, deals[0].AmountCents)
		require.Nil(t, deals[2].Closed, "an open deal's close date is only a forecast")
	})
}

func TestHubSpotHeadersAndStages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newSales(t, db)
		csv := "Deal ID,Deal Name,Deal owner,Amount,Deal Stage,Create Date,Close Date\n" +
			"9001,A,ana@example.com,100,closedwon,2026-02-01 10:00:00,2026-02-20 16:30:00\n" +
			"9002,B,ben@example.com,200,closedlost,2026-02-02T08:00:00Z,2026-02-21T08:00:00Z\n" +
			"9003,C,ben@example.com,300,appointmentscheduled,2026-02-03,\n"
		res, err := svc.ImportDeals(t.Context(), strings.NewReader(csv))
		require.NoError(t, err)
		require.Equal(t, 3, res.Created)
		var outcomes []string
		require.NoError(t, db.Gorm.Model(&sales.Deal{}).Order("external_id").Pluck("outcome", &outcomes).Error)
		require.Equal(t, []string{"won", "lost", "open"}, outcomes)
	})
}

func TestABadFileIsRefusedWholeWithEveryBadLine(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newSales(t, db)
		csv := "external_id,owner_email,amount,created_at,closed_at,outcome,currency\n" +
			"D1,ana@example.com,100,2026-01-01,2026-01-10,won,USD\n" + // fine
			"D2,nobody@example.com,100,2026-01-01,2026-01-10,won,USD\n" + // line 3: unknown owner
			"D3,ben@example.com,-5,3/4/2026,,won,USD\n" + // line 4: amount, created_at, closed_at
			"D1,ben@example.com,100,2026-01-01,,maybe,EUR\n" // line 5: duplicate id, outcome, currency
		_, err := svc.ImportDeals(t.Context(), strings.NewReader(csv))
		got := map[int][]string{}
		for _, p := range problems(t, err) {
			got[p.Line] = append(got[p.Line], p.Field)
		}
		require.Equal(t, map[int][]string{
			3: {"owner_email"},
			4: {"amount", "created_at", "closed_at"},
			5: {"currency", "outcome", "external_id"},
		}, got)
		require.Zero(t, count(t, db, "sales_deals"), "nothing is half-imported")

		_, err = svc.ImportDeals(t.Context(), strings.NewReader("Opportunity Name,Stage\nx,y\n"))
		fields := []string{}
		for _, p := range problems(t, err) {
			require.Equal(t, 1, p.Line)
			fields = append(fields, p.Field)
		}
		require.Equal(t, []string{"external_id", "owner_email", "amount", "created_at"}, fields)
	})
}

func TestOtherImports(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc := newSales(t, db)
		ctx := t.Context()
		acts := "Activity ID,Assigned To,Type,Date,Opportunity ID\nA1,ana@example.com,Call,2026-03-02,006A\n" +
			"A2,ana@example.com,Follow-up,2026-03-03T10:00:00Z,006A\nA3,ben@example.com,Meeting,2026-03-04,\n"
		res, err := svc.ImportActivities(ctx, strings.NewReader(acts))
		require.NoError(t, err)
		require.Equal(t, 3, res.Created)
		_, err = svc.ImportActivities(ctx, strings.NewReader("id,owner,type,date\nA9,ana@example.com,lunch,2026-03-02\n"))
		require.Equal(t, []fault.Problem{{Line: 2, Field: "kind", Reason: `must be call, meeting, email or follow_up, not "lunch"`}}, problems(t, err))

		leads := "Lead ID,Lead Owner,Created Date,First Response,Converted\nL1,ana@example.com,2026-03-01T10:00:00Z,2026-03-01T10:30:00Z,true\n" +
			"L2,,2026-03-02,,2026-03-09\n"
		res, err = svc.ImportLeads(ctx, strings.NewReader(leads))
		require.NoError(t, err)
		require.Equal(t, 2, res.Created, "a lead needs no owner; a conversion date means converted")

		quotas := "owner_email,period,amount\nana@example.com,2026-03,20000\nben@example.com,2026-Q1,30000\n"
		res, err = svc.ImportQuotas(ctx, strings.NewReader(quotas))
		require.NoError(t, err)
		require.Equal(t, sales.ImportResult{Created: 2}, res)
		res, err = svc.ImportQuotas(ctx, strings.NewReader(quotas))
		require.NoError(t, err)
		require.Equal(t, sales.ImportResult{Updated: 2}, res)
		_, err = svc.ImportQuotas(ctx, strings.NewReader("owner,month,quota\nana@example.com,2026-Q1,1\n"))
		require.Equal(t, "period", problems(t, err)[0].Field, "a quarter over a month would count twice")

		res, err = svc.ImportSpendBatch(ctx, sales.SpendBatch{Spend: []sales.SpendInput{
			{Period: "2026-03", SalesCost: sales.AmountOf(30000), MarketingCost: sales.AmountOf(15000)}}})
		require.NoError(t, err)
		require.Equal(t, 1, res.Created)
		_, err = svc.ImportSpendBatch(ctx, sales.SpendBatch{Spend: []sales.SpendInput{{Period: "March"}}})
		got := []string{}
		for _, p := range problems(t, err) {
			got = append(got, p.Field)
		}
		require.Equal(t, []string{"spend[0].period", "spend[0].sales_cost", "spend[0].marketing_cost"}, got)
		require.EqualValues(t, 1, count(t, db, "sales_spend"))
	})
}
