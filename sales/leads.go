package sales

import (
	"context"
	"fmt"
	"io"

	"github.com/pulsehq/pulse/fault"
)

// LeadInput is one lead in a JSON batch.
type LeadInput struct {
	ExternalID      string `json:"external_id"`
	OwnerEmail      string `json:"owner_email,omitempty"`
	CreatedAt       string `json:"created_at"`
	FirstResponseAt string `json:"first_response_at,omitempty"`
	Converted       bool   `json:"converted"`
}

// LeadBatch is the body of a JSON lead import.
type LeadBatch struct {
	Leads []LeadInput `json:"leads"`
}

// ImportLeads upserts leads from CSV by external id, all or nothing.
func (s *Service) ImportLeads(ctx context.Context, r io.Reader) (ImportResult, error) {
	return readAndImport(r, "leads", LeadColumns, func(rows []row) (ImportResult, error) {
		return s.importLeads(ctx, rows)
	})
}

// ImportLeadBatch does what ImportLeads does for a JSON batch.
func (s *Service) ImportLeadBatch(ctx context.Context, b LeadBatch) (ImportResult, error) {
	if len(b.Leads) == 0 {
		return ImportResult{}, fault.Invalidf("leads", "must hold at least one lead")
	}
	rows := make([]row, len(b.Leads))
	for i, l := range b.Leads {
		rows[i] = row{prefix: fmt.Sprintf("leads[%d].", i), f: map[string]string{
			"external_id": l.ExternalID, "owner_email": l.OwnerEmail, "created_at": l.CreatedAt,
			"first_response_at": l.FirstResponseAt, "converted": fmt.Sprint(l.Converted),
		}}
	}
	return s.importLeads(ctx, rows)
}

func (s *Service) importLeads(ctx context.Context, rows []row) (ImportResult, error) {
	return s.withImporter(ctx, func(imp *importer) (ImportResult, error) {
		items := make([]Lead, 0, len(rows))
		for i, r := range rows {
			l := Lead{ExternalID: r.f["external_id"], OwnerID: imp.owner(r, true), ImportedAt: imp.now}
			imp.required(r, "external_id")
			imp.once(r, "external_id", l.ExternalID, position(r, i))
			l.Created = imp.requiredTime(r, "created_at")
			l.FirstResponse, _ = imp.optionalTime(r, "first_response_at")
			if l.FirstResponse != nil && l.FirstResponse.Before(l.Created) {
				r.problem(&imp.problems, "first_response_at", "is before created_at")
			}
			l.Converted = imp.converted(r)
			items = append(items, l)
		}
		if err := imp.problems.Err(); err != nil {
			return ImportResult{}, err
		}
		return write(ctx, s, leadTable, items)
	})
}

// converted reads a yes/no, or a conversion date (which means yes).
func (imp *importer) converted(r row) bool {
	raw := r.f["converted"]
	if b, err := parseBool(raw); err == nil {
		return b
	}
	if _, err := parseTime(raw); err == nil {
		return true
	}
	r.problem(&imp.problems, "converted", "must be true, false or the conversion date, not %q", raw)
	return false
}
