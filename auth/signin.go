package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// SignInTTL is how long a one-time sign-in link works.
const SignInTTL = 10 * time.Minute

// signInCode is one issued code; only its hash is stored.
type signInCode struct {
	ID         int64
	EmployeeID int64
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     *time.Time
}

func (signInCode) TableName() string { return "signin_codes" }

// SignIns issues one-time sign-in codes (for links such as the one
// `/pulse dashboard` sends) and exchanges each, once, for a dashboard
// session that ends by itself (see Sessions).
type SignIns struct {
	db  *gorm.DB
	now func() time.Time
}

// NewSignIns returns a sign-in code store over db; now is the clock.
func NewSignIns(db *gorm.DB, now func() time.Time) *SignIns {
	return &SignIns{db: db, now: func() time.Time { return now().UTC() }}
}

// Issue creates a code for an active employee, valid for SignInTTL. The
// code is returned only here; the database keeps its hash.
func (s *SignIns) Issue(ctx context.Context, employeeID int64) (code string, expiresAt time.Time, err error) {
	if _, err := activeEmployee(ctx, s.db, employeeID); err != nil {
		return "", time.Time{}, err
	}
	if code, err = randomSecret(); err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	row := signInCode{EmployeeID: employeeID, Hash: hashToken(code), CreatedAt: now, ExpiresAt: now.Add(SignInTTL)}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Expired codes are useless; clearing them here keeps the table small
		// without a job of its own.
		if err := tx.Where("expires_at < ?", now).Delete(&signInCode{}).Error; err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
	return code, row.ExpiresAt, err
}

// Redeem exchanges a code for a new dashboard session of its employee (the
// session's secret is returned as token) and marks the
// code used, in one transaction, so two clicks cannot both succeed. An
// unknown, used or expired code, or one whose employee was deactivated
// since, is fault.ErrUnauthenticated without saying which.
func (s *SignIns) Redeem(ctx context.Context, code string) (token string, employeeID int64, err error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return "", 0, fault.ErrUnauthenticated
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now()
		var row signInCode
		if err := tx.Where("hash = ?", hashToken(code)).Limit(1).Find(&row).Error; err != nil {
			return err
		}
		if row.ID == 0 || row.UsedAt != nil || !now.Before(row.ExpiresAt) {
			return fault.ErrUnauthenticated
		}
		res := tx.Model(&signInCode{}).Where("id = ? AND used_at IS NULL", row.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return fault.ErrUnauthenticated
		}
		token, err = NewSessions(tx, s.now).Start(ctx, row.EmployeeID)
		if _, inactive := errors.AsType[*fault.Conflict](err); inactive {
			return fault.ErrUnauthenticated
		}
		employeeID = row.EmployeeID
		return err
	})
	if err != nil {
		return "", 0, err
	}
	return token, employeeID, nil
}
