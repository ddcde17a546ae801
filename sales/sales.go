// Package sales holds the sales inputs imported from a CRM (deals,
// activities, leads, quotas, spend), the KPIs computed from them per rep,
// team and period, and the view that puts team KPIs alongside team eNPS.
// It never imports HTTP or Slack, and never puts a person's own eNPS next to
// their numbers: eNPS enters only per team, through survey.Service.Results,
// so the anonymity threshold holds here exactly as on the dashboard.
package sales

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales/rollup"
	"github.com/pulsehq/pulse/survey"
)

// Deal outcomes.
const (
	Won  = "won"
	Lost = "lost"
	Open = "open"
)

// Activity kinds.
const (
	KindCall     = "call"
	KindMeeting  = "meeting"
	KindEmail    = "email"
	KindFollowUp = "follow_up"
)

// Period kinds of quotas and spend.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
)

// Deal is an opportunity from the CRM. Amounts are in cents of the install's
// one currency: Pulse never converts between currencies.
type Deal struct {
	ID          int64
	ExternalID  string
	OwnerID     int64
	AmountCents int64
	Currency    string
	Stage       string
	Outcome     string
	Created     time.Time
	Closed      *time.Time
	ImportedAt  time.Time
}

func (Deal) TableName() string { return "sales_deals" }

// Activity is a call, meeting, email or follow-up a rep logged.
type Activity struct {
	ID             int64
	ExternalID     string
	OwnerID        int64
	Kind           string
	OccurredAt     time.Time
	DealExternalID string
	ImportedAt     time.Time
}

func (Activity) TableName() string { return "sales_activities" }

// Lead is a prospect; the owner is optional (unassigned leads count only
// org-wide).
type Lead struct {
	ID            int64
	ExternalID    string
	OwnerID       *int64
	Created       time.Time
	FirstResponse *time.Time
	Converted     bool
	ImportedAt    time.Time
}

func (Lead) TableName() string { return "sales_leads" }

// Quota is a rep's target for a month or a quarter.
type Quota struct {
	ID          int64
	OwnerID     int64
	PeriodKind  string
	PeriodStart time.Time
	AmountCents int64
	ImportedAt  time.Time
}

func (Quota) TableName() string { return "sales_quotas" }

// Spend is the company's sales and marketing cost of a month or a quarter.
type Spend struct {
	ID                 int64
	PeriodKind         string
	PeriodStart        time.Time
	SalesCostCents     int64
	MarketingCostCents int64
	ImportedAt         time.Time
}

func (Spend) TableName() string { return "sales_spend" }

// Service imports sales data and computes KPIs.
type Service struct {
	db      *gorm.DB
	now     func() time.Time
	dir     *directory.Directory
	surveys *survey.Service
	imports map[string]*batchimport.Log // by kind
}

// New returns the sales service over db; surveys gives the team eNPS that
// the alongside view shows, with its suppression.
func New(db *gorm.DB, now func() time.Time, surveys *survey.Service) *Service {
	clock := func() time.Time { return now().UTC() }
	return &Service{db: db, now: clock, dir: directory.New(db, now), surveys: surveys,
		imports: map[string]*batchimport.Log{
			dealTable.kind:     importLog(db, clock, dealTable),
			activityTable.kind: importLog(db, clock, activityTable),
			leadTable.kind:     importLog(db, clock, leadTable),
			quotaTable.kind:    importLog(db, clock, quotaTable),
			spendTable.kind:    importLog(db, clock, spendTable),
		}}
}

// UndoAbandonedImports undoes every CRM import whose process stopped
// part-way (no batch finished for a minute), so no half import stays.
// Start-up and every import call it.
func (s *Service) UndoAbandonedImports(ctx context.Context) error {
	for _, kind := range []string{dealTable.kind, activityTable.kind, leadTable.kind, quotaTable.kind, spendTable.kind} {
		if err := s.imports[kind].UndoAbandoned(ctx); err != nil {
			return err
		}
	}
	return nil
}

// BuildRepSums builds the reps' period sums a KPI table adds up
// (sales/rollup) from the CRM tables the first time it runs on a database,
// and reports whether it did; start-up calls it, and every later call
// returns at once.
func (s *Service) BuildRepSums(ctx context.Context) (bool, error) {
	return rollup.Backfill(ctx, s.db, s.now())
}
