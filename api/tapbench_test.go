package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

// tapClients is how many people tap at once, each over its own connection.
const tapClients = 8

// BenchmarkTaps measures signed eNPS taps to /slack/interactions through the
// whole server (Echo, its middleware, the signature check, the Slack app and
// the survey service) over loopback HTTP with tapClients clients, each
// payload built from a real survey DM's button as Slack sends it, message
// blocks included. Beside it, in the same run, the ceilings it is judged
// against:
//
//   - insert: tapClients goroutines each doing one-row INSERTs through the
//     same driver (what pgbench measures);
//   - http+insert: a bare net/http handler that checks the signature and
//     does one such INSERT, over the same loopback clients;
//   - empty: the same clients against a handler that only reads the body,
//     the cost of the clients and HTTP itself, which cpu_net subtracts.
//
// Each reports op/s, p50/p99 latency and CPU per op from getrusage (the
// whole process: clients and server share it). After the taps it checks
// that none was lost or doubled. Run (PostgreSQL when the URL is set):
//
//	go test ./api -run '^$' -bench Taps -benchtime 4000x -count 3
func BenchmarkTaps(b *testing.B) {
	dbs := []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", dbtest.SQLite}}
	if os.Getenv(dbtest.EnvURL) != "" {
		dbs = append(dbs, struct {
			name string
			open func(testing.TB) *database.DB
		}{"postgres", dbtest.Postgres})
	}
	for _, d := range dbs {
		b.Run(d.name, func(b *testing.B) {
			w := newTapWorld(b, d.open(b))
			b.Run("empty", func(b *testing.B) { w.runHTTP(b, w.emptyHandler(), w.sameBodies, nil) })
			b.Run("insert", w.runInserts)
			b.Run("http+insert", func(b *testing.B) { w.runHTTP(b, w.insertHandler(), w.sameBodies, nil) })
			b.Run("taps", func(b *testing.B) {
				w.runHTTP(b, w.server, w.taps, w.app.Wait)
				w.checkNoneLostOrDoubled(b)
			})
		})
	}
}

// tapWorld is a Pulse server over a database with one open round sent to
// tapPeople people.
type tapWorld struct {
	db      *database.DB
	surveys *survey.Service
	app     *notify.App
	server  http.Handler
	round   survey.Round
	enps    int64
	people  []directory.Employee
	blocks  json.RawMessage // the survey DM as posted
	buttons map[int]tapButton
	discard *httptest.Server // stands in for Slack's response_url
	body    [][]byte         // by person*10 + value-1

	mu   sync.Mutex
	last map[int64]int // the value each person tapped last
}

const tapPeople = 400

type tapButton struct {
	blockID string
	element slack.ButtonBlockElement
}

func newTapWorld(b *testing.B, db *database.DB) *tapWorld {
	ctx := b.Context()
	w := &tapWorld{db: db, last: map[int64]int{}, buttons: map[int]tapButton{}}
	dir := directory.New(db.Gorm, time.Now)
	w.surveys = survey.NewService(db.Gorm, time.Now, []byte("bench-secret-bench-secret-bench-secret"))
	for t := range 20 {
		team, err := dir.CreateTeam(ctx, directory.TeamInput{Name: fmt.Sprintf("Team %d", t)})
		must(b, err)
		for p := range tapPeople / 20 {
			e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: fmt.Sprintf("p%d.%d@example.com", t, p),
				Name: "Person", TeamID: &team.ID, SlackUserID: fmt.Sprintf("U%02d%03d", t, p), Timezone: "Europe/Berlin"})
			must(b, err)
			w.people = append(w.people, e)
		}
	}
	title := "Weekly pulse"
	sv, err := w.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title, Questions: []survey.QuestionInput{
		{Kind: survey.KindENPS, Prompt: "How likely are you to recommend Acme as a place to work?"},
		{Kind: survey.KindText, Prompt: "Anything else?"}}})
	must(b, err)
	w.enps = sv.Questions[0].ID
	w.round, _, err = w.surveys.SendNow(ctx, sv.ID, nil)
	must(b, err)
	assigned, err := w.surveys.AssignedRound(ctx, w.round.ID, w.people[0].ID)
	must(b, err)
	dm := notify.SurveyDM(notify.PromptFor(assigned, w.people[0], ""))
	w.blocks, err = json.Marshal(dm.Blocks)
	must(b, err)
	for _, block := range dm.Blocks {
		if actions, ok := block.(*slack.ActionBlock); ok {
			for _, el := range actions.Elements.ElementSet {
				if btn, ok := el.(*slack.ButtonBlockElement); ok && notify.IsAnswerAction(btn.ActionID) {
					tapped, err := notify.DecodeAnswerAction(btn.ActionID, btn.Value)
					must(b, err)
					w.buttons[tapped.Value] = tapButton{blockID: actions.BlockID, element: *btn}
				}
			}
		}
	}
	w.discard = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rw.Write([]byte(`{"ok":true}`))
	}))
	b.Cleanup(w.discard.Close)
	logger := slog.New(slog.DiscardHandler)
	w.app = notify.NewApp(notify.AppConfig{Slack: slack.New("xoxb-bench", slack.OptionAPIURL(w.discard.URL+"/api/")),
		Surveys: w.surveys, People: dir, SigningSecret: testSigningSecret, Logger: logger})
	b.Cleanup(w.app.Wait)
	var endpoints []api.SlackEndpoint
	for _, e := range w.app.Endpoints() {
		endpoints = append(endpoints, api.SlackEndpoint{Path: e.Path, Summary: e.Summary, Handler: e.Handler, Answers: e.Answers})
	}
	w.server = api.New(api.Deps{DB: db, Directory: dir, Surveys: w.surveys, Logger: logger,
		Metrics: prometheus.NewRegistry(), Slack: endpoints})
	w.body = w.bodies()
	_, err = db.SQL.ExecContext(ctx, "CREATE TABLE bench_inserts (id INTEGER NOT NULL, value INTEGER NOT NULL, at TEXT NOT NULL)")
	must(b, err)
	return w
}

