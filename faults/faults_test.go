//go:build faults

package faults_test

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify/slackfake"
)

// TestKill9MidSend kills Pulse with SIGKILL while DMs are in flight (Slack
// has taken the posts, Pulse has not heard back), restarts it, and expects
// every recipient to hold exactly one DM within three minutes of the kill.
func TestKill9MidSend(t *testing.T) {
	e := newEnv(t)
	first := e.start("pulse-1")
	surveyID := e.seed(first, nil)
	e.fake.SetLatency(100 * time.Millisecond) // every post is in flight for a while
	roundID := first.sendNow(surveyID)

	e.awaitPosts(recipients/3, 2*time.Minute)
	first.kill()
	killed := time.Now()
	atKill := e.tally(roundID)
	e.start("pulse-2")
	got := e.awaitDelivered(roundID, 3*time.Minute)
	elapsed := time.Since(killed)

	t.Logf("FAULT kill9: recipients=%d dms=%d duplicates=%d posted_at_kill=%d recorded_at_kill=%d delivered_after=%s",
		recipients, got.DMs, got.Duplicates, atKill.Posts, atKill.Sent, elapsed.Round(time.Second))
	require.Equal(t, recipients, got.DMs)
	require.Zero(t, got.Duplicates)
	require.LessOrEqual(t, elapsed, 3*time.Minute)
}

// TestSIGTERMMidSend stops Pulse with SIGTERM while Slack takes a second per
// call: running deliveries finish and are recorded, the process exits 0, and
// after a restart every recipient holds exactly one DM.
func TestSIGTERMMidSend(t *testing.T) {
	e := newEnv(t)
	first := e.start("pulse-1")
	surveyID := e.seed(first, nil)
	e.fake.SetLatency(time.Second)
	roundID := first.sendNow(surveyID)

	e.awaitPosts(30, time.Minute)
	code, took := first.terminate(30 * time.Second)
	atStop := e.tally(roundID)
	e.fake.SetLatency(0)
	e.start("pulse-2")
	got := e.awaitDelivered(roundID, 3*time.Minute)

	t.Logf("FAULT sigterm: recipients=%d dms=%d duplicates=%d exit=%d stopped_in=%s posted_at_stop=%d recorded_at_stop=%d",
		recipients, got.DMs, got.Duplicates, code, took.Round(10*time.Millisecond), atStop.Posts, atStop.Sent)
	require.Zero(t, code, "SIGTERM is a clean stop")
	require.Equal(t, atStop.Posts, atStop.Sent, "every DM posted before the stop was recorded before exit")
	require.Equal(t, recipients, got.DMs)
	require.Zero(t, got.Duplicates)
}

