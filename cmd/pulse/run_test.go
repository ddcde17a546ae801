package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// databases lists the database URLs the command tests run against.
func databases(t *testing.T) map[string]string {
	urls := map[string]string{"sqlite": filepath.Join(t.TempDir(), "pulse.db")}
	if pg := os.Getenv(dbtest.EnvURL); pg != "" {
		urls["postgres"] = pg
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set, and CI=true requires the PostgreSQL tests to run", dbtest.EnvURL)
	}
	return urls
}

func freshPostgresURL(t *testing.T, raw string) string {
	db := dbtest.Postgres(t) // a fresh, migrated schema of its own
	var schema string
	require.NoError(t, db.SQL.QueryRow("SELECT current_schema()").Scan(&schema))
	sep := "?"
	if strings.Contains(raw, "?") {
		sep = "&"
	}
	return raw + sep + "search_path=" + schema
}

func pulse(t *testing.T, env map[string]string, args ...string) (string, error) {
	var out bytes.Buffer
	err := run(t.Context(), args, envOf(env), &out, io.Discard)
	return out.String(), err
}

func TestDemoTokenListsEmployees(t *testing.T) {
	for name, url := range databases(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				url = freshPostgresURL(t, url)
			}
			env := map[string]string{"PULSE_DATABASE_URL": url, "PULSE_SECRET": strings.Repeat("k", 40)}
			out, err := pulse(t, env, "demo")
			require.NoError(t, err)
			require.Contains(t, out, "demo organisation loaded")
			out, err = pulse(t, env, "demo")
			require.NoError(t, err)
			require.Contains(t, out, "nothing changed", "loading the demo twice changes nothing")

			out, err = pulse(t, env, "token", "create", "--email", "HR@demo.example")
			require.NoError(t, err)
			token := strings.TrimSpace(out)
			require.Regexp(t, `^pulse_[a-z0-9]+$`, token, "only the token is printed")

			addr, metricsAddr := freeAddr(t), freeAddr(t)
			env["PULSE_ADDR"], env["PULSE_METRICS_ADDR"] = addr, metricsAddr
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() { done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, io.Discard) }()
			base := "http://" + addr
			waitReady(t, base)

			req, _ := http.NewRequest("GET", base+"/api/v1/employees", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			require.Equal(t, 200, res.StatusCode)
			require.GreaterOrEqual(t, strings.Count(string(body), `"email"`), 55, "about 60 demo employees")

			res, err = http.Get(base + "/metrics")
			require.NoError(t, err)
			res.Body.Close()
			require.NotEqual(t, 200, res.StatusCode, "metrics are not on the main listener")
			res, err = http.Get("http://" + metricsAddr + "/metrics")
			require.NoError(t, err)
			body, _ = io.ReadAll(res.Body)
			res.Body.Close()
			for _, metric := range []string{"go_goroutines", "go_sql_open_connections", "pulse_http_requests_total",
				`pulse_queue_jobs{state="available"}`, "pulse_queue_stats_up 1", `pulse_deliveries_total{error="",kind="survey",outcome="sent"}`} {
				require.Contains(t, string(body), metric, "runtime, database pool, HTTP, queue and delivery metrics")
			}

			cancel()
			require.NoError(t, <-done, "serve shuts down cleanly on cancel (SIGTERM)")
		})
	}
}

func TestMigrateStatusAndDown(t *testing.T) {
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "pulse.db")}
	out, err := pulse(t, env, "migrate", "up")
	require.NoError(t, err)
	require.Regexp(t, `pulse schema: version (\d+) of (\d+)`, out)
	out, err = pulse(t, env, "migrate", "down")
	require.NoError(t, err)
	require.Contains(t, out, "rolled back migration")
	out, err = pulse(t, env, "migrate", "status")
	require.NoError(t, err)
	require.Regexp(t, `pulse schema: version (\d+) of (\d+)`, out)
	_, err = pulse(t, env, "migrate", "sideways")
	require.ErrorContains(t, err, "unknown action")
}

// newInstall is an SQLite database created the documented way: pulse migrate.
func newInstall(t *testing.T, env map[string]string) {
	t.Helper()
	_, err := pulse(t, env, "migrate")
	require.NoError(t, err)
}

func TestTokenCreateForUnknownEmail(t *testing.T) {
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "pulse.db")}
	newInstall(t, env)
	_, err := pulse(t, env, "token", "create", "--email", "nobody@example.com")
	require.ErrorContains(t, err, "no employee with email nobody@example.com")
	_, err = pulse(t, env, "token", "create")
	require.ErrorContains(t, err, "--email is required")
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// waitReady polls /readyz: the server starts in another goroutine.
func waitReady(t *testing.T, base string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", base)
}

