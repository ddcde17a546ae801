package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
)

// lines is a slog handler that keeps every record, for counting log lines.
type lines struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *lines) Enabled(context.Context, slog.Level) bool { return true }
func (l *lines) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *lines) WithGroup(string) slog.Handler            { return l }
func (l *lines) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r)
	return nil
}

func (l *lines) all() []slog.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.records)
}

func attr(r slog.Record, key string) string {
	v := ""
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value.String()
			return false
		}
		return true
	})
	return v
}

// observed is an ObservedSlack over a fake Slack, with a clock the test
// moves and the summary timers held until the test fires them.
type observed struct {
	api    *notify.ObservedSlack
	fake   *slackfake.Server
	reg    *prometheus.Registry
	log    *lines
	now    time.Time
	timers []timer
}

type timer struct {
	at time.Time
	f  func()
}

func newObserved(t *testing.T) *observed {
	o := &observed{fake: slackfake.New(t), reg: prometheus.NewRegistry(), log: &lines{},
		now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	o.api = notify.Observe(o.fake.Client(), notify.ObserveConfig{
		Metrics: notify.NewSlackMetrics(o.reg), Logger: slog.New(o.log),
		Now:       func() time.Time { return o.now },
		AfterFunc: func(d time.Duration, f func()) { o.timers = append(o.timers, timer{o.now.Add(d), f}) },
	})
	return o
}

// advance moves the clock and fires the timers that fall due.
func (o *observed) advance(d time.Duration) {
	o.now = o.now.Add(d)
	due := o.timers
	o.timers = nil
	for _, tm := range due {
		if tm.at.After(o.now) {
			o.timers = append(o.timers, tm)
			continue
		}
		tm.f()
	}
}

func (o *observed) post(t *testing.T) error {
	_, _, err := o.api.PostMessageContext(t.Context(), "DU0REP1", slack.MsgOptionText("hi", false))
	return err
}

func (o *observed) count(name string, labels ...string) float64 {
	families, err := o.reg.Gather()
	if err != nil {
		panic(err)
	}
	total := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if !hasLabels(m.GetLabel(), labels) {
				continue
			}
			total += m.GetCounter().GetValue() + float64(m.GetHistogram().GetSampleCount())
		}
	}
	return total
}

func hasLabels(have []*dto.LabelPair, want []string) bool {
	for i := 0; i+1 < len(want); i += 2 {
		if !slices.ContainsFunc(have, func(p *dto.LabelPair) bool { return p.GetName() == want[i] && p.GetValue() == want[i+1] }) {
			return false
		}
	}
	return true
}

func TestASlackStormIsAHandfulOfLogLinesAndEveryFailureIsCounted(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	const storm = 3000
	failures := make([]slackfake.Failure, storm)
	for i := range failures {
		failures[i] = slackfake.HTTPStatus(http.StatusServiceUnavailable)
	}
	o.fake.FailNext("chat.postMessage", failures...)

	for range storm { // 3,000 failures in 80 s
		require.Error(t, o.post(t))
		o.advance(80 * time.Second / storm)
	}
	o.advance(time.Minute)

	records := o.log.all()
	require.Len(t, records, 3, "one line at once, then one summary per minute")
	require.Equal(t, slog.LevelWarn, records[0].Level)
	require.Equal(t, "chat.postMessage", attr(records[0], "method"))
	require.Equal(t, "http_503", attr(records[0], "code"))
	require.Contains(t, attr(records[0], "err"), "503")
	logged := 1
	for _, r := range records[1:] {
		require.Equal(t, "http_503", attr(r, "code"))
		more, err := strconv.Atoi(attr(r, "more"))
		require.NoError(t, err)
		logged += more
	}
	require.Equal(t, storm, logged, "the summaries account for every failure")

	require.Equal(t, float64(storm), o.count("pulse_slack_errors_total", "method", "chat.postMessage", "code", "http_503", "kind", "transient"))
	require.Equal(t, float64(storm), o.count("pulse_slack_request_duration_seconds", "method", "chat.postMessage", "outcome", "transient"))

	require.NoError(t, o.post(t))
	require.Equal(t, 1.0, o.count("pulse_slack_request_duration_seconds", "method", "chat.postMessage", "outcome", "ok"))
	require.Len(t, o.log.all(), 3, "a success logs nothing")
}

