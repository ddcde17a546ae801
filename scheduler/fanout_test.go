package scheduler_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/bench"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/slackrate"
)

// Three hundred DMs from two replicas, with Slack forcing a 429 midway:
// everyone gets exactly one DM, the DM is opened once per person, and no
// call of chat.postMessage arrives inside the Retry-After window (beyond
// calls already on the wire when the 429 was answered). The fan-out is the
// one `pulse-bench` measures (bench.Fanout); its benchmarks live there.
func TestAFanOutFromTwoReplicasSendsEachDMOnceAndRespectsRetryAfter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const n = 300
		fake := slackfake.New(t)
		fake.LimitRate(slackrate.PostMessage, 100)
		fake.LimitChannel(slackrate.PostMessage, time.Second)
		f, err := bench.NewFanout(db, fake, n, 2, 90)
		require.NoError(t, err)
		go func() {
			for len(fake.CallsTo(slackrate.PostMessage)) < n/3 {
				time.Sleep(5 * time.Millisecond)
			}
			fake.FailNext(slackrate.PostMessage, slackfake.RateLimited(2*time.Second))
		}()
		_, _, err = f.Send(t.Context(), 3*time.Minute)
		require.NoError(t, err)

		for _, p := range f.People {
			require.Len(t, fake.Messages("D"+p.SlackUserID), 1, p.SlackUserID)
		}
		require.Len(t, fake.CallsTo("conversations.open"), n, "one conversations.open per recipient")
		traffic := fake.Traffic(slackrate.PostMessage)
		require.NotEmpty(t, traffic.Windows, "the forced 429 was answered")
		require.Zero(t, traffic.InsideWindows(inFlightGrace), "calls inside a Retry-After window")
		t.Logf("%d posts, %d answered 429, %d windows", traffic.Calls, traffic.Limited, len(traffic.Windows))
	})
}

// inFlightGrace is how long after a 429 a call may still arrive that was
// sent before Pulse heard of it.
const inFlightGrace = 200 * time.Millisecond
