package auth

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
)

// SessionPrefix starts every dashboard session secret; it also starts with
// TokenPrefix, so a leaked one is as easy to recognise.
const SessionPrefix = TokenPrefix + "session_"

const (
	// SessionIdle ends a session nobody used for this long.
	SessionIdle = 12 * time.Hour
	// SessionMaxAge ends every session this long after sign-in.
	SessionMaxAge = 7 * 24 * time.Hour
	// sessionRefresh bounds how often use pushes idle_until forward, so a
	// busy dashboard does not turn every read into a write.
	sessionRefresh = time.Hour
)

// Session is a dashboard sign-in. Only the hash of its secret is kept.
type Session struct {
	ID         int64
	EmployeeID int64
	Hash       string
	CreatedAt  time.Time
	IdleUntil  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// Sessions starts, checks and ends dashboard sessions.
type Sessions struct {
	db  *gorm.DB
	now func() time.Time
}

// NewSessions returns a session store over db; now is the clock.
func NewSessions(db *gorm.DB, now func() time.Time) *Sessions {
	return &Sessions{db: db, now: func() time.Time { return now().UTC() }}
}

// Start opens a session for an active employee and returns its secret, the
// only time it is ever available.
func (s *Sessions) Start(ctx context.Context, employeeID int64) (string, error) {
	if _, err := activeEmployee(ctx, s.db, employeeID); err != nil {
		return "", err
	}
	secret, err := randomSecret()
	if err != nil {
		return "", err
	}
	plain, now := SessionPrefix+secret, s.now()
	row := Session{EmployeeID: employeeID, Hash: hashToken(plain), CreatedAt: now,
		IdleUntil: now.Add(SessionIdle), ExpiresAt: now.Add(SessionMaxAge)}
	return plain, s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Ended sessions are useless; clearing them here keeps the table
		// small without a job of its own.
		err := tx.Where("idle_until < ? OR expires_at < ? OR revoked_at IS NOT NULL", now, now).Delete(&Session{}).Error
		if err != nil {
			return err
		}
		return tx.Create(&row).Error
	})
}

// Authenticate returns the active employee a live session belongs to and,
// at most hourly, pushes its idle end forward.
func (s *Sessions) Authenticate(ctx context.Context, plain string) (directory.Employee, error) {
	e, row, err := s.check(ctx, plain)
	if err != nil {
		return e, err
	}
	now := s.now()
	if row.IdleUntil.Sub(now) <= SessionIdle-sessionRefresh {
		idle := now.Add(SessionIdle)
		if idle.After(row.ExpiresAt) {
			idle = row.ExpiresAt
		}
		if err := s.db.WithContext(ctx).Model(&Session{}).Where("id = ?", row.ID).Update("idle_until", idle).Error; err != nil {
			return e, err
		}
	}
	return e, nil
}

// Check is Authenticate that writes nothing, for answer routes.
func (s *Sessions) Check(ctx context.Context, plain string) (directory.Employee, error) {
	e, _, err := s.check(ctx, plain)
	return e, err
}

func (s *Sessions) check(ctx context.Context, plain string) (directory.Employee, Session, error) {
	return checkCredential[Session](ctx, s.db, s.now, SessionPrefix, plain)
}

// liveAt reports whether the session has neither idled out nor passed its
// maximum age by now.
func (s Session) liveAt(now time.Time) bool {
	return now.Before(s.IdleUntil) && now.Before(s.ExpiresAt)
}

func (s Session) ownerID() int64 { return s.EmployeeID }

// End revokes the session with this secret (sign-out). Ending an unknown
// or already ended session is fine: the result is the same.
func (s *Sessions) End(ctx context.Context, plain string) error {
	return s.db.WithContext(ctx).Model(&Session{}).
		Where("hash = ? AND revoked_at IS NULL", hashToken(plain)).Update("revoked_at", s.now()).Error
}
