package notify_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
)

// Each failure is produced by a real slack-go client talking to the fake, so
// the test breaks if slack-go changes how it reports errors.
func TestClassifyErrorFromSlack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		failure        slackfake.Failure
		wantKind       notify.ErrorKind
		wantRetryAfter time.Duration
		wantCode       string
	}{
		{slackfake.RateLimited(30 * time.Second), notify.RateLimited, 30 * time.Second, "ratelimited"},
		{slackfake.Failure{Status: http.StatusTooManyRequests}, notify.RateLimited, notify.DefaultRetryAfter, "http_429"},
		{slackfake.SlackError("ratelimited"), notify.RateLimited, notify.DefaultRetryAfter, "ratelimited"},
		{slackfake.HTTPStatus(http.StatusInternalServerError), notify.Transient, 0, "http_500"},
		{slackfake.HTTPStatus(http.StatusServiceUnavailable), notify.Transient, 0, "http_503"},
		{slackfake.HTTPStatus(http.StatusGatewayTimeout), notify.Transient, 0, "http_504"},
		{slackfake.SlackError("internal_error"), notify.Transient, 0, "internal_error"},
		{slackfake.SlackError("fatal_error"), notify.Transient, 0, "fatal_error"},
		{slackfake.SlackError("user_not_found"), notify.Permanent, 0, "user_not_found"},
		{slackfake.SlackError("cannot_dm_bot"), notify.Permanent, 0, "cannot_dm_bot"},
		{slackfake.SlackError("channel_not_found"), notify.Permanent, 0, "channel_not_found"},
		{slackfake.SlackError("not_in_channel"), notify.Permanent, 0, "not_in_channel"},
		{slackfake.SlackError("user_disabled"), notify.Permanent, 0, "user_disabled"},
		{slackfake.SlackError("invalid_blocks"), notify.Permanent, 0, "invalid_blocks"},
		{slackfake.HTTPStatus(http.StatusBadRequest), notify.Permanent, 0, "http_400"},
		{slackfake.SlackError("account_inactive"), notify.Misconfigured, 0, "account_inactive"},
		{slackfake.SlackError("invalid_auth"), notify.Misconfigured, 0, "invalid_auth"},
		{slackfake.SlackError("token_revoked"), notify.Misconfigured, 0, "token_revoked"},
		{slackfake.SlackError("missing_scope"), notify.Misconfigured, 0, "missing_scope"},
		{slackfake.HTTPStatus(http.StatusNotFound), notify.Misconfigured, 0, "http_404"},
	}
	for _, tt := range tests {
		t.Run(tt.wantCode, func(t *testing.T) {
			t.Parallel()
			fake := slackfake.New(t)
			fake.FailNext("chat.postMessage", tt.failure)
			_, _, err := fake.Client().PostMessage("DU1", slack.MsgOptionText("hi", false))
			require.Error(t, err)

			kind, retryAfter, code := notify.ClassifyError(fmt.Errorf("deliver survey: %w", err))

			require.Equal(t, tt.wantKind, kind, kind.String())
			require.Equal(t, tt.wantRetryAfter, retryAfter)
			require.Equal(t, tt.wantCode, code)
		})
	}
}

func TestClassifyErrorWithoutAnAnswer(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	unreachable := slack.New("xoxb-test", slack.OptionAPIURL(closed.URL+"/api/"))
	_, networkErr := unreachable.AuthTest()

	fake := slackfake.New(t)
	expired, cancelExpired := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancelExpired()
	_, timeoutErr := fake.Client().AuthTestContext(expired)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, cancelledErr := fake.Client().AuthTestContext(cancelled)

	tests := []struct {
		name     string
		err      error
		wantKind notify.ErrorKind
		wantCode string
	}{
		{"success", nil, notify.NoError, ""},
		{"connection refused", networkErr, notify.Transient, "network"},
		{"deadline passed", timeoutErr, notify.Transient, "timeout"},
		{"shutting down", cancelledErr, notify.Transient, "canceled"},
		{"unknown error", errors.New("something odd"), notify.Transient, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kind, retryAfter, code := notify.ClassifyError(tt.err)
			require.Equal(t, tt.wantKind, kind, kind.String())
			require.Zero(t, retryAfter)
			require.Equal(t, tt.wantCode, code)
		})
	}
}
