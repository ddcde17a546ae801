package slackfake_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify/slackfake"
)

func post(ctx context.Context, client *slack.Client, channel string) error {
	_, _, err := client.PostMessageContext(ctx, channel, slack.MsgOptionText("hello", false))
	return err
}

func TestHangAnswersOnlyWhenTheCallerGivesUp(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.FailNext("chat.postMessage", slackfake.Hang(0))
	client := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL),
		slack.OptionHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))

	start := time.Now()
	err := post(t.Context(), client, "DU1")
	require.Error(t, err)
	require.GreaterOrEqual(t, time.Since(start), 200*time.Millisecond)
	require.Empty(t, fake.Messages("DU1"), "a hung call posts nothing")
	require.NoError(t, post(t.Context(), client, "DU1"), "the next call is answered")
}

func TestHangWithADurationAnswersGatewayTimeout(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.FailNext("chat.postMessage", slackfake.Hang(50*time.Millisecond))
	err := post(t.Context(), fake.Client(), "DU1")
	var status slack.StatusCodeError
	require.ErrorAs(t, err, &status)
	require.Equal(t, http.StatusGatewayTimeout, status.Code)
}

func TestPostThenHangPostsButNeverAnswers(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.LoseNextPosts(slackfake.Hang(0))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err := post(ctx, fake.Client(), "DU1")
	require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
	require.Len(t, fake.Messages("DU1"), 1, "Slack took the post")
	require.Equal(t, map[string]int{"DU1": 1}, fake.MessageCounts())
}

func TestLatencySlowsEveryCall(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.SetLatency(100 * time.Millisecond)
	start := time.Now()
	require.NoError(t, post(t.Context(), fake.Client(), "DU1"))
	require.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	require.Equal(t, 1, fake.CallCount("chat.postMessage"))
}

func TestThrottleRefusesEveryCallUntilItsWindowEnds(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.Throttle("chat.postMessage", time.Second)
	client := fake.Client()

	var limited *slack.RateLimitedError
	require.ErrorAs(t, post(t.Context(), client, "DU1"), &limited)
	require.Equal(t, time.Second, limited.RetryAfter)
	report := fake.RetryAfterReport("chat.postMessage")
	require.Equal(t, slackfake.RetryAfterReport{Windows: 1, Refusals: 1, Inside: 0}, report)

	time.Sleep(slackfake.InFlightGrace + 10*time.Millisecond)
	require.ErrorAs(t, post(t.Context(), client, "DU2"), &limited, "inside the window")
	report = fake.RetryAfterReport("chat.postMessage")
	require.Equal(t, slackfake.RetryAfterReport{Windows: 1, Refusals: 2, Inside: 1}, report, "a call the client should not have made")

	time.Sleep(limited.RetryAfter)
	require.NoError(t, post(t.Context(), client, "DU3"), "after the window")
	require.Equal(t, 1, fake.RetryAfterReport("chat.postMessage").Inside)
	require.Equal(t, map[string]int{"DU3": 1}, fake.MessageCounts())
}

func TestQueuedRateLimitOpensAWindowToo(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.FailNext("chat.postMessage", slackfake.RateLimited(time.Second))
	client := fake.Client()
	require.Error(t, post(t.Context(), client, "DU1"))
	time.Sleep(slackfake.InFlightGrace + 10*time.Millisecond)
	require.NoError(t, post(t.Context(), client, "DU1"), "FailNext refuses one call only")
	require.Equal(t, slackfake.RetryAfterReport{Windows: 1, Refusals: 1, Inside: 1}, fake.RetryAfterReport("chat.postMessage"))
	require.Zero(t, fake.RetryAfterReport("conversations.open").Windows, "windows are per method")
}

func TestThrottleWindowIsNotStretchedByItsRefusals(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.Throttle("chat.postMessage", 300*time.Millisecond)
	client := fake.Client()
	deadline := time.Now().Add(2 * time.Second)
	for post(t.Context(), client, "DU1") != nil {
		require.True(t, time.Now().Before(deadline), "a client calling without pause is still refused after 2 s")
		time.Sleep(10 * time.Millisecond)
	}
	require.Equal(t, map[string]int{"DU1": 1}, fake.MessageCounts())
}
