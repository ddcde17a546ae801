package notify

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/slack-go/slack"
)

// ErrorKind tells a delivery worker what to do about a failed Slack call.
type ErrorKind int

const (
	// NoError: the call succeeded.
	NoError ErrorKind = iota
	// Transient: try again later with backoff (5xx, timeouts, network).
	Transient
	// RateLimited: try again after the returned delay, not sooner.
	RateLimited
	// Permanent: this recipient or message can never succeed (a deleted user,
	// a bot, a message Slack refuses); mark the delivery failed with the code.
	Permanent
	// Misconfigured: the app itself is broken (revoked token, missing scope,
	// wrong API URL), so every call will fail until an admin fixes it. Stop
	// sending and alert, but do not fail the recipients: they did nothing wrong
	// and their deliveries should go out once the app works again.
	Misconfigured
)

func (k ErrorKind) String() string {
	switch k {
	case NoError:
		return "none"
	case Transient:
		return "transient"
	case RateLimited:
		return "rate_limited"
	case Permanent:
		return "permanent"
	case Misconfigured:
		return "misconfigured"
	}
	return "unknown(" + strconv.Itoa(int(k)) + ")"
}

// DefaultRetryAfter is used when Slack answers 429 without saying how long to
// wait; a minute is Slack's documented rate-limit window.
const DefaultRetryAfter = time.Minute

// Slack error codes that a retry can fix; every other code Slack sends back
// describes the request itself, which a retry would only repeat.
var transientCodes = map[string]bool{
	"internal_error":      true,
	"fatal_error":         true,
	"service_unavailable": true,
	"request_timeout":     true,
	"team_added_to_org":   true,
}

// Slack error codes that mean the token or app setup is wrong, not the
// recipient.
var misconfiguredCodes = map[string]bool{
	"account_inactive":        true,
	"not_authed":              true,
	"invalid_auth":            true,
	"token_revoked":           true,
	"token_expired":           true,
	"missing_scope":           true,
	"no_permission":           true,
	"not_allowed_token_type":  true,
	"team_access_not_granted": true,
	"ekm_access_denied":       true,
	"access_denied":           true,
	"unknown_method":          true,
}

// ClassifyError sorts an error from a slack-go call into what a delivery
// worker should do, the delay Slack asked for (RateLimited only), and a short
// code to store as the failure reason: Slack's own error code when there is
// one, else "http_503", "timeout", "canceled", "network" or "unknown".
// Errors it does not recognise are Transient: a delivery retried a bounded
// number of times costs less than a survey never sent.
//
// account_inactive is Misconfigured, not Permanent: Slack documents it as
// "the token is for a deleted user or workspace", and it is what a bot gets
// once the app is uninstalled. A deactivated recipient does not produce it
// (Slack accepts DMs to deleted users), so deleted people must be skipped
// from the directory's users.list data, not detected here.
func ClassifyError(err error) (kind ErrorKind, retryAfter time.Duration, code string) {
	if err == nil {
		return NoError, 0, ""
	}
	if limited, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return RateLimited, limited.RetryAfter, "ratelimited"
	}
	if status, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return classifyStatus(status.Code)
	}
	if slackErr, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		kind := classifySlackCode(slackErr.Err)
		if kind == RateLimited {
			return kind, DefaultRetryAfter, slackErr.Err
		}
		return kind, 0, slackErr.Err
	}
	return classifyTransport(err)
}

func classifyStatus(status int) (ErrorKind, time.Duration, string) {
	code := "http_" + strconv.Itoa(status)
	switch {
	case status == http.StatusTooManyRequests:
		return RateLimited, DefaultRetryAfter, code
	case status >= 500, status == http.StatusRequestTimeout:
		return Transient, 0, code
	case status == http.StatusUnauthorized, status == http.StatusForbidden, status == http.StatusNotFound:
		return Misconfigured, 0, code
	}
	return Permanent, 0, code
}

func classifySlackCode(code string) ErrorKind {
	switch {
	case code == "ratelimited":
		return RateLimited
	case transientCodes[code]:
		return Transient
	case misconfiguredCodes[code]:
		return Misconfigured
	}
	return Permanent
}

// classifyTransport handles errors that never reached a Slack answer. They are
// all worth retrying: even a cancelled context is our shutdown, not a verdict
// on the recipient.
func classifyTransport(err error) (ErrorKind, time.Duration, string) {
	if errors.Is(err, context.Canceled) {
		return Transient, 0, "canceled"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Transient, 0, "timeout"
	}
	if netErr, ok := errors.AsType[net.Error](err); ok {
		if netErr.Timeout() {
			return Transient, 0, "timeout"
		}
		return Transient, 0, "network"
	}
	return Transient, 0, "unknown"
}