func TestEachSlackErrorCodeIsLoggedOnItsOwn(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	o.fake.FailNext("chat.postMessage", slackfake.RateLimited(10*time.Second), slackfake.RateLimited(10*time.Second),
		slackfake.SlackError("invalid_auth"), slackfake.SlackError("channel_not_found"))
	for range 4 {
		require.Error(t, o.post(t))
	}
	o.fake.FailNext("conversations.open", slackfake.SlackError("user_not_found"))
	_, _, _, err := o.api.OpenConversationContext(t.Context(), &slack.OpenConversationParameters{Users: []string{"U0GONE"}})
	require.Error(t, err)

	byCode := map[string]slog.Level{}
	for _, r := range o.log.all() {
		byCode[attr(r, "method")+" "+attr(r, "code")] = r.Level
	}
	require.Equal(t, map[string]slog.Level{
		"chat.postMessage ratelimited":       slog.LevelWarn,
		"chat.postMessage invalid_auth":      slog.LevelError, // the app needs an admin
		"chat.postMessage channel_not_found": slog.LevelWarn,
		"conversations.open user_not_found":  slog.LevelWarn,
	}, byCode, "the second 429 waits for the summary")
	require.Equal(t, 2.0, o.count("pulse_slack_errors_total", "code", "ratelimited", "kind", "rate_limited"))
	require.Equal(t, 1.0, o.count("pulse_slack_errors_total", "code", "invalid_auth", "kind", "misconfigured"))
	require.Equal(t, 1.0, o.count("pulse_slack_errors_total", "method", "conversations.open", "kind", "permanent"))

	o.advance(time.Minute)
	require.Len(t, o.log.all(), 5, "one summary for the 429 left unlogged")
	o.advance(time.Hour)
	o.fake.FailNext("chat.postMessage", slackfake.RateLimited(10*time.Second))
	require.Error(t, o.post(t))
	require.Len(t, o.log.all(), 6, "after a quiet interval the next failure is logged at once")
}

// A misbehaving Slack (or stand-in) cannot grow the code label without
// bound: past a few dozen codes, or for anything that is not a code, the
// label says "other".
func TestErrorCodeLabelsStayBounded(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	api := notify.Observe(failing{}, notify.ObserveConfig{Metrics: notify.NewSlackMetrics(reg), Logger: slog.New(slog.DiscardHandler)})
	for i := range 500 {
		api.PostMessageContext(context.WithValue(t.Context(), codeKey{}, fmt.Sprintf("code_%d", i)), "D1")
	}
	api.PostMessageContext(context.WithValue(t.Context(), codeKey{}, "U0REP1 was not found"), "D1")
	require.LessOrEqual(t, seriesOf(t, reg, "pulse_slack_errors_total"), 65)
}

func seriesOf(t *testing.T, reg *prometheus.Registry, name string) int {
	families, err := reg.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() == name {
			return len(f.GetMetric())
		}
	}
	return 0
}

type codeKey struct{}

// failing answers every post with the Slack error code found in ctx.
type failing struct{ notify.SlackAPI }

func (failing) PostMessageContext(ctx context.Context, _ string, _ ...slack.MsgOption) (string, string, error) {
	return "", "", slack.SlackErrorResponse{Err: ctx.Value(codeKey{}).(string)}
}

// What Slack calls are about (a person, a DM, a round) never becomes a
// label: every value is a method, an outcome, a kind or an error code.
func TestSlackMetricsCarryNoIdentifiers(t *testing.T) {
	t.Parallel()
	h := newHarness(t, dbtest.SQLite(t))
	reg := prometheus.NewRegistry()
	api := notify.Observe(h.fake.Client(), notify.ObserveConfig{Metrics: notify.NewSlackMetrics(reg), Logger: slog.New(slog.DiscardHandler)})
	sender := notify.NewSender(api, h.surveys)
	rep := h.reps[1]
	original, err := sender.Send(t.Context(), h.message(delivery.KindSurvey, rep, delivery.Ref{}))
	require.NoError(t, err)
	h.fake.FailNext("chat.postMessage", slackfake.SlackError("channel_not_found"))
	_, err = sender.Send(t.Context(), h.message(delivery.KindReminder, rep, original))
	require.Error(t, err)

	families, err := reg.Gather()
	require.NoError(t, err)
	allowed := []string{"method", "outcome", "code", "kind"}
	ids := []string{rep.SlackUserID, original.Channel, rep.Email}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				require.Contains(t, allowed, l.GetName())
				require.NotEqual(t, strconv.FormatInt(h.round.ID, 10), l.GetValue())
				for _, id := range ids {
					require.NotContains(t, strings.ToLower(l.GetValue()), strings.ToLower(id), "%s{%s}", f.GetName(), l.GetName())
				}
			}
		}
	}
	require.Positive(t, seriesOf(t, reg, "pulse_slack_errors_total"))
}
