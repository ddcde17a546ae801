package sales

import (
	"math"
	"slices"
	"time"
)

// The KPI arithmetic (PRODUCT.md section 6) is pure: no database, no clock.
// It reads a book, the sums the database made per owner and period.
// A KPI whose inputs are missing is null with a reason, never a made-up 0.

// Metric is one KPI value, or null with the reason it cannot be given.
type Metric struct {
	Value  *float64 `json:"value"`
	Reason string   `json:"reason,omitempty"`
}

func value(v float64) Metric    { return Metric{Value: &v} }
func none(reason string) Metric { return Metric{Reason: reason} }

// KPIs are one subject's figures for one period. Money is in the install's
// currency units, rates are shares from 0 to 1, growth is a percentage.
type KPIs struct {
	Revenue             Metric `json:"revenue"`
	Growth              Metric `json:"sales_growth"`
	ConversionRate      Metric `json:"conversion_rate"`
	AverageDealSize     Metric `json:"average_deal_size"`
	WinRate             Metric `json:"win_rate"`
	SalesCycleDays      Metric `json:"sales_cycle_days"`
	PipelineVelocity    Metric `json:"pipeline_velocity"`
	QuotaAttainment     Metric `json:"quota_attainment"`
	RepsAtQuota         Metric `json:"reps_at_or_above_quota"`
	Calls               Metric `json:"calls"`
	Meetings            Metric `json:"meetings"`
	LeadResponseMinutes Metric `json:"lead_response_minutes"`
	FollowUpRate        Metric `json:"follow_up_rate"`
	CAC                 Metric `json:"cac"`
	CLV                 Metric `json:"clv"`
	DealsWon            int    `json:"deals_won"`
	DealsLost           int    `json:"deals_lost"`
	OpenDeals           int    `json:"open_deals"`
}

// kpiFields names every KPI, in the order the alongside view correlates them.
var kpiFields = []struct {
	name string
	get  func(KPIs) Metric
}{
	{"revenue", func(k KPIs) Metric { return k.Revenue }},
	{"sales_growth", func(k KPIs) Metric { return k.Growth }},
	{"conversion_rate", func(k KPIs) Metric { return k.ConversionRate }},
	{"average_deal_size", func(k KPIs) Metric { return k.AverageDealSize }},
	{"win_rate", func(k KPIs) Metric { return k.WinRate }},
	{"sales_cycle_days", func(k KPIs) Metric { return k.SalesCycleDays }},
	{"pipeline_velocity", func(k KPIs) Metric { return k.PipelineVelocity }},
	{"quota_attainment", func(k KPIs) Metric { return k.QuotaAttainment }},
	{"reps_at_or_above_quota", func(k KPIs) Metric { return k.RepsAtQuota }},
	{"calls", func(k KPIs) Metric { return k.Calls }},
	{"meetings", func(k KPIs) Metric { return k.Meetings }},
	{"lead_response_minutes", func(k KPIs) Metric { return k.LeadResponseMinutes }},
	{"follow_up_rate", func(k KPIs) Metric { return k.FollowUpRate }},
	{"cac", func(k KPIs) Metric { return k.CAC }},
	{"clv", func(k KPIs) Metric { return k.CLV }},
}

// clvReason says why CLV is always null.
const clvReason = "not computable from these inputs: deals carry no customer, margin or churn, so repeat purchases and lifetime are unknown"

// Period is a half-open span [Start, End) in UTC.
type Period struct {
	Start, End time.Time
}

// subject is whose figures are computed: a set of reps, or the whole
// company (all nil), which alone includes unassigned leads and CAC.
type subject struct {
	reps map[int64]bool // nil: everyone
}

func (s subject) has(owner int64) bool { return s.reps == nil || s.reps[owner] }

func cents(c int64) float64 { return float64(c) / 100 }

// share is the part of a quota or spend period that falls in p.
func share(kind string, start time.Time, p Period) float64 {
	end := periodEnd(kind, start)
	from, to := start, end
	if p.Start.After(from) {
		from = p.Start
	}
	if p.End.Before(to) {
		to = p.End
	}
	if !from.Before(to) {
		return 0
	}
	return float64(to.Sub(from)) / float64(end.Sub(start))
}

func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// kpis gives subject's figures for each period asked of the book.
func (b *book) kpis(s subject) []KPIs {
	tot := make([]sums, len(b.ext))
	open := make([]int, len(b.ext))
	openNow := 0
	for _, id := range b.ids {
		if !s.has(id) {
			continue
		}
		o := b.owners[id]
		openNow += o.createdBefore - o.closedBefore
		for i := range tot {
			tot[i].add(o.periods[i])
		}
	}
	for i := range tot {
		openNow += tot[i].created - tot[i].closed
		open[i] = openNow
	}
	out := make([]KPIs, len(b.ext)-1)
	for i := range out {
		out[i] = b.periodKPIs(s, tot, open, i+1)
	}
	return out
}

// periodKPIs gives subject's figures for book period i; i-1 is the period
// before it, for growth.
func (b *book) periodKPIs(s subject, tot []sums, open []int, i int) KPIs {
	var k KPIs
	b.dealKPIs(&k, s, tot[i], tot[i-1], open[i])
	b.quotaKPIs(&k, s, i)
	b.activityKPIs(&k, s, tot[i])
	b.leadKPIs(&k, s, i)
	k.CAC = b.cac(s, b.ext[i], k.DealsWon)
	k.CLV = none(clvReason)
	return k
}

// holds reports whether any of subject's reps holds what has says, at any
// time.
func (b *book) holds(s subject, has func(holdings) bool) bool {
	for id := range s.reps {
		if has(b.holdings[id]) {
			return true
		}
	}
	return false
}

