package scheduler_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/slackrate"
	"github.com/pulsehq/pulse/survey"
)

// fanout is a round sent by hand to n people on Slack, delivered by one or
// more replicas (each a River client with its own limiter over the shared
// database) through a fake Slack enforcing a workspace rate and 1 post per
// second per channel.
type fanout struct {
	db       *database.DB
	fake     *slackfake.Server
	surveys  *survey.Service
	replicas []*river.Client[*sql.Tx]
	people   []directory.Employee
	logger   *slog.Logger
	created  time.Duration // how long creating the round and queueing its jobs took
}

func newFanout(tb testing.TB, db *database.DB, n, slackRate, replicas int, postRate float64) *fanout {
	tb.Helper()
	f := &fanout{db: db, fake: slackfake.New(tb), logger: slog.New(slog.DiscardHandler),
		surveys: survey.NewService(db.Gorm, time.Now, []byte("fanout-test-secret-0123456789abcd"))}
	f.fake.LimitRate(slackrate.PostMessage, slackRate)
	f.fake.LimitChannel(slackrate.PostMessage, time.Second)
	now := time.Now().UTC()
	for i := range n {
		f.people = append(f.people, directory.Employee{Email: fmt.Sprintf("p%05d@example.com", i), Name: fmt.Sprintf("Person %d", i),
			Role: directory.RoleEmployee, SlackUserID: fmt.Sprintf("U%05d", i), Timezone: "Europe/Berlin", Active: true,
			CreatedAt: now, UpdatedAt: now})
	}
	require.NoError(tb, db.Gorm.CreateInBatches(&f.people, 500).Error)
	for range replicas {
		limiter := slackrate.New(slackrate.NewSQLStore(db), slackrate.DefaultConfig(postRate), time.Now)
		sender := notify.NewSender(notify.NewPaced(f.fake.Client(), limiter), f.surveys)
		client, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, f.surveys, sender, time.Now, f.logger), f.logger)
		require.NoError(tb, err)
		f.replicas = append(f.replicas, client)
	}
	return f
}

// send starts the replicas, sends the round now and waits until every
// survey DM went out; it returns when the round was due.
func (f *fanout) send(tb testing.TB, ctx context.Context, within time.Duration) (survey.Round, time.Time) {
	tb.Helper()
	title := "Fan-out"
	sv, err := f.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title,
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}}})
	require.NoError(tb, err)
	for _, client := range f.replicas {
		require.NoError(tb, client.Start(ctx))
		tb.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = scheduler.StopQueue(stop, client)
		})
	}
	due := time.Now()
	round, _, err := f.surveys.SendNow(ctx, sv.ID, scheduler.NewDispatcher(f.replicas[0], time.Now).RoundCreated)
	require.NoError(tb, err)
	f.created = time.Since(due)
	deadline := time.Now().Add(within)
	for {
		var pending int64
		require.NoError(tb, f.db.Gorm.Model(&delivery.Delivery{}).Where("round_id = ? AND status <> ?", round.ID, delivery.StatusSent).
			Count(&pending).Error)
		if pending == 0 {
			return round, due
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d of %d DMs not sent after %s", pending, len(f.people), within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// posted is the fake's accepted posts: how many, and the first and last.
func (f *fanout) posted() (n int, first, last time.Time) {
	traffic := f.fake.Traffic(slackrate.PostMessage)
	for _, c := range f.fake.CallsTo(slackrate.PostMessage) {
		if !c.Failed {
			n++
		}
	}
	// Times holds every call in arrival order; the first and last accepted
	// posts are within it, and refused ones are rare.
	return n, traffic.Times[0], traffic.Times[len(traffic.Times)-1]
}

// Three hundred DMs from two replicas, with Slack forcing a 429 midway:
// everyone gets exactly one DM, the DM is opened once per person, and no
// call of chat.postMessage arrives inside the Retry-After window (beyond
// calls already on the wire when the 429 was answered).
func TestAFanOutFromTwoReplicasSendsEachDMOnceAndRespectsRetryAfter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		const n = 300
		f := newFanout(t, db, n, 100, 2, 90)
		go func() {
			for len(f.fake.CallsTo(slackrate.PostMessage)) < n/3 {
				time.Sleep(5 * time.Millisecond)
			}
			f.fake.FailNext(slackrate.PostMessage, slackfake.RateLimited(2*time.Second))
		}()
		f.send(t, t.Context(), 3*time.Minute)

		for _, p := range f.people {
			require.Len(t, f.fake.Messages("D"+p.SlackUserID), 1, p.SlackUserID)
		}
		require.Len(t, f.fake.CallsTo("conversations.open"), n, "one conversations.open per recipient")
		traffic := f.fake.Traffic(slackrate.PostMessage)
		require.NotEmpty(t, traffic.Windows, "the forced 429 was answered")
		require.Zero(t, traffic.InsideWindows(inFlightGrace), "calls inside a Retry-After window")
		t.Logf("%d posts, %d answered 429, %d windows", traffic.Calls, traffic.Limited, len(traffic.Windows))
	})
}

