package bench

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
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

const (
	// tapClients is how many people tap at once, each over its own connection.
	tapClients    = 8
	tapPeople     = 400
	signingSecret = "bench-signing-secret-0123456789abcdef"
)

// taps measures signed eNPS taps to /slack/interactions through the whole
// server over loopback, against one-row INSERTs from as many clients (what
// pgbench measures) and a bare net/http handler doing the signature check
// and one INSERT; on PostgreSQL when there is a DSN, and on SQLite always.
func (r *runner) taps(ctx context.Context) ([]Row, error) {
	dialects := []database.Dialect{database.SQLite}
	if r.main() == database.Postgres {
		dialects = []database.Dialect{database.Postgres, database.SQLite}
	}
	var rows []Row
	for _, d := range dialects {
		got, err := r.tapsOn(ctx, d)
		rows = append(rows, got...)
		if err != nil {
			return rows, fmt.Errorf("%s: %w", d, err)
		}
	}
	// Peak RSS over the process's life so far: the taps run first, and
	// clients and server share the process, so this bounds the server's.
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		mb := float64(ru.Maxrss) / 1024
		rows = append(rows, Row{Scenario: "footprint", Database: string(dialects[len(dialects)-1]), Measure: "peak RSS during taps, MB (clients included)",
			Pulse: mb, Target: "≤ 150", Met: atMost(mb, 150)})
	}
	return rows, nil
}

func (r *runner) tapsOn(ctx context.Context, dialect database.Dialect) ([]Row, error) {
	db, drop, err := r.open(ctx, dialect)
	if err != nil {
		return nil, err
	}
	defer drop()
	r.step("taps on %s: a round sent to %d people", dialect, tapPeople)
	w, err := newTapWorld(ctx, db)
	defer w.close()
	if err != nil {
		return nil, err
	}
	n := 1000
	if r.opts.Quick {
		n = 40
	}
	var insert, bare map[string]float64
	ceiling := func() (map[string]float64, error) {
		var err error
		if insert, err = w.measure(n, nil, w.insertClient(n)); err != nil {
			return nil, err
		}
		bare, err = w.runHTTP(n, w.insertHandler(), w.sameBodies, nil)
		return map[string]float64{"insert": insert["op/s"], "bare_p50": bare["p50"], "bare_p99": bare["p99"],
			"bare_cpu": bare["cpu"], "bare": bare["op/s"]}, err
	}
	pulse := func() (map[string]float64, error) {
		got, err := w.runHTTP(n, w.server, w.taps, w.app.Wait)
		if err == nil {
			got["wrong"], err = w.lostOrDoubled(ctx)
		}
		return got, err
	}
	c, p, err := interleave(r.opts.Rounds, ceiling, pulse)
	if err != nil {
		return nil, err
	}
	pg := dialect == database.Postgres
	onPG := func(m *bool) *bool {
		if pg {
			return m
		}
		return nil
	}
	db0 := string(dialect)
	return []Row{
		{Scenario: "taps", Database: db0, Measure: "taps/s, 8 clients", Pulse: p["op/s"], Ceiling: ptr(c["insert"]),
			CeilingIs: "one-row INSERTs, 8 clients", Target: "≥ 0.5 × ceiling", Met: onPG(atLeast(p["op/s"], c["insert"]/2))},
		{Scenario: "taps", Database: db0, Measure: "taps/s vs a bare handler", Pulse: p["op/s"], Ceiling: ptr(c["bare"]),
			CeilingIs: "net/http + HMAC + INSERT"},
		{Scenario: "taps", Database: db0, Measure: "p50 ms", Pulse: p["p50"], Ceiling: ptr(c["bare_p50"]), CeilingIs: "bare handler"},
		{Scenario: "taps", Database: db0, Measure: "p99 ms", Pulse: p["p99"], Ceiling: ptr(c["bare_p99"]), CeilingIs: "bare handler",
			Target: "≤ 25", Met: onPG(atMost(p["p99"], 25))},
		{Scenario: "taps", Database: db0, Measure: "CPU ms per tap (process)", Pulse: p["cpu"], Ceiling: ptr(c["bare_cpu"]),
			CeilingIs: "bare handler", Target: "≤ 0.5", Met: onPG(atMost(p["cpu"], 0.5))},
		{Scenario: "taps", Database: db0, Measure: "people whose answer was lost or doubled", Pulse: p["wrong"],
			Target: "0", Met: atMost(p["wrong"], 0)},
	}, nil
}

