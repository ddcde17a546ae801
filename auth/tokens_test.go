package auth_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/fault"
)

func TestTokenStopsWorkingAtItsExpiry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock, _, rep := newSessionSetup(t, db)
		tokens := auth.NewTokens(db.Gorm, clock.Now)
		past := clock.now.Add(-time.Minute)
		_, _, err := tokens.CreateExpiring(t.Context(), rep.ID, "ci", &past)
		invalid, ok := errors.AsType[*fault.Invalid](err)
		require.True(t, ok, "%v", err)
		require.Equal(t, "expires_at", invalid.Problems[0].Field)

		until := clock.now.Add(720 * time.Hour)
		secret, tok, err := tokens.CreateExpiring(t.Context(), rep.ID, "ci", &until)
		require.NoError(t, err)
		require.Equal(t, until, *tok.ExpiresAt)
		clock.now = until.Add(-time.Second)
		_, err = tokens.Authenticate(t.Context(), secret)
		require.NoError(t, err)
		clock.now = until
		_, err = tokens.Authenticate(t.Context(), secret)
		require.ErrorIs(t, err, fault.ErrUnauthenticated)
	})
}

func TestTokenKeepsOnlyTheDayOfLastUse(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock, _, rep := newSessionSetup(t, db)
		tokens := auth.NewTokens(db.Gorm, clock.Now)
		secret, _, err := tokens.Create(t.Context(), rep.ID, "ci")
		require.NoError(t, err)
		clock.now = time.Date(2026, 11, 28, 17, 43, 12, 0, time.UTC)
		_, err = tokens.Authenticate(t.Context(), secret)
		require.NoError(t, err)
		list, err := tokens.List(t.Context(), rep.ID)
		require.NoError(t, err)
		require.Equal(t, auth.Day("2026-11-28"), *list[0].LastUsedOn)

		var stored int
		require.NoError(t, db.SQL.QueryRowContext(t.Context(),
			"SELECT length(CAST(last_used_on AS TEXT)) FROM api_tokens").Scan(&stored))
		require.Equal(t, len("2026-11-28"), stored, "no time of day is stored")

		// Check (the answer routes) writes nothing, not even a new day.
		clock.now = clock.now.Add(24 * time.Hour)
		_, err = tokens.Check(t.Context(), secret)
		require.NoError(t, err)
		list, err = tokens.List(t.Context(), rep.ID)
		require.NoError(t, err)
		require.Equal(t, auth.Day("2026-11-28"), *list[0].LastUsedOn)
	})
}
