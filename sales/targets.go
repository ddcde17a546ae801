package sales

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/pulsehq/pulse/fault"
)

// QuotaInput is one quota in a JSON batch; period is 2026-03 or 2026-Q2.
type QuotaInput struct {
	OwnerEmail string `json:"owner_email"`
	Period     string `json:"period"`
	Amount     Amount `json:"amount" jsonschema:"oneof_type=number;string"`
}

// QuotaBatch is the body of a JSON quota import.
type QuotaBatch struct {
	Quotas []QuotaInput `json:"quotas"`
}

// SpendInput is one period's spend in a JSON batch.
type SpendInput struct {
	Period        string `json:"period"`
	SalesCost     Amount `json:"sales_cost" jsonschema:"oneof_type=number;string"`
	MarketingCost Amount `json:"marketing_cost" jsonschema:"oneof_type=number;string"`
}

// SpendBatch is the body of a JSON spend import.
type SpendBatch struct {
	Spend []SpendInput `json:"spend"`
}

// ImportQuotas upserts quotas from CSV, keyed by owner and period.
func (s *Service) ImportQuotas(ctx context.Context, r io.Reader) (ImportResult, error) {
	return readAndImport(r, "quotas", QuotaColumns, func(rows []row) (ImportResult, error) {
		return s.importQuotas(ctx, rows)
	})
}

// ImportQuotaBatch does what ImportQuotas does for a JSON batch.
func (s *Service) ImportQuotaBatch(ctx context.Context, b QuotaBatch) (ImportResult, error) {
	if len(b.Quotas) == 0 {
		return ImportResult{}, fault.Invalidf("quotas", "must hold at least one quota")
	}
	rows := make([]row, len(b.Quotas))
	for i, q := range b.Quotas {
		rows[i] = row{prefix: fmt.Sprintf("quotas[%d].", i), f: map[string]string{
			"owner_email": q.OwnerEmail, "period": q.Period, "amount": string(q.Amount)}}
	}
	return s.importQuotas(ctx, rows)
}

// ImportSpend upserts spend from CSV, keyed by period.
func (s *Service) ImportSpend(ctx context.Context, r io.Reader) (ImportResult, error) {
	return readAndImport(r, "spend", SpendColumns, func(rows []row) (ImportResult, error) {
		return s.importSpend(ctx, rows)
	})
}

// ImportSpendBatch does what ImportSpend does for a JSON batch.
func (s *Service) ImportSpendBatch(ctx context.Context, b SpendBatch) (ImportResult, error) {
	if len(b.Spend) == 0 {
		return ImportResult{}, fault.Invalidf("spend", "must hold at least one period")
	}
	rows := make([]row, len(b.Spend))
	for i, sp := range b.Spend {
		rows[i] = row{prefix: fmt.Sprintf("spend[%d].", i), f: map[string]string{
			"period": sp.Period, "sales_cost": string(sp.SalesCost), "marketing_cost": string(sp.MarketingCost)}}
	}
	return s.importSpend(ctx, rows)
}

// span is a period of a quota or spend, for the check that months and
// quarters never overlap (they would be counted twice).
type span struct {
	kind       string
	start, end time.Time
}

func (a span) overlaps(b span) bool { return a.start.Before(b.end) && b.start.Before(a.end) }

func periodKey(kind string, start time.Time) string { return kind + "|" + start.Format(time.DateOnly) }

// checkOverlap refuses a period that overlaps one of the other kind.
func (imp *importer) checkOverlap(r row, sp span, others []span) {
	for _, o := range others {
		if o.kind != sp.kind && sp.overlaps(o) {
			r.problem(&imp.problems, "period", "overlaps the %s from %s; use months or quarters, not both",
				o.kind, o.start.Format(time.DateOnly))
			return
		}
	}
}

func (imp *importer) period(r row) (span, bool) {
	raw, ok := imp.required(r, "period")
	if !ok {
		return span{}, false
	}
	kind, start, err := parsePeriod(raw)
	if err != nil {
		r.problem(&imp.problems, "period", "%v", err)
		return span{}, false
	}
	return span{kind: kind, start: start, end: periodEnd(kind, start)}, true
}

func (s *Service) importQuotas(ctx context.Context, rows []row) (ImportResult, error) {
	return s.withImporter(ctx, func(imp *importer) (ImportResult, error) {
		var stored []Quota
		if err := imp.db.Find(&stored).Error; err != nil {
			return ImportResult{}, err
		}
		spans := map[int64][]span{}
		for _, q := range stored {
			spans[q.OwnerID] = append(spans[q.OwnerID], span{q.PeriodKind, q.PeriodStart, periodEnd(q.PeriodKind, q.PeriodStart)})
		}
		items := make([]Quota, 0, len(rows))
		for i, r := range rows {
			owner := imp.owner(r, false)
			sp, ok := imp.period(r)
			amount := imp.cents(r, "amount")
			if owner == nil || !ok {
				continue
			}
			imp.once(r, "period", quotaKey(*owner, sp.kind, sp.start), position(r, i))
			imp.checkOverlap(r, sp, spans[*owner])
			spans[*owner] = append(spans[*owner], sp)
			items = append(items, Quota{OwnerID: *owner, PeriodKind: sp.kind, PeriodStart: sp.start, AmountCents: amount, ImportedAt: imp.now})
		}
		if err := imp.problems.Err(); err != nil {
			return ImportResult{}, err
		}
		return write(ctx, s, quotaTable, items)
	})
}

func (s *Service) importSpend(ctx context.Context, rows []row) (ImportResult, error) {
	return s.withImporter(ctx, func(imp *importer) (ImportResult, error) {
		var stored []Spend
		if err := imp.db.Find(&stored).Error; err != nil {
			return ImportResult{}, err
		}
		var spans []span
		for _, sp := range stored {
			spans = append(spans, span{sp.PeriodKind, sp.PeriodStart, periodEnd(sp.PeriodKind, sp.PeriodStart)})
		}
		items := make([]Spend, 0, len(rows))
		for i, r := range rows {
			sp, ok := imp.period(r)
			salesCost, marketingCost := imp.cents(r, "sales_cost"), imp.cents(r, "marketing_cost")
			if !ok {
				continue
			}
			imp.once(r, "period", periodKey(sp.kind, sp.start), position(r, i))
			imp.checkOverlap(r, sp, spans)
			spans = append(spans, sp)
			items = append(items, Spend{PeriodKind: sp.kind, PeriodStart: sp.start, SalesCostCents: salesCost,
				MarketingCostCents: marketingCost, ImportedAt: imp.now})
		}
		if err := imp.problems.Err(); err != nil {
			return ImportResult{}, err
		}
		return write(ctx, s, spendTable, items)
	})
}
