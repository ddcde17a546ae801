package sales

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pulsehq/pulse/fault"
)

// DealInput is one deal in a JSON batch, with the CSV's field names.
type DealInput struct {
	ExternalID string `json:"external_id"`
	OwnerEmail string `json:"owner_email"`
	Amount     Amount `json:"amount" jsonschema:"oneof_type=number;string"`
	Currency   string `json:"currency,omitempty"`
	Stage      string `json:"stage,omitempty"`
	CreatedAt  string `json:"created_at"`
	ClosedAt   string `json:"closed_at,omitempty"`
	Outcome    string `json:"outcome"`
}

// DealBatch is the body of a JSON deal import.
type DealBatch struct {
	Deals []DealInput `json:"deals"`
}

// ImportDeals upserts deals from a CSV export by external id, all or nothing.
func (s *Service) ImportDeals(ctx context.Context, r io.Reader) (ImportResult, error) {
	return readAndImport(r, "deals", DealColumns, func(rows []row) (ImportResult, error) {
		return s.importDeals(ctx, rows)
	})
}

// ImportDealBatch does what ImportDeals does for a JSON batch.
func (s *Service) ImportDealBatch(ctx context.Context, b DealBatch) (ImportResult, error) {
	if len(b.Deals) == 0 {
		return ImportResult{}, fault.Invalidf("deals", "must hold at least one deal")
	}
	rows := make([]row, len(b.Deals))
	for i, d := range b.Deals {
		rows[i] = row{prefix: fmt.Sprintf("deals[%d].", i), f: map[string]string{
			"external_id": d.ExternalID, "owner_email": d.OwnerEmail, "amount": string(d.Amount),
			"currency": d.Currency, "stage": d.Stage, "created_at": d.CreatedAt, "closed_at": d.ClosedAt,
			"outcome": d.Outcome,
		}}
	}
	return s.importDeals(ctx, rows)
}

func (s *Service) importDeals(ctx context.Context, rows []row) (ImportResult, error) {
	return s.withImporter(ctx, func(imp *importer) (ImportResult, error) {
		currency, err := storedCurrency(imp)
		if err != nil {
			return ImportResult{}, err
		}
		deals := make([]Deal, 0, len(rows))
		for i, r := range rows {
			d := imp.deal(r, &currency)
			imp.once(r, "external_id", d.ExternalID, position(r, i))
			deals = append(deals, d)
		}
		if err := imp.problems.Err(); err != nil {
			return ImportResult{}, err
		}
		return write(ctx, s, dealTable, deals)
	})
}

// storedCurrency is the currency of the deals on file, if any says one.
func storedCurrency(imp *importer) (string, error) {
	var codes []string
	err := imp.db.Model(&Deal{}).Where("currency <> ''").Distinct().Limit(1).Pluck("currency", &codes).Error
	if len(codes) == 0 {
		return "", err
	}
	return codes[0], err
}

func (imp *importer) deal(r row, currency *string) Deal {
	d := Deal{ExternalID: r.f["external_id"], Stage: r.f["stage"], ImportedAt: imp.now}
	imp.required(r, "external_id")
	if id := imp.owner(r, false); id != nil {
		d.OwnerID = *id
	}
	d.AmountCents = imp.cents(r, "amount")
	d.Currency = strings.ToUpper(r.f["currency"])
	switch {
	case d.Currency == "":
	case *currency == "":
		*currency = d.Currency
	case d.Currency != *currency:
		r.problem(&imp.problems, "currency", "is %s, but amounts here are in %s; Pulse keeps one currency and never converts", d.Currency, *currency)
	}
	d.Created = imp.requiredTime(r, "created_at")
	closed, _ := imp.optionalTime(r, "closed_at")
	outcome, err := dealOutcome(r.f)
	if err != nil {
		r.problem(&imp.problems, "outcome", "%v", err)
		return d
	}
	d.Outcome = outcome
	switch {
	case outcome == Open:
		// An open deal's close date is the CRM's forecast, not a fact.
	case r.f["closed_at"] == "":
		r.problem(&imp.problems, "closed_at", "is required for a %s deal", outcome)
	case closed != nil && closed.Before(d.Created):
		r.problem(&imp.problems, "closed_at", "is before created_at")
	default:
		d.Closed = closed
	}
	return d
}

// dealOutcome reads won/lost/open from an outcome column, else from a
// Salesforce-style Won (and Closed) flag, else from the stage's name
// (HubSpot's closedwon / closedlost, "Closed Won", "Closed Lost").
func dealOutcome(f map[string]string) (string, error) {
	if o := strings.ToLower(f["outcome"]); o != "" {
		switch o = strings.NewReplacer(" ", "", "_", "", "-", "").Replace(o); o {
		case "won", "closedwon":
			return Won, nil
		case "lost", "closedlost":
			return Lost, nil
		case "open":
			return Open, nil
		}
		return "", fault.Reasonf("must be won, lost or open, not %q", f["outcome"])
	}
	stage := strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(f["stage"]))
	if raw, ok := f["won"]; ok && raw != "" {
		won, err := parseBool(raw)
		if err != nil {
			return "", fault.Reasonf("won %v", err)
		}
		closed, err := parseBool(f["is_closed"])
		if err != nil {
			return "", fault.Reasonf("is_closed %v", err)
		}
		switch {
		case won:
			return Won, nil
		case closed || strings.Contains(stage, "lost"):
			return Lost, nil
		}
		return Open, nil
	}
	switch {
	case strings.Contains(stage, "closedwon") || stage == "won":
		return Won, nil
	case strings.Contains(stage, "closedlost") || stage == "lost":
		return Lost, nil
	case stage == "":
		return "", fault.Reasonf("is required: give outcome (won, lost, open), a Won flag, or a stage such as Closed Won")
	}
	return Open, nil
}
