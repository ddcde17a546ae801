package sales

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func day(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

// kpiWorld is a small book of business, worked by hand below for March 2026.
// Rep 1 and rep 2 form the team; rep 3 owns nothing.
var kpiWorld = data{
	deals: []Deal{
		{ExternalID: "d1", OwnerID: 1, AmountCents: 1_000_000, Outcome: Won, Created: day(2, 1, 0, 0), Closed: ptr(day(3, 3, 0, 0))},  // 30 days
		{ExternalID: "d2", OwnerID: 1, AmountCents: 2_000_000, Outcome: Won, Created: day(3, 1, 0, 0), Closed: ptr(day(3, 11, 0, 0))}, // 10 days
		{ExternalID: "d3", OwnerID: 2, AmountCents: 500_000, Outcome: Lost, Created: day(2, 10, 0, 0), Closed: ptr(day(3, 20, 0, 0))}, // lost
		{ExternalID: "d4", OwnerID: 2, AmountCents: 800_000, Outcome: Open, Created: day(3, 5, 0, 0)},                                 // open
		{ExternalID: "d5", OwnerID: 1, AmountCents: 400_000, Outcome: Won, Created: day(1, 1, 0, 0), Closed: ptr(day(2, 15, 0, 0))},   // February
		{ExternalID: "d6", OwnerID: 2, AmountCents: 700_000, Outcome: Won, Created: day(3, 25, 0, 0), Closed: ptr(day(4, 10, 0, 0))},  // open at March's end
	},
	activities: []Activity{
		{OwnerID: 1, Kind: KindCall, OccurredAt: day(3, 2, 9, 0), DealExternalID: "d2"},
		{OwnerID: 1, Kind: KindMeeting, OccurredAt: day(3, 4, 9, 0)},
		{OwnerID: 2, Kind: KindCall, OccurredAt: day(3, 6, 9, 0)},
		{OwnerID: 1, Kind: KindFollowUp, OccurredAt: day(3, 12, 9, 0), DealExternalID: "d2"},
		{OwnerID: 2, Kind: KindFollowUp, OccurredAt: day(2, 20, 9, 0), DealExternalID: "d3"},
		{OwnerID: 1, Kind: KindEmail, OccurredAt: day(3, 8, 9, 0)},
	},
	leads: []Lead{
		{OwnerID: ptr(int64(1)), Created: day(3, 1, 10, 0), FirstResponse: ptr(day(3, 1, 10, 30)), Converted: true}, // 30 min
		{OwnerID: ptr(int64(2)), Created: day(3, 2, 9, 0), FirstResponse: ptr(day(3, 2, 11, 0))},                    // 120 min
		{OwnerID: ptr(int64(1)), Created: day(3, 3, 9, 0), Converted: true},                                         // no response
		{Created: day(3, 4, 12, 0), FirstResponse: ptr(day(3, 4, 12, 10))},                                          // unassigned, 10 min
		{OwnerID: ptr(int64(1)), Created: day(2, 1, 9, 0), Converted: true},                                         // February
	},
	quotas: []Quota{
		{OwnerID: 1, PeriodKind: PeriodMonth, PeriodStart: day(3, 1, 0, 0), AmountCents: 2_000_000},
		{OwnerID: 2, PeriodKind: PeriodQuarter, PeriodStart: day(1, 1, 0, 0), AmountCents: 3_000_000}, // 31 of its 90 days in March
	},
	spend: []Spend{{PeriodKind: PeriodMonth, PeriodStart: day(3, 1, 0, 0), SalesCostCents: 3_000_000, MarketingCostCents: 1_500_000}},
}

// want is a KPI's expected value; nil means null (with some reason).
type want map[string]*float64

func TestKPIsAreHandComputed(t *testing.T) {
	t.Parallel()
	march := Period{Start: day(3, 1, 0, 0), End: day(4, 1, 0, 0)}
	feb := Period{Start: day(2, 1, 0, 0), End: day(3, 1, 0, 0)}
	bQuota := 30000.0 * 31 / 90 // rep 2's quarterly quota, prorated by days
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name string
		who  subject
		want want
	}{
		{"team of reps 1 and 2", subject{reps: map[int64]bool{1: true, 2: true}}, want{
			"revenue":                f(30000),                    // d1 + d2
			"sales_growth":           f(650),                      // (30000 − 4000) / 4000
			"conversion_rate":        f(2.0 / 3),                  // 2 of the 3 owned March leads
			"average_deal_size":      f(15000),                    // 30000 / 2
			"win_rate":               f(2.0 / 3),                  // 2 won, 1 lost
			"sales_cycle_days":       f(20),                       // (30 + 10) / 2
			"pipeline_velocity":      f(1000),                     // 2 open (d4, d6) × 2/3 × 15000 / 20
			"quota_attainment":       f(30000 / (20000 + bQuota)), // 0.989
			"reps_at_or_above_quota": f(0.5),                      // rep 1 yes, rep 2 no
			"calls":                  f(2),                        //
			"meetings":               f(1),                        //
			"lead_response_minutes":  f(75),                       // median of 30 and 120
			"follow_up_rate":         f(1.0 / 3),                  // d2 of d2, d4, d6
			"cac":                    nil,                         // spend is company-wide
			"clv":                    nil,                         // never computable
		}},
		{"rep 1", subject{reps: map[int64]bool{1: true}}, want{
			"revenue": f(30000), "sales_growth": f(650), "conversion_rate": f(1), "average_deal_size": f(15000),
			"win_rate": f(1), "sales_cycle_days": f(20), "pipeline_velocity": f(0), "quota_attainment": f(1.5),
			"reps_at_or_above_quota": f(1), "calls": f(1), "meetings": f(1), "lead_response_minutes": f(30),
			"follow_up_rate": f(1), "cac": nil, "clv": nil,
		}},
		{"rep 2: a real zero is a zero, a missing input is null", subject{reps: map[int64]bool{2: true}}, want{
			"revenue": f(0), "sales_growth": nil, "conversion_rate": f(0), "average_deal_size": nil,
			"win_rate": f(0), "sales_cycle_days": nil, "pipeline_velocity": nil, "quota_attainment": f(0),
			"reps_at_or_above_quota": f(0), "calls": f(1), "meetings": f(0), "lead_response_minutes": f(120),
			"follow_up_rate": f(0), "cac": nil, "clv": nil,
		}},
		{"rep 3 has no data at all", subject{reps: map[int64]bool{3: true}}, want{
			"revenue": nil, "sales_growth": nil, "conversion_rate": nil, "average_deal_size": nil, "win_rate": nil,
			"sales_cycle_days": nil, "pipeline_velocity": nil, "quota_attainment": nil, "reps_at_or_above_quota": nil,
			"calls": nil, "meetings": nil, "lead_response_minutes": nil, "follow_up_rate": nil, "cac": nil, "clv": nil,
		}},
		{"the company, with the unassigned lead and CAC", subject{}, want{
			"revenue": f(30000), "sales_growth": f(650), "conversion_rate": f(0.5), "average_deal_size": f(15000),
			"win_rate": f(2.0 / 3), "sales_cycle_days": f(20), "pipeline_velocity": f(1000),
			"quota_attainment": f(30000 / (20000 + bQuota)), "reps_at_or_above_quota": f(0.5), "calls": f(2),
			"meetings": f(1), "lead_response_minutes": f(30), "follow_up_rate": f(1.0 / 3),
			"cac": f(22500), // (30000 + 15000) / 2 won
			"clv": nil,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := computeKPIs(kpiWorld, tt.who, march, feb)
			require.Len(t, tt.want, len(kpiFields))
			for _, field := range kpiFields {
				m, w := field.get(k), tt.want[field.name]
				if w == nil {
					require.Nil(t, m.Value, field.name)
					require.NotEmpty(t, m.Reason, "%s: a null KPI says why", field.name)
					continue
				}
				require.NotNil(t, m.Value, "%s: %s", field.name, m.Reason)
				require.InDelta(t, *w, *m.Value, 1e-9, field.name)
			}
		})
	}
}

