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

type sessionClock struct{ now time.Time }

func (c *sessionClock) Now() time.Time { return c.now }

func newSessionSetup(t *testing.T, db *database.DB) (*sessionClock, *auth.Sessions, directory.Employee) {
	clock := &sessionClock{now: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	rep, err := directory.New(db.Gorm, clock.Now).CreateEmployee(t.Context(),
		directory.EmployeeInput{Email: "rep@example.com", Name: "Rep"})
	require.NoError(t, err)
	return clock, auth.NewSessions(db.Gorm, clock.Now), rep
}

func TestSessionEndsAfterTwelveIdleHours(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock, sessions, rep := newSessionSetup(t, db)
		secret, err := sessions.Start(t.Context(), rep.ID)
		require.NoError(t, err)
		require.Regexp(t, `^pulse_session_`, secret)

		// Used every eleven hours, it lives on.
		for range 3 {
			clock.now = clock.now.Add(11 * time.Hour)
			me, err := sessions.Authenticate(t.Context(), secret)
			require.NoError(t, err)
			require.Equal(t, rep.ID, me.ID)
		}
		clock.now = clock.now.Add(12 * time.Hour)
		_, err = sessions.Authenticate(t.Context(), secret)
		require.ErrorIs(t, err, fault.ErrUnauthenticated)
	})
}

func TestSessionEndsSevenDaysAfterSignInHoweverBusy(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock, sessions, rep := newSessionSetup(t, db)
		secret, err := sessions.Start(t.Context(), rep.ID)
		require.NoError(t, err)
		start := clock.now
		for clock.now.Add(2 * time.Hour).Before(start.Add(7 * 24 * time.Hour)) {
			clock.now = clock.now.Add(2 * time.Hour)
			_, err := sessions.Authenticate(t.Context(), secret)
			require.NoError(t, err, "used every two hours at %s", clock.now)
		}
		clock.now = start.Add(7 * 24 * time.Hour)
		_, err = sessions.Authenticate(t.Context(), secret)
		require.ErrorIs(t, err, fault.ErrUnauthenticated)
	})
}

func TestSessionRefreshWritesAtMostHourly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		clock, sessions, rep := newSessionSetup(t, db)
		secret, err := sessions.Start(t.Context(), rep.ID)
		require.NoError(t, err)
		idleUntil := func() time.Time {
			var s auth.Session
			require.NoError(t, db.Gorm.Where("employee_id = ?", rep.ID).First(&s).Error)
			return s.IdleUntil.UTC()
		}
		first := idleUntil()
		clock.now = clock.now.Add(59 * time.Minute)
		_, err = sessions.Authenticate(t.Context(), secret)
		require.NoError(t, err)
		require.Equal(t, first, idleUntil(), "no write within the hour")
		clock.now = clock.now.Add(2 * time.Minute)
		_, err = sessions.Authenticate(t.Context(), secret)
		require.NoError(t, err)
		require.Equal(t, clock.now.Add(auth.SessionIdle), idleUntil())

		// Check (the answer routes) never writes.
		clock.now = clock.now.Add(5 * time.Hour)
		_, err = sessions.Check(t.Context(), secret)
		require.NoError(t, err)
		require.Equal(t, clock.now.Add(-5*time.Hour).Add(auth.SessionIdle), idleUntil())
	})
}

func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		_, sessions, rep := newSessionSetup(t, db)
		secret, err := sessions.Start(t.Context(), rep.ID)
		require.NoError(t, err)
		other, err := sessions.Start(t.Context(), rep.ID)
		require.NoError(t, err)
		require.NoError(t, sessions.End(t.Context(), secret))
		_, err = sessions.Authenticate(t.Context(), secret)
		require.ErrorIs(t, err, fault.ErrUnauthenticated)
		_, err = sessions.Authenticate(t.Context(), other)
		require.NoError(t, err, "another browser stays signed in")
	})
}
