package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// signIn follows a fresh one-time link for person, as the dashboard does.
func (b *bundle) signIn(employeeID int64) string {
	b.t.Helper()
	code, _, err := auth.NewSignIns(b.db.Gorm, func() time.Time { return b.now }).Issue(b.t.Context(), employeeID)
	require.NoError(b.t, err)
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/signin?code="+code, nil))
	require.Equal(b.t, http.StatusSeeOther, rec.Code)
	return strings.TrimPrefix(rec.Header().Get("Location"), "/#token=")
}

// A sign-in used to mint a token that never expired and that "Sign out"
// left working; now it is a session that sign-out and time both end.
func TestDashboardSignInIsASessionThatEnds(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		session := b.signIn(b.employee.ID)
		var tokens []auth.Token
		b.do("GET", "/api/v1/tokens", session, nil).data(t, &tokens)
		require.Len(t, tokens, 1, "a sign-in adds no API token")

		var out struct {
			SignedOut bool `json:"signed_out"`
		}
		b.do("DELETE", "/api/v1/session", session, nil).data(t, &out)
		require.True(t, out.SignedOut)
		require.Equal(t, 401, b.do("GET", "/api/v1/me", session, nil).Status, "signed out on the server")

		b.do("DELETE", "/api/v1/session", b.employeeToken, nil).data(t, &out)
		require.False(t, out.SignedOut, "an API token is not a session")
		require.Equal(t, 200, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status)

		idle := b.signIn(b.employee.ID)
		b.now = b.now.Add(12 * time.Hour)
		require.Equal(t, 401, b.do("GET", "/api/v1/me", idle, nil).Status, "12 idle hours end it")
	})
}

func TestAPITokenMayExpire(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	var created struct {
		Token     string
		ExpiresAt *time.Time `json:"expires_at"`
	}
	res := b.do("POST", "/api/v1/tokens", b.employeeToken, map[string]any{"name": "ci", "expires_at": "2026-11-28T10:00:00Z"})
	require.Equal(t, 201, res.Status, string(res.Body))
	res.data(t, &created)
	require.Equal(t, time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC), created.ExpiresAt.UTC())
	require.Equal(t, 200, b.do("GET", "/api/v1/me", created.Token, nil).Status)
	b.now = b.now.Add(24 * time.Hour)
	require.Equal(t, 401, b.do("GET", "/api/v1/me", created.Token, nil).Status)

	requireField(t, b.do("POST", "/api/v1/tokens", b.employeeToken, map[string]any{"expires_at": "2020-01-01T00:00:00Z"}),
		0, "expires_at")
}
