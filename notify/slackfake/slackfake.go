// Package slackfake is an in-process stand-in for the Slack Web API, for tests
// that drive a real slack-go client. It covers the methods Pulse calls, which
// slack-go's own slacktest does not (conversations.open, views.open,
// views.publish, users.list), records every call for assertions, and can be
// told to fail the next calls of a method the ways Slack fails.
package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// Identity of the fake workspace, as auth.test reports it.
const (
	TeamID    = "T0PULSE"
	BotUserID = "U0PULSEBOT"
	BotID     = "B0PULSE"
	teamURL   = "https://pulse-test.slack.com/"
)

// Call is one request the fake received.
type Call struct {
	Method string
	// Token is what authenticated the call, from the form or the
	// Authorization header; it is not repeated in Values.
	Token string
	// Values holds the form fields, query parameters, or the top-level string
	// and boolean fields of a JSON body (views.*, response_url posts), as
	// strings, whichever the method used.
	Values map[string][]string
	// Blocks is the blocks JSON sent with a message or inside a view, nil
	// when there were none.
	Blocks json.RawMessage
	// View is the view JSON of views.open and views.publish.
	View json.RawMessage
	// Failed is set when the call was answered by a queued Failure or
	// refused by a limit (limits.go).
	Failed bool
	// At is when the request arrived.
	At time.Time
}

// Get returns the first value of a field, "" when absent.
func (c Call) Get(field string) string {
	if v := c.Values[field]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// SlackBlocks decodes Blocks into slack-go's types.
func (c Call) SlackBlocks() (slack.Blocks, error) {
	var blocks slack.Blocks
	if c.Blocks == nil {
		return blocks, nil
	}
	err := json.Unmarshal(c.Blocks, &blocks)
	return blocks, err
}

// Failure is how the fake answers a call instead of handling it.
type Failure struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// RetryAfter is sent as the Retry-After header when non-empty.
	RetryAfter string
	// Error is the Slack error code of an {"ok":false} answer.
	Error string
	// Hang holds the answer back until the caller gives up or Hang has
	// passed, whichever comes first (see Hang).
	Hang time.Duration
}

// RateLimited answers HTTP 429 with Retry-After in whole seconds, which
// slack-go turns into *slack.RateLimitedError.
func RateLimited(retryAfter time.Duration) Failure {
	return Failure{Status: http.StatusTooManyRequests, RetryAfter: strconv.Itoa(int(retryAfter / time.Second))}
}

// HTTPStatus answers with a bare status code, e.g. 503.
func HTTPStatus(status int) Failure { return Failure{Status: status} }

// SlackError answers HTTP 200 {"ok":false,"error":code}, as Slack does for
// every API-level error (user_not_found, cannot_dm_bot, invalid_auth, …).
func SlackError(code string) Failure { return Failure{Error: code} }

// Server is the fake Slack Web API. Its zero value is not usable; call New.
type Server struct {
	// URL ends in "/" and is meant for slack.OptionAPIURL.
	URL string

	mu       sync.Mutex
	calls    []Call
	failures map[string][]Failure
	users    []slack.User
	pageSize int
	messages map[string]bool // channel + "/" + ts of every message posted
	history  map[string][]Message
	lost     []Failure // answers to posts Slack made but Pulse never heard of
	sequence int
	limits   map[string]*limits // rate limits and traffic per method (limits.go)
	faults   faults             // latency, hangs and throttling (faults.go)
}

// Message is a message posted in a channel, as conversations.history
// returns it.
type Message struct {
	Channel  string
	TS       string
	Text     string
	Metadata *slack.SlackMetadata
}

// New starts a fake that is shut down when t ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{failures: map[string][]Failure{}, messages: map[string]bool{}, history: map[string][]Message{},
		faults: newFaults()}
	server := httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(server.Close)
	s.URL = server.URL + "/api/"
	return s
}

// Client returns a slack-go client pointed at the fake.
func (s *Server) Client() *slack.Client {
	return slack.New("xoxb-test-token", slack.OptionAPIURL(s.URL))
}

// SetUsers replaces the workspace directory behind users.list, users.info
// and conversations.open.
func (s *Server) SetUsers(users ...slack.User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append([]slack.User(nil), users...)
}

