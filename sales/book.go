package sales

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/sales/rollup"
	"github.com/pulsehq/pulse/survey"
)

// A book is what the database adds up for a report: per owner and period,
// never a row per deal or activity. Deals and activities come summed per rep
// and week or month (sales_rep_periods, kept by sales/rollup), so a report
// reads reps × periods rows; leads, quotas and spend are few and read as rows. Only the
// owners asked for and the periods asked (with the one before, for growth)
// are read.

// sums are one owner's figures for one period.
type sums struct {
	won, lost   int   // deals closed in the period
	closed      int   // deals closed in the period, whatever the outcome
	revenue     int64 // cents of the deals won
	cycleMicros int64 // created-to-closed microseconds of the deals won
	created     int   // deals created in the period
	followedUp  int   // of those, the ones with a follow-up logged
	calls       int
	meetings    int
}

func (a *sums) add(b sums) {
	a.won, a.lost, a.closed = a.won+b.won, a.lost+b.lost, a.closed+b.closed
	a.revenue, a.cycleMicros = a.revenue+b.revenue, a.cycleMicros+b.cycleMicros
	a.created, a.followedUp = a.created+b.created, a.followedUp+b.followedUp
	a.calls, a.meetings = a.calls+b.calls, a.meetings+b.meetings
}

// leadFact is one lead created in a period of the book.
type leadFact struct {
	period    int
	converted bool
	answered  bool    // has a first response
	minutes   float64 // to the first response
}

// leadSummary is a subject's leads created in one period.
type leadSummary struct {
	created, converted, answered int
	medianMinutes                float64 // to the first response, of those answered
}

// ownerBook is one owner's part of a book; owner 0 holds unassigned leads.
type ownerBook struct {
	periods       []sums // by book period
	createdBefore int    // deals created before the book's first period
	closedBefore  int    // deals closed before it
	leads         []leadFact
	quotas        []Quota
}

// holdings says what sales data an owner has, at any time.
type holdings struct {
	deals, activities, any bool
}

// book holds the figures of some owners (or everyone) over ext: the periods
// asked, after the one before them.
type book struct {
	groupBy string
	ext     []Period
	index   map[string]int // period start (YYYY-MM-DD) -> ext index
	owners  map[int64]*ownerBook
	ids     []int64 // owners' keys, sorted, so sums add up in one order
	// holdings of the owners asked for; with everyone asked, only whether
	// anyone holds deals and activities.
	holdings                map[int64]holdings
	anyDeals, anyActivities bool
	spend                   []Spend // read only for everyone
	// companyLeads, by book period, when the database summed up the
	// company's leads (PostgreSQL has the median); else leads are rows.
	companyLeads []leadSummary
	everyone     bool
	dialect      string
	ownerIDs     []int64
}

// readBook adds up the sales data of owners (nil: everyone) over ps and the
// period before, in one snapshot.
func (s *Service) readBook(ctx context.Context, owners []int64, groupBy string, ps []Period) (*book, error) {
	b := &book{groupBy: groupBy, index: map[string]int{}, owners: map[int64]*ownerBook{}, holdings: map[int64]holdings{},
		everyone: owners == nil, ownerIDs: owners, dialect: s.db.Dialector.Name()}
	b.ext = append([]Period{{Start: step(groupBy, ps[0].Start, -1), End: ps[0].Start}}, ps...)
	for i, p := range b.ext {
		b.index[p.Start.Format(time.DateOnly)] = i
	}
	if owners != nil && len(owners) == 0 {
		return b, nil
	}
	var opts []*sql.TxOptions
	if b.dialect == "postgres" {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, read := range []func(*gorm.DB) error{b.readSums, b.readBefore, b.readLeads, b.readQuotas, b.readSpend, b.readHoldings} {
			if err := read(tx); err != nil {
				return err
			}
		}
		return nil
	}, opts...)
	for id := range b.owners {
		b.ids = append(b.ids, id)
	}
	slices.Sort(b.ids)
	return b, err
}

func (b *book) owner(id int64) *ownerBook {
	o := b.owners[id]
	if o == nil {
		o = &ownerBook{periods: make([]sums, len(b.ext))}
		b.owners[id] = o
	}
	return o
}

// span is the book's time range as query arguments.
func (b *book) span() (from, to time.Time) { return b.ext[0].Start, b.ext[len(b.ext)-1].End }