func TestCACNeedsSpendForTheWholePeriod(t *testing.T) {
	t.Parallel()
	q1 := Period{Start: day(1, 1, 0, 0), End: day(4, 1, 0, 0)}
	k := computeKPIs(kpiWorld, subject{}, q1, Period{Start: day(10, 1, 0, 0).AddDate(-1, 0, 0), End: q1.Start})
	require.Nil(t, k.CAC.Value)
	require.Equal(t, "spend covers only part of the period", k.CAC.Reason)
}

func TestPeriods(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 14, 12, 0, 0, 0, time.UTC) // a Thursday
	ps, err := periods("week", nil, nil, now)
	require.NoError(t, err)
	require.Len(t, ps, 13)
	require.Equal(t, "2026-05-11", ps[12].Start.Format(time.DateOnly), "weeks start on Monday")
	ps, err = periods("quarter", ptr(day(2, 10, 0, 0)), ptr(day(7, 1, 0, 0)), now)
	require.NoError(t, err)
	require.Equal(t, []Period{{day(1, 1, 0, 0), day(4, 1, 0, 0)}, {day(4, 1, 0, 0), day(7, 1, 0, 0)}}, ps)
	_, err = periods("day", nil, nil, now)
	require.Error(t, err)
}

func TestSpearman(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		xs, ys []float64
		rho    float64
		ok     bool
	}{
		// Ranks of ys with the tie at 7 sharing 3.5: 1, 2, 3.5, 5, 3.5.
		// Σdxdy = 8, Σdx² = 10, Σdy² = 9.5: rho = 8 / √95.
		{"with a tie", []float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7}, 8 / 9.746794344808963, true},
		{"monotone, not linear", []float64{1, 2, 3, 4}, []float64{1, 10, 100, 1000}, 1, true},
		{"reversed", []float64{1, 2, 3}, []float64{3, 2, 1}, -1, true},
		{"no variation", []float64{1, 2, 3}, []float64{4, 4, 4}, 0, false},
	}
	for _, tt := range tests {
		rho, ok := Spearman(tt.xs, tt.ys)
		require.Equal(t, tt.ok, ok, tt.name)
		require.InDelta(t, tt.rho, rho, 1e-9, tt.name)
	}
}

