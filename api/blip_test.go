package api_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// blippingPool is the database during a short outage: while down is above
// zero, each statement or transaction asked of it fails with a reset
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

func (p *blippingPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.blip(); err != nil {
		return nil, err
	}
	return p.DB.BeginTx(ctx, opts)
}

// A web answer that meets the database down (checking the credential, then
// saving) is saved once it is back; a longer outage is reported as a
// failure, never as a success.
func TestWebAnswerRidesOutADatabaseBlip(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		pool := &blippingPool{DB: db.SQL}
		gdb := db.Gorm.Session(&gorm.Session{Context: context.Background()})
		gdb.Statement.ConnPool = pool
		b := setup(t, &database.DB{Gorm: gdb, SQL: db.SQL, Dialect: db.Dialect, Path: db.Path})
		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{{"kind": "enps", "prompt": "Recommend us?"}}})
		round := b.sendRound(sv.ID)
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)

		pool.down.Store(4)
		res := b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 9))
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Less(t, pool.down.Load(), int32(0), "the outage was met and outlasted")
		var mine survey.MyResponse
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.EqualValues(t, 9, mine.Answers[0].Value)

		pool.down.Store(1 << 20)
		res = b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 3))
		require.Equal(t, 500, res.Status, "an outage past the budget is not a success")
		pool.down.Store(0)
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.EqualValues(t, 9, mine.Answers[0].Value)
	})
}
