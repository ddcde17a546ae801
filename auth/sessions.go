package auth

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
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
	ID         int64     `json:"id"`
	EmployeeID int64     `json:"employee_id"`
	Hash       string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	// IdleUntil moves forward at most hourly while the session is used
	// (never on answer routes), so it tells no finer time of use.
	IdleUntil time.Time  `json:"idle_until"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	// Current marks, in a listing, the session the listing was asked with.
	Current bool `gorm:"-" json:"current"`
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

// LivePage lists an employee's live sessions (not ended, revoked or timed
// out), newest first, marking the one whose secret is current.
func (s *Sessions) LivePage(ctx context.Context, employeeID int64, current string, p page.Request) ([]Session, string, error) {
	now := s.now()
	q := s.db.WithContext(ctx).Where("employee_id = ? AND revoked_at IS NULL AND idle_until > ? AND expires_at > ?",
		employeeID, now, now)
	q, err := page.Query(q, p, page.Order{Desc: true})
	if err != nil {
		return nil, "", err
	}
	out := []Session{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(row Session) (any, int64) { return nil, row.ID })
	currentHash := hashToken(current)
	for i := range out {
		out[i].Current = out[i].Hash == currentHash
	}
	return out, next, nil
}

// ToDay is the session as someone else (HR) may see it: its times cut to
// the UTC day. A sign-in's exact time, beside a round's participation
// watched as it grows, would hint at who answered through the web and when,
// so others learn no finer time than a token's day of last use.
func (s Session) ToDay() Session {
	day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
	s.CreatedAt, s.IdleUntil, s.ExpiresAt = day(s.CreatedAt), day(s.IdleUntil), day(s.ExpiresAt)
	return s
}

// Revoke ends a session by id at once. With an owner, only that
// employee's session is found; without (HR), anyone's. Revoking twice is
// fine.
func (s *Sessions) Revoke(ctx context.Context, sessionID int64, owner *int64) (Session, error) {
	var row Session
	q := s.db.WithContext(ctx).Where("id = ?", sessionID)
	if owner != nil {
		q = q.Where("employee_id = ?", *owner)
	}
	err := q.First(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return row, fault.NotFound("session")
	}
	if err != nil || row.RevokedAt != nil {
		return row, err
	}
	now := s.now()
	row.RevokedAt = &now
	return row, s.db.WithContext(ctx).Model(&Session{}).Where("id = ? AND revoked_at IS NULL", row.ID).
		Update("revoked_at", now).Error
}