// payload is the block_actions body Slack posts when person i taps value in
// their survey DM: form-encoded, the message and its blocks included.
func (w *tapWorld) payload(i, value int) []byte {
	e := w.people[i]
	btn := w.buttons[value].element
	channel := "D" + e.SlackUserID[1:]
	ts := fmt.Sprintf("1764493200.%06d", i)
	raw, _ := json.Marshal(map[string]any{
		"type": "block_actions", "token": "legacy-token", "api_app_id": "A0PULSE", "is_enterprise_install": false,
		"user":       map[string]any{"id": e.SlackUserID, "username": "person", "name": "person", "team_id": "T0ACME"},
		"team":       map[string]any{"id": "T0ACME", "domain": "acme"},
		"container":  map[string]any{"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": false},
		"channel":    map[string]any{"id": channel, "name": "directmessage"},
		"trigger_id": fmt.Sprintf("%d.%d.bench", i, value),
		"message": map[string]any{"type": "message", "subtype": "bot_message", "text": "Weekly pulse", "ts": ts,
			"bot_id": "B0PULSE", "blocks": w.blocks},
		"state":        map[string]any{"values": map[string]any{}},
		"response_url": w.discard.URL + "/actions/T0ACME/" + strconv.Itoa(i),
		"actions": []map[string]any{{"type": "button", "block_id": w.buttons[value].blockID, "action_id": btn.ActionID,
			"value": btn.Value, "text": btn.Text, "action_ts": "1764493201.000100"}},
	})
	return []byte("payload=" + url.QueryEscape(string(raw)))
}

// tap is op n of client c: each client taps for its own people in turn,
// so each person's taps are sequential and their last value is known; every
// person taps many times over a run, changing their answer each time.
func (w *tapWorld) tap(c, n int) (person, value int) {
	return c + tapClients*(n%(tapPeople/tapClients)), 1 + (n+c)%10
}

// bodies are the signed requests' bodies, built before the clocks start.
func (w *tapWorld) bodies() [][]byte {
	out := make([][]byte, tapPeople*10)
	for i := range tapPeople {
		for v := range 10 {
			out[i*10+v] = w.payload(i, v+1)
		}
	}
	return out
}

// taps sends op n and remembers what was tapped, for the check after.
func (w *tapWorld) taps(c, n int) []byte {
	person, value := w.tap(c, n)
	w.mu.Lock()
	w.last[w.people[person].ID] = value
	w.mu.Unlock()
	return w.body[person*10+value-1]
}

// sameBodies sends what taps would, to a ceiling, remembering nothing.
func (w *tapWorld) sameBodies(c, n int) []byte {
	person, value := w.tap(c, n)
	return w.body[person*10+value-1]
}

func (w *tapWorld) emptyHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rw.WriteHeader(http.StatusOK)
	})
}

