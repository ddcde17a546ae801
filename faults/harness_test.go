//go:build faults

package faults_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify/slackfake"
)

// recipients is how many people every scenario sends a round to.
const recipients = 1000

const (
	signingSecret = "faults-signing-secret-0123456789"
	botToken      = "xoxb-faults"
	pulseSecret   = "faults-pulse-secret-0123456789abcdef0123456789"
)

// pulseBinary is built once per run, by TestMain.
var pulseBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pulse-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pulseBinary = filepath.Join(dir, "pulse")
	build := exec.Command("go", "build", "-o", pulseBinary, "../cmd/pulse")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building pulse:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is one scenario's world: a fresh PostgreSQL schema, the Slack fake
// with its workspace of recipients, and what the seeding left behind.
type env struct {
	t     *testing.T
	fake  *slackfake.Server
	dbURL string
	db    *database.DB
	token string // the HR admin's API token
	team  int64  // the team every recipient is in
}

// newEnv creates the schema, migrates it, creates the HR admin and fills
// the fake's users.list with the recipients (U00001…), not yet in Pulse.
func newEnv(t *testing.T) *env {
	t.Helper()
	raw := os.Getenv(dbtest.EnvURL)
	if raw == "" {
		t.Fatalf("%s must point at a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", dbtest.EnvURL)
	}
	ctx := context.Background()
	loc, err := database.ParseURL(raw)
	require.NoError(t, err)
	admin, err := database.Open(ctx, loc)
	require.NoError(t, err)
	schema := fmt.Sprintf("pulse_faults_%d", time.Now().UnixNano())
	_, err = admin.SQL.ExecContext(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin.SQL.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	e := &env{t: t, fake: slackfake.New(t), dbURL: dbtest.SchemaURL(t, schema)}
	users := make([]slack.User, recipients)
	for i := range users {
		id := userID(i)
		users[i] = slack.User{ID: id, Name: strings.ToLower(id), TZ: "UTC",
			Profile: slack.UserProfile{Email: strings.ToLower(id) + "@faults.example", RealName: "Person " + id}}
	}
	e.fake.SetUsers(users...)
	// Slack's limits as the delivery targets are set against: 50 posts a
	// second for the workspace, one a second per channel. Pulse paces a
	// little under them (fakePostRate).
	e.fake.LimitRate("chat.postMessage", 50)
	e.fake.LimitChannel("chat.postMessage", time.Second)
	e.cli("migrate")
	out := e.cli("admin", "create", "--email", "hr@faults.example", "--name", "Pat People")
	for line := range strings.Lines(out) {
		if token, ok := strings.CutPrefix(strings.TrimSpace(line), "pulse_"); ok {
			e.token = "pulse_" + token
		}
	}
	require.NotEmpty(t, e.token, "admin create printed no token: %s", out)
	dbLoc, err := database.ParseURL(e.dbURL)
	require.NoError(t, err)
	e.db, err = database.Open(ctx, dbLoc)
	require.NoError(t, err)
	t.Cleanup(func() { e.db.Close() })
	return e
}

// fakePostRate is the pace Pulse is told to keep: a little under the
// stand-in's 50 posts a second.
const fakePostRate = "48"

func userID(i int) string { return fmt.Sprintf("U%05d", i+1) }

// dmChannel is the DM with recipient i in the fake.
func dmChannel(i int) string { return "D" + userID(i) }

func (e *env) environ(addr string) []string {
	return append(os.Environ(),
		"PULSE_DATABASE_URL="+e.dbURL, "PULSE_SECRET="+pulseSecret, "PULSE_ADDR="+addr,
		"PULSE_METRICS_ADDR=off", "PULSE_LOG_LEVEL=info", "PULSE_SLACK_POST_RATE="+fakePostRate,
		"SLACK_BOT_TOKEN="+botToken, "SLACK_SIGNING_SECRET="+signingSecret, "SLACK_API_URL="+e.fake.URL)
}

// cli runs a pulse command to its end and returns what it printed.
func (e *env) cli(args ...string) string {
	e.t.Helper()
	cmd := exec.Command(pulseBinary, args...)
	cmd.Env = e.environ("127.0.0.1:0")
	out, err := cmd.CombinedOutput()
	require.NoError(e.t, err, "pulse %s: %s", strings.Join(args, " "), out)
	return string(out)
}

// seed imports the recipients into one team, binds them to Slack with the
// directory sync, and returns a survey of one eNPS question for that team,
// with cadence as given (nil for none). p serves the API.
func (e *env) seed(p *pulse, cadence map[string]any) int64 {
	e.t.Helper()
	e.seedPeople(p)
	return e.createSurvey(p, cadence)
}

// seedPeople imports the recipients into one team and binds them to Slack
// with the directory sync.
func (e *env) seedPeople(p *pulse) {
	e.t.Helper()
	var csv strings.Builder
	csv.WriteString("email,name,team,timezone\n")
	for i := range recipients {
		fmt.Fprintf(&csv, "%s@faults.example,Person %s,Field,UTC\n", strings.ToLower(userID(i)), userID(i))
	}
	p.call(http.MethodPost, "/api/v1/employees/import", "text/csv", csv.String(), nil)
	e.cli("slack", "sync")
	var bound int
	require.NoError(e.t, e.db.SQL.QueryRow("SELECT count(*) FROM employees WHERE slack_user_id <> ''").Scan(&bound))
	require.Equal(e.t, recipients, bound, "every recipient bound to Slack")

	var teams []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	p.call(http.MethodGet, "/api/v1/teams", "", "", &teams)
	for _, team := range teams {
		if team.Name == "Field" {
			e.team = team.ID
		}
	}
	require.NotZero(e.t, e.team)
}

// createSurvey creates a survey of one eNPS question for the seeded team,
// with cadence as given (nil for none).
func (e *env) createSurvey(p *pulse, cadence map[string]any) int64 {
	e.t.Helper()
	body := map[string]any{"title": "Fault pulse", "audience": map[string]any{"team_ids": []int64{e.team}},
		"questions": []map[string]any{{"kind": "enps", "prompt": "How likely are you to recommend working here?"}}}
	if cadence != nil {
		body["cadence"] = cadence
	}
	raw, err := json.Marshal(body)
	require.NoError(e.t, err)
	var sv struct {
		ID int64 `json:"id"`
	}
	p.call(http.MethodPost, "/api/v1/surveys", "application/json", string(raw), &sv)
	return sv.ID
}

// sendNow sends a round of the survey now, as HR's "send now" does.
func (p *pulse) sendNow(surveyID int64) int64 {
	var round struct {
		ID int64 `json:"id"`
	}
	p.call(http.MethodPost, fmt.Sprintf("/api/v1/surveys/%d/rounds", surveyID), "", "", &round)
	require.NotZero(p.t, round.ID)
	return round.ID
}

// pulse is one running `pulse serve` process.
type pulse struct {
	t     *testing.T
	e     *env
	name  string
	base  string
	cmd   *exec.Cmd
	log   string
	done  chan struct{}
	state *os.ProcessState
}

// start runs `pulse serve` and waits until /readyz answers 200.
func (e *env) start(name string) *pulse {
	e.t.Helper()
	addr := freeAddr(e.t)
	p := &pulse{t: e.t, e: e, name: name, base: "http://" + addr, done: make(chan struct{}),
		log: filepath.Join(e.t.TempDir(), name+".log")}
	logFile, err := os.Create(p.log)
	require.NoError(e.t, err)
	p.cmd = exec.Command(pulseBinary, "serve")
	p.cmd.Env = e.environ(addr)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	require.NoError(e.t, p.cmd.Start())
	go func() {
		p.cmd.Wait()
		p.state = p.cmd.ProcessState
		logFile.Close()
		close(p.done)
	}()
	e.t.Cleanup(func() {
		p.kill()
		if e.t.Failed() {
			e.t.Logf("last lines of %s:\n%s", name, tail(p.log, 40))
		}
	})
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(p.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			e.t.Fatalf("%s exited before it was ready:\n%s", name, tail(p.log, 40))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s not ready after 60 s:\n%s", name, tail(p.log, 40))
		}
	}
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would.
func (p *pulse) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// terminate sends SIGTERM and waits up to budget for the process to exit,
// returning its exit code and how long it took.
func (p *pulse) terminate(budget time.Duration) (int, time.Duration) {
	p.t.Helper()
	start := time.Now()
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
	case <-time.After(budget):
		p.t.Fatalf("%s still running %s after SIGTERM", p.name, budget)
	}
	return p.state.ExitCode(), time.Since(start)
}

