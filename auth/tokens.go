// Package auth issues and checks credentials: API tokens, dashboard
// sessions and the one-time sign-in codes that open sessions. Each is
// random, shown once, and stored only as its SHA-256 hash; it acts as the
// employee it belongs to, with that employee's role. Checking a credential
// on an answer route (Check) writes nothing. It never imports HTTP.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognise.
const TokenPrefix = "pulse_"

// Day is a calendar date (UTC) such as "2026-11-27", stored without a time.
// A token keeps only the day it was last used: a finer time, written as
// someone answers, would line up with their answer (PRODUCT.md section 1).
type Day string

// DayOf is the UTC date of t.
func DayOf(t time.Time) Day { return Day(t.UTC().Format(time.DateOnly)) }

// Scan reads a DATE (PostgreSQL) or its text (SQLite).
func (d *Day) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = ""
	case time.Time:
		*d = DayOf(x)
	case string:
		*d = Day(x[:min(len(x), 10)])
	case []byte:
		*d = Day(x[:min(len(x), 10)])
	default:
		return fmt.Errorf("auth.Day: cannot scan %T", v)
	}
	return nil
}

// Value writes the date as text, which both databases take for a date.
func (d Day) Value() (driver.Value, error) {
	if d == "" {
		return nil, nil
	}
	return string(d), nil
}

