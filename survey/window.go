package survey

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// Round statuses as the API spells them.
const (
	StatusScheduled = "scheduled"
	StatusOpen      = "open"
	StatusClosed    = "closed"
)

// StatusAt is scheduled until the round's first send, open until it closes,
// closed after. A round is created up to a day ahead, so for a while it
// exists without having reached anyone.
func (r Round) StatusAt(now time.Time) string {
	switch {
	case !r.OpenAt(now):
		return StatusClosed
	case r.OpensAt != nil && now.Before(*r.OpensAt):
		return StatusScheduled
	}
	return StatusOpen
}

// OpenFor settles a new round's timing, in the transaction that creates it
// (see RoundHook), from when it reaches each recipient (opens):
//   - a person whose previous round of the same survey is still open at that
//     moment is left out, so nobody ever has two open rounds of one survey;
//     the round keeps only how many were left out;
//   - everyone else gets the full window (the round's close_after_hours)
//     from their own local send, so the round closes when the last of them
//     ends, and its first send is when it stops being scheduled.
//
// It returns who was left out; nothing may be sent to them.
func OpenFor(ctx context.Context, tx *gorm.DB, round Round, opens map[int64]time.Time) (map[int64]bool, error) {
	tx = tx.WithContext(ctx)
	skipped, err := stillInPreviousRound(tx, round, opens)
	if err != nil {
		return nil, err
	}
	if err := dropRecipients(tx, round.ID, skipped); err != nil {
		return nil, err
	}
	kept := map[int64]time.Time{}
	var first, last time.Time
	for id, at := range opens {
		if skipped[id] {
			continue
		}
		kept[id] = at
		if first.IsZero() || at.Before(first) {
			first = at
		}
		if at.After(last) {
			last = at
		}
	}
	if err := SetOpensAt(ctx, tx, round.ID, kept); err != nil {
		return nil, err
	}
	update := map[string]any{"skipped": len(skipped)}
	if len(kept) > 0 {
		update["opens_at"], update["closes_at"] = first.UTC(), last.Add(round.ClosesAt.Sub(round.ScheduledAt)).UTC()
	}
	return skipped, tx.Model(&Round{}).Where("id = ?", round.ID).Updates(update).Error
}

// stillInPreviousRound finds the recipients of round for whom another round
// of the same survey will still be open when this one reaches them.
func stillInPreviousRound(tx *gorm.DB, round Round, opens map[int64]time.Time) (map[int64]bool, error) {
	var rows []struct {
		EmployeeID int64
		ClosesAt   time.Time
	}
	err := tx.Table("round_recipients").Select("round_recipients.employee_id, rounds.closes_at").
		Joins("JOIN rounds ON rounds.id = round_recipients.round_id").
		Where("rounds.survey_id = ? AND rounds.id <> ? AND rounds.closed_at IS NULL", round.SurveyID, round.ID).
		Where("round_recipients.employee_id IN (?)", tx.Table("round_recipients").Select("employee_id").Where("round_id = ?", round.ID)).
		Scan(&rows).Error
	skipped := map[int64]bool{}
	for _, r := range rows {
		if at, asked := opens[r.EmployeeID]; asked && r.ClosesAt.After(at) {
			skipped[r.EmployeeID] = true
		}
	}
	return skipped, err
}

func dropRecipients(tx *gorm.DB, roundID int64, people map[int64]bool) error {
	ids := make([]int64, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		if err := tx.Where("round_id = ? AND employee_id IN ?", roundID, batch).Delete(&Recipient{}).Error; err != nil {
			return err
		}
	}
	return nil
}

// ErrDeactivated refuses answers from a deactivated employee, whichever way
// they arrive (API, web, a Slack tap on an old DM).
var ErrDeactivated = fmt.Errorf("%w: this account is deactivated, so Pulse takes no answers from it", fault.ErrForbidden)

// NotOpenYet refuses an answer given before the round reached the person:
// a round is created up to a day ahead, and each person's window starts at
// their own local send time. It is a conflict (409).
type NotOpenYet struct {
	OpensAt time.Time
	Zone    *time.Location // the person's zone, else the survey's
}

func (e *NotOpenYet) Error() string {
	local := e.OpensAt.In(e.Zone)
	return fmt.Sprintf("this round opens for you on %s (%s); answers are taken from then",
		local.Format("Monday 2 January 2006, 15:04"), e.Zone)
}

// Unwrap makes it a *fault.Conflict for the API's error mapping.
func (e *NotOpenYet) Unwrap() error { return &fault.Conflict{Message: e.Error()} }

// admitAnswerer refuses a deactivated person, and a round that has not yet
// reached them, naming its opening in their own zone.
func admitAnswerer(tx *gorm.DB, round Round, rcpt Recipient, e directory.Employee, now time.Time) error {
	if !e.Active {
		return ErrDeactivated
	}
	if rcpt.OpensAt == nil || !now.Before(*rcpt.OpensAt) {
		return nil
	}
	zone, err := personZone(tx, e, round.SurveyID)
	if err != nil {
		return err
	}
	return &NotOpenYet{OpensAt: *rcpt.OpensAt, Zone: zone}
}

// personZone is where a person's local times are told: their own zone when
// known, else the survey's, else UTC.
func personZone(tx *gorm.DB, e directory.Employee, surveyID int64) (*time.Location, error) {
	if loc, err := time.LoadLocation(e.Timezone); err == nil && e.Timezone != "" && e.Timezone != "Local" {
		return loc, nil
	}
	var sv Survey
	if err := tx.Select("id", "cadence").First(&sv, surveyID).Error; err != nil {
		return nil, err
	}
	if sv.Cadence != nil {
		if loc, err := time.LoadLocation(sv.Cadence.Timezone); err == nil && sv.Cadence.Timezone != "" {
			return loc, nil
		}
	}
	return time.UTC, nil
}