// TestTwoReplicas runs two Pulse processes on one database with a survey
// that falls due while both run: one round, one DM each.
func TestTwoReplicas(t *testing.T) {
	e := newEnv(t)
	setup := e.start("pulse-setup")
	e.seedPeople(setup)
	// The survey falls due at the next whole minute, 25–35 s away: both
	// replicas are up before it, but less than a minute before. It is saved
	// after this minute's scheduler tick has run (as if another replica had
	// just ticked), so the replicas' first ticks find that minute done and
	// the round is created by a later tick, which must come no later than
	// the due time. (Ticking a minute after each replica's start, as Pulse
	// once did, created it 25–40 s late.)
	for left := time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)); left < 25*time.Second || left > 35*time.Second; {
		time.Sleep(200 * time.Millisecond)
		left = time.Until(time.Now().Truncate(time.Minute).Add(time.Minute))
	}
	due := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	surveyID := e.createSurvey(setup, map[string]any{"kind": "once", "at": due.Format("2006-01-02T15:04"), "timezone": "UTC"})
	_, err := e.db.SQL.Exec(`INSERT INTO periodic_runs (task, slot, holder, expires_at, done_at)
		VALUES ('scheduler tick', date_trunc('minute', now()), 'another replica', now(), now())
		ON CONFLICT (task, slot) DO UPDATE SET done_at = coalesce(periodic_runs.done_at, now())`)
	require.NoError(t, err)
	setup.terminate(30 * time.Second)

	e.fake.SetLatency(20 * time.Millisecond)
	var replicas [2]*pulse
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { replicas[i] = e.start("replica-" + string(rune('a'+i))) })
	}
	wg.Wait()
	var roundID int64
	deadline := time.Now().Add(2 * time.Minute)
	for roundID == 0 && time.Now().Before(deadline) {
		e.db.SQL.QueryRow("SELECT id FROM rounds WHERE survey_id = $1", surveyID).Scan(&roundID)
		time.Sleep(200 * time.Millisecond)
	}
	require.NotZero(t, roundID, "no round created")
	got := e.awaitDelivered(roundID, 2*time.Minute+time.Until(due))
	rounds := e.count("SELECT count(*) FROM rounds WHERE survey_id = $1", surveyID)
	firstDM := e.firstDMAfter(due)
	created := 0 // "round created" log lines: the replica that won the race says so, the other stays silent
	for _, r := range replicas {
		created += r.logged(`msg="round created"`)
	}

	var createdAt time.Time
	require.NoError(t, e.db.SQL.QueryRow("SELECT created_at FROM rounds WHERE id = $1", roundID).Scan(&createdAt))

	t.Logf("FAULT replicas: replicas=2 recipients=%d rounds=%d created_logged=%d dms=%d duplicates=%d round_created_before_due=%s first_dm_after_due=%s",
		recipients, rounds, created, got.DMs, got.Duplicates, due.Sub(createdAt).Round(10*time.Millisecond), firstDM.Round(10*time.Millisecond))
	require.Equal(t, 1, rounds)
	require.Equal(t, 1, created, "one replica created the round")
	require.Equal(t, recipients, got.DMs)
	require.Zero(t, got.Duplicates)
	require.Less(t, firstDM, 5*time.Second, "the first DM leaves within 5 s of the due time")
}

// firstDMAfter is how long after due the database recorded the first DM
// as sent.
func (e *env) firstDMAfter(due time.Time) time.Duration {
	var first time.Time
	require.NoError(e.t, e.db.SQL.QueryRow("SELECT min(sent_at) FROM deliveries WHERE status = 'sent'").Scan(&first))
	return first.Sub(due)
}

// TestStorm sends a round through a Slack that rate-limits twice, answers
// 5xx in bursts, hangs, and takes posts without answering: every recipient
// gets exactly one DM, and no call is made inside a Retry-After window.
func TestStorm(t *testing.T) {
	e := newEnv(t)
	p := e.start("pulse")
	surveyID := e.seed(p, nil)
	start := time.Now()
	roundID := p.sendNow(surveyID)

	stopStorm := e.storm()
	got := e.awaitDelivered(roundID, 5*time.Minute)
	injected, planned := stopStorm()
	elapsed := time.Since(start)

	posts := e.fake.RetryAfterReport("chat.postMessage")
	opens := e.fake.RetryAfterReport("conversations.open")
	calls, refused, retried := len(e.fake.Calls()), e.refused(), e.retries()
	t.Logf("FAULT storm: recipients=%d dms=%d duplicates=%d calls=%d refused=%d retry_after_windows=%d answered_429=%d calls_inside_retry_after=%d delivered_in=%s retried_jobs=%d max_attempt=%d longest_wait_after_last_failure=%s",
		recipients, got.DMs, got.Duplicates, calls, refused, posts.Windows+opens.Windows, posts.Refusals+opens.Refusals,
		posts.Inside+opens.Inside, elapsed.Round(time.Second), retried.Jobs, retried.MaxAttempt, retried.LongestWait.Round(time.Second))
	require.Equal(t, planned, injected, "every fault of the storm was injected")
	require.Equal(t, recipients, got.DMs)
	require.Zero(t, got.Duplicates)
	require.NotZero(t, posts.Windows, "the storm rate-limited posts")
	require.Zero(t, posts.Inside, "chat.postMessage calls made inside a Retry-After window")
	require.Zero(t, opens.Inside, "conversations.open calls made inside a Retry-After window")
}

