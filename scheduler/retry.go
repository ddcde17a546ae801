package scheduler

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// maxDeliveryAttempts bounds retries of a message that keeps failing
// (transient failures, a misconfigured app): with retryDelay the last
// attempt comes about two hours after the first. Attempts held back by a
// rate limit are snoozed and do not count.
const maxDeliveryAttempts = 20

// Retry delays: short while Slack has a bad minute (a storm of 5xx,
// timeouts, posts left unanswered), longer once it looks like an outage.
const (
	firstRetry  = 2 * time.Second  // after the first failed attempt, doubling…
	stormCap    = time.Minute      // …up to a minute, until attempt stormLast…
	stormLast   = 12               // (about 8 minutes after the first failure)…
	outageCap   = 30 * time.Minute // …then doubling again up to half an hour.
	retryJitter = 0.2              // each delay is cut by up to a fifth, at random
)

// retryDelay is how long a message waits after its attempt-th failed
// attempt: 2, 4, 8, 16, 32 s, then a minute until attempt 12, then 2, 4, 8,
// 16, 30, 30, … minutes; each shortened at random by up to a fifth
// (jitter in [0, 1)), so the deliveries that failed together do not come
// back together. River's own policy (attempt⁴ seconds) had a DM that met
// three faults in a storm wait 81 s for its fourth attempt and 256 s for
// its fifth. Whatever the delay, a retry that comes while Slack's
// Retry-After or a shared backoff is in force waits its turn in the
// limiter, or is snoozed until then without spending an attempt.
func retryDelay(attempt int, jitter float64) time.Duration {
	var d time.Duration
	switch {
	case attempt <= stormLast:
		d = stormCap
		if attempt < 6 {
			d = firstRetry << max(attempt-1, 0)
		}
	default:
		d = min(stormCap<<min(attempt-stormLast, 6), outageCap)
	}
	return time.Duration(float64(d) * (1 - retryJitter*jitter))
}

// nextRetry is the NextRetry of every worker that posts a message.
func nextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(retryDelay(job.Attempt, rand.Float64()))
}

// NextRetry overrides River's retry policy (see retryDelay).
func (w *DeliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return nextRetry(job.JobRow)
}

// NextRetry overrides River's retry policy (see retryDelay).
func (w *ReplyWorker) NextRetry(job *river.Job[ReplyArgs]) time.Time { return nextRetry(job.JobRow) }

// NextRetry overrides River's retry policy (see retryDelay).
func (w *DigestWorker) NextRetry(job *river.Job[DigestArgs]) time.Time { return nextRetry(job.JobRow) }

// NextRetry overrides River's retry policy (see retryDelay).
func (w *OneOnOneWorker) NextRetry(job *river.Job[OneOnOneArgs]) time.Time {
	return nextRetry(job.JobRow)
}
