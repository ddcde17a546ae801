package auth_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

func TestSignInCodeWorksOnceWithinTenMinutes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		dir := directory.New(db.Gorm, clock)
		rep, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "rep@example.com", Name: "Rep"})
		require.NoError(t, err)
		signIns, sessions := auth.NewSignIns(db.Gorm, clock), auth.NewSessions(db.Gorm, clock)

		code, expires, err := signIns.Issue(ctx, rep.ID)
		require.NoError(t, err)
		require.Equal(t, now.Add(10*time.Minute), expires)
		var stored []string
		require.NoError(t, db.Gorm.Table("signin_codes").Pluck("hash", &stored).Error)
		require.NotContains(t, stored, code, "only the hash is kept")

		now = now.Add(9 * time.Minute)
		token, who, err := signIns.Redeem(ctx, code)
		require.NoError(t, err)
		require.Equal(t, rep.ID, who)
		me, err := sessions.Authenticate(ctx, token)
		require.NoError(t, err)
		require.Equal(t, rep.ID, me.ID)

		_, _, err = signIns.Redeem(ctx, code)
		require.ErrorIs(t, err, fault.ErrUnauthenticated, "a second use is refused")

		late, _, err := signIns.Issue(ctx, rep.ID)
		require.NoError(t, err)
		now = now.Add(10 * time.Minute)
		_, _, err = signIns.Redeem(ctx, late)
		require.ErrorIs(t, err, fault.ErrUnauthenticated, "expired")
		_, _, err = signIns.Redeem(ctx, "not-a-code")
		require.ErrorIs(t, err, fault.ErrUnauthenticated)
	})
}

func TestSignInRefusesDeactivatedEmployees(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := t.Context()
		clock := func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
		dir := directory.New(db.Gorm, clock)
		rep, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "rep@example.com", Name: "Rep"})
		require.NoError(t, err)
		signIns := auth.NewSignIns(db.Gorm, clock)
		code, _, err := signIns.Issue(ctx, rep.ID)
		require.NoError(t, err)

		_, err = dir.DeactivateEmployee(ctx, rep.ID)
		require.NoError(t, err)
		_, _, err = signIns.Redeem(ctx, code)
		require.ErrorIs(t, err, fault.ErrUnauthenticated)
		_, _, err = signIns.Issue(ctx, rep.ID)
		require.Error(t, err)
	})
}
