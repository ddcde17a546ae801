package survey_test

import (
	"context"
	"database/sql"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// flakyPool is the database as a blip shows it: the first beginFails
// transactions cannot start (the connection was reset), and the first
// commitsLost commits happen but their acknowledgement never arrives.
type flakyPool struct {
	*sql.DB
	beginFails, commitsLost atomic.Int32
}

func (p *flakyPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if p.beginFails.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &flakyTx{Tx: tx, pool: p}, nil
}

type flakyTx struct {
	*sql.Tx
	pool *flakyPool
}

func (tx *flakyTx) Commit() error {
	err := tx.Tx.Commit()
	if err == nil && tx.pool.commitsLost.Add(-1) >= 0 {
		return io.ErrUnexpectedEOF
	}
	return err
}

// flakyService is a survey service over the world's database seen through p.
func (o *world) flakyService(p *flakyPool) *survey.Service {
	gdb := o.db.Gorm.Session(&gorm.Session{Context: context.Background()})
	gdb.Statement.ConnPool = p
	return survey.NewService(gdb, o.clock, []byte("world-fixture-secret-world-fixture-secret"))
}

// A tap during a blip is saved once the database answers again, and a tap
// whose commit went through unacknowledged is retried without counting the
// person twice.
func TestAnswersRideOutConnectionBlipsAndCountOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		tm := o.team("Sales", nil)
		people := o.people("rep", 2, &tm.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"},
			survey.QuestionInput{Kind: survey.KindText, Prompt: "Why?"})
		enps, why := sv.Questions[0].ID, sv.Questions[1].ID
		round := o.round(sv.ID)

		pool := &flakyPool{DB: db.SQL}
		pool.beginFails.Store(2)
		svc := o.flakyService(pool)
		_, err := svc.Answer(t.Context(), round.ID, people[0].ID, answerInputs(enps, 9))
		require.NoError(t, err, "two failed connections, then the answer is saved")

		pool.commitsLost.Store(1)
		_, err = svc.AnswerWith(t.Context(), round.ID, people[1].ID, answerInputs(enps, 3, why, "slow tools"),
			survey.AnswerOptions{AllowReplies: true})
		require.NoError(t, err, "the commit happened; its acknowledgement was lost")

		require.Equal(t, 2, o.countRows("responses", "round_id = ?", round.ID), "one response per person")
		require.Equal(t, 3, o.countRows("answers", "1 = 1"))
		require.Equal(t, 1, o.countRows("pending_reply_links", "1 = 1"), "one sealed link for the one comment")
		want := map[rollupCell]int{{round.ID, tm.ID, enps, "9"}: 1, {round.ID, tm.ID, enps, "3"}: 1}
		require.Equal(t, want, o.rollup())
		require.Equal(t, want, o.recount())
	})
}

// A blip that outlasts the retry budget is reported, not hidden.
func TestAnswerReportsABlipLongerThanTheBudget(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newWorld(t, db)
		tm := o.team("Sales", nil)
		people := o.people("rep", 1, &tm.ID)
		sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
		round := o.round(sv.ID)

		pool := &flakyPool{DB: db.SQL}
		pool.beginFails.Store(1 << 20)
		ctx := database.WithRetryBudget(t.Context(), 0)
		_, err := o.flakyService(pool).Answer(ctx, round.ID, people[0].ID, answerInputs(sv.Questions[0].ID, 9))
		require.True(t, database.IsConnectionError(err), "got %v", err)
		require.Equal(t, 0, o.countRows("responses", "round_id = ?", round.ID))
	})
}

// PostgreSQL terminates the answering connection mid-transaction (as a
// restart or failover does): the answer is still saved, once.
func TestAnswerSurvivesATerminatedConnection(t *testing.T) {
	t.Parallel()
	db := dbtest.Postgres(t)
	o := newWorld(t, db)
	tm := o.team("Sales", nil)
	people := o.people("rep", 1, &tm.ID)
	sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
	round := o.round(sv.ID)

	var attempts atomic.Int32
	// The answer is written with plain SQL, through GORM's raw callbacks.
	err := db.Gorm.Callback().Raw().Before("gorm:raw").Register("test:terminate", func(tx *gorm.DB) {
		if !strings.HasPrefix(tx.Statement.SQL.String(), "INSERT INTO answers ") || attempts.Add(1) != 1 {
			return
		}
		var pid int
		require.NoError(t, tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, "SELECT pg_backend_pid()").Scan(&pid))
		_, err := db.SQL.ExecContext(context.Background(), "SELECT pg_terminate_backend($1)", pid)
		require.NoError(t, err)
	})
	require.NoError(t, err)

	_, err = o.svc.Answer(t.Context(), round.ID, people[0].ID, answerInputs(sv.Questions[0].ID, 10))
	require.NoError(t, err)
	require.Equal(t, int32(2), attempts.Load(), "the first attempt's connection was cut, the second saved the answer")
	require.Equal(t, 1, o.countRows("responses", "round_id = ?", round.ID))
	require.Equal(t, map[rollupCell]int{{round.ID, tm.ID, sv.Questions[0].ID, "10"}: 1}, o.rollup())
}