// where narrows a query to the book's owners and to col
// falling in the book's periods.
func (b *book) where(col string) (string, []any) {
	from, to := b.span()
	sql, args := col+" >= ? AND "+col+" < ?", []any{from, to}
	if !b.everyone {
		sql, args = sql+" AND owner_id IN ?", append(args, b.ownerIDs)
	}
	return sql, args
}

// scan runs a grouped query whose first two columns are the owner and the
// period start, handing each row's period sums to fill with the rest.
func (b *book) scan(tx *gorm.DB, query string, args []any, fill func(*sums) []any) error {
	rows, err := tx.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var owner int64
		var period periodColumn
		var row sums
		if err := rows.Scan(append([]any{&owner, &period}, fill(&row)...)...); err != nil {
			return err
		}
		if i, ok := b.index[string(period)]; ok {
			b.owner(owner).periods[i].add(row)
		}
	}
	return rows.Err()
}

// grain is the sums a book reads: weeks for weeks, months for months and
// quarters.
func (b *book) grain() string {
	if b.groupBy == survey.ByWeek {
		return rollup.Week
	}
	return rollup.Month
}

// readSums adds up the reps' period sums per book period: deals won, lost
// and closed, won cents and cycle time by the period they closed in; deals
// created and followed up by the period they were created in; calls and
// meetings.
func (b *book) readSums(tx *gorm.DB) error {
	from, to := b.span()
	where, args := "grain = ? AND period_start >= ? AND period_start < ?", []any{b.grain(), from.Format(time.DateOnly), to.Format(time.DateOnly)}
	if !b.everyone {
		where, args = where+" AND owner_id IN ?", append(args, b.ownerIDs)
	}
	query := "SELECT owner_id, " + sumsPeriodExpr(b.dialect, b.groupBy) + ` AS period,
		SUM(deals_won), SUM(deals_lost), SUM(deals_closed), CAST(SUM(won_cents) AS BIGINT),
		CAST(SUM(won_cycle_micros) AS BIGINT), SUM(deals_created), SUM(deals_followed_up), SUM(calls), SUM(meetings)
		FROM sales_rep_periods WHERE ` + where + " GROUP BY owner_id, period"
	return b.scan(tx, query, args, func(r *sums) []any {
		return []any{&r.won, &r.lost, &r.closed, &r.revenue, &r.cycleMicros, &r.created, &r.followedUp, &r.calls, &r.meetings}
	})
}

// readBefore counts the deals created and closed before the book's first
// period: with the counts per period they give the deals open at each
// period's end (a deal never closes before it was created).
func (b *book) readBefore(tx *gorm.DB) error {
	from, _ := b.span()
	query, args := "SELECT owner_id, SUM(deals_created), SUM(deals_closed) FROM sales_rep_periods WHERE grain = ? AND period_start < ?",
		[]any{b.grain(), from.Format(time.DateOnly)}
	if !b.everyone {
		query, args = query+" AND owner_id IN ?", append(args, b.ownerIDs)
	}
	rows, err := tx.Raw(query+" GROUP BY owner_id", args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var owner int64
		var created, closed int
		if err := rows.Scan(&owner, &created, &closed); err != nil {
			return err
		}
		o := b.owner(owner)
		o.createdBefore, o.closedBefore = created, closed
	}
	return rows.Err()
}

// readLeads reads the few leads created in the book's periods: their median
// response time is not a sum.
func (b *book) readLeads(tx *gorm.DB) error {
	if b.everyone && b.dialect == "postgres" {
		return b.readCompanyLeads(tx)
	}
	where, args := b.where("created")
	rows, err := tx.Raw("SELECT owner_id, created, first_response, converted FROM sales_leads WHERE "+where, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var owner sql.NullInt64
		var created time.Time
		var response sql.NullTime
		var converted bool
		if err := rows.Scan(&owner, &created, &response, &converted); err != nil {
			return err
		}
		i := b.periodOf(created)
		if i < 0 {
			continue
		}
		f := leadFact{period: i, converted: converted, answered: response.Valid}
		if response.Valid {
			f.minutes = response.Time.Sub(created).Minutes()
		}
		o := b.owner(owner.Int64) // 0: unassigned
		o.leads = append(o.leads, f)
	}
	return rows.Err()
}

