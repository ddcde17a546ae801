package delivery

import (
	"context"
	"errors"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// Status is where a delivery stands.
type Status string

const (
	StatusPending Status = "pending"  // queued, or being retried
	StatusSending Status = "sending"  // being posted: Slack may have it already
	StatusSent    Status = "sent"     // the survey DM went out
	StatusFailed  Status = "failed"   // refused for good; Reason says why
	StatusNotSent Status = "not_sent" // deliberately not sent (Slack off, person deactivated)
)

// ReasonNotConfigured is recorded for every delivery while Slack is off.
const ReasonNotConfigured = "Slack is not configured"

// ReasonDeactivated: the person was deactivated before their DM went out.
const ReasonDeactivated = "employee is deactivated"

// ReasonRoundClosed: the round closed before the DM could go out.
const ReasonRoundClosed = "the round closed before it could be delivered"

// ReasonInterrupted is how the round status shows a delivery whose attempt
// was cut off (Pulse stopped or crashed while posting): it is retried, and
// the retry looks for the message before posting it again.
const ReasonInterrupted = "retrying after an interruption"

// AttemptBound is the longest one delivery attempt may run; a delivery
// still being sent after it was interrupted.
const AttemptBound = 30 * time.Second

// Delivery is the survey DM of one round to one recipient.
type Delivery struct {
	RoundID      int64     `json:"round_id"`
	EmployeeID   int64     `json:"employee_id"`
	Status       Status    `json:"status"`
	Reason       string    `json:"reason"`
	DueAt        time.Time `json:"due_at"`
	SlackChannel string    `json:"-"`
	SlackTS      string    `json:"-"`
	// DMChannel is the DM with the recipient, kept from the first
	// conversations.open.
	DMChannel string `gorm:"column:dm_channel" json:"-"`
	// SendKey is the random key the post carries in its metadata, so a
	// retry can find a message Slack took before Pulse heard back. It
	// names nobody.
	SendKey   string     `json:"-"`
	Attempts  int        `json:"attempts"`
	SentAt    *time.Time `json:"sent_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Ref is where the delivered DM is, for updates and links.
func (d Delivery) Ref() Ref { return Ref{Channel: d.SlackChannel, TS: d.SlackTS} }

// Summary counts a round's deliveries by status, with each failure reason.
// A delivery being sent counts as pending; one whose attempt was
// interrupted is listed with ReasonInterrupted.
type Summary struct {
	Pending  int            `json:"pending"`
	Sent     int            `json:"sent"`
	Failed   int            `json:"failed"`
	NotSent  int            `json:"not_sent"`
	Failures []ReasonCount  `json:"failures"`
	ByStatus map[Status]int `json:"-"`
}

// ReasonCount is how many deliveries failed (or were not sent) for a reason.
type ReasonCount struct {
	Status Status `json:"status"`
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// Store records deliveries.
type Store struct {
	db  *gorm.DB
	now func() time.Time
}

// NewStore returns a delivery store over db; now is the clock.
func NewStore(db *gorm.DB, now func() time.Time) *Store {
	return &Store{db: db, now: func() time.Time { return now().UTC() }}
}

// WithTx returns a store writing inside tx.
func (s *Store) WithTx(tx *gorm.DB) *Store { return &Store{db: tx, now: s.now} }

// Create records planned deliveries as pending.
func (s *Store) Create(ctx context.Context, ds []Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	for i := range ds {
		ds[i].Status, ds[i].UpdatedAt = StatusPending, s.now()
	}
	return s.db.WithContext(ctx).CreateInBatches(&ds, 500).Error
}

// Get returns one delivery.
func (s *Store) Get(ctx context.Context, roundID, employeeID int64) (Delivery, error) {
	var d Delivery
	err := s.db.WithContext(ctx).Where("round_id = ? AND employee_id = ?", roundID, employeeID).First(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return d, fault.NotFound("delivery")
	}
	return d, err
}

// MarkSent records that the DM went out and where it is.
func (s *Store) MarkSent(ctx context.Context, roundID, employeeID int64, ref Ref) error {
	now := s.now()
	return s.update(ctx, roundID, employeeID, map[string]any{"status": StatusSent, "reason": "",
		"slack_channel": ref.Channel, "slack_ts": ref.TS, "sent_at": now, "attempts": gorm.Expr("attempts + 1")})
}

// KeepDMChannel records the DM channel with the recipient once it is open.
func (s *Store) KeepDMChannel(ctx context.Context, roundID, employeeID int64, channel string) error {
	return s.db.WithContext(ctx).Model(&Delivery{}).Where("round_id = ? AND employee_id = ?", roundID, employeeID).
		Update("dm_channel", channel).Error
}

// MarkFailed records a delivery that will not be retried, and why.
func (s *Store) MarkFailed(ctx context.Context, roundID, employeeID int64, reason string) error {
	return s.update(ctx, roundID, employeeID, map[string]any{"status": StatusFailed, "reason": reason,
		"attempts": gorm.Expr("attempts + 1")})
}

// MarkNotSent records a delivery deliberately not made, and why.
func (s *Store) MarkNotSent(ctx context.Context, roundID, employeeID int64, reason string) error {
	return s.update(ctx, roundID, employeeID, map[string]any{"status": StatusNotSent, "reason": reason})
}

// MarkSending records, before the post, that the DM is being sent with key
// in its metadata. It returns the key to use: the one already recorded when
// an earlier attempt got this far, so a retry can look for that message;
// "" when the delivery was sent meanwhile.
func (s *Store) MarkSending(ctx context.Context, roundID, employeeID int64, key string) (string, error) {
	var d Delivery
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("round_id = ? AND employee_id = ?", roundID, employeeID).First(&d).Error; err != nil {
			return err
		}
		if d.Status == StatusSent {
			key = ""
			return nil
		}
		if d.SendKey != "" {
			key = d.SendKey
		}
		return tx.Model(&Delivery{}).Where("round_id = ? AND employee_id = ? AND status <> ?", roundID, employeeID, StatusSent).
			Updates(map[string]any{"status": StatusSending, "send_key": key, "updated_at": s.now()}).Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fault.NotFound("delivery")
	}
	return key, err
}

// NoteRetry records a failed attempt that will be retried.
func (s *Store) NoteRetry(ctx context.Context, roundID, employeeID int64, reason string) error {
	return s.update(ctx, roundID, employeeID, map[string]any{"status": StatusPending, "reason": reason,
		"attempts": gorm.Expr("attempts + 1")})
}

func (s *Store) update(ctx context.Context, roundID, employeeID int64, fields map[string]any) error {
	fields["updated_at"] = s.now()
	// A delivery already sent stays sent: a duplicate job cannot undo it.
	res := s.db.WithContext(ctx).Model(&Delivery{}).
		Where("round_id = ? AND employee_id = ? AND status <> ?", roundID, employeeID, StatusSent).Updates(fields)
	return res.Error
}

// Sent lists the deliveries of a round that went out.
func (s *Store) Sent(ctx context.Context, roundID int64) ([]Delivery, error) {
	var out []Delivery
	err := s.db.WithContext(ctx).Where("round_id = ? AND status = ?", roundID, StatusSent).Order("employee_id").Find(&out).Error
	return out, err
}

// Summary counts a round's deliveries by status and failure reason.
func (s *Store) Summary(ctx context.Context, roundID int64) (Summary, error) {
	var rows []struct {
		Status Status
		Reason string
		N      int
	}
	err := s.db.WithContext(ctx).Model(&Delivery{}).Select("status, reason, COUNT(*) AS n").
		Where("round_id = ?", roundID).Group("status, reason").Scan(&rows).Error
	if err != nil {
		return Summary{}, err
	}
	var interrupted int64
	err = s.db.WithContext(ctx).Model(&Delivery{}).Where("round_id = ? AND status = ? AND updated_at < ?",
		roundID, StatusSending, s.now().Add(-2*AttemptBound)).Count(&interrupted).Error
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Failures: []ReasonCount{}, ByStatus: map[Status]int{}}
	if interrupted > 0 {
		sum.Failures = append(sum.Failures, ReasonCount{Status: StatusPending, Reason: ReasonInterrupted, Count: int(interrupted)})
	}
	for _, r := range rows {
		sum.ByStatus[r.Status] += r.N
		if (r.Status == StatusFailed || r.Status == StatusNotSent) && r.Reason != "" {
			sum.Failures = append(sum.Failures, ReasonCount{Status: r.Status, Reason: r.Reason, Count: r.N})
		}
	}
	sum.Pending, sum.Sent = sum.ByStatus[StatusPending]+sum.ByStatus[StatusSending], sum.ByStatus[StatusSent]
	sum.Failed, sum.NotSent = sum.ByStatus[StatusFailed], sum.ByStatus[StatusNotSent]
	sort.Slice(sum.Failures, func(i, j int) bool { return sum.Failures[i].Count > sum.Failures[j].Count })
	return sum, nil
}