// tapWorld is a Pulse server over a database with one open round sent to
// tapPeople people.
type tapWorld struct {
	db      *database.DB
	surveys *survey.Service
	app     *notify.App
	server  http.Handler
	stop    func(context.Context) error // group commit's
	round   survey.Round
	enps    int64
	people  []directory.Employee
	blocks  json.RawMessage // the survey DM as posted
	buttons map[int]tapButton
	discard *httptest.Server // stands in for Slack and the response_url
	body    [][]byte         // by person*10 + value-1
	next    atomic.Int64     // numbers the ceiling's INSERTs

	mu   sync.Mutex
	last map[int64]int // the value each person tapped last
}

type tapButton struct {
	blockID string
	element slack.ButtonBlockElement
}

func newTapWorld(ctx context.Context, db *database.DB) (*tapWorld, error) {
	w := &tapWorld{db: db, last: map[int64]int{}, buttons: map[int]tapButton{}}
	w.surveys = survey.NewService(db.Gorm, time.Now, []byte("bench-secret-bench-secret-bench-secret"))
	w.stop = w.surveys.StartGroupCommit(survey.DefaultGroupCommit) // as pulse serve runs it; close stops it
	dir := directory.New(db.Gorm, time.Now)
	if err := w.makePeople(ctx, dir); err != nil {
		return w, err
	}
	if err := w.sendRound(ctx); err != nil {
		return w, err
	}
	w.discard = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rw.Write([]byte(`{"ok":true}`))
	}))
	logger := slog.New(slog.DiscardHandler)
	w.app = notify.NewApp(notify.AppConfig{Slack: slack.New("xoxb-bench", slack.OptionAPIURL(w.discard.URL+"/api/")),
		Surveys: w.surveys, People: dir, SigningSecret: signingSecret, Logger: logger})
	var endpoints []api.SlackEndpoint
	for _, e := range w.app.Endpoints() {
		endpoints = append(endpoints, api.SlackEndpoint{Path: e.Path, Summary: e.Summary, Handler: e.Handler, Answers: e.Answers})
	}
	w.server = api.New(api.Deps{DB: db, Directory: dir, Surveys: w.surveys, Logger: logger,
		Metrics: prometheus.NewRegistry(), Slack: endpoints})
	w.body = w.bodies()
	_, err := db.SQL.ExecContext(ctx, "CREATE TABLE bench_inserts (id INTEGER NOT NULL, value INTEGER NOT NULL, at TEXT NOT NULL)")
	return w, err
}

func (w *tapWorld) close() {
	if w.app != nil {
		w.app.Wait()
	}
	if w.discard != nil {
		w.discard.Close()
	}
	w.stop(context.Background())
}

func (w *tapWorld) makePeople(ctx context.Context, dir *directory.Directory) error {
	for t := range 20 {
		team, err := dir.CreateTeam(ctx, directory.TeamInput{Name: fmt.Sprintf("Team %d", t)})
		if err != nil {
			return err
		}
		for p := range tapPeople / 20 {
			e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: fmt.Sprintf("p%d.%d@example.com", t, p),
				Name: "Person", TeamID: &team.ID, SlackUserID: fmt.Sprintf("U%02d%03d", t, p), Timezone: "Europe/Berlin"})
			if err != nil {
				return err
			}
			w.people = append(w.people, e)
		}
	}
	return nil
}

// sendRound opens a round for everyone and keeps the survey DM's blocks and
// its buttons, which the payloads are built from.
func (w *tapWorld) sendRound(ctx context.Context) error {
	title := "Weekly pulse"
	sv, err := w.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title, Questions: []survey.QuestionInput{
		{Kind: survey.KindENPS, Prompt: "How likely are you to recommend Acme as a place to work?"},
		{Kind: survey.KindText, Prompt: "Anything else?"}}})
	if err != nil {
		return err
	}
	w.enps = sv.Questions[0].ID
	if w.round, _, err = w.surveys.SendNow(ctx, sv.ID, nil); err != nil {
		return err
	}
	assigned, err := w.surveys.AssignedRound(ctx, w.round.ID, w.people[0].ID)
	if err != nil {
		return err
	}
	dm := notify.SurveyDM(notify.PromptFor(assigned, w.people[0], ""))
	if w.blocks, err = json.Marshal(dm.Blocks); err != nil {
		return err
	}
	for _, block := range dm.Blocks {
		actions, ok := block.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, el := range actions.Elements.ElementSet {
			if btn, ok := el.(*slack.ButtonBlockElement); ok && notify.IsAnswerAction(btn.ActionID) {
				tapped, err := notify.DecodeAnswerAction(btn.ActionID, btn.Value)
				if err != nil {
					return err
				}
				w.buttons[tapped.Value] = tapButton{blockID: actions.BlockID, element: *btn}
			}
		}
	}
	if len(w.buttons) != 10 {
		return fmt.Errorf("the survey DM has %d answer buttons from 1 to 10, want 10", len(w.buttons))
	}
	return nil
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

