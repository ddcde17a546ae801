package sales

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/pulsehq/pulse/fault"
)

// ActivityInput is one activity in a JSON batch.
type ActivityInput struct {
	ExternalID     string `json:"external_id"`
	OwnerEmail     string `json:"owner_email"`
	Kind           string `json:"kind"`
	OccurredAt     string `json:"occurred_at"`
	DealExternalID string `json:"deal_external_id,omitempty"`
}

// ActivityBatch is the body of a JSON activity import.
type ActivityBatch struct {
	Activities []ActivityInput `json:"activities"`
}

// ImportActivities upserts activities from CSV by external id, all or nothing.
func (s *Service) ImportActivities(ctx context.Context, r io.Reader) (ImportResult, error) {
	return readAndImport(r, "activities", ActivityColumns, func(rows []row) (ImportResult, error) {
		return s.importActivities(ctx, rows)
	})
}

// ImportActivityBatch does what ImportActivities does for a JSON batch.
func (s *Service) ImportActivityBatch(ctx context.Context, b ActivityBatch) (ImportResult, error) {
	if len(b.Activities) == 0 {
		return ImportResult{}, fault.Invalidf("activities", "must hold at least one activity")
	}
	rows := make([]row, len(b.Activities))
	for i, a := range b.Activities {
		rows[i] = row{prefix: fmt.Sprintf("activities[%d].", i), f: map[string]string{
			"external_id": a.ExternalID, "owner_email": a.OwnerEmail, "kind": a.Kind,
			"occurred_at": a.OccurredAt, "deal_external_id": a.DealExternalID,
		}}
	}
	return s.importActivities(ctx, rows)
}

func (s *Service) importActivities(ctx context.Context, rows []row) (ImportResult, error) {
	return s.withImporter(ctx, func(imp *importer) (ImportResult, error) {
		items := make([]Activity, 0, len(rows))
		for i, r := range rows {
			a := Activity{ExternalID: r.f["external_id"], DealExternalID: r.f["deal_external_id"], ImportedAt: imp.now}
			imp.required(r, "external_id")
			imp.once(r, "external_id", a.ExternalID, position(r, i))
			if id := imp.owner(r, false); id != nil {
				a.OwnerID = *id
			}
			if kind, ok := imp.required(r, "kind"); ok {
				if a.Kind = activityKind(kind); a.Kind == "" {
					r.problem(&imp.problems, "kind", "must be call, meeting, email or follow_up, not %q", kind)
				}
			}
			a.OccurredAt = imp.requiredTime(r, "occurred_at")
			items = append(items, a)
		}
		if err := imp.problems.Err(); err != nil {
			return ImportResult{}, err
		}
		return write(ctx, s, activityTable, items)
	})
}

// activityKind maps the activity types CRMs export to Pulse's four kinds.
func activityKind(raw string) string {
	switch strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(raw)) {
	case "call", "calls", "phonecall", "phone":
		return KindCall
	case "meeting", "meetings", "event":
		return KindMeeting
	case "email", "emails", "mail":
		return KindEmail
	case "followup", "followups":
		return KindFollowUp
	}
	return ""
}
