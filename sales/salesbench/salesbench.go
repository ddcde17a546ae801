// Package salesbench fills a Pulse database with a made-up CRM: teams of
// reps with deals, activities, leads, quotas and spend, drawn from a seed so
// that the same scenario always gives the same rows. Benchmarks and the
// equivalence tests of the sales KPIs use it; it writes straight to the
// tables (COPY on PostgreSQL) and must never be pointed at a real install.
package salesbench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales/rollup"
)

// Scenario says how big the made-up CRM is and over which months.
type Scenario struct {
	Seed        uint64
	Teams       int // every third team is a sub-team of the one before it
	RepsPerTeam int
	Deals       int
	Activities  int
	Leads       int
	Start       time.Time // the first month, UTC
	Months      int       // deals, activities and leads fall in these months
	// Edges puts some times exactly on period boundaries, closes some deals
	// the moment they are created and others at midnight on the first of
	// the next month, for tests of the edge cases.
	Edges bool
}

// Million is the scale of the KPI target: 1M deals and 5M activities over
// three years, 50 teams of 20 reps.
func Million() Scenario {
	return Scenario{Seed: 1, Teams: 50, RepsPerTeam: 20, Deals: 1_000_000, Activities: 5_000_000, Leads: 200_000,
		Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Months: 36}
}

// World is what Generate made: the ids a report asks about.
type World struct {
	HR    directory.Employee // an HR admin, who may see everything
	Teams []int64
	Reps  []int64
}

// Generate writes the scenario's people and sales data into db, which must
// hold no sales data yet.
func Generate(ctx context.Context, db *database.DB, sc Scenario) (World, error) {
	w, err := people(ctx, db, sc)
	if err != nil {
		return w, err
	}
	g := &gen{sc: sc, reps: w.Reps, rng: rand.New(rand.NewPCG(sc.Seed, 0x5a1e5)),
		start: sc.Start.UTC(), end: sc.Start.UTC().AddDate(0, sc.Months, 0), now: sc.Start.AddDate(0, sc.Months, 0)}
	for _, t := range []struct {
		name string
		cols []string
		n    int
		row  func(i int) []any
	}{
		{"sales_deals", dealColumns, sc.Deals, g.deal},
		{"sales_activities", activityColumns, sc.Activities, g.activity},
		{"sales_leads", leadColumns, sc.Leads, g.lead},
	} {
		if err := insert(ctx, db, t.name, t.cols, t.n, t.row); err != nil {
			return w, fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if err := g.quotas(ctx, db); err != nil {
		return w, err
	}
	if err := g.spend(ctx, db); err != nil {
		return w, err
	}
	// The rows went in around the import, so the reps' period sums are
	// built from them here, as an upgraded install's are on its first start.
	err = db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := rollup.Lock(tx); err != nil {
			return err
		}
		return rollup.Rebuild(tx, g.now)
	})
	if err != nil {
		return w, fmt.Errorf("sales_rep_periods: %w", err)
	}
	// Statistics for the planner, and on PostgreSQL a visibility map, so
	// that the first queries see the tables as autovacuum soon would.
	analyze := "ANALYZE"
	if db.Dialect == database.Postgres {
		analyze = "VACUUM ANALYZE"
	}
	_, err = db.SQL.ExecContext(ctx, analyze)
	return w, err
}

func people(ctx context.Context, db *database.DB, sc Scenario) (World, error) {
	now := func() time.Time { return sc.Start }
	dir := directory.New(db.Gorm, now)
	var w World
	var err error
	w.HR, err = dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "hr@bench.example", Name: "HR", Role: directory.RoleHRAdmin})
	if err != nil {
		return w, err
	}
	for t := range sc.Teams {
		in := directory.TeamInput{Name: fmt.Sprintf("Sales %03d", t)}
		if t%3 == 2 {
			in.ParentID = &w.Teams[t-1]
		}
		team, err := dir.CreateTeam(ctx, in)
		if err != nil {
			return w, err
		}
		w.Teams = append(w.Teams, team.ID)
	}
	// Reps go in by the thousand, not through the directory one by one.
	cols := []string{"email", "name", "team_id", "role", "locale", "active", "created_at", "updated_at"}
	err = insert(ctx, db, "employees", cols, sc.Teams*sc.RepsPerTeam, func(i int) []any {
		t, r := i/sc.RepsPerTeam, i%sc.RepsPerTeam
		return []any{fmt.Sprintf("rep%03d.%03d@bench.example", t, r), fmt.Sprintf("Rep %03d.%03d", t, r), w.Teams[t],
			string(directory.RoleEmployee), "en", true, sc.Start, sc.Start}
	})
	if err != nil {
		return w, err
	}
	return w, db.Gorm.WithContext(ctx).Model(&directory.Employee{}).Where("email LIKE ?", "rep%@bench.example").
		Order("email").Pluck("id", &w.Reps).Error
}