// storm injects Slack's failures as the round goes out, each once a given
// number of posts has been made, and returns a function that stops it and
// says how many of its steps were injected, of how many.
func (e *env) storm() func() (injected, planned int) {
	post, open, history := "chat.postMessage", "conversations.open", "conversations.history"
	steps := []struct {
		after  int
		inject func(*slackfake.Server)
	}{
		{50, func(f *slackfake.Server) { f.Throttle(post, 5*time.Second) }},
		{150, func(f *slackfake.Server) {
			f.FailNext(post, repeat(slackfake.HTTPStatus(http.StatusServiceUnavailable), 20)...)
			f.FailNext(post, repeat(slackfake.HTTPStatus(http.StatusInternalServerError), 10)...)
		}},
		{250, func(f *slackfake.Server) { f.FailNext(post, repeat(slackfake.Hang(0), 5)...) }},
		{350, func(f *slackfake.Server) {
			f.LoseNextPosts(repeat(slackfake.Hang(0), 5)...)
			f.LoseNextPosts(repeat(slackfake.HTTPStatus(http.StatusBadGateway), 5)...)
		}},
		{450, func(f *slackfake.Server) { f.Throttle(open, 3*time.Second) }},
		{550, func(f *slackfake.Server) {
			f.FailNext(open, repeat(slackfake.HTTPStatus(http.StatusInternalServerError), 10)...)
			f.FailNext(history, repeat(slackfake.HTTPStatus(http.StatusServiceUnavailable), 3)...)
		}},
		{650, func(f *slackfake.Server) { f.Throttle(post, 10*time.Second) }},
		{800, func(f *slackfake.Server) { f.FailNext(post, repeat(slackfake.Hang(2*time.Second), 10)...) }},
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	injected := 0
	go func() {
		defer close(done)
		for _, step := range steps {
			for e.fake.CallCount(post) < step.after {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
			step.inject(e.fake)
			injected++
		}
	}()
	return func() (int, int) { close(stop); <-done; return injected, len(steps) }
}

func repeat(f slackfake.Failure, n int) []slackfake.Failure {
	out := make([]slackfake.Failure, n)
	for i := range out {
		out[i] = f
	}
	return out
}

// restartPostgres restarts the local PostgreSQL cluster, as an operator or
// a failover would. It disturbs every database on the server, so it runs
// only when PULSE_FAULTS_RESTART_POSTGRES=1 says so (.ci/run does).
func restartPostgres() (time.Duration, error) {
	versions, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(versions) == 0 {
		return 0, fmt.Errorf("no PostgreSQL cluster under /etc/postgresql: %v", err)
	}
	start := time.Now()
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", versions[len(versions)-1].Name(), "main", "restart").CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pg_ctlcluster restart: %v: %s", err, out)
	}
	return time.Since(start), nil
}

// retries is how River retried the round's survey DMs: how many jobs
// failed at least once, the most attempts one took, and the longest a
// job then waited between its last failure and its completion (River's
// backoff before the attempt that went through, plus that attempt).
type retries struct {
	Jobs        int
	MaxAttempt  int
	LongestWait time.Duration
}

func (e *env) retries() retries {
	e.t.Helper()
	var r retries
	var wait float64
	require.NoError(e.t, e.db.SQL.QueryRow(`SELECT count(*), coalesce(max(attempt), 0),
		coalesce(max(extract(epoch FROM finalized_at - (errors[array_length(errors, 1)]->>'at')::timestamptz)), 0)
		FROM river_job WHERE kind = 'pulse_deliver' AND args->>'message' = 'survey'
		AND state = 'completed' AND coalesce(array_length(errors, 1), 0) > 0`).Scan(&r.Jobs, &r.MaxAttempt, &wait))
	r.LongestWait = time.Duration(wait * float64(time.Second))
	rows, err := e.db.SQL.Query(`SELECT id, attempt, coalesce(metadata->>'snoozes', '0'), created_at, finalized_at,
		coalesce(array_to_string(errors, ' | '), '') FROM river_job WHERE kind = 'pulse_deliver' AND args->>'message' = 'survey'
		ORDER BY finalized_at DESC LIMIT 5`)
	require.NoError(e.t, err)
	defer rows.Close()
	for rows.Next() {
		var (
			id, attempt        int64
			snoozes, errs      string
			created, finalized time.Time
		)
		require.NoError(e.t, rows.Scan(&id, &attempt, &snoozes, &created, &finalized, &errs))
		e.t.Logf("slowest: job %d attempt=%d snoozes=%s took=%s errors=%s", id, attempt, snoozes, finalized.Sub(created).Round(time.Second), errs)
	}
	return r
}
