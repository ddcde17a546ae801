package directory

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// Who a person is comes from Slack (PRODUCT.md section 1): a Slack binding
// is set only by the directory sync, matched by email, and a change of a
// person's email or binding ends every credential they hold and is written
// to the append-only audit log.

// ActorSlackSync is the audit log's actor for the Slack directory sync.
const ActorSlackSync = "slack sync"

// Audit log actions.
const (
	ActionEmailChanged = "email_changed"
	ActionSlackBound   = "slack_bound"
	ActionSlackUnbound = "slack_unbound"
)

// AuditEntry is one line of the audit log: who changed what about which
// person, and when. Entries are never changed or deleted (the database's
// triggers refuse it).
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	EmployeeID int64     `json:"employee_id"`
	Detail     string    `json:"detail"`
}

// TableName keeps the table name explicit.
func (AuditEntry) TableName() string { return "audit_log" }

type actorKey struct{}

// WithActor names who acts in ctx, for the audit log: "employee:12" for a
// signed-in person (see ActorEmployee), ActorSlackSync for the sync.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorEmployee is the audit log's name for a signed-in person.
func ActorEmployee(id int64) string { return "employee:" + strconv.FormatInt(id, 10) }

func actorOf(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

// identityChanged writes the audit entry and ends the person's API tokens,
// dashboard sessions and unused sign-in codes, in the caller's transaction:
// whoever held them may no longer be the person the record now names.
// The credential tables belong to package auth, which imports this one, so
// they are reached by name here.
func (d *Directory) identityChanged(ctx context.Context, tx *gorm.DB, actor, action string, employeeID int64, detail string) error {
	if err := d.audit(tx, actor, action, employeeID, detail); err != nil {
		return err
	}
	now := d.now()
	for _, stmt := range []string{
		"UPDATE api_tokens SET revoked_at = ? WHERE employee_id = ? AND revoked_at IS NULL",
		"UPDATE sessions SET revoked_at = ? WHERE employee_id = ? AND revoked_at IS NULL",
		"UPDATE signin_codes SET used_at = ? WHERE employee_id = ? AND used_at IS NULL",
	} {
		if err := tx.WithContext(ctx).Exec(stmt, now, employeeID).Error; err != nil {
			return err
		}
	}
	return nil
}

// audit appends one entry to the audit log.
func (d *Directory) audit(tx *gorm.DB, actor, action string, employeeID int64, detail string) error {
	entry := AuditEntry{At: d.now(), Actor: actor, Action: action, EmployeeID: employeeID, Detail: detail}
	return tx.Create(&entry).Error
}

// BindSlack binds a Slack user id to a person: the Slack directory sync's
// call, once it has matched the member to the person by email. An id bound
// to another active person is refused; one left on a deactivated person is
// taken from them. Every binding is audited; a change of binding (not the
// first one) ends the credentials of everyone it touches.
func (d *Directory) BindSlack(ctx context.Context, id int64, slackID string) (Employee, error) {
	slackID = strings.TrimSpace(slackID)
	if !slackUserID.MatchString(slackID) {
		return Employee{}, fault.Invalidf("slack_user_id", "must look like U0123ABCD")
	}
	var e Employee
	err := d.withTx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&e, id).Error; err != nil {
			return notFoundAs(err, "employee")
		}
		if e.SlackUserID == slackID {
			return nil
		}
		if err := d.unbindHolder(ctx, tx, e.ID, slackID); err != nil {
			return err
		}
		detail, first := bindingChange(e.SlackUserID, slackID), e.SlackUserID == ""
		e.SlackUserID, e.UpdatedAt = slackID, d.now()
		if err := tx.Model(&Employee{}).Where("id = ?", e.ID).
			Updates(map[string]any{"slack_user_id": e.SlackUserID, "updated_at": e.UpdatedAt}).Error; err != nil {
			return employeeConflict(err, e)
		}
		if first {
			// A first binding changes nobody's identity: the credentials
			// the person holds were issued to them before Slack knew them
			// (a fresh install's first sync would otherwise end them all).
			return d.audit(tx, ActorSlackSync, ActionSlackBound, e.ID, detail)
		}
		return d.identityChanged(ctx, tx, ActorSlackSync, ActionSlackBound, e.ID, detail)
	})
	return e, err
}

// unbindHolder frees slackID from a deactivated person holding it, and
// refuses when an active one does.
func (d *Directory) unbindHolder(ctx context.Context, tx *gorm.DB, id int64, slackID string) error {
	var holder Employee
	err := tx.Where("slack_user_id = ? AND id <> ?", slackID, id).First(&holder).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if holder.Active {
		return fault.Conflictf("Slack user id %s is bound to another active employee (%s)", slackID, holder.Email)
	}
	if err := tx.Model(&Employee{}).Where("id = ?", holder.ID).
		Updates(map[string]any{"slack_user_id": "", "updated_at": d.now()}).Error; err != nil {
		return err
	}
	return d.identityChanged(ctx, tx, ActorSlackSync, ActionSlackUnbound, holder.ID, bindingChange(slackID, ""))
}

func bindingChange(from, to string) string {
	if from == "" {
		from = "(none)"
	}
	if to == "" {
		to = "(none)"
	}
	return from + " -> " + to
}

// AuditPage asks for a page of the audit log, newest first. Cursor is the
// NextCursor of the page before ("" for the first).
type AuditPage struct {
	Limit  int
	Cursor string
}

// DefaultAuditLimit and MaxAuditLimit bound a page of the audit log.
const (
	DefaultAuditLimit = 50
	MaxAuditLimit     = 500
)

// AuditLog reads one page of the audit log, newest first, and the cursor of
// the next page ("" when this is the last).
func (d *Directory) AuditLog(ctx context.Context, p AuditPage) ([]AuditEntry, string, error) {
	var c fault.Checker
	if p.Limit == 0 {
		p.Limit = DefaultAuditLimit
	}
	c.Checkf(p.Limit >= 1 && p.Limit <= MaxAuditLimit, "limit", "must be 1..%d", MaxAuditLimit)
	before, err := strconv.ParseInt(p.Cursor, 10, 64)
	if p.Cursor == "" {
		before, err = 0, nil
	}
	c.Check(err == nil && before >= 0, "cursor", "is not a cursor this list returned")
	if err := c.Err(); err != nil {
		return nil, "", err
	}
	q := d.db.WithContext(ctx).Order("id DESC").Limit(p.Limit + 1)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	out := []AuditEntry{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	if len(out) <= p.Limit {
		return out, "", nil
	}
	out = out[:p.Limit]
	return out, strconv.FormatInt(out[len(out)-1].ID, 10), nil
}
