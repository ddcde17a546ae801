package notify

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
)

// SlackErrorLogInterval is how often, at most, a summary line is logged for
// Slack failures of one method and code after the first one was logged.
const SlackErrorLogInterval = time.Minute

// SlackMetrics are the Prometheus series of Slack Web API calls. Their
// labels are Slack's method names, outcomes and error codes: never a
// channel, a user or anything a message is about.
type SlackMetrics struct {
	latency *prometheus.HistogramVec
	errors  *prometheus.CounterVec
	codes   *labelSet
}

// NewSlackMetrics registers the Slack call series with reg.
func NewSlackMetrics(reg prometheus.Registerer) *SlackMetrics {
	m := &SlackMetrics{
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pulse_slack_request_duration_seconds",
			Help:    "Slack Web API call latency by method and outcome (ok, transient, rate_limited, permanent, misconfigured).",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"method", "outcome"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_slack_errors_total",
			Help: "Failed Slack Web API calls by method, Slack's error code (or http_NNN, timeout, network, canceled, unknown) and kind.",
		}, []string{"method", "code", "kind"}),
		codes: newLabelSet(maxErrorCodes),
	}
	reg.MustRegister(m.latency, m.errors)
	return m
}

// maxErrorCodes bounds the distinct code label values: Slack's codes are a
// short documented list, but the label must stay bounded whatever answers.
const maxErrorCodes = 64

// ObserveConfig is what ObservedSlack reports to; Metrics and Logger are
// required.
type ObserveConfig struct {
	Metrics *SlackMetrics
	Logger  *slog.Logger
	// Now is the clock of the log's intervals; time.Now when nil.
	Now func() time.Time
	// Interval between summary lines of one method and code;
	// SlackErrorLogInterval when zero.
	Interval time.Duration
	// AfterFunc schedules the summary at the end of an interval;
	// time.AfterFunc when nil. Tests fire it by hand.
	AfterFunc func(time.Duration, func())
}

// ObservedSlack is a SlackAPI that measures every call it passes on and
// makes failures visible: latency by method and outcome, failures by
// method and code, and a WARN line per method and code (ERROR when the app
// is misconfigured), logged at once the first time and then summed up at
// most once per interval, so a storm of failures is a handful of lines.
// It only observes: it neither retries nor paces.
type ObservedSlack struct {
	next    SlackAPI
	metrics *SlackMetrics
	log     *errorLog
}

var _ SlackAPI = (*ObservedSlack)(nil)

// Observe wraps api.
func Observe(api SlackAPI, cfg ObserveConfig) *ObservedSlack {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Interval <= 0 {
		cfg.Interval = SlackErrorLogInterval
	}
	if cfg.AfterFunc == nil {
		cfg.AfterFunc = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	}
	return &ObservedSlack{next: api, metrics: cfg.Metrics, log: &errorLog{
		logger: cfg.Logger, now: cfg.Now, interval: cfg.Interval, after: cfg.AfterFunc, keys: map[errorKey]*errorWindow{},
	}}
}

// done records one call of method that started at start.
func (o *ObservedSlack) done(method string, start time.Time, err error) {
	elapsed := time.Since(start).Seconds()
	kind, _, code := ClassifyError(err)
	if kind == NoError {
		o.metrics.latency.WithLabelValues(method, "ok").Observe(elapsed)
		return
	}
	o.metrics.latency.WithLabelValues(method, kind.String()).Observe(elapsed)
	code = o.metrics.codes.bound(code)
	o.metrics.errors.WithLabelValues(method, code, kind.String()).Inc()
	if code != "canceled" { // our own shutdown, not Slack's health
		o.log.failed(errorKey{method: method, code: code}, kind, err)
	}
}

func (o *ObservedSlack) OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error) {
	start := time.Now()
	ch, noOp, already, err := o.next.OpenConversationContext(ctx, params)
	o.done("conversations.open", start, err)
	return ch, noOp, already, err
}

func (o *ObservedSlack) PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error) {
	start := time.Now()
	ch, ts, err := o.next.PostMessageContext(ctx, channelID, options...)
	o.done("chat.postMessage", start, err)
	return ch, ts, err
}