// Find reads back the World of a database Generate filled earlier, so a
// benchmark can run again without writing millions of rows again.
func Find(ctx context.Context, db *database.DB) (World, error) {
	var w World
	tx := db.Gorm.WithContext(ctx)
	if err := tx.Where("email = ?", "hr@bench.example").First(&w.HR).Error; err != nil {
		return w, fmt.Errorf("no generated CRM here: %w", err)
	}
	if err := tx.Model(&directory.Team{}).Where("name LIKE ?", "Sales %").Order("name").Pluck("id", &w.Teams).Error; err != nil {
		return w, err
	}
	return w, tx.Model(&directory.Employee{}).Where("email LIKE ?", "rep%@bench.example").Order("email").Pluck("id", &w.Reps).Error
}

var (
	dealColumns     = []string{"external_id", "owner_id", "amount_cents", "currency", "stage", "outcome", "created", "closed", "imported_at"}
	activityColumns = []string{"external_id", "owner_id", "kind", "occurred_at", "deal_external_id", "imported_at"}
	leadColumns     = []string{"external_id", "owner_id", "created", "first_response", "converted", "imported_at"}
)

// gen draws rows; it is used in one order only, so a seed gives one CRM.
type gen struct {
	sc              Scenario
	reps            []int64
	rng             *rand.Rand
	start, end, now time.Time
}

func (g *gen) rep() int64 { return g.reps[g.rng.IntN(len(g.reps))] }

// when is a time in the scenario's months, to the second; with Edges, one
// in ten is midnight on the first of a month or on a Monday.
func (g *gen) when() time.Time {
	t := g.start.Add(time.Duration(g.rng.Int64N(int64(g.end.Sub(g.start)/time.Second))) * time.Second)
	if g.sc.Edges && g.rng.IntN(10) == 0 {
		y, m, d := t.Date()
		if g.rng.IntN(2) == 0 {
			return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		}
		return time.Date(y, m, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
	}
	return t
}

func (g *gen) deal(i int) []any {
	created := g.when()
	outcome := []string{"won", "won", "won", "lost", "lost", "open"}[g.rng.IntN(6)]
	var closed *time.Time
	if outcome != "open" {
		c := created.Add(time.Duration(g.rng.Int64N(120*24*3600)) * time.Second)
		if g.sc.Edges {
			switch g.rng.IntN(20) {
			case 0:
				c = created
			case 1:
				y, m, _ := created.Date()
				c = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
			}
		}
		closed = &c
	}
	return []any{fmt.Sprintf("d%d", i), g.rep(), 100_000 + g.rng.Int64N(10_000_000), "EUR", "", outcome, created, closed, g.now}
}

func (g *gen) activity(i int) []any {
	kind := []string{"call", "call", "meeting", "email", "follow_up"}[g.rng.IntN(5)]
	deal := ""
	if g.sc.Deals > 0 && (kind == "follow_up" || g.rng.IntN(3) == 0) {
		deal = fmt.Sprintf("d%d", g.rng.IntN(g.sc.Deals))
	}
	return []any{fmt.Sprintf("a%d", i), g.rep(), kind, g.when(), deal, g.now}
}

func (g *gen) lead(i int) []any {
	created := g.when()
	var owner *int64
	if g.rng.IntN(10) > 0 {
		r := g.rep()
		owner = &r
	}
	var response *time.Time
	if g.rng.IntN(10) < 7 {
		r := created.Add(time.Duration(g.rng.Int64N(3*24*3600)) * time.Second)
		response = &r
	}
	return []any{fmt.Sprintf("l%d", i), owner, created, response, g.rng.IntN(5) == 0, g.now}
}

// quotas gives each rep a quota per quarter, or, for one rep in four, per
// month: never both, as the import insists.
func (g *gen) quotas(ctx context.Context, db *database.DB) error {
	type quota struct {
		owner  int64
		kind   string
		start  time.Time
		amount int64
	}
	var qs []quota
	for i, rep := range g.reps {
		kind, months := "quarter", 3
		if i%4 == 0 {
			kind, months = "month", 1
		}
		for m := 0; m < g.sc.Months; m += months {
			qs = append(qs, quota{rep, kind, g.start.AddDate(0, m, 0), g.rng.Int64N(20_000_000 * int64(months))})
		}
	}
	return insert(ctx, db, "sales_quotas", []string{"owner_id", "period_kind", "period_start", "amount_cents", "imported_at"},
		len(qs), func(i int) []any { q := qs[i]; return []any{q.owner, q.kind, q.start, q.amount, g.now} })
}

// spend is given per month, with one month in ten missing, so that some
// quarters are only partly covered.
func (g *gen) spend(ctx context.Context, db *database.DB) error {
	var months []time.Time
	for m := range g.sc.Months {
		if g.rng.IntN(10) > 0 {
			months = append(months, g.start.AddDate(0, m, 0))
		}
	}
	return insert(ctx, db, "sales_spend", []string{"period_kind", "period_start", "sales_cost_cents", "marketing_cost_cents", "imported_at"},
		len(months), func(i int) []any {
			return []any{"month", months[i], g.rng.Int64N(50_000_000), g.rng.Int64N(30_000_000), g.now}
		})
}
