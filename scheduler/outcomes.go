package scheduler

import (
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/pulsehq/pulse/delivery"
)

// Outcome is what one attempt at a delivery came to.
type Outcome string

const (
	OutcomeSent            Outcome = "sent"
	OutcomeFoundAfterRetry Outcome = "found_after_retry" // an earlier attempt had posted it
	OutcomeFailed          Outcome = "failed"            // for good: refused, round closed, attempts used up
	OutcomeNotSent         Outcome = "not_sent"          // Slack off, person deactivated
	OutcomeSnoozed         Outcome = "snoozed_rate_limited"
	OutcomeRetried         Outcome = "retried" // with backoff
)

// DeliveryMetrics counts delivery attempts by message kind, outcome and
// error. No label names a person, a round or an answer: a reminder skipped
// because the person answered counts as sent, like the job it leaves.
type DeliveryMetrics struct {
	attempts *prometheus.CounterVec
	codes    *codeSet
}

// NewDeliveryMetrics registers pulse_deliveries_total with reg.
func NewDeliveryMetrics(reg prometheus.Registerer) *DeliveryMetrics {
	m := &DeliveryMetrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_deliveries_total",
			Help: "Delivery attempts by message kind (survey, reminder, closed), outcome and error " +
				"(the refusal's code, or transient, round_closed, deactivated, not_configured).",
		}, []string{"kind", "outcome", "error"}),
		codes: &codeSet{seen: map[string]bool{}},
	}
	reg.MustRegister(m.attempts)
	for _, kind := range []delivery.Kind{delivery.KindSurvey, delivery.KindReminder, delivery.KindClosed} {
		for _, o := range []Outcome{OutcomeSent, OutcomeFoundAfterRetry, OutcomeSnoozed} {
			m.attempts.WithLabelValues(string(kind), string(o), "")
		}
	}
	return m
}

func (m *DeliveryMetrics) count(kind delivery.Kind, o Outcome, code string) {
	if m != nil {
		m.attempts.WithLabelValues(string(kind), string(o), m.codes.bound(code)).Inc()
	}
}

// skipped counts a message that compose decided not to send.
func (m *DeliveryMetrics) skipped(kind delivery.Kind, skip string, err error) {
	switch {
	case err != nil:
		m.count(kind, OutcomeRetried, "transient")
	case kind == delivery.KindReminder:
		// Skipped because the person answered, or for any other reason:
		// all look like a reminder that went out.
		m.count(kind, OutcomeSent, "")
	case skip == skipDeactivated:
		m.count(kind, OutcomeNotSent, "deactivated")
	case skip == skipRoundClosed:
		m.count(kind, OutcomeFailed, "round_closed")
	case skip == skipAlreadySent:
		// A duplicate job: the delivery was counted when it went out.
	default:
		m.count(kind, OutcomeNotSent, "never_delivered")
	}
}

// attempted counts what an attempt to send, or to find an earlier post,
// came to; record turns the same answer into the delivery's status.
func (m *DeliveryMetrics) attempted(job *river.Job[DeliverArgs], found bool, err error) {
	kind := job.Args.Message
	var (
		permanent     *delivery.PermanentError
		misconfigured *delivery.MisconfiguredError
		rateLimited   *delivery.RateLimitedError
	)
	switch {
	case err == nil && found:
		m.count(kind, OutcomeFoundAfterRetry, "")
	case err == nil:
		m.count(kind, OutcomeSent, "")
	case errors.Is(err, delivery.ErrNotConfigured):
		m.count(kind, OutcomeNotSent, "not_configured")
	case errors.As(err, &rateLimited):
		m.count(kind, OutcomeSnoozed, "")
	case errors.As(err, &permanent):
		m.count(kind, OutcomeFailed, permanent.Code)
	default:
		code := "transient"
		if errors.As(err, &misconfigured) {
			code = misconfigured.Code
		}
		outcome := OutcomeRetried
		if job.Attempt >= job.MaxAttempts {
			outcome = OutcomeFailed
		}
		m.count(kind, outcome, code)
	}
}

// codeSet keeps the error label bounded whatever codes Slack answers with:
// past maxCodes distinct values, or for anything but a short snake_case
// code, the label says "other".
type codeSet struct {
	mu   sync.Mutex
	seen map[string]bool
}

const maxCodes = 64

func (s *codeSet) bound(code string) string {
	if code == "" {
		return ""
	}
	if len(code) > 48 || !isSnakeCase(code) {
		return "other"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.seen[code] && len(s.seen) >= maxCodes {
		return "other"
	}
	s.seen[code] = true
	return code
}

func isSnakeCase(code string) bool {
	for _, r := range code {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
