package action

import (
	"context"

	"gorm.io/gorm/clause"
)

// Notice states: a DM about a published plan is marked sending before it is
// posted, then sent (or failed, for good, with the reason).
const (
	NoticeSending = "sending"
	NoticeSent    = "sent"
	NoticeFailed  = "failed"
)

// Notice records that one person is being or was told about one plan.
type Notice struct {
	PlanID     int64  `gorm:"primaryKey;autoIncrement:false"`
	EmployeeID int64  `gorm:"primaryKey;autoIncrement:false"`
	Status     string `gorm:"column:status"`
	SendKey    string
	Channel    string
	TS         string `gorm:"column:ts"`
	Reason     string
}

// TableName names the notices table.
func (Notice) TableName() string { return "action_notices" }

// Notice returns the record of telling employeeID about planID; a zero
// Notice (Status "") when nothing was tried yet.
func (s *Service) Notice(ctx context.Context, planID, employeeID int64) (Notice, error) {
	var rows []Notice
	err := s.db.WithContext(ctx).Where("plan_id = ? AND employee_id = ?", planID, employeeID).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return Notice{}, err
	}
	return rows[0], nil
}

// MarkNoticeSending records, before the post, the key it will carry, and
// returns it. A notice already sent keeps its state and "" comes back: the
// caller must not post.
func (s *Service) MarkNoticeSending(ctx context.Context, planID, employeeID int64, key string) (string, error) {
	db := s.db.WithContext(ctx)
	err := db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "plan_id"}, {Name: "employee_id"}},
		DoUpdates: clause.Assignments(map[string]any{"status": NoticeSending, "send_key": key, "reason": ""}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "action_notices.status <> ?", Vars: []any{NoticeSent}}}},
	}).Create(&Notice{PlanID: planID, EmployeeID: employeeID, Status: NoticeSending, SendKey: key}).Error
	if err != nil {
		return "", err
	}
	n, err := s.Notice(ctx, planID, employeeID)
	if err != nil || n.Status == NoticeSent || n.SendKey != key {
		return "", err
	}
	return key, nil
}

// MarkNoticeSent records where the DM went.
func (s *Service) MarkNoticeSent(ctx context.Context, planID, employeeID int64, channel, ts string) error {
	return s.db.WithContext(ctx).Model(&Notice{}).Where("plan_id = ? AND employee_id = ?", planID, employeeID).
		Updates(map[string]any{"status": NoticeSent, "channel": channel, "ts": ts, "reason": ""}).Error
}

// MarkNoticeFailed records why the DM will not go out.
func (s *Service) MarkNoticeFailed(ctx context.Context, planID, employeeID int64, reason string) error {
	return s.db.WithContext(ctx).Model(&Notice{}).Where("plan_id = ? AND employee_id = ? AND status <> ?", planID, employeeID, NoticeSent).
		Updates(map[string]any{"status": NoticeFailed, "reason": reason}).Error
}
