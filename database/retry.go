package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// RetryBudget is how long a request may spend retrying connection errors
// in all: a Slack tap has three seconds, and half of them are left for the
// rest of the work and the way back.
const RetryBudget = 1500 * time.Millisecond

// First and longest pause between two attempts.
const (
	firstRetryWait = 20 * time.Millisecond
	maxRetryWait   = 250 * time.Millisecond
)

type budgetKey struct{}

// WithRetryBudget starts one request's retry budget: every Retry called with
// the returned context shares it, so a request that reads and then writes
// never retries for longer than budget in total.
func WithRetryBudget(ctx context.Context, budget time.Duration) context.Context {
	return context.WithValue(ctx, budgetKey{}, time.Now().Add(budget))
}

// Retry runs fn until it succeeds, fails with anything but a connection
// error, the context ends, or the retry budget is spent (RetryBudget from
// the first attempt, or what is left of the one WithRetryBudget started).
// fn must be safe to run again after a failure whose commit may have
// happened: a write keyed so that doing it twice changes nothing more.
func Retry(ctx context.Context, fn func() error) error {
	giveUp, ok := ctx.Value(budgetKey{}).(time.Time)
	if !ok {
		giveUp = time.Now().Add(RetryBudget)
	}
	wait := firstRetryWait
	for {
		err := fn()
		if err == nil || !IsConnectionError(err) || ctx.Err() != nil {
			return err
		}
		left := time.Until(giveUp)
		if left <= 0 {
			return err
		}
		timer := time.NewTimer(min(wait, left))
		select {
		case <-ctx.Done():
			timer.Stop()
			return err
		case <-timer.C:
		}
		wait = min(2*wait, maxRetryWait)
	}
}

// IsConnectionError reports whether err says the connection to the database
// failed (refused, reset, closed, terminated by the server, or the server
// starting or stopping) rather than that a statement was refused or the
// caller's context ended. Only such errors are worth trying again at once.
func IsConnectionError(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		switch pgErr.Code {
		case "57P01", "57P02", "57P03": // admin shutdown, crash shutdown, cannot connect now
			return true
		}
		return strings.HasPrefix(pgErr.Code, "08") // connection exception
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return true
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	for _, target := range []error{driver.ErrBadConn, sql.ErrConnDone, io.ErrUnexpectedEOF, io.EOF,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE} {
		if errors.Is(err, target) {
			return true
		}
	}
	return pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}
