package notify_test

import (
	"context"
	"database/sql"
	"net"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// blippingPool is the database during a short outage: while down is above
// zero, each statement or transaction it is asked for fails with a reset
// connection, and counts down.
type blippingPool struct {
	*sql.DB
	down atomic.Int32
}

func (p *blippingPool) blip() error {
	if p.down.Add(-1) >= 0 {
		return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return nil
}

func (p *blippingPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *blippingPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.ExecContext(ctx, query, args...)
}

func (p *blippingPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.BeginTx(ctx, opts)
}

// A tap that meets the database down for a few attempts (looking up who
// tapped, then saving the answer) is saved once it is back, well within
// Slack's three seconds, and the DM says so.
func TestTapDuringADatabaseBlipIsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		pool := &blippingPool{DB: db.SQL}
		gdb := db.Gorm.Session(&gorm.Session{Context: context.Background()})
		gdb.Statement.ConnPool = pool
		h := newHarness(t, &database.DB{Gorm: gdb, SQL: db.SQL, Dialect: db.Dialect, Path: db.Path})
		rep := h.reps[1]
		ref, dm := h.send(rep)

		pool.down.Store(4)
		name := h.tap(dm, rep.SlackUserID, ref, 7)
		require.Less(t, pool.down.Load(), int32(0), "the outage was met and outlasted")
		require.Equal(t, 7, h.myENPS(rep))
		blocks, err := h.responses(name)[0].SlackBlocks()
		require.NoError(t, err)
		require.Contains(t, textsOf(t, blocks), "Recorded: *7*")
	})
}