// logged counts the lines of the process's log that contain text.
func (p *pulse) logged(text string) int {
	raw, err := os.ReadFile(p.log)
	require.NoError(p.t, err)
	return strings.Count(string(raw), text)
}

// call makes an API request as the HR admin and decodes the "data" of a 2xx
// answer into into.
func (p *pulse) call(method, path, contentType, body string, into any) {
	p.t.Helper()
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	require.NoError(p.t, err)
	req.Header.Set("Authorization", "Bearer "+p.e.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(p.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(p.t, err)
	require.Less(p.t, resp.StatusCode, 300, "%s %s: %s", method, path, raw)
	if into != nil {
		var envelope struct {
			Data json.RawMessage `json:"data"`
		}
		require.NoError(p.t, json.Unmarshal(raw, &envelope))
		require.NoError(p.t, json.Unmarshal(envelope.Data, into))
	}
}

// tally is what Slack and the database say of a round's DMs.
type tally struct {
	DMs        int // recipients with at least one DM
	Duplicates int // DMs beyond the first, over all recipients
	Sent       int // deliveries the database records as sent
	Posts      int // every DM posted, duplicates included
}

func (e *env) tally(roundID int64) tally {
	e.t.Helper()
	counts := e.fake.MessageCounts()
	var t tally
	for i := range recipients {
		n := counts[dmChannel(i)]
		t.Posts += n
		if n > 0 {
			t.DMs++
			t.Duplicates += n - 1
		}
	}
	err := e.db.SQL.QueryRow("SELECT count(*) FROM deliveries WHERE round_id = $1 AND status = 'sent'", roundID).Scan(&t.Sent)
	if err != nil {
		t.Sent = -1 // the database is away (a restart); the caller polls again
	}
	return t
}

// awaitDelivered polls until every recipient has a DM and every delivery is
// recorded as sent, or fails after limit.
func (e *env) awaitDelivered(roundID int64, limit time.Duration) tally {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		t := e.tally(roundID)
		if t.DMs == recipients && t.Sent == recipients {
			return t
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("not delivered within %s: %+v; Slack received %d posts, %d refused calls", limit, t,
				e.fake.CallCount("chat.postMessage"), e.refused())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// awaitPosts polls until at least n DMs were posted.
func (e *env) awaitPosts(n int, limit time.Duration) {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for e.fake.CallCount("chat.postMessage") < n {
		if time.Now().After(deadline) {
			e.t.Fatalf("fewer than %d posts within %s", n, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// refused is how many calls the fake answered with a failure.
func (e *env) refused() int {
	n := 0
	for _, c := range e.fake.Calls() {
		if c.Failed {
			n++
		}
	}
	return n
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	require.NoError(e.t, e.db.SQL.QueryRow(query, args...).Scan(&n))
	return n
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

func tail(path string, lines int) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	var all []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		all = append(all, sc.Text())
	}
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
