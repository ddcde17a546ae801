package bench

import (
	"testing"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/slackrate"
)

// BenchmarkFanout is the fanout scenario of pulse-bench under `go test
// -bench`, at the size of a large company: one round to 10,000 people on
// PostgreSQL against the Slack stand-in allowing 50 posts a second
// workspace-wide and one a second per channel, Pulse pacing at 48.5. It
// reports the end-to-end rate, the rate while sending, the share of calls
// answered 429, how long after the due time the first DM left, and
// conversations.open per DM.
func BenchmarkFanout(b *testing.B) {
	for range b.N {
		benchFanout(b, dbtest.Postgres(b), 10_000, true)
	}
}

// BenchmarkFanoutSQLite is BenchmarkFanout on SQLite, with 3,000 people.
func BenchmarkFanoutSQLite(b *testing.B) {
	for range b.N {
		benchFanout(b, dbtest.SQLite(b), 3_000, true)
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
				benchFanout(b, db, 3_000, false)
			}
		})
	}
}

func benchFanout(b *testing.B, db *database.DB, n int, limited bool) {
	fake := slackfake.New(b)
	pace := 10_000.0
	if limited {
		fake.LimitRate(slackrate.PostMessage, slackRate)
		fake.LimitChannel(slackrate.PostMessage, time.Second)
		pace = postRate
	}
	f, err := NewFanout(db, fake, n, 1, pace)
	must(b, err)
	b.ResetTimer()
	_, due, err := f.Send(b.Context(), 15*time.Minute)
	b.StopTimer()
	must(b, err)
	got := FanoutFigures(fake, due)
	b.ReportMetric(got["msgs/s"], "msgs/s")
	b.ReportMetric(got["sending"], "sending_msgs/s")
	if limited {
		b.ReportMetric(got["429"], "429_pct")
		b.ReportMetric(got["first"], "first_dm_s")
		b.ReportMetric(got["opens"], "opens_per_dm")
		b.ReportMetric(got["msgs/s"]/slackRate*100, "pct_of_allowed")
	}
}
