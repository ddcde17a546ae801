package slackfake

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"time"
)

// The fault modes Slack shows under load or in an outage, beyond the single
// failures of FailNext: a slow API (SetLatency), answers that never come
// (Hang, and LoseNextPosts(Hang(…)) for a post Slack took but never
// confirmed), and rate-limit windows (Throttle) during which every call of
// the method is refused. The fake also keeps score of how well a client
// respects each Retry-After it was given (RetryAfterReport).

// InFlightGrace is how long after a 429 left the fake a call of the same
// method still counts as one already on its way, not as a call made inside
// the Retry-After window: on loopback a request sent before the client read
// the 429 arrives within a few milliseconds, on a busy machine within tens.
const InFlightGrace = 100 * time.Millisecond

// hangCap bounds a Hang whose caller never gives up, so a test ends.
const hangCap = 5 * time.Minute

// Hang answers a call only when the caller has given up waiting (its request
// was cancelled: a client timeout, a killed process) or after d, with 504
// Gateway Timeout as Slack's edge does. d = 0 waits for the caller, up to
// five minutes. With LoseNextPosts it is a post Slack took whose answer never
// came.
func Hang(d time.Duration) Failure {
	if d <= 0 {
		d = hangCap
	}
	return Failure{Status: http.StatusGatewayTimeout, Hang: d}
}

// SetLatency makes every Web API call take at least d before it is answered,
// as a slow Slack does; 0 answers at once.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.latency = d
}

// Throttle makes the next call of method open a rate-limit window: it and
// every call of the method until window has passed are answered 429 with
// Retry-After set to the whole seconds left (at least 1), the way Slack
// enforces a limit on an app.
func (s *Server) Throttle(method string, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.armed[method] = window
}

// RetryAfterReport is how a client kept to the Retry-After windows it was
// given for one method.
type RetryAfterReport struct {
	// Windows is how many Retry-After windows the fake announced; a 429
	// inside one extends it rather than opening another.
	Windows int
	// Refusals is how many 429s with Retry-After the fake answered.
	Refusals int
	// Inside counts calls that arrived while an announced window was in
	// force, more than InFlightGrace after it was announced: calls the
	// client should not have made.
	Inside int
}

// RetryAfterReport returns the score for method so far.
func (s *Server) RetryAfterReport(method string) RetryAfterReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.report[method]
}

// MessageCounts returns how many messages were posted in each channel, for
// counting deliveries and duplicates over thousands of DMs cheaply.
func (s *Server) MessageCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := make(map[string]int, len(s.history))
	for channel, posted := range s.history {
		counts[channel] = len(posted)
	}
	return counts
}

// CallCount returns how many calls of method the fake received.
func (s *Server) CallCount(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

// faults is the fault state of a Server, guarded by its mutex.
type faults struct {
	latency time.Duration
	armed   map[string]time.Duration // Throttle windows waiting for their first call
	windows map[string]window        // the latest Retry-After announced per method
	report  map[string]RetryAfterReport
}

// window is a Retry-After announced to the client: no call of the method
// is due before until.
type window struct {
	announced, until time.Time
	throttled        bool // every call inside it is refused (Throttle)
}

func newFaults() faults {
	return faults{armed: map[string]time.Duration{}, windows: map[string]window{}, report: map[string]RetryAfterReport{}}
}

// arrive scores a call that arrived at t against the window in force.
func (f *faults) arrive(method string, t time.Time) {
	w, ok := f.windows[method]
	if ok && t.Before(w.until) && t.Sub(w.announced) > InFlightGrace {
		r := f.report[method]
		r.Inside++
		f.report[method] = r
	}
}

// throttled opens an armed Throttle window, and refuses a call inside one.
func (f *faults) throttled(method string, t time.Time) (Failure, bool) {
	if d, armed := f.armed[method]; armed {
		delete(f.armed, method)
		f.windows[method] = window{announced: t, until: t.Add(d), throttled: true}
		r := f.report[method]
		r.Windows++
		f.report[method] = r
	}
	w, ok := f.windows[method]
	if !ok || !w.throttled || !t.Before(w.until) {
		return Failure{}, false
	}
	left := int(math.Ceil(w.until.Sub(t).Seconds()))
	return Failure{Status: http.StatusTooManyRequests, RetryAfter: strconv.Itoa(max(left, 1))}, true
}

// fail turns a failure into the reply, noting the window a 429 announces.
func (f *faults) fail(method string, failure Failure) reply {
	if seconds, err := strconv.Atoi(failure.RetryAfter); err == nil && failure.Status == http.StatusTooManyRequests {
		now := time.Now()
		until := now.Add(time.Duration(seconds) * time.Second)
		// A 429 inside a window in force only extends it: the client has
		// known since the first one. A Throttle window keeps its end, or
		// its own refusals (rounded up to whole seconds) would stretch it
		// for as long as the client keeps calling.
		r := f.report[method]
		w, ok := f.windows[method]
		if !ok || !now.Before(w.until) {
			w = window{announced: now}
			r.Windows++
		}
		if until.After(w.until) && !w.throttled {
			w.until = until
		}
		f.windows[method] = w
		r.Refusals++
		f.report[method] = r
	}
	return reply{failure: &failure}
}

// reply is how the fake answers a call: decided under the Server's lock,
// written after it is released.
type reply struct {
	failure *Failure
	status  int
	body    map[string]any
	latency time.Duration
}

// wait holds the reply back for the latency and any hang; false means the
// caller went away meanwhile and nothing is to be written.
func (r reply) wait(ctx context.Context) bool {
	hold := r.latency
	if r.failure != nil {
		hold = max(hold, r.failure.Hang)
	}
	if hold <= 0 {
		return true
	}
	timer := time.NewTimer(hold)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

func (r reply) write(w http.ResponseWriter) {
	if r.failure != nil {
		writeFailure(w, *r.failure)
		return
	}
	writeJSON(w, r.status, r.body)
}