// readCompanyLeads has PostgreSQL sum up every lead per period, median
// included, instead of handing over the company's leads one by one.
// date_part, not EXTRACT: a double, where EXTRACT computes in numeric.
func (b *book) readCompanyLeads(tx *gorm.DB) error {
	where, args := b.where("created")
	unit := map[string]string{survey.ByWeek: "week", survey.ByMonth: "month", survey.ByQuarter: "quarter"}[b.groupBy]
	rows, err := tx.Raw(`SELECT date_trunc('`+unit+`', created AT TIME ZONE 'UTC'), COUNT(*),
		SUM(CASE WHEN converted THEN 1 ELSE 0 END), COUNT(first_response),
		percentile_cont(0.5) WITHIN GROUP (ORDER BY date_part('epoch', first_response - created) / 60)
		FROM sales_leads WHERE `+where+" GROUP BY 1", args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	b.companyLeads = make([]leadSummary, len(b.ext))
	for rows.Next() {
		var period periodColumn
		var l leadSummary
		var median sql.NullFloat64
		if err := rows.Scan(&period, &l.created, &l.converted, &l.answered, &median); err != nil {
			return err
		}
		l.medianMinutes = median.Float64
		if i, ok := b.index[string(period)]; ok {
			b.companyLeads[i] = l
		}
	}
	return rows.Err()
}

// periodOf is the index of the book period t falls in, or -1.
func (b *book) periodOf(t time.Time) int {
	i, found := slices.BinarySearchFunc(b.ext, t, func(p Period, t time.Time) int {
		switch {
		case !t.Before(p.End):
			return -1
		case t.Before(p.Start):
			return 1
		}
		return 0
	})
	if !found {
		return -1
	}
	return i
}

// quarterBack reaches back far enough to find a quarter overlapping ext.
func (b *book) quarterBack() time.Time { return b.ext[0].Start.AddDate(0, -3, 0) }

// readQuotas reads the quotas overlapping the book as plain rows: the
// company's are a few per rep and period, thousands in all.
func (b *book) readQuotas(tx *gorm.DB) error {
	_, to := b.span()
	query, args := "SELECT owner_id, period_kind, period_start, amount_cents FROM sales_quotas WHERE period_start >= ? AND period_start < ?",
		[]any{b.quarterBack(), to}
	if !b.everyone {
		query, args = query+" AND owner_id IN ?", append(args, b.ownerIDs)
	}
	rows, err := tx.Raw(query+" ORDER BY owner_id, period_start", args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var x Quota
		if err := rows.Scan(&x.OwnerID, &x.PeriodKind, &x.PeriodStart, &x.AmountCents); err != nil {
			return err
		}
		x.PeriodStart = x.PeriodStart.UTC()
		o := b.owner(x.OwnerID)
		o.quotas = append(o.quotas, x)
	}
	return rows.Err()
}

// readSpend reads spend for the company alone: it is never split by team.
func (b *book) readSpend(tx *gorm.DB) error {
	if !b.everyone {
		return nil
	}
	_, to := b.span()
	err := tx.Where("period_start >= ? AND period_start < ?", b.quarterBack(), to).Order("period_start").Find(&b.spend).Error
	for i := range b.spend {
		b.spend[i].PeriodStart = b.spend[i].PeriodStart.UTC()
	}
	return err
}

// readHoldings finds, for each owner asked, whether they hold any deals,
// activities, leads or quotas at all; for everyone, whether anyone holds
// deals and activities.
func (b *book) readHoldings(tx *gorm.DB) error {
	if b.everyone {
		return tx.Raw(`SELECT CASE WHEN EXISTS (SELECT 1 FROM sales_deals) THEN 1 ELSE 0 END,
			CASE WHEN EXISTS (SELECT 1 FROM sales_activities) THEN 1 ELSE 0 END`).Row().Scan(&b.anyDeals, &b.anyActivities)
	}
	var err error
	b.holdings, err = readHoldings(tx, b.ownerIDs)
	return err
}

func readHoldings(tx *gorm.DB, ids []int64) (map[int64]holdings, error) {
	out := map[int64]holdings{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Raw(`SELECT e.id,
		CASE WHEN EXISTS (SELECT 1 FROM sales_deals x WHERE x.owner_id = e.id) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM sales_activities x WHERE x.owner_id = e.id) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM sales_leads x WHERE x.owner_id = e.id)
			OR EXISTS (SELECT 1 FROM sales_quotas x WHERE x.owner_id = e.id) THEN 1 ELSE 0 END
		FROM employees e WHERE e.id IN ?`, ids).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var h holdings
		if err := rows.Scan(&id, &h.deals, &h.activities, &h.any); err != nil {
			return nil, err
		}
		h.any = h.any || h.deals || h.activities
		out[id] = h
	}
	return out, rows.Err()
}
