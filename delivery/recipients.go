package delivery

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
	"github.com/pulsehq/pulse/survey"
)

// StatusScheduled is how a listing shows a pending delivery whose local
// send time has not come yet.
const StatusScheduled Status = "scheduled"

// Recipient is where one person's survey DM of a round stands, as HR sees
// it. It is read from the delivery alone, which records the survey DM and
// nothing after it: no reminder, tap or answer ever changes it, so it
// cannot tell who answered (PRODUCT.md section 1).
type Recipient struct {
	EmployeeID int64  `json:"employee_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	TeamID     *int64 `json:"team_id"`
	// Status is scheduled, pending, sent, failed or not_sent; a DM being
	// posted counts as pending.
	Status Status `json:"status"`
	// Reason says why it failed or was not sent, or that it is "retrying
	// after an interruption".
	Reason string    `json:"reason"`
	DueAt  time.Time `json:"due_at"`
	// LocalDue is DueAt on the recipient's own clock (their zone, else the
	// survey's), with its offset; Timezone names that zone.
	LocalDue string `json:"local_due"`
	Timezone string `json:"timezone"`
}

// RecipientStatuses are the statuses a listing may be narrowed to.
var RecipientStatuses = []Status{StatusScheduled, StatusPending, StatusSent, StatusFailed, StatusNotSent}

type recipientRow struct {
	EmployeeID int64
	Name       string
	Email      string
	TeamID     *int64
	Timezone   string
	Status     Status
	Reason     string
	DueAt      time.Time
	UpdatedAt  time.Time
}

// RecipientPage lists a round's recipients by name with their delivery's
// status, optionally only those in one status. sv is the round's survey,
// whose zone is the clock of people without their own.
func (s *Store) RecipientPage(ctx context.Context, sv survey.Survey, roundID int64, status Status, p page.Request) ([]Recipient, string, error) {
	q := s.db.WithContext(ctx).Table("deliveries").
		Select("deliveries.employee_id, employees.name, employees.email, employees.team_id, employees.timezone, "+
			"deliveries.status, deliveries.reason, deliveries.due_at, deliveries.updated_at").
		Joins("JOIN employees ON employees.id = deliveries.employee_id").
		Where("deliveries.round_id = ?", roundID)
	q, err := s.onlyStatus(q, status)
	if err != nil {
		return nil, "", err
	}
	q, err = page.Query(q, p, page.Order{Column: "lower(employees.name)", Bind: "lower(?)", ID: "deliveries.employee_id"})
	if err != nil {
		return nil, "", err
	}
	var rows []recipientRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, "", err
	}
	rows, next := page.Cut(rows, p, func(r recipientRow) (any, int64) { return r.Name, r.EmployeeID })
	out := make([]Recipient, len(rows))
	for i, r := range rows {
		out[i] = s.recipient(r, sv)
	}
	return out, next, nil
}

func (s *Store) onlyStatus(q *gorm.DB, status Status) (*gorm.DB, error) {
	now := s.now()
	switch status {
	case "":
		return q, nil
	case StatusScheduled:
		return q.Where("deliveries.status = ? AND deliveries.due_at > ?", StatusPending, now), nil
	case StatusPending:
		return q.Where("(deliveries.status = ? AND deliveries.due_at <= ?) OR deliveries.status = ?",
			StatusPending, now, StatusSending), nil
	case StatusSent, StatusFailed, StatusNotSent:
		return q.Where("deliveries.status = ?", status), nil
	}
	return nil, fault.Invalidf("status", "must be one of scheduled, pending, sent, failed, not_sent, not %q", status)
}

func (s *Store) recipient(r recipientRow, sv survey.Survey) Recipient {
	loc := Zone(directory.Employee{Timezone: r.Timezone}, sv)
	out := Recipient{EmployeeID: r.EmployeeID, Name: r.Name, Email: r.Email, TeamID: r.TeamID, Status: r.Status,
		Reason: r.Reason, DueAt: r.DueAt.UTC(), LocalDue: r.DueAt.In(loc).Format(time.RFC3339), Timezone: loc.String()}
	switch {
	case r.Status == StatusSending && r.UpdatedAt.Before(s.now().Add(-2*AttemptBound)):
		out.Status, out.Reason = StatusPending, ReasonInterrupted
	case r.Status == StatusSending:
		out.Status = StatusPending
	case r.Status == StatusPending && r.DueAt.After(s.now()):
		out.Status = StatusScheduled
	}
	return out
}