// inFlightGrace is how long after a 429 a call may still arrive that was
// sent before Pulse heard of it.
const inFlightGrace = 200 * time.Millisecond

// BenchmarkFanout sends one round to 10,000 people (PULSE_FANOUT_N to
// change) against a fake Slack allowing 50 posts a second, on PostgreSQL,
// and reports the end-to-end rate, the share of calls answered 429, how
// long after the due time the first DM left, and conversations.open per DM.
func BenchmarkFanout(b *testing.B) {
	for range b.N {
		benchFanout(b, dbtest.Postgres(b), 10_000)
	}
}

// BenchmarkFanoutSQLite is BenchmarkFanout on SQLite, with 3,000 people.
func BenchmarkFanoutSQLite(b *testing.B) {
	for range b.N {
		benchFanout(b, dbtest.SQLite(b), 3_000)
	}
}

// BenchmarkFanoutCeiling is the same pipeline with neither Slack nor Pulse
// limiting the rate, 3,000 people per database: what the machine can do at
// that moment, to read the figures above against.
func BenchmarkFanoutCeiling(b *testing.B) {
	for _, dialect := range []string{"postgres", "sqlite"} {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				db := dbtest.SQLite(b)
				if dialect == "postgres" {
					db = dbtest.Postgres(b)
				}
				f := newFanout(b, db, 3_000, 0, 1, 10_000)
				_, due := f.send(b, b.Context(), 15*time.Minute)
				sent, first, last := f.posted()
				b.ReportMetric(float64(sent)/last.Sub(due).Seconds(), "msgs/s")
				b.ReportMetric(float64(sent-1)/last.Sub(first).Seconds(), "sending_msgs/s")
			}
		})
	}
}

func benchFanout(b *testing.B, db *database.DB, n int) {
	const slackRate, postRate = 50, 48.5
	f := newFanout(b, db, n, slackRate, 1, postRate)
	b.ResetTimer()
	_, due := f.send(b, b.Context(), 15*time.Minute)
	b.StopTimer()
	sent, first, last := f.posted()
	calls := f.fake.Traffic(slackrate.PostMessage)
	b.ReportMetric(float64(sent)/last.Sub(due).Seconds(), "msgs/s")
	b.ReportMetric(float64(sent-1)/last.Sub(first).Seconds(), "sending_msgs/s")
	b.ReportMetric(100*float64(calls.Limited)/float64(calls.Calls), "429_pct")
	b.ReportMetric(first.Sub(due).Seconds(), "first_dm_s")
	b.ReportMetric(f.created.Seconds(), "create_round_s")
	b.ReportMetric(float64(len(f.fake.CallsTo("conversations.open")))/float64(sent), "opens_per_dm")
	b.ReportMetric(float64(sent)/float64(slackRate)/last.Sub(due).Seconds()*100, "pct_of_allowed")
}
