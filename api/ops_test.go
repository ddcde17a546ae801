package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/migrations"
)

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	res := b.do("GET", "/api/v1/openapi.json", "", nil)
	require.Equal(t, 200, res.Status)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(res.Body, &doc))
	require.Equal(t, "3.1.0", doc.OpenAPI)

	var documented, registered []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			require.NotEmpty(t, op["summary"], "%s %s", method, path)
			require.NotEmpty(t, op["responses"], "%s %s", method, path)
		}
	}
	for _, r := range b.server.Echo.Routes() {
		registered = append(registered, r.Method+" "+api.OpenAPIPath(r.Path))
	}
	slices.Sort(documented)
	slices.Sort(registered)
	require.Equal(t, registered, documented)

	employee := doc.Paths["/api/v1/employees"]["post"]["requestBody"]
	require.Contains(t, mustJSON(t, employee), `"email"`, "request bodies carry their schema")

	results := mustJSON(t, doc.Paths["/api/v1/surveys/{id}/results"]["get"]["responses"])
	for _, field := range []string{`"ci_low"`, `"ci_high"`, `"everyone_answered"`, "absent when everyone_answered"} {
		require.Contains(t, results, field, "a point's margin and when it is left out are documented")
	}
}

func mustJSON(t *testing.T, v any) string {
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return string(raw)
}

func TestReadyzNeedsTheDatabaseAndEveryMigration(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		require.Equal(t, 200, b.do("GET", "/readyz", "", nil).Status)
		_, err := migrations.Down(t.Context(), db, nil)
		require.NoError(t, err)
		res := b.do("GET", "/readyz", "", nil)
		require.Equal(t, 503, res.Status)
		require.Contains(t, string(res.Body), "migrations pending")
		require.Equal(t, 200, b.do("GET", "/healthz", "", nil).Status, "alive all the same")
		require.NoError(t, migrations.Up(t.Context(), db, nil))
		require.Equal(t, 200, b.do("GET", "/readyz", "", nil).Status)

		require.NoError(t, db.Close())
		res = b.do("GET", "/readyz", "", nil)
		require.Equal(t, 503, res.Status)
		require.Contains(t, string(res.Body), "database unreachable")
	})
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	b.do("GET", "/api/v1/teams", b.hrToken, nil)
	b.do("GET", "/api/v1/teams/12345", b.hrToken, nil)
	b.do("GET", "/no/such/page", "", nil)
	body := b.metrics()
	require.Contains(t, body, `pulse_http_requests_total{method="GET",route="/api/v1/teams",status="200"} 1`)
	require.Contains(t, body, `pulse_http_requests_total{method="GET",route="/api/v1/teams/:id",status="404"} 1`)
	require.NotContains(t, body, "/no/such/page", "unmatched paths do not become label values")
}

func TestErrorsAreJSONWithoutInternals(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("GET", "/api/v1/nothing-here", b.hrToken, nil)
		require.Equal(t, 404, res.Status)
		require.Equal(t, "not_found", res.err(t).Error.Code)

		res = b.do("GET", "/api/v1/teams/abc", b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "id", res.err(t).Error.Details[0].Field)

		huge := `{"name": "` + strings.Repeat("x", 2<<20) + `"}`
		res = b.raw("POST", "/api/v1/teams", b.hrToken, "application/json", []byte(huge))
		require.Equal(t, 413, res.Status)
		require.Equal(t, "body_too_large", res.err(t).Error.Code)

		// A database failure surfaces as a bare 500: no SQL, no driver text.
		require.NoError(t, db.Gorm.Exec("DROP TABLE demo_steps").Error)
		require.NoError(t, db.Gorm.Exec("ALTER TABLE teams RENAME TO teams_gone").Error)
		res = b.do("GET", "/api/v1/teams", b.hrToken, nil)
		require.Equal(t, 500, res.Status)
		e := res.err(t)
		require.Equal(t, "internal", e.Error.Code)
		require.NotContains(t, strings.ToLower(string(res.Body)), "select")
		require.NotContains(t, string(res.Body), "teams")
	})
}

func TestPanicsBecome500(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	s := api.New(api.Deps{
		DB: db, Directory: directory.New(db.Gorm, time.Now), Tokens: auth.NewTokens(db.Gorm, time.Now),
		Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(),
	})
	s.Echo.GET("/boom", func(c echo.Context) error { panic("boom") })
	b := &bundle{t: t, server: s}
	res := b.do("GET", "/boom", "", nil)
	require.Equal(t, 500, res.Status)
	require.NotContains(t, string(res.Body), "boom")
}

func TestPagesCarrySecurityHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	req := httptest.NewRequest("GET", "/", nil)
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, req)
	require.Equal(t, 200, rec.Code)
	require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	require.Equal(t, "DENY", rec.Header().Get("X-Frame-Options"))
	csp := rec.Header().Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'self'")
	// The dashboard's styles are all in its CSS file: an injected style
	// attribute or <style> block (CSS can read attributes out of a page) is refused.
	require.NotContains(t, csp, "'unsafe-inline'")
	require.NotContains(t, csp, "'unsafe-eval'")
	require.Contains(t, csp, "style-src 'self';")
}

// metrics scrapes the metrics handler, which serve puts on its own listener.
func (b *bundle) metrics() string {
	b.t.Helper()
	rec := httptest.NewRecorder()
	b.server.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	require.Equal(b.t, 200, rec.Code)
	return rec.Body.String()
}

// The main listener faces every employee's browser; metrics would let any
// of them watch activity, so they are not served there.
func TestMetricsAreNotOnTheMainListener(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	b.do("GET", "/api/v1/teams", b.hrToken, nil)
	res := b.do("GET", "/metrics", "", nil)
	require.NotContains(t, string(res.Body), "pulse_http_requests_total")
	require.NotEqual(t, 200, res.Status)
}
