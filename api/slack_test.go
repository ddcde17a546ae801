package api_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/web"
)

const testSigningSecret = "test-signing-secret"

type testSlack struct {
	endpoints []api.SlackEndpoint
	pages     []web.Page
}

// newTestSlack registers the Slack side the way cmd/pulse does. No test
// here gets past the signature check except url_verification, so Slack
// itself is never called.
func newTestSlack(db *database.DB, clock func() time.Time, logger *slog.Logger) testSlack {
	app := notify.NewApp(notify.AppConfig{Slack: slack.New("xoxb-unused", slack.OptionAPIURL("http://127.0.0.1:9/api/")),
		SigningSecret: testSigningSecret, Now: clock, Logger: logger})
	var s testSlack
	for _, e := range app.Endpoints() {
		s.endpoints = append(s.endpoints, api.SlackEndpoint{Path: e.Path, Summary: e.Summary, Handler: e.Handler, Answers: e.Answers})
	}
	signIn := notify.SignInHandler(auth.NewSignIns(db.Gorm, clock), logger)
	s.pages = append(s.pages, web.Page{Method: http.MethodGet, Path: notify.SignInPath, Summary: "One-time sign-in link",
		Handler: echo.WrapHandler(signIn)})
	return s
}

// The signature covers the raw body, so it must survive Echo's middleware
// (body limit, logging) untouched.
func TestSlackSignatureIsCheckedOnTheRawBodyThroughTheServer(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	body := []byte(`{"token":"legacy","challenge":"c-123","type":"url_verification"}`)
	post := func(signature string) response {
		req := httptest.NewRequest(http.MethodPost, "/slack/events", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(b.now.Unix(), 10))
		req.Header.Set(notify.HeaderSignature, signature)
		rec := httptest.NewRecorder()
		b.server.ServeHTTP(rec, req)
		return response{Status: rec.Code, Body: rec.Body.Bytes()}
	}
	res := post(notify.SignRequest(testSigningSecret, b.now.Unix(), body))
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, "c-123", string(res.Body))
	require.Equal(t, http.StatusUnauthorized, post(notify.SignRequest("another-secret", b.now.Unix(), body)).Status)
}

func TestSignInLinkThroughTheServer(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	code, _, err := auth.NewSignIns(b.db.Gorm, func() time.Time { return b.now }).Issue(t.Context(), b.employee.ID)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/signin?code="+code, nil)
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, req)
	require.Equal(t, http.StatusSeeOther, rec.Code)
	location := rec.Header().Get("Location")
	require.Regexp(t, `^/#token=pulse_session_`, location)

	var me struct{ ID int64 }
	b.do("GET", "/api/v1/me", location[len("/#token="):], nil).data(t, &me)
	require.Equal(t, b.employee.ID, me.ID)
}
