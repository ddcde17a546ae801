package database_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
)

func TestIsConnectionErrorTellsBlipsFromRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"terminated by an administrator", &pgconn.PgError{Code: "57P01", Severity: "FATAL"}, true},
		{"server starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure class", &pgconn.PgError{Code: "08006"}, true},
		{"connection reset", fmt.Errorf("query: %w", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), true},
		{"connection refused", syscall.ECONNREFUSED, true},
		{"cut short", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"sqlite constraint", errors.New("constraint failed: UNIQUE constraint failed: answers.id"), false},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"caller gave up", fmt.Errorf("query: %w", context.Canceled), false},
		{"deadline", context.DeadlineExceeded, false},
		{"nil", nil, false},
	}
	for _, c := range cases {
		require.Equal(t, c.want, database.IsConnectionError(c.err), c.name)
	}
}

func TestRetryRidesOutABlip(t *testing.T) {
	t.Parallel()
	calls := 0
	err := database.Retry(t.Context(), func() error {
		calls++
		if calls < 3 {
			return &pgconn.PgError{Code: "57P01"}
		}
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, 3, calls)
}

func TestRetryNeverRepeatsARefusal(t *testing.T) {
	t.Parallel()
	refused := &pgconn.PgError{Code: "23505"}
	calls := 0
	err := database.Retry(t.Context(), func() error { calls++; return refused })
	require.ErrorIs(t, err, refused)
	require.Equal(t, 1, calls)
}

func TestRetryStopsWhenTheCallerGivesUp(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	calls := 0
	err := database.Retry(ctx, func() error {
		calls++
		cancel()
		return syscall.ECONNRESET
	})
	require.ErrorIs(t, err, syscall.ECONNRESET)
	require.Equal(t, 1, calls)
}

// Two calls under one budget share it: once it is spent, the second call
// tries once and reports the failure.
func TestRetryBudgetIsSharedByARequest(t *testing.T) {
	t.Parallel()
	ctx := database.WithRetryBudget(t.Context(), 30*time.Millisecond)
	first := 0
	err := database.Retry(ctx, func() error { first++; return syscall.ECONNREFUSED })
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	require.Greater(t, first, 1, "the first call retried within the budget")
	second := 0
	err = database.Retry(ctx, func() error { second++; return syscall.ECONNREFUSED })
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	require.Equal(t, 1, second, "nothing of the budget was left")
}