// A hand-checked rho over team-periods: suppressed and missing eNPS, and
// null KPIs, are left out of the pairs.
func TestCorrelateUsesOnlyShownENPS(t *testing.T) {
	t.Parallel()
	shown := func(enps, winRate float64) AlongsideRow {
		return AlongsideRow{ENPS: TeamENPS{Status: "shown", ENPS: &enps}, KPIs: KPIs{WinRate: value(winRate)}}
	}
	rows := []AlongsideRow{
		shown(-20, 0.10), shown(-10, 0.20), shown(0, 0.15), shown(10, 0.30),
		shown(20, 0.25), shown(30, 0.40), shown(40, 0.50),
		{ENPS: TeamENPS{Status: "suppressed"}, KPIs: KPIs{WinRate: value(0.99)}},
		{ENPS: TeamENPS{Status: "no_data"}, KPIs: KPIs{WinRate: value(0.01)}},
	}
	byKPI := func(cs []Correlation, name string) Correlation {
		for _, c := range cs {
			if c.KPI == name {
				return c
			}
		}
		t.Fatalf("no correlation for %s", name)
		return Correlation{}
	}
	c := byKPI(correlate(rows), "win_rate")
	require.Equal(t, 7, c.N)
	require.Nil(t, c.Rho)
	require.Equal(t, "not enough data", c.Note)

	rows = append(rows, shown(50, 0.45))
	c = byKPI(correlate(rows), "win_rate")
	require.Equal(t, 8, c.N)
	// eNPS ranks 1..8; win-rate ranks 1, 3, 2, 5, 4, 6, 8, 7: d² = 0,1,1,1,1,0,1,1 = 6;
	// rho = 1 − 6·6 / (8·63) = 1 − 36/504 = 0.928571…
	require.InDelta(t, 1-36.0/504, *c.Rho, 1e-9)
	require.Equal(t, 0, byKPI(correlate(rows), "clv").N)

	running := shown(60, 0.05)
	running.InProgress = true
	c = byKPI(correlate(append(rows, running)), "win_rate")
	require.Equal(t, 8, c.N, "a period still running is left out: its figures are partial")
	require.InDelta(t, 1-36.0/504, *c.Rho, 1e-9)
}

// A KPI that no team has, because it is not computed per team at all (CAC,
// CLV), says that rather than "not enough data", which would promise a
// number once more periods pass.
func TestCorrelationSaysWhyAKPIIsNeverThere(t *testing.T) {
	t.Parallel()
	march := Period{Start: day(3, 1, 0, 0), End: day(4, 1, 0, 0)}
	feb := Period{Start: day(2, 1, 0, 0), End: day(3, 1, 0, 0)}
	team := computeKPIs(kpiWorld, subject{reps: map[int64]bool{1: true, 2: true}}, march, feb)
	var rows []AlongsideRow
	for i := range 10 {
		enps := float64(i * 10)
		rows = append(rows, AlongsideRow{ENPS: TeamENPS{Status: "shown", ENPS: &enps}, KPIs: team})
	}
	notes := map[string]string{}
	for _, c := range correlate(rows) {
		notes[c.KPI] = c.Note
	}
	require.Equal(t, team.CAC.Reason, notes["cac"])
	require.Contains(t, notes["cac"], "company-wide")
	require.Equal(t, clvReason, notes["clv"])
	require.Equal(t, "no variation to rank", notes["revenue"], "a KPI that is there is correlated as before")

	few := slices.Clone(rows[:3])
	few[0].KPIs.WinRate = none("no deals won or lost in the period")
	few[1].KPIs.WinRate = none("no deals imported for these reps")
	for _, c := range correlate(few) {
		if c.KPI == "win_rate" {
			require.Equal(t, "not enough data", c.Note, "reasons that differ between rows are no single reason")
		}
	}
}

// A period that has not ended is marked, so its partial figures (a month
// begun yesterday has almost no revenue) are not read as a bad month.
func TestRowsMarkThePeriodStillRunning(t *testing.T) {
	t.Parallel()
	ps, err := periods("month", ptr(day(2, 1, 0, 0)), ptr(day(4, 1, 0, 0)), day(3, 14, 12, 0))
	require.NoError(t, err)
	got := map[string]bool{}
	for _, r := range oracleRows(kpiWorld, Subject{Kind: "company"}, subject{}, "month", ps, day(3, 14, 12, 0)) {
		got[r.PeriodStart] = r.InProgress
	}
	require.Equal(t, map[string]bool{"2026-02-01": false, "2026-03-01": true}, got)
}
