package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales"
)

// salesSeed fixes every random choice of the sales step.
const salesSeed = 20240611

// salesStory is how a sales team sells over the demo year: its win rate
// moves between the two values over change (fractions of the year), in step
// with its mood, so the alongside view shows the link.
type salesStory struct {
	winRate  [2]float64
	followUp [2]float64
	quota    float64 // monthly, per rep
	change   [2]float64
}

var salesStories = map[string]salesStory{
	// The spring commission plan: win rate and follow-through slide with eNPS.
	"Sales Americas": {winRate: [2]float64{0.38, 0.17}, followUp: [2]float64{0.8, 0.45}, quota: 60000,
		change: moodFor("Sales Americas").change},
	"Sales APAC": {winRate: [2]float64{0.3, 0.3}, followUp: [2]float64{0.7, 0.7}, quota: 45000, change: [2]float64{0, 1}},
}

var salesStep = Step{Name: "sales", Load: loadSales}

// loadSales gives the two sales teams a year of deals, activities, leads,
// monthly quotas, and the company monthly spend, through the same batch
// imports an API client uses.
func loadSales(ctx context.Context, tx *gorm.DB, now time.Time) error {
	svc := sales.New(tx, func() time.Time { return now }, nil)
	gen := &salesGen{r: rand.New(rand.NewPCG(salesSeed, salesSeed)), now: now.UTC(), start: now.UTC().AddDate(-1, 0, 0)}
	for _, team := range []string{"Sales Americas", "Sales APAC"} {
		var reps []directory.Employee
		err := tx.Joins("JOIN teams ON teams.id = employees.team_id").Where("teams.name = ? AND employees.role = ?",
			team, directory.RoleEmployee).Order("employees.id").Find(&reps).Error
		if err != nil {
			return err
		}
		for _, rep := range reps {
			gen.rep(rep.Email, salesStories[team])
		}
	}
	gen.spend()
	if _, err := svc.ImportDealBatch(ctx, sales.DealBatch{Deals: gen.deals}); err != nil {
		return fmt.Errorf("demo deals: %w", err)
	}
	steps := []func() error{
		func() error {
			_, err := svc.ImportActivityBatch(ctx, sales.ActivityBatch{Activities: gen.activities})
			return err
		},
		func() error { _, err := svc.ImportLeadBatch(ctx, sales.LeadBatch{Leads: gen.leads}); return err },
		func() error { _, err := svc.ImportQuotaBatch(ctx, sales.QuotaBatch{Quotas: gen.quotas}); return err },
		func() error { _, err := svc.ImportSpendBatch(ctx, sales.SpendBatch{Spend: gen.spending}); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("demo sales: %w", err)
		}
	}
	return nil
}

type salesGen struct {
	r          *rand.Rand
	now, start time.Time
	deals      []sales.DealInput
	activities []sales.ActivityInput
	leads      []sales.LeadInput
	quotas     []sales.QuotaInput
	spending   []sales.SpendInput
}

func (g *salesGen) id(kind string) string {
	return fmt.Sprintf("demo-%s-%d", kind, len(g.deals)+len(g.activities)+len(g.leads))
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

func (g *salesGen) rep(email string, story salesStory) {
	for week := g.start; week.Before(g.now); week = week.AddDate(0, 0, 7) {
		f := smoothstep(story.change[0], story.change[1], float64(week.Sub(g.start))/float64(g.now.Sub(g.start)))
		for range 1 + g.r.IntN(3) {
			g.deal(email, week, lerp(story.winRate[0], story.winRate[1], f), lerp(story.followUp[0], story.followUp[1], f))
		}
		for range 4 + g.r.IntN(5) {
			g.activity(email, "call", week, "")
		}
		for range 1 + g.r.IntN(3) {
			g.activity(email, "meeting", week, "")
		}
		for range 2 + g.r.IntN(3) {
			at := week.Add(time.Duration(g.r.IntN(7*24*60)) * time.Minute)
			lead := sales.LeadInput{ExternalID: g.id("lead"), OwnerEmail: email, CreatedAt: stamp(at), Converted: g.r.Float64() < 0.22}
			if response := at.Add(time.Duration(10+g.r.ExpFloat64()*120) * time.Minute); response.Before(g.now) {
				lead.FirstResponseAt = stamp(response)
			}
			g.leads = append(g.leads, lead)
		}
	}
	for m := time.Date(g.start.Year(), g.start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(g.now); m = m.AddDate(0, 1, 0) {
		g.quotas = append(g.quotas, sales.QuotaInput{OwnerEmail: email, Period: m.Format("2006-01"), Amount: sales.AmountOf(story.quota)})
	}
}

func (g *salesGen) deal(email string, week time.Time, winRate, followUp float64) {
	created := week.Add(time.Duration(g.r.IntN(5*24)) * time.Hour)
	closed := created.Add(time.Duration(14+g.r.IntN(50)) * 24 * time.Hour)
	amount := float64(5000 + 500*g.r.IntN(60))
	d := sales.DealInput{ExternalID: g.id("deal"), OwnerEmail: email, Amount: sales.AmountOf(amount), CreatedAt: stamp(created), Outcome: sales.Open}
	if closed.Before(g.now) {
		d.ClosedAt, d.Outcome = stamp(closed), sales.Lost
		if g.r.Float64() < winRate {
			d.Outcome = sales.Won
		}
	}
	g.deals = append(g.deals, d)
	if g.r.Float64() < followUp {
		g.activity(email, "follow_up", created.Add(48*time.Hour), d.ExternalID)
	}
}

func (g *salesGen) activity(email, kind string, week time.Time, deal string) {
	at := week.Add(time.Duration(g.r.IntN(5*24*60)) * time.Minute)
	if deal != "" {
		at = week
	}
	if !at.Before(g.now) {
		return
	}
	g.activities = append(g.activities, sales.ActivityInput{ExternalID: g.id("activity"), OwnerEmail: email, Kind: kind,
		OccurredAt: stamp(at), DealExternalID: deal})
}

func (g *salesGen) spend() {
	for m := time.Date(g.start.Year(), g.start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(g.now); m = m.AddDate(0, 1, 0) {
		salesCost, marketing := float64(110000+1000*g.r.IntN(20)), float64(50000+1000*g.r.IntN(20))
		g.spending = append(g.spending, sales.SpendInput{Period: m.Format("2006-01"), SalesCost: sales.AmountOf(salesCost), MarketingCost: sales.AmountOf(marketing)})
	}
}
