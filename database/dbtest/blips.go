package dbtest

import (
	"context"
	"database/sql"
	"net"
	"sync/atomic"
	"syscall"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
)

// Blips is a database during a short outage: while Down is above zero,
// each statement or transaction asked of it fails with a reset connection,
// and counts down.
type Blips struct {
	*sql.DB
	Down atomic.Int32
}

// WithBlips returns db with its GORM statements going through a Blips, for
// tests of what rides out a database blip.
func WithBlips(db *database.DB) (*database.DB, *Blips) {
	pool := &Blips{DB: db.SQL}
	gdb := db.Gorm.Session(&gorm.Session{Context: context.Background()})
	gdb.Statement.ConnPool = pool
	return &database.DB{Gorm: gdb, SQL: db.SQL, Dialect: db.Dialect, Path: db.Path}, pool
}

func (p *Blips) blip() error {
	if p.Down.Add(-1) >= 0 {
		return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return nil
}

// QueryContext implements gorm.ConnPool.
func (p *Blips) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// ExecContext implements gorm.ConnPool.
func (p *Blips) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// BeginTx implements gorm.TxBeginner.
func (p *Blips) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.BeginTx(ctx, opts)
}
