//go:build faults

package faults_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify/slackfake"
)

// TestKill9DuringReminders delivers a round, brings everyone's first
// reminder forward to now (it is planned days ahead), has Slack take a few
// reminders without answering, kills Pulse with SIGKILL while reminders are
// in flight and restarts it: every recipient holds exactly the survey DM
// and one reminder.
func TestKill9DuringReminders(t *testing.T) {
	e := newEnv(t)
	first := e.start("pulse-1")
	surveyID := e.seed(first, nil)
	roundID := first.sendNow(surveyID)
	e.awaitDelivered(roundID, 2*time.Minute)
	surveyPosts := e.fake.CallCount("chat.postMessage")

	e.fake.SetLatency(100 * time.Millisecond) // every post is in flight for a while
	e.fake.LoseNextPosts(repeat(slackfake.Hang(0), 5)...)
	due := e.count(`WITH due AS (UPDATE river_job SET state = 'available', scheduled_at = now()
		WHERE kind = 'pulse_deliver' AND args->>'message' = 'reminder' AND (args->>'reminder')::int = 1 RETURNING 1)
		SELECT count(*) FROM due`)
	require.Equal(t, recipients, due, "one first reminder per recipient")

	e.awaitPosts(surveyPosts+recipients/3, 2*time.Minute)
	first.kill()
	killed := time.Now()
	atKill := e.messages(2)
	e.start("pulse-2")
	got := e.awaitMessages(2, 3*time.Minute)
	elapsed := time.Since(killed)

	t.Logf("FAULT kill9_reminders: recipients=%d reminded=%d duplicates=%d reminded_at_kill=%d delivered_after=%s",
		recipients, got.DMs, got.Duplicates, atKill.DMs, elapsed.Round(time.Second))
	require.Equal(t, recipients, got.DMs)
	require.Zero(t, got.Duplicates)
	require.LessOrEqual(t, elapsed, 3*time.Minute)
}

// messages counts the recipients whose DM holds at least n messages, and
// the messages beyond n over all DMs.
func (e *env) messages(n int) tally {
	counts := e.fake.MessageCounts()
	var t tally
	for i := range recipients {
		c := counts[dmChannel(i)]
		t.Posts += c
		if c >= n {
			t.DMs++
			t.Duplicates += c - n
		}
	}
	return t
}

// awaitMessages polls until every recipient's DM holds at least n
// messages and no reminder job is left to run, or fails after limit.
func (e *env) awaitMessages(n int, limit time.Duration) tally {
	e.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		t := e.messages(n)
		var pending int
		err := e.db.SQL.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'pulse_deliver'
			AND args->>'message' = 'reminder' AND state IN ('available', 'running', 'retryable')`).Scan(&pending)
		if err == nil && t.DMs == recipients && pending == 0 {
			return t
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("not delivered within %s: %+v, %d reminders pending", limit, t, pending)
		}
		time.Sleep(250 * time.Millisecond)
	}
}
