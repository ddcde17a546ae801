package scheduler_test

import (
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/scheduler"
)

// gauges reads every gauge of reg as "name/state" → value.
func gauges(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			for _, l := range m.GetLabel() {
				key += "/" + l.GetValue()
			}
			out[key] = m.GetGauge().GetValue()
		}
	}
	return out
}

// queueJob inserts a delivery job due at at, and returns its id. A job
// already due is made available, as River's scheduler would.
func queueJob(t *testing.T, b *bundle, employeeID int64, at time.Time) int64 {
	t.Helper()
	res, err := b.river.Insert(t.Context(), scheduler.DeliverArgs{RoundID: 1, EmployeeID: employeeID, Message: delivery.KindSurvey},
		&river.InsertOpts{ScheduledAt: at})
	require.NoError(t, err)
	if !at.After(time.Now()) {
		require.NoError(t, b.db.Gorm.Exec("UPDATE river_job SET state = 'available' WHERE id = ?", res.Job.ID).Error)
	}
	return res.Job.ID
}

// failedOnce makes a job retryable, as River leaves one whose attempt
// failed at at.
func failedOnce(t *testing.T, db *database.DB, id int64, at time.Time) {
	t.Helper()
	errs := "ARRAY[jsonb_build_object('at', ?::text, 'attempt', 1, 'error', 'boom')]"
	if db.Dialect == database.SQLite {
		errs = "jsonb(json_array(json_object('at', ?, 'attempt', 1, 'error', 'boom')))"
	}
	require.NoError(t, db.Gorm.Exec("UPDATE river_job SET state = 'retryable', attempt = 1, errors = "+errs+" WHERE id = ?",
		at.Format(time.RFC3339Nano), id).Error)
}

func TestQueueCollectorReportsDepthAndAgeOfTheQueue(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		now := time.Now().UTC().Truncate(time.Millisecond)
		queueJob(t, b, 1, now.Add(-90*time.Second))
		queueJob(t, b, 2, now.Add(-30*time.Second))
		running := queueJob(t, b, 3, now.Add(-5*time.Second))
		require.NoError(t, db.Gorm.Exec("UPDATE river_job SET state = 'running', attempt = 1 WHERE id = ?", running).Error)
		failedOnce(t, db, queueJob(t, b, 4, now.Add(-time.Hour)), now.Add(-10*time.Minute))
		for i := range 3 {
			queueJob(t, b, int64(10+i), now.Add(time.Hour))
		}

		clock := now
		reg := prometheus.NewRegistry()
		reg.MustRegister(scheduler.NewQueueCollector(db, func() time.Time { return clock }, slog.New(slog.DiscardHandler)))
		got := gauges(t, reg)
		require.InDelta(t, 90, got["pulse_queue_oldest_job_age_seconds/available"], 0.5, "the oldest due job waits since it fell due")
		require.InDelta(t, 600, got["pulse_queue_oldest_job_age_seconds/retryable"], 0.5, "a failing job counts from its first failure")
		delete(got, "pulse_queue_oldest_job_age_seconds/available")
		delete(got, "pulse_queue_oldest_job_age_seconds/retryable")
		require.Equal(t, map[string]float64{
			"pulse_queue_stats_up":       1,
			"pulse_queue_jobs/available": 2,
			"pulse_queue_jobs/scheduled": 3,
			"pulse_queue_jobs/retryable": 1,
			"pulse_queue_jobs/running":   1,
		}, got)

		// Scrapes within the TTL are served from the last reading.
		queueJob(t, b, 20, now.Add(-time.Second))
		clock = now.Add(scheduler.QueueStatsTTL - time.Second)
		require.Equal(t, 2.0, gauges(t, reg)["pulse_queue_jobs/available"])
		clock = now.Add(scheduler.QueueStatsTTL)
		require.Equal(t, 3.0, gauges(t, reg)["pulse_queue_jobs/available"])

		// A database that does not answer fails the queue series, not the scrape.
		require.NoError(t, db.SQL.Close())
		clock = clock.Add(scheduler.QueueStatsTTL)
		require.Equal(t, map[string]float64{"pulse_queue_stats_up": 0}, gauges(t, reg))
	})
}

func TestAnEmptyQueueHasNoAge(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		reg := prometheus.NewRegistry()
		reg.MustRegister(scheduler.NewQueueCollector(db, time.Now, slog.New(slog.DiscardHandler)))
		got := gauges(t, reg)
		require.Zero(t, got["pulse_queue_oldest_job_age_seconds/available"])
		require.Zero(t, got["pulse_queue_oldest_job_age_seconds/retryable"])
		require.Zero(t, got["pulse_queue_jobs/available"])
		require.Equal(t, 1.0, got["pulse_queue_stats_up"])
	})
}

// fillQueue adds n jobs straight to river_job, half due a while ago
// (available), half due in an hour (scheduled).
func fillQueue(b *testing.B, db *database.DB, n int) {
	b.Helper()
	query := `INSERT INTO river_job (args, kind, max_attempts, state, scheduled_at)
SELECT '{}', 'pulse_deliver', 10,
  CASE WHEN g % 2 = 0 THEN 'available'::river_job_state ELSE 'scheduled'::river_job_state END,
  now() + CASE WHEN g % 2 = 0 THEN -1 ELSE 1 END * (g || ' seconds')::interval
FROM generate_series(1, ?) g`
	if db.Dialect == database.SQLite {
		query = `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)
INSERT INTO river_job (args, kind, max_attempts, state, scheduled_at)
SELECT jsonb('{}'), 'pulse_deliver', 10, CASE n % 2 WHEN 0 THEN 'available' ELSE 'scheduled' END,
  strftime('%Y-%m-%d %H:%M:%f', 'now', CASE n % 2 WHEN 0 THEN '-' ELSE '+' END || n || ' seconds')
FROM g`
	}
	require.NoError(b, db.Gorm.Exec(query, n).Error)
}

// BenchmarkQueueReading is the cost of one uncached reading of the queue
// (what a scrape costs at most once per QueueStatsTTL): with a small queue,
// and with one past the count cap.
func BenchmarkQueueReading(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		for _, n := range []int{1_000, 300_000} {
			b.Run(dialect+"/"+strconv.Itoa(n)+"_jobs", func(b *testing.B) {
				db := dbtest.SQLite(b)
				if dialect == "postgres" {
					db = dbtest.Postgres(b)
				}
				fillQueue(b, db, n)
				clock := time.Now()
				reg := prometheus.NewRegistry()
				reg.MustRegister(scheduler.NewQueueCollector(db, func() time.Time { return clock }, slog.New(slog.DiscardHandler)))
				b.ResetTimer()
				for b.Loop() {
					clock = clock.Add(scheduler.QueueStatsTTL)
					families, err := reg.Gather()
					require.NoError(b, err)
					require.NotEmpty(b, families)
				}
			})
		}
	}
}
