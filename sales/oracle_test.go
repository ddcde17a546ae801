package sales

// The KPI computation as it was before the database added up the figures:
// every input loaded into memory and walked per subject and period. It
// stays here, unchanged, as the oracle the SQL path must agree with.

import (
	"context"
	"math"
	"time"
)

// data is every sales input a computation may read.
type data struct {
	deals      []Deal
	activities []Activity
	leads      []Lead
	quotas     []Quota
	spend      []Spend
}

// computeKPIs gives subject's figures for period p; prev is the period
// before it, for growth.
func computeKPIs(d data, s subject, p, prev Period) KPIs {
	var k KPIs
	dealKPIs(&k, d, s, p, prev)
	quotaKPIs(&k, d, s, p)
	activityKPIs(&k, d, s, p)
	leadKPIs(&k, d, s, p)
	k.CAC = cac(d, s, p, k.DealsWon)
	k.CLV = none(clvReason)
	return k
}

type closedDeals struct {
	won, lost   int
	revenue     float64
	cycleDays   float64
	anyDeal     bool
	openAtClose int
}

func closedIn(d data, s subject, p Period) closedDeals {
	var c closedDeals
	for _, deal := range d.deals {
		if !s.has(deal.OwnerID) {
			continue
		}
		c.anyDeal = true
		if deal.Created.Before(p.End) && (deal.Closed == nil || !deal.Closed.Before(p.End)) {
			c.openAtClose++
		}
		if deal.Closed == nil || !p.contains(*deal.Closed) {
			continue
		}
		switch deal.Outcome {
		case Won:
			c.won++
			c.revenue += cents(deal.AmountCents)
			c.cycleDays += deal.Closed.Sub(deal.Created).Hours() / 24
		case Lost:
			c.lost++
		}
	}
	return c
}

