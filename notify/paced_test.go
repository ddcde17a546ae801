package notify_test

import (
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/slackrate"
)

func pacedClient(t *testing.T, postRate float64) (*notify.Paced, *slackfake.Server) {
	t.Helper()
	fake := slackfake.New(t)
	limiter := slackrate.New(slackrate.NewMemoryStore(), slackrate.DefaultConfig(postRate), time.Now)
	return notify.NewPaced(fake.Client(), limiter), fake
}

// A 429 on one post stops every worker's posts until Retry-After has
// passed; nobody tries once more on their own.
func TestA429PausesEveryPostUntilRetryAfter(t *testing.T) {
	t.Parallel()
	paced, fake := pacedClient(t, 200)
	fake.FailNext(slackrate.PostMessage, slackfake.RateLimited(time.Second))
	_, _, err := paced.PostMessageContext(t.Context(), "U1", slack.MsgOptionText("hi", false))
	var limited *slack.RateLimitedError
	require.ErrorAs(t, err, &limited)

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			_, _, err := paced.PostMessageContext(t.Context(), "U"+string(rune('A'+i)), slack.MsgOptionText("hi", false))
			require.NoError(t, err)
		})
	}
	wg.Wait()
	traffic := fake.Traffic(slackrate.PostMessage)
	require.Equal(t, 9, traffic.Calls)
	require.Zero(t, traffic.InsideWindows(0), "calls while Slack said to wait")
}

// A call that would wait longer than the limiter allows fails as Slack's
// own 429 would, without reaching Slack, so the job comes back later.
func TestACallPausedTooLongFailsAsRateLimitedWithoutReachingSlack(t *testing.T) {
	t.Parallel()
	paced, fake := pacedClient(t, 200)
	fake.FailNext("chat.update", slackfake.RateLimited(30*time.Second))
	_, _, _, err := paced.UpdateMessageContext(t.Context(), "D1", "1.0", slack.MsgOptionText("closed", false))
	require.Error(t, err)
	_, _, _, err = paced.UpdateMessageContext(t.Context(), "D1", "1.0", slack.MsgOptionText("closed", false))
	kind, retryAfter, _ := notify.ClassifyError(err)
	require.Equal(t, notify.RateLimited, kind, "%v", err)
	require.Greater(t, retryAfter, 25*time.Second)
	require.Equal(t, 1, fake.Traffic("chat.update").Calls)
}

// Posts to a response_url are no Web API call: a pause of
// chat.postMessage does not hold up the answer to a tap.
func TestResponseURLPostsAreNotPaced(t *testing.T) {
	t.Parallel()
	paced, fake := pacedClient(t, 200)
	fake.FailNext(slackrate.PostMessage, slackfake.RateLimited(30*time.Second))
	_, _, err := paced.PostMessageContext(t.Context(), "U1", slack.MsgOptionText("hi", false))
	require.Error(t, err)
	_, _, err = paced.PostMessageContext(t.Context(), "", slack.MsgOptionReplaceOriginal(fake.ResponseURL("tap")),
		slack.MsgOptionText("recorded", false))
	require.NoError(t, err)
	require.Len(t, fake.CallsTo(slackfake.ResponseURLMethod), 1)
}