func (b *book) dealKPIs(k *KPIs, s subject, c, before sums, openAtEnd int) {
	k.DealsWon, k.DealsLost, k.OpenDeals = c.won, c.lost, openAtEnd
	anyDeal := b.anyDeals
	if s.reps != nil {
		anyDeal = b.holds(s, func(h holdings) bool { return h.deals })
	}
	if !anyDeal {
		m := none("no deals imported for these reps")
		k.Revenue, k.Growth, k.AverageDealSize, k.WinRate, k.SalesCycleDays, k.PipelineVelocity = m, m, m, m, m, m
		return
	}
	revenue := cents(c.revenue)
	k.Revenue = value(revenue)
	if prev := cents(before.revenue); prev > 0 {
		k.Growth = value((revenue - prev) / prev * 100)
	} else {
		k.Growth = none("no revenue in the previous period to grow from")
	}
	if c.won+c.lost > 0 {
		k.WinRate = value(float64(c.won) / float64(c.won+c.lost))
	} else {
		k.WinRate = none("no deals won or lost in the period")
	}
	if c.won == 0 {
		k.AverageDealSize, k.SalesCycleDays = none("no deals won in the period"), none("no deals won in the period")
		k.PipelineVelocity = none("needs a win rate, an average deal size and a cycle length in the period")
		return
	}
	avg, cycle := revenue/float64(c.won), float64(c.cycleMicros)/1e6/(24*60*60)/float64(c.won)
	k.AverageDealSize, k.SalesCycleDays = value(avg), value(cycle)
	if cycle <= 0 {
		k.PipelineVelocity = none("the sales cycle is zero days long")
		return
	}
	k.PipelineVelocity = value(float64(openAtEnd) * *k.WinRate.Value * avg / cycle)
}

// quotaKPIs compares each rep with a quota in period i to their own won
// revenue there.
func (b *book) quotaKPIs(k *KPIs, s subject, i int) {
	p := b.ext[i]
	var target, achieved float64
	reps, atQuota := 0, 0
	for _, id := range b.ids {
		o := b.owners[id]
		if !s.has(id) || len(o.quotas) == 0 {
			continue
		}
		var quota float64
		for _, q := range o.quotas {
			quota += cents(q.AmountCents) * share(q.PeriodKind, q.PeriodStart, p)
		}
		if quota <= 0 {
			continue
		}
		revenue := cents(o.periods[i].revenue)
		reps++
		target += quota
		achieved += revenue
		if revenue >= quota {
			atQuota++
		}
	}
	if reps == 0 {
		k.QuotaAttainment, k.RepsAtQuota = none("no quota for the period"), none("no quota for the period")
		return
	}
	k.QuotaAttainment = value(achieved / target)
	k.RepsAtQuota = value(float64(atQuota) / float64(reps))
}

func (b *book) activityKPIs(k *KPIs, s subject, c sums) {
	anyActivity := b.anyActivities
	if s.reps != nil {
		anyActivity = b.holds(s, func(h holdings) bool { return h.activities })
	}
	if !anyActivity {
		m := none("no activities imported for these reps")
		k.Calls, k.Meetings, k.FollowUpRate = m, m, m
		return
	}
	k.Calls, k.Meetings = value(float64(c.calls)), value(float64(c.meetings))
	if c.created == 0 {
		k.FollowUpRate = none("no deals created in the period")
		return
	}
	k.FollowUpRate = value(float64(c.followedUp) / float64(c.created))
}

// leadKPIs counts subject's leads created in period i; the company's
// include unassigned ones (owner 0).
func (b *book) leadKPIs(k *KPIs, s subject, i int) {
	l := b.leadsOf(s, i)
	if l.created == 0 {
		k.ConversionRate, k.LeadResponseMinutes = none("no leads created in the period"), none("no leads created in the period")
		return
	}
	k.ConversionRate = value(float64(l.converted) / float64(l.created))
	if l.answered == 0 {
		k.LeadResponseMinutes = none("no lead created in the period has a first response")
		return
	}
	k.LeadResponseMinutes = value(l.medianMinutes)
}

// leadsOf sums up subject's leads created in period i: from the company's
// figures the database gave, or from the leads read.
func (b *book) leadsOf(s subject, i int) leadSummary {
	if s.reps == nil && b.companyLeads != nil {
		return b.companyLeads[i]
	}
	var out leadSummary
	var minutes []float64
	for _, id := range b.ids {
		if !s.has(id) {
			continue
		}
		for _, l := range b.owners[id].leads {
			if l.period != i {
				continue
			}
			out.created++
			if l.converted {
				out.converted++
			}
			if l.answered {
				minutes = append(minutes, l.minutes)
			}
		}
	}
	if out.answered = len(minutes); out.answered > 0 {
		out.medianMinutes = median(minutes)
	}
	return out
}

// cac is company-wide spend over deals won: spend is not kept per team, so
// it is never split across teams or reps by a guess.
func (b *book) cac(s subject, p Period, won int) Metric {
	if s.reps != nil {
		return none("spend is company-wide, so CAC is given only for the whole company")
	}
	var spend, covered float64
	for _, sp := range b.spend {
		f := share(sp.PeriodKind, sp.PeriodStart, p)
		spend += f * cents(sp.SalesCostCents+sp.MarketingCostCents)
		covered += f * float64(periodEnd(sp.PeriodKind, sp.PeriodStart).Sub(sp.PeriodStart))
	}
	switch {
	case covered == 0:
		return none("no spend imported for the period")
	case math.Abs(covered-float64(p.End.Sub(p.Start))) > float64(time.Hour):
		return none("spend covers only part of the period")
	case won == 0:
		return none("no deals won in the period")
	}
	return value(spend / float64(won))
}
