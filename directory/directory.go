// Package directory is Pulse's people directory: teams (a tree), employees,
// their managers and roles, and who may see whom. It never imports HTTP or
// Slack, and never stores anything about survey answers.
package directory

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// Role decides what a person may see (PRODUCT.md section 1).
type Role string

const (
	RoleEmployee Role = "employee"
	RoleManager  Role = "manager"
	RoleHRAdmin  Role = "hr_admin"
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool {
	return r == RoleEmployee || r == RoleManager || r == RoleHRAdmin
}

// Locales Pulse speaks to people in.
var Locales = []string{"en", "ms"}

// Team is a node in the organisation tree.
type Team struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	ParentID  *int64    `json:"parent_id"`
	ManagerID *int64    `json:"manager_id"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Employee is a person in the organisation.
type Employee struct {
	ID          int64  `json:"id"`
	Email       string `json:"email"`
	Name        string `json:"name"`
	TeamID      *int64 `json:"team_id"`
	ManagerID   *int64 `json:"manager_id"`
	Role        Role   `json:"role"`
	SlackUserID string `json:"slack_user_id"`
	Timezone    string `json:"timezone"`
	Locale      string `json:"locale"`
	Active      bool   `json:"active"`
	// WeeklyDigest: the person gets a weekly Slack digest.
	WeeklyDigest bool      `json:"weekly_digest"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Directory reads and changes teams and employees.
type Directory struct {
	db  *gorm.DB
	now func() time.Time
}

// New returns a Directory over db; now is the clock.
func New(db *gorm.DB, now func() time.Time) *Directory {
	return &Directory{db: db, now: func() time.Time { return now().UTC() }}
}

func notFoundAs(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fault.NotFound(what)
	}
	return err
}

func (d *Directory) withTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return d.db.WithContext(ctx).Transaction(fn)
}
