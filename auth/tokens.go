// Package auth issues and checks API tokens. A token is random, shown once,
// and stored only as its SHA-256 hash; it acts as the employee it belongs to,
// with that employee's role. It never imports HTTP.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognise.
const TokenPrefix = "pulse_"

// lastUsedGranularity bounds how often a token's last-used time is written,
// so a busy script does not turn every read into a write.
const lastUsedGranularity = time.Minute

// Token is an API token as listed; the secret itself is never kept.
type Token struct {
	ID         int64      `json:"id"`
	EmployeeID int64      `json:"employee_id"`
	Name       string     `json:"name"`
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
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

// Create issues a token for an active employee and returns its secret, the
// only time it is ever available.
func (t *Tokens) Create(ctx context.Context, employeeID int64, name string) (string, Token, error) {
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
	if err := t.db.WithContext(ctx).Create(&tok).Error; err != nil {
		return "", Token{}, err
	}
	return plain, tok, nil
}

// Authenticate returns the active employee a token belongs to.
func (t *Tokens) Authenticate(ctx context.Context, plain string) (directory.Employee, error) {
	var e directory.Employee
	if !strings.HasPrefix(plain, TokenPrefix) {
		return e, fault.ErrUnauthenticated
	}
	var tok Token
	err := t.db.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hashToken(plain)).First(&tok).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return e, fault.ErrUnauthenticated
	}
	if err != nil {
		return e, err
	}
	if err := t.db.WithContext(ctx).First(&e, tok.EmployeeID).Error; err != nil {
		return e, err
	}
	if !e.Active {
		return directory.Employee{}, fault.ErrUnauthenticated
	}
	now := t.now()
	if tok.LastUsedAt == nil || now.Sub(*tok.LastUsedAt) >= lastUsedGranularity {
		err := t.db.WithContext(ctx).Model(&Token{}).Where("id = ?", tok.ID).Update("last_used_at", now).Error
		if err != nil {
			return e, err
		}
	}
	return e, nil
}

// List returns an employee's tokens, newest first.
func (t *Tokens) List(ctx context.Context, employeeID int64) ([]Token, error) {
	var out []Token
	err := t.db.WithContext(ctx).Where("employee_id = ?", employeeID).Order("id DESC").Find(&out).Error
	return out, err
}

// Revoke ends a token of the given employee at once. Revoking twice is fine.
func (t *Tokens) Revoke(ctx context.Context, employeeID, tokenID int64) (Token, error) {
	var tok Token
	err := t.db.WithContext(ctx).Where("id = ? AND employee_id = ?", tokenID, employeeID).First(&tok).Error
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