func TestAdminCreateBootstrapsARealInstall(t *testing.T) {
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "pulse.db")}
	newInstall(t, env)
	_, err := pulse(t, env, "admin", "create", "--email", "people@example.com")
	require.ErrorContains(t, err, "name: is required")
	out, err := pulse(t, env, "admin", "create", "--email", "people@example.com", "--name", "Pat People")
	require.NoError(t, err)
	require.Regexp(t, `^pulse_[a-z0-9]+\n$`, out)
	// Running it again promotes rather than duplicates.
	_, err = pulse(t, env, "admin", "create", "--email", "People@Example.com", "--name", "Pat People")
	require.NoError(t, err)
}

// The demo used to print an HR token that never expired; it now prints a
// one-time link that opens a session, and the link works once.
func TestServeDemoPrintsAOneTimeSignInLink(t *testing.T) {
	addr := freeAddr(t)
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "pulse.db"), "PULSE_ADDR": addr,
		"PULSE_METRICS_ADDR": "off"}
	ctx, cancel := context.WithCancel(t.Context())
	var out lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo"}, envOf(env), &out, io.Discard) }()
	base := "http://" + addr
	waitReady(t, base) // the link is printed before the server starts answering
	link := regexp.MustCompile(`http://\S+/signin\?code=[a-z0-9]+`).FindString(out.String())
	require.NotEmpty(t, link, out.String())
	require.NotContains(t, out.String(), "Bearer pulse_", "no long-lived token is printed")

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(link)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Regexp(t, `^/#token=pulse_session_`, res.Header.Get("Location"))
	res, err = noRedirect.Get(link)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusGone, res.StatusCode, "the link works once")

	cancel()
	require.NoError(t, <-done)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestTokenCreateWithAnExpiry(t *testing.T) {
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "pulse.db")}
	newInstall(t, env)
	_, err := pulse(t, env, "admin", "create", "--email", "people@example.com", "--name", "Pat People")
	require.NoError(t, err)
	out, err := pulse(t, env, "token", "create", "--email", "people@example.com", "--expires", "720h")
	require.NoError(t, err)
	require.Regexp(t, `^pulse_[a-z0-9]+\n$`, out)
	_, err = pulse(t, env, "token", "create", "--email", "people@example.com", "--expires", "-1h")
	require.ErrorContains(t, err, "--expires must be positive")

	db, err := database.Open(t.Context(), mustLocation(t, env["PULSE_DATABASE_URL"]))
	require.NoError(t, err)
	defer db.Close()
	var expiring int
	require.NoError(t, db.SQL.QueryRowContext(t.Context(), "SELECT count(*) FROM api_tokens WHERE expires_at IS NOT NULL").Scan(&expiring))
	require.Equal(t, 1, expiring)
}

func mustLocation(t *testing.T, raw string) database.Location {
	loc, err := database.ParseURL(raw)
	require.NoError(t, err)
	return loc
}

// A new install says at start which database and version it runs and what
// comes next; opening pages does not fill the log with a line per file, and
// a mistyped address gets a page, while the API keeps answering in JSON.
func TestServeSaysWhatItRunsAndWhatComesNext(t *testing.T) {
	addr := freeAddr(t)
	file := filepath.Join(t.TempDir(), "pulse.db")
	env := map[string]string{"PULSE_DATABASE_URL": file, "PULSE_ADDR": addr, "PULSE_METRICS_ADDR": "off"}
	ctx, cancel := context.WithCancel(t.Context())
	var logs lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, &logs) }()
	base := "http://" + addr
	waitReady(t, base)

	get := func(path string) (*http.Response, string) {
		res, err := http.Get(base + path)
		require.NoError(t, err)
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(body)
	}
	for _, path := range []string{"/static/pulse.js", "/static/pulse.css", "/static/i18n.js"} {
		res, _ := get(path)
		require.Equal(t, http.StatusOK, res.StatusCode, path)
	}
	res, body := get("/no-such-page")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.Contains(t, res.Header.Get("Content-Type"), "text/html")
	require.Contains(t, body, "Page not found")
	require.Contains(t, body, "Halaman tidak dijumpai")
	res, body = get("/api/v1/no-such-route")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
	require.Contains(t, res.Header.Get("Content-Type"), "application/json")
	require.Contains(t, body, `"not_found"`)

	cancel()
	require.NoError(t, <-done)
	log := logs.String()
	abs, err := filepath.Abs(file)
	require.NoError(t, err)
	require.Contains(t, log, "sqlite file "+abs)
	require.Regexp(t, `version="?pulse \S+`, log)
	require.Contains(t, log, "pulse admin create")
	require.NotContains(t, log, "/static/pulse.js", "static files are logged at DEBUG only")
	require.Contains(t, log, "/no-such-page", "other requests are still logged")
}