func dealKPIs(k *KPIs, d data, s subject, p, prev Period) {
	c := closedIn(d, s, p)
	k.DealsWon, k.DealsLost, k.OpenDeals = c.won, c.lost, c.openAtClose
	if !c.anyDeal {
		m := none("no deals imported for these reps")
		k.Revenue, k.Growth, k.AverageDealSize, k.WinRate, k.SalesCycleDays, k.PipelineVelocity = m, m, m, m, m, m
		return
	}
	k.Revenue = value(c.revenue)
	if before := closedIn(d, s, prev); before.revenue > 0 {
		k.Growth = value((c.revenue - before.revenue) / before.revenue * 100)
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
	avg, cycle := c.revenue/float64(c.won), c.cycleDays/float64(c.won)
	k.AverageDealSize, k.SalesCycleDays = value(avg), value(cycle)
	if cycle <= 0 {
		k.PipelineVelocity = none("the sales cycle is zero days long")
		return
	}
	k.PipelineVelocity = value(float64(c.openAtClose) * *k.WinRate.Value * avg / cycle)
}

func quotaKPIs(k *KPIs, d data, s subject, p Period) {
	quota := map[int64]float64{}
	for _, q := range d.quotas {
		if s.has(q.OwnerID) {
			quota[q.OwnerID] += cents(q.AmountCents) * share(q.PeriodKind, q.PeriodStart, p)
		}
	}
	revenue := map[int64]float64{}
	for _, deal := range d.deals {
		if deal.Outcome == Won && deal.Closed != nil && p.contains(*deal.Closed) {
			revenue[deal.OwnerID] += cents(deal.AmountCents)
		}
	}
	var target, achieved float64
	reps, atQuota := 0, 0
	for rep, q := range quota {
		if q <= 0 {
			continue
		}
		reps++
		target += q
		achieved += revenue[rep]
		if revenue[rep] >= q {
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

func activityKPIs(k *KPIs, d data, s subject, p Period) {
	anyActivity, calls, meetings := false, 0, 0
	followedUp := map[string]bool{}
	for _, a := range d.activities {
		if a.Kind == KindFollowUp && a.DealExternalID != "" {
			followedUp[a.DealExternalID] = true
		}
		if !s.has(a.OwnerID) {
			continue
		}
		anyActivity = true
		if !p.contains(a.OccurredAt) {
			continue
		}
		switch a.Kind {
		case KindCall:
			calls++
		case KindMeeting:
			meetings++
		}
	}
	if !anyActivity {
		m := none("no activities imported for these reps")
		k.Calls, k.Meetings, k.FollowUpRate = m, m, m
		return
	}
	k.Calls, k.Meetings = value(float64(calls)), value(float64(meetings))
	created, followed := 0, 0
	for _, deal := range d.deals {
		if s.has(deal.OwnerID) && p.contains(deal.Created) {
			created++
			if followedUp[deal.ExternalID] {
				followed++
			}
		}
	}
	if created == 0 {
		k.FollowUpRate = none("no deals created in the period")
		return
	}
	k.FollowUpRate = value(float64(followed) / float64(created))
}

func leadKPIs(k *KPIs, d data, s subject, p Period) {
	created, converted := 0, 0
	var minutes []float64
	for _, l := range d.leads {
		if !s.hasLead(l) || !p.contains(l.Created) {
			continue
		}
		created++
		if l.Converted {
			converted++
		}
		if l.FirstResponse != nil {
			minutes = append(minutes, l.FirstResponse.Sub(l.Created).Minutes())
		}
	}
	if created == 0 {
		k.ConversionRate, k.LeadResponseMinutes = none("no leads created in the period"), none("no leads created in the period")
		return
	}
	k.ConversionRate = value(float64(converted) / float64(created))
	if len(minutes) == 0 {
		k.LeadResponseMinutes = none("no lead created in the period has a first response")
		return
	}
	k.LeadResponseMinutes = value(median(minutes))
}

// cac is company-wide spend over deals won: spend is not kept per team, so
// it is never split across teams or reps by a guess.
func cac(d data, s subject, p Period, won int) Metric {
	if s.reps != nil {
		return none("spend is company-wide, so CAC is given only for the whole company")
	}
	var spend, covered float64
	for _, sp := range d.spend {
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

func (s *Service) load(ctx context.Context) (data, error) {
	var d data
	tx := s.db.WithContext(ctx)
	for _, dst := range []any{&d.deals, &d.activities, &d.leads, &d.quotas, &d.spend} {
		if err := tx.Find(dst).Error; err != nil {
			return d, err
		}
	}
	for i := range d.quotas {
		d.quotas[i].PeriodStart = d.quotas[i].PeriodStart.UTC()
	}
	for i := range d.spend {
		d.spend[i].PeriodStart = d.spend[i].PeriodStart.UTC()
	}
	return d, nil
}

// oracleRows computes one subject's KPIs for every period.
func oracleRows(d data, who Subject, s subject, groupBy string, ps []Period, now time.Time) []KPIRow {
	out := make([]KPIRow, len(ps))
	for i, p := range ps {
		prev := Period{Start: step(groupBy, p.Start, -1), End: p.Start}
		out[i] = KPIRow{Subject: who, PeriodStart: p.Start.Format(time.DateOnly), PeriodEnd: p.End.Format(time.DateOnly),
			KPIs: computeKPIs(d, s, p, prev), InProgress: p.End.After(now)}
	}
	return out
}

func currencyOf(d data) string {
	for _, deal := range d.deals {
		if deal.Currency != "" {
			return deal.Currency
		}
	}
	return ""
}

// owners is everyone who owns any sales data.
func (d data) owners() map[int64]bool {
	set := map[int64]bool{}
	for _, x := range d.deals {
		set[x.OwnerID] = true
	}
	for _, x := range d.activities {
		set[x.OwnerID] = true
	}
	for _, x := range d.leads {
		if x.OwnerID != nil {
			set[*x.OwnerID] = true
		}
	}
	for _, x := range d.quotas {
		set[x.OwnerID] = true
	}
	return set
}

func (p Period) contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

func (s subject) hasLead(l Lead) bool {
	return s.reps == nil || (l.OwnerID != nil && s.reps[*l.OwnerID])
}