// SetUsersPageSize caps users.list pages below the client's limit, so tests
// can exercise cursor pagination with a handful of users. 0 removes the cap.
func (s *Server) SetUsersPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// FailNext makes the next len(failures) calls of method fail, in order;
// later calls are handled normally again.
func (s *Server) FailNext(method string, failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], failures...)
}

// LoseNextPosts makes the next len(failures) chat.postMessage calls post
// the message, then answer with the failure instead of the message: Slack
// has it, the caller never heard.
func (s *Server) LoseNextPosts(failures ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lost = append(s.lost, failures...)
}

// Messages returns the messages posted in a channel, oldest first.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.history[channel]...)
}

// Calls returns every call received so far, oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallsTo returns the calls of one method, oldest first.
func (s *Server) CallsTo(method string) []Call {
	var matching []Call
	for _, c := range s.Calls() {
		if c.Method == method {
			matching = append(matching, c)
		}
	}
	return matching
}

// ResponseURLMethod is the Method of calls made to a ResponseURL.
const ResponseURLMethod = "response_url"

// ResponseURL is a response_url for an interaction payload: what the app
// posts there is recorded as a call of ResponseURLMethod, with the URL's
// name in Values["url"] and the JSON fields (text, response_type,
// replace_original, …) as strings in Values.
func (s *Server) ResponseURL(name string) string {
	return strings.TrimSuffix(s.URL, "/api/") + "/response/" + name
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	if name, ok := strings.CutPrefix(r.URL.Path, "/response/"); ok {
		s.serveResponseURL(w, r, name)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/api/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	call, err := readCall(method, r)
	call.At = arrived
	if err != nil {
		writeJSON(w, http.StatusOK, errorBody("invalid_form_data"))
		return
	}
	answer := s.answer(method, call, arrived)
	// Slowness and hangs are served outside the lock: one stuck call holds
	// up no other.
	if !answer.wait(r.Context()) {
		return
	}
	answer.write(w)
}

// answer decides how the fake answers one call, and records it.
func (s *Server) answer(method string, call Call, arrived time.Time) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.decide(method, call, arrived)
	r.latency = s.faults.latency
	return r
}

// decide is answer's choice; callers hold s.mu. A call is refused by a
// queued failure or the limits (limits.go) first, then by a throttle.
func (s *Server) decide(method string, call Call, arrived time.Time) reply {
	s.faults.arrive(method, arrived)
	failure, failed := s.admit(call)
	if !failed {
		failure, failed = s.faults.throttled(method, arrived)
	}
	call.Failed = failed
	s.calls = append(s.calls, call)
	if failed {
		return s.faults.fail(method, failure)
	}
	status, body := s.handle(call)
	// Only a post Slack took can be lost; a refused one answers as refused.
	if method == "chat.postMessage" && len(s.lost) > 0 && body["ok"] == true {
		lost := s.lost[0]
		s.lost = s.lost[1:]
		return s.faults.fail(method, lost)
	}
	return reply{status: status, body: body}
}

// serveResponseURL answers as Slack's response_url does: {"ok":true}, or a
// queued failure of ResponseURLMethod.
func (s *Server) serveResponseURL(w http.ResponseWriter, r *http.Request, name string) {
	call := Call{Method: ResponseURLMethod, Values: map[string][]string{}}
	if err := readJSONBody(&call, r.Body); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	call.Values["url"] = []string{name}
	s.mu.Lock()
	defer s.mu.Unlock()
	failure, failed := s.takeFailure(ResponseURLMethod)
	call.Failed = failed
	s.calls = append(s.calls, call)
	if failed {
		writeFailure(w, failure)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) takeFailure(method string) (Failure, bool) {
	queue := s.failures[method]
	if len(queue) == 0 {
		return Failure{}, false
	}
	s.failures[method] = queue[1:]
	return queue[0], true
}

func writeFailure(w http.ResponseWriter, f Failure) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if f.Status != 0 && f.Status != http.StatusOK {
		// Slack sends HTML with its 5xx pages; slack-go never reads it.
		w.WriteHeader(f.Status)
		fmt.Fprintln(w, http.StatusText(f.Status))
		return
	}
	writeJSON(w, http.StatusOK, errorBody(f.Error))
}

func writeJSON(w http.ResponseWriter, status int, body map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func errorBody(code string) map[string]any {
	return map[string]any{"ok": false, "error": code}
}
