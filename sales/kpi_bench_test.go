package sales

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pulsehq/pulse/survey"
)

// benchBook is a book as the database hands it over for a team of 40 reps
// by quarter over a year: sums per rep and period, a few leads and quotas.
func benchBook() (*book, subject) {
	rng := rand.New(rand.NewPCG(3, 4))
	ps, _ := periods(survey.ByQuarter, ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		ptr(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)), time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
	b := &book{groupBy: survey.ByQuarter, owners: map[int64]*ownerBook{}, holdings: map[int64]holdings{}}
	b.ext = append([]Period{{Start: step(survey.ByQuarter, ps[0].Start, -1), End: ps[0].Start}}, ps...)
	s := subject{reps: map[int64]bool{}}
	for id := int64(1); id <= 40; id++ {
		s.reps[id] = true
		b.holdings[id] = holdings{deals: true, activities: true, any: true}
		o := b.owner(id)
		o.createdBefore, o.closedBefore = 400, 380
		for i := range o.periods {
			won := 20 + rng.IntN(20)
			o.periods[i] = sums{won: won, lost: 30, closed: won + 30, revenue: int64(won) * 2_500_000,
				cycleMicros: int64(won) * 40 * 86400 * 1e6, created: 80, followedUp: 30, calls: 300, meetings: 80}
			for range 20 {
				m := rng.Float64() * 600
				o.leads = append(o.leads, leadFact{period: i, converted: rng.IntN(4) == 0, answered: true, minutes: m})
			}
		}
		for _, p := range ps {
			o.quotas = append(o.quotas, Quota{OwnerID: id, PeriodKind: PeriodQuarter, PeriodStart: p.Start, AmountCents: 80_000_000})
		}
		b.ids = append(b.ids, id)
	}
	return b, s
}

// BenchmarkBookKPIs is the Go arithmetic of a team's quarterly table once
// the database has added up the sums.
func BenchmarkBookKPIs(b *testing.B) {
	bk, team := benchBook()
	b.ReportAllocs()
	for b.Loop() {
		bk.kpis(team)
		for id := range team.reps {
			bk.kpis(subject{reps: map[int64]bool{id: true}})
		}
	}
}
