package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/web"
)

// bundle is a running API over a fresh database with one person per role.
type bundle struct {
	t                                    *testing.T
	db                                   *database.DB
	server                               *api.Server
	dir                                  *directory.Directory
	tokens                               *auth.Tokens
	surveys                              *survey.Service
	queue                                *river.Client[*sql.Tx]
	sender                               *recordingSender
	now                                  time.Time
	team                                 directory.Team // led by manager, with employee in it
	other                                directory.Team // nobody the manager sees
	hr                                   directory.Employee
	manager                              directory.Employee
	employee                             directory.Employee
	outsider                             directory.Employee
	hrToken, managerToken, employeeToken string
	logs                                 syncBuffer // the server's log, as written
}

// syncBuffer is the server's log output, safe to write from handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func setup(t *testing.T, db *database.DB) *bundle {
	t.Helper()
	ctx := t.Context()
	b := &bundle{t: t, db: db, now: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return b.now }
	b.dir, b.tokens = directory.New(db.Gorm, clock), auth.NewTokens(db.Gorm, clock)
	b.surveys = survey.NewService(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"))
	logger := slog.New(slog.NewTextHandler(io.MultiWriter(testLog{t}, &b.logs), nil))
	// Slack is off in these tests, as on a fresh install.
	b.sender = &recordingSender{}
	oneOnOnes := oneonone.New(db.Gorm, clock, []byte(testNotesKey))
	actions := action.New(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"), b.surveys)
	queue, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, b.surveys, delivery.Disabled{}, clock, logger), logger,
		scheduler.With(scheduler.NewReplyWorker(db.Gorm, b.surveys, b.sender, clock, logger)),
		scheduler.With(scheduler.NewOneOnOneWorker(db.Gorm, oneOnOnes, b.sender, clock, logger)),
		scheduler.With(scheduler.NewFollowUpWorker(db.Gorm, oneOnOnes, b.sender, clock, logger)),
		scheduler.With(scheduler.NewActionNoticeWorker(db.Gorm, actions, b.sender, clock, logger)))
	require.NoError(t, err)
	b.queue = queue
	dispatcher := scheduler.NewDispatcher(queue, clock)
	slackSide := newTestSlack(db, clock, logger)
	b.server = api.New(api.Deps{
		DB: db, Directory: b.dir, Tokens: b.tokens, Surveys: b.surveys, Deliveries: delivery.NewStore(db.Gorm, clock),
		OnRoundCreated: dispatcher.RoundCreated, OnRoundClosed: dispatcher.RoundClosed,
		Conversations: conversation.New(db.Gorm, b.surveys, clock), OnReply: scheduler.NewReplyQueuer(queue, clock).Queue, SlackOff: true,
		Logger: logger, Metrics: prometheus.NewRegistry(), Now: clock,
		Slack: slackSide.endpoints, Pages: append(web.Pages(), slackSide.pages...),
		OneOnOnes: oneOnOnes, OnMeetingScheduled: scheduler.NewOneOnOneQueuer(queue, clock).Queue,
		Sales:   sales.New(db.Gorm, clock, b.surveys),
		Actions: actions, OnActionPublished: scheduler.NewActionQueuer(queue).Queue,
	})
	b.team, err = b.dir.CreateTeam(ctx, directory.TeamInput{Name: "Sales"})
	require.NoError(t, err)
	b.other, err = b.dir.CreateTeam(ctx, directory.TeamInput{Name: "Engineering"})
	require.NoError(t, err)
	b.hr = b.person("hr@example.com", directory.RoleHRAdmin, nil, nil)
	b.manager = b.person("boss@example.com", directory.RoleManager, &b.team.ID, nil)
	_, err = b.dir.UpdateTeam(ctx, b.team.ID, directory.TeamPatch{ManagerID: &b.manager.ID})
	require.NoError(t, err)
	b.employee = b.person("rep@example.com", directory.RoleEmployee, &b.team.ID, &b.manager.ID)
	b.outsider = b.person("dev@example.com", directory.RoleEmployee, &b.other.ID, nil)
	b.hrToken = b.token(b.hr)
	b.managerToken = b.token(b.manager)
	b.employeeToken = b.token(b.employee)
	return b
}

func (b *bundle) person(email string, role directory.Role, team, manager *int64) directory.Employee {
	e, err := b.dir.CreateEmployee(b.t.Context(), directory.EmployeeInput{
		Email: email, Name: email[:len(email)-12], Role: role, TeamID: team, ManagerID: manager,
	})
	require.NoError(b.t, err)
	return e
}

func (b *bundle) token(e directory.Employee) string {
	secret, _, err := b.tokens.Create(b.t.Context(), e.ID, "test")
	require.NoError(b.t, err)
	return secret
}

type response struct {
	Status int
	Body   []byte
}

func (r response) data(t *testing.T, v any) {
	t.Helper()
	var env struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(r.Body, &env), string(r.Body))
	require.NoError(t, json.Unmarshal(env.Data, v), string(r.Body))
}

type apiError struct {
	Error struct {
		Code    string
		Message string
		Details []struct {
			Field  string
			Line   int
			Reason string
		}
	}
}

func (r response) err(t *testing.T) apiError {
	t.Helper()
	var e apiError
	require.NoError(t, json.Unmarshal(r.Body, &e), string(r.Body))
	require.NotEmpty(t, e.Error.Code, string(r.Body))
	return e
}

func (b *bundle) do(method, path, token string, body any) response {
	b.t.Helper()
	var reader io.Reader
	contentType := ""
	switch v := body.(type) {
	case nil:
	case string:
		reader, contentType = bytes.NewBufferString(v), "text/csv"
	default:
		raw, err := json.Marshal(v)
		require.NoError(b.t, err)
		reader, contentType = bytes.NewReader(raw), "application/json"
	}
	req := httptest.NewRequest(method, path, reader)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, req)
	return response{Status: rec.Code, Body: rec.Body.Bytes()}
}

func (b *bundle) raw(method, path, token, contentType string, body []byte) response {
	b.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, req)
	return response{Status: rec.Code, Body: rec.Body.Bytes()}
}

// testLog sends the server's log to the test's output, shown when it fails.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(string(bytes.TrimSpace(p)))
	return len(p), nil
}

// recordingSender stands in for Slack where a test reads what was sent.
type recordingSender struct {
	mu   sync.Mutex
	sent []delivery.Message
}

func (r *recordingSender) Send(_ context.Context, m delivery.Message) (delivery.Ref, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return delivery.Ref{Channel: "D1", TS: "1.0"}, nil
}