// Token is an API token as listed; the secret itself is never kept.
type Token struct {
	ID         int64     `json:"id"`
	EmployeeID int64     `json:"employee_id"`
	Name       string    `json:"name"`
	Hash       string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	// LastUsedOn is the day of last use, never the time; answering does
	// not change it.
	LastUsedOn *Day `json:"last_used_on"`
	// ExpiresAt ends the token by itself; nil never expires.
	ExpiresAt *time.Time `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// TableName keeps the table name explicit.
func (Token) TableName() string { return "api_tokens" }

// Tokens issues, checks and revokes API tokens.
type Tokens struct {
	db  *gorm.DB
	now func() time.Time
}

// NewTokens returns a token store over db; now is the clock.
func NewTokens(db *gorm.DB, now func() time.Time) *Tokens {
	return &Tokens{db: db, now: func() time.Time { return now().UTC() }}
}

var encoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// randomSecret is 256 random bits, written in lowercase base32.
func randomSecret() (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return strings.ToLower(encoding.EncodeToString(raw)), nil
}

// activeEmployee loads the employee a credential is for, refusing one who
// does not exist or is deactivated.
func activeEmployee(ctx context.Context, db *gorm.DB, id int64) (directory.Employee, error) {
	var e directory.Employee
	if err := db.WithContext(ctx).First(&e, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return e, fault.NotFound("employee")
		}
		return e, err
	}
	if !e.Active {
		return e, fault.Conflictf("employee %s is deactivated", e.Email)
	}
	return e, nil
}

func hashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// Create issues a token for an active employee that never expires and
// returns its secret, the only time it is ever available.
func (t *Tokens) Create(ctx context.Context, employeeID int64, name string) (string, Token, error) {
	return t.CreateExpiring(ctx, employeeID, name, nil)
}

// CreateExpiring issues a token that stops working at expiresAt (never when
// nil), which must lie in the future.
func (t *Tokens) CreateExpiring(ctx context.Context, employeeID int64, name string, expiresAt *time.Time) (string, Token, error) {
	if expiresAt != nil && !expiresAt.After(t.now()) {
		return "", Token{}, fault.Invalidf("expires_at", "must lie in the future")
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "api"
	}
	if utf8.RuneCountInString(name) > 100 {
		return "", Token{}, fault.Invalidf("name", "must be at most 100 characters")
	}
	if _, err := activeEmployee(ctx, t.db, employeeID); err != nil {
		return "", Token{}, err
	}
	secret, err := randomSecret()
	if err != nil {
		return "", Token{}, err
	}
	plain := TokenPrefix + secret
	tok := Token{EmployeeID: employeeID, Name: name, Hash: hashToken(plain), CreatedAt: t.now()}
	if expiresAt != nil {
		at := expiresAt.UTC()
		tok.ExpiresAt = &at
	}
	if err := t.db.WithContext(ctx).Create(&tok).Error; err != nil {
		return "", Token{}, err
	}
	return plain, tok, nil
}

// Authenticate returns the active employee a token belongs to and notes the
// day of use (one write per token per day at most).
func (t *Tokens) Authenticate(ctx context.Context, plain string) (directory.Employee, error) {
	e, tok, err := t.check(ctx, plain)
	if err != nil {
		return e, err
	}
	today := DayOf(t.now())
	if tok.LastUsedOn == nil || *tok.LastUsedOn != today {
		err := t.db.WithContext(ctx).Model(&Token{}).Where("id = ?", tok.ID).Update("last_used_on", today).Error
		if err != nil {
			return e, err
		}
	}
	return e, nil
}

// Check is Authenticate that writes nothing, for routes where any write
// naming the person would sit beside an anonymous one (answering).
func (t *Tokens) Check(ctx context.Context, plain string) (directory.Employee, error) {
	e, _, err := t.check(ctx, plain)
	return e, err
}

func (t *Tokens) check(ctx context.Context, plain string) (directory.Employee, Token, error) {
	return checkCredential[Token](ctx, t.db, t.now, TokenPrefix, plain)
}

// liveAt reports whether the token has not expired by now.
func (t Token) liveAt(now time.Time) bool { return t.ExpiresAt == nil || now.Before(*t.ExpiresAt) }

func (t Token) ownerID() int64 { return t.EmployeeID }

// credential is a stored credential row: an API token or a dashboard session.
type credential interface {
	Token | Session
	liveAt(now time.Time) bool
	ownerID() int64
}

// checkCredential finds the unrevoked credential whose hash matches plain
// and the active employee it acts as. Tokens and sessions share this one
// path, so neither can drift from the other on what makes a credential
// valid; only how each ends by itself (liveAt) differs. A missing, revoked,
// ended or deactivated credential is fault.ErrUnauthenticated alike.
func checkCredential[T credential](ctx context.Context, db *gorm.DB, now func() time.Time, prefix, plain string) (directory.Employee, T, error) {
	var e directory.Employee
	var row T
	if !strings.HasPrefix(plain, prefix) {
		return e, row, fault.ErrUnauthenticated
	}
	err := db.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hashToken(plain)).First(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, row, fault.ErrUnauthenticated
	}
	if err != nil {
		return e, row, err
	}
	if !row.liveAt(now()) {
		return e, row, fault.ErrUnauthenticated
	}
	if err := db.WithContext(ctx).First(&e, row.ownerID()).Error; err != nil {
		return e, row, err
	}
	if !e.Active {
		return directory.Employee{}, row, fault.ErrUnauthenticated
	}
	return e, row, nil
}

// List returns an employee's tokens, newest first.
func (t *Tokens) List(ctx context.Context, employeeID int64) ([]Token, error) {
	var out []Token
	err := t.db.WithContext(ctx).Where("employee_id = ?", employeeID).Order("id DESC").Find(&out).Error
	return out, err
}

// TokenPage is one page of List and the cursor of the next ("" on the last).
func (t *Tokens) TokenPage(ctx context.Context, employeeID int64, p page.Request) ([]Token, string, error) {
	q, err := page.Query(t.db.WithContext(ctx).Where("employee_id = ?", employeeID), p, page.Order{Desc: true})
	if err != nil {
		return nil, "", err
	}
	out := []Token{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(tok Token) (any, int64) { return nil, tok.ID })
	return out, next, nil
}

// Revoke ends a token of the given employee at once. Revoking twice is fine.
func (t *Tokens) Revoke(ctx context.Context, employeeID, tokenID int64) (Token, error) {
	return t.revoke(ctx, tokenID, &employeeID)
}

// RevokeAny ends anyone's token (HR ending a lost laptop's access).
func (t *Tokens) RevokeAny(ctx context.Context, tokenID int64) (Token, error) {
	return t.revoke(ctx, tokenID, nil)
}

func (t *Tokens) revoke(ctx context.Context, tokenID int64, owner *int64) (Token, error) {
	var tok Token
	q := t.db.WithContext(ctx).Where("id = ?", tokenID)
	if owner != nil {
		q = q.Where("employee_id = ?", *owner)
	}
	err := q.First(&tok).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tok, fault.NotFound("token")
	}
	if err != nil || tok.RevokedAt != nil {
		return tok, err
	}
	now := t.now()
	tok.RevokedAt = &now
	return tok, t.db.WithContext(ctx).Model(&tok).Update("revoked_at", now).Error
}