func (o *ObservedSlack) UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error) {
	start := time.Now()
	ch, ts, text, err := o.next.UpdateMessageContext(ctx, channelID, timestamp, options...)
	o.done("chat.update", start, err)
	return ch, ts, text, err
}

func (o *ObservedSlack) GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error) {
	start := time.Now()
	res, err := o.next.GetConversationHistoryContext(ctx, params)
	o.done("conversations.history", start, err)
	return res, err
}

func (o *ObservedSlack) GetPermalinkContext(ctx context.Context, params *slack.PermalinkParameters) (string, error) {
	start := time.Now()
	link, err := o.next.GetPermalinkContext(ctx, params)
	o.done("chat.getPermalink", start, err)
	return link, err
}

func (o *ObservedSlack) OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error) {
	start := time.Now()
	res, err := o.next.OpenViewContext(ctx, triggerID, view)
	o.done("views.open", start, err)
	return res, err
}

func (o *ObservedSlack) PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error) {
	start := time.Now()
	res, err := o.next.PublishViewContext(ctx, req)
	o.done("views.publish", start, err)
	return res, err
}

type errorKey struct{ method, code string }

// errorWindow is one method and code's log state: failures left unlogged
// since the last line, and when the next line may be written.
type errorWindow struct {
	until      time.Time
	suppressed int
	kind       ErrorKind
}

// errorLog writes the rate-limited failure lines.
type errorLog struct {
	logger   *slog.Logger
	now      func() time.Time
	interval time.Duration
	after    func(time.Duration, func())

	mu   sync.Mutex
	keys map[errorKey]*errorWindow
}

// failed logs a failure at once when its method and code have been quiet
// for an interval; otherwise it is counted, and the count is logged when
// the interval ends.
func (l *errorLog) failed(key errorKey, kind ErrorKind, err error) {
	now := l.now()
	l.mu.Lock()
	w := l.keys[key]
	if w == nil || (w.suppressed == 0 && !now.Before(w.until)) {
		l.keys[key] = &errorWindow{until: now.Add(l.interval), kind: kind}
		l.mu.Unlock()
		l.write(key, kind, "Slack call failed", "err", err.Error())
		return
	}
	w.suppressed++
	w.kind = kind
	first := w.suppressed == 1
	wait := w.until.Sub(now)
	l.mu.Unlock()
	if first {
		l.after(max(wait, 0), func() { l.summarize(key) })
	}
}

// summarize logs how many failures of key went unlogged in the interval
// that just ended, and starts the next one.
func (l *errorLog) summarize(key errorKey) {
	l.mu.Lock()
	w := l.keys[key]
	if w == nil || w.suppressed == 0 {
		l.mu.Unlock()
		return
	}
	count, kind := w.suppressed, w.kind
	w.suppressed = 0
	w.until = l.now().Add(l.interval)
	l.mu.Unlock()
	l.write(key, kind, "Slack call kept failing", "more", count, "within", l.interval.String())
}

func (l *errorLog) write(key errorKey, kind ErrorKind, msg string, args ...any) {
	level := slog.LevelWarn
	if kind == Misconfigured {
		level = slog.LevelError
	}
	args = append([]any{"method", key.method, "code", key.code, "kind", kind.String()}, args...)
	l.logger.Log(context.Background(), level, msg, args...)
}

// labelSet keeps a label's values bounded: past max distinct values, or for
// a value that is not a short snake_case code, it answers "other".
type labelSet struct {
	mu   sync.Mutex
	seen map[string]bool
	max  int
}

func newLabelSet(max int) *labelSet { return &labelSet{seen: map[string]bool{}, max: max} }

func (s *labelSet) bound(v string) string {
	if !isCode(v) {
		return "other"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen[v] && len(s.seen) >= s.max {
		return "other"
	}
	s.seen[v] = true
	return v
}

func isCode(v string) bool {
	if v == "" || len(v) > 48 {
		return false
	}
	for _, r := range v {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