// tap is op n of client c: each client taps for its own people in turn, so
// each person's taps are sequential and their last value is known; every
// person taps many times over a run, changing their answer each time.
func (w *tapWorld) tap(c, n int) (person, value int) {
	return c + tapClients*(n%(tapPeople/tapClients)), 1 + (n+c)%10
}

// bodies are the requests' bodies, built before the clocks start.
func (w *tapWorld) bodies() [][]byte {
	out := make([][]byte, tapPeople*10)
	for i := range tapPeople {
		for v := range 10 {
			out[i*10+v] = w.payload(i, v+1)
		}
	}
	return out
}

// taps sends op n of client c and remembers what was tapped.
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

// emptyHandler only reads the body: the cost of the clients and HTTP.
func (w *tapWorld) emptyHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rw.WriteHeader(http.StatusOK)
	})
}

func (w *tapWorld) insertHandler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || notify.VerifyRequest(r.Header, body, signingSecret, time.Now()) != nil {
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		if err := w.insertOne(r.Context()); err != nil {
			rw.WriteHeader(http.StatusInternalServerError)
			return
		}
		rw.WriteHeader(http.StatusOK)
	})
}

func (w *tapWorld) insertOne(ctx context.Context) error {
	n := w.next.Add(1)
	query := "INSERT INTO bench_inserts (id, value, at) VALUES (?, ?, ?)"
	if w.db.Dialect == database.Postgres {
		query = "INSERT INTO bench_inserts (id, value, at) VALUES ($1, $2, $3)"
	}
	_, err := w.db.SQL.ExecContext(ctx, query, n, n%10, time.Now().UTC().Format(time.RFC3339Nano))
	return err
}

// insertClient is the database's own ceiling: n one-row INSERTs from
// tapClients goroutines, each its own transaction.
func (w *tapWorld) insertClient(n int) func(c int, latencies *[]time.Duration) error {
	var done atomic.Int64
	return func(c int, latencies *[]time.Duration) error {
		for i := done.Add(1); i <= int64(n); i = done.Add(1) {
			start := time.Now()
			if err := w.insertOne(context.Background()); err != nil {
				return err
			}
			*latencies = append(*latencies, time.Since(start))
		}
		return nil
	}
}

// runHTTP serves h on loopback and has tapClients clients post n signed
// bodies from next, each to be answered 200. settle, when given, waits for
// the work the requests left running (the DM redraws), which is part of
// what is measured.
func (w *tapWorld) runHTTP(n int, h http.Handler, next func(c, n int) []byte, settle func()) (map[string]float64, error) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	var done atomic.Int64
	return w.measure(n, settle, func(c int, latencies *[]time.Duration) error {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		defer client.CloseIdleConnections()
		for i := done.Add(1); i <= int64(n); i = done.Add(1) {
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
	req.Header.Set(notify.HeaderSignature, notify.SignRequest(signingSecret, now, body))
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

// measure runs work on tapClients goroutines, then settle, and returns
// throughput (op/s), latency percentiles (p50, p99, ms) and process CPU per
// op (cpu, ms).
func (w *tapWorld) measure(n int, settle func(), work func(c int, latencies *[]time.Duration) error) (map[string]float64, error) {
	all := make([][]time.Duration, tapClients)
	errs := make([]error, tapClients)
	var wg sync.WaitGroup
	cpu := processCPU()
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
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	latencies := slices.Concat(all...)
	slices.Sort(latencies)
	return map[string]float64{"op/s": float64(n) / elapsed.Seconds(), "p50": ms(percentile(latencies, 0.50)),
		"p99": ms(percentile(latencies, 0.99)), "cpu": ms(cpu) / float64(n)}, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

// processCPU is the user and system CPU time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lostOrDoubled counts the people whose answer is not exactly the one they
// tapped last, plus any difference between responses, people who tapped and
// the rollup's count.
func (w *tapWorld) lostOrDoubled(ctx context.Context) (float64, error) {
	var responses, counted int64
	if err := w.db.Gorm.WithContext(ctx).Table("responses").Where("round_id = ?", w.round.ID).Count(&responses).Error; err != nil {
		return 0, err
	}
	err := w.db.Gorm.WithContext(ctx).Table("answer_counts").Where("round_id = ? AND question_id = ?", w.round.ID, w.enps).
		Select("COALESCE(SUM(n), 0)").Scan(&counted).Error
	if err != nil {
		return 0, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	wrong := abs(responses-int64(len(w.last))) + abs(counted-responses)
	for id, value := range w.last {
		answers, err := w.surveys.MyAnswers(ctx, w.round.ID, id)
		if err != nil {
			return 0, err
		}
		if len(answers) != 1 || answers[0].Value != value {
			wrong++
		}
	}
	return float64(wrong), nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