func (w *tapWorld) insertHandler() http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || notify.VerifyRequest(r.Header, body, testSigningSecret, time.Now()) != nil {
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		if err := w.insertOne(r.Context(), n.Add(1)); err != nil {
			rw.WriteHeader(http.StatusInternalServerError)
			return
		}
		rw.WriteHeader(http.StatusOK)
	})
}

func (w *tapWorld) insertOne(ctx context.Context, n int64) error {
	query := "INSERT INTO bench_inserts (id, value, at) VALUES (?, ?, ?)"
	if w.db.Gorm.Dialector.Name() == "postgres" {
		query = "INSERT INTO bench_inserts (id, value, at) VALUES ($1, $2, $3)"
	}
	_, err := w.db.SQL.ExecContext(ctx, query, n, n%10, time.Now().UTC().Format(time.RFC3339Nano))
	return err
}

// runInserts is the database's own ceiling: one-row INSERTs from
// tapClients goroutines, each its own transaction.
func (w *tapWorld) runInserts(b *testing.B) {
	var n atomic.Int64
	w.measure(b, nil, func(c int, latencies *[]time.Duration) error {
		for i := n.Add(1); i <= int64(b.N); i = n.Add(1) {
			start := time.Now()
			if err := w.insertOne(b.Context(), i); err != nil {
				return err
			}
			*latencies = append(*latencies, time.Since(start))
		}
		return nil
	})
}

// runHTTP serves h on loopback and has tapClients clients post signed
// bodies from next until b.N have been answered 200. settle, when given,
// waits for the work the requests left running (the DM redraws), which is
// part of what is measured.
func (w *tapWorld) runHTTP(b *testing.B, h http.Handler, next func(c, n int) []byte, settle func()) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	var n atomic.Int64
	w.measure(b, settle, func(c int, latencies *[]time.Duration) error {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		defer client.CloseIdleConnections()
		for i := n.Add(1); i <= int64(b.N); i = n.Add(1) {
			body := next(c, int(i))
			start := time.Now()
			if err := postSigned(client, srv.URL+"/slack/interactions", body); err != nil {
				return err
			}
			*latencies = append(*latencies, time.Since(start))
		}
		return nil
	})
}

func postSigned(client *http.Client, target string, body []byte) error {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	now := time.Now().Unix()
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(now, 10))
	req.Header.Set(notify.HeaderSignature, notify.SignRequest(testSigningSecret, now, body))
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

// measure runs work on tapClients goroutines, then settle, and reports
// throughput, latency percentiles and process CPU per op.
func (w *tapWorld) measure(b *testing.B, settle func(), work func(c int, latencies *[]time.Duration) error) {
	all := make([][]time.Duration, tapClients)
	errs := make([]error, tapClients)
	var wg sync.WaitGroup
	cpu := processCPU()
	b.ResetTimer()
	start := time.Now()
	for c := range tapClients {
		wg.Go(func() { errs[c] = work(c, &all[c]) })
	}
	wg.Wait()
	if settle != nil {
		settle()
	}
	elapsed := time.Since(start)
	cpu = processCPU() - cpu
	b.StopTimer()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	latencies := slices.Concat(all...)
	slices.Sort(latencies)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "op/s")
	b.ReportMetric(ms(percentile(latencies, 0.50)), "p50_ms")
	b.ReportMetric(ms(percentile(latencies, 0.99)), "p99_ms")
	b.ReportMetric(ms(cpu)/float64(b.N), "cpu_ms/op")
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// processCPU is the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// checkNoneLostOrDoubled reads back, for everyone who tapped, one response
// holding the value they tapped last, and a rollup that counts each of them
// exactly once.
func (w *tapWorld) checkNoneLostOrDoubled(b *testing.B) {
	ctx := context.Background()
	var responses int64
	must(b, w.db.Gorm.Table("responses").Where("round_id = ?", w.round.ID).Count(&responses).Error)
	var counted int64
	must(b, w.db.Gorm.Table("answer_counts").Where("round_id = ? AND question_id = ?", w.round.ID, w.enps).
		Select("COALESCE(SUM(n), 0)").Scan(&counted).Error)
	if responses != int64(len(w.last)) || counted != responses {
		b.Fatalf("%d people tapped: %d responses, %d counted", len(w.last), responses, counted)
	}
	for id, value := range w.last {
		answers, err := w.surveys.MyAnswers(ctx, w.round.ID, id)
		must(b, err)
		if len(answers) != 1 || answers[0].Value != value {
			b.Fatalf("person %d tapped %d last, and has %v recorded", id, value, answers)
		}
	}
}

func must(b testing.TB, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
