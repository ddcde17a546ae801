package scheduler

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pulsehq/pulse/database"
)

// QueueStatsTTL is how long one reading of the job queue serves scrapes, so
// that however often /metrics is scraped the database sees one query per
// interval.
const QueueStatsTTL = 5 * time.Second

// queueCountCap bounds each state's count, and so the query's cost: a
// gauge at the cap means "at least this many".
const queueCountCap = 10_000

// queueRetryableScan bounds how many retryable jobs (the oldest by id) the
// age of the oldest is read from.
const queueRetryableScan = 10_000

var (
	queueJobsDesc = prometheus.NewDesc("pulse_queue_jobs",
		"Jobs in River's queue by state (available, scheduled, retryable, running); each count stops at 10000, meaning at least that many.",
		[]string{"state"}, nil)
	queueAgeDesc = prometheus.NewDesc("pulse_queue_oldest_job_age_seconds",
		"Age of the oldest pending job: for available, since it fell due; for retryable, since its first failed attempt. 0 when there is none.",
		[]string{"state"}, nil)
	queueUpDesc = prometheus.NewDesc("pulse_queue_stats_up",
		"1 if the last reading of the job queue succeeded, 0 if the database did not answer.", nil, nil)
)

// QueueCollector reports the River job queue to Prometheus: how many jobs
// wait in each state and how long the oldest pending one has waited. It
// reads river_job when scraped, at most once per QueueStatsTTL, with a
// bounded query that works on PostgreSQL and SQLite.
type QueueCollector struct {
	db     *database.DB
	now    func() time.Time
	logger *slog.Logger

	mu    sync.Mutex
	read  time.Time
	stats queueStats
	err   error
}

type queueStats struct {
	available, scheduled, retryable, running int64
	availableAge, retryableAge               float64
}

var _ prometheus.Collector = (*QueueCollector)(nil)

// NewQueueCollector returns the collector for db's job queue.
func NewQueueCollector(db *database.DB, now func() time.Time, logger *slog.Logger) *QueueCollector {
	return &QueueCollector{db: db, now: now, logger: logger}
}

// Describe implements prometheus.Collector.
func (c *QueueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueJobsDesc
	ch <- queueAgeDesc
	ch <- queueUpDesc
}

// Collect implements prometheus.Collector. A database that does not answer
// leaves the queue series out and sets pulse_queue_stats_up to 0, rather
// than failing the whole scrape.
func (c *QueueCollector) Collect(ch chan<- prometheus.Metric) {
	s, err := c.reading()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(queueUpDesc, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(queueUpDesc, prometheus.GaugeValue, 1)
	for state, n := range map[string]int64{"available": s.available, "scheduled": s.scheduled, "retryable": s.retryable, "running": s.running} {
		ch <- prometheus.MustNewConstMetric(queueJobsDesc, prometheus.GaugeValue, float64(n), state)
	}
	ch <- prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, s.availableAge, "available")
	ch <- prometheus.MustNewConstMetric(queueAgeDesc, prometheus.GaugeValue, s.retryableAge, "retryable")
}

// reading is the cached reading, refreshed once it is QueueStatsTTL old.
// Scrapes arriving together wait for one query.
func (c *QueueCollector) reading() (queueStats, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if !c.read.IsZero() && now.Sub(c.read) < QueueStatsTTL {
		return c.stats, c.err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.stats, c.err = c.query(ctx, now)
	c.read = now
	if c.err != nil {
		c.logger.Warn("reading the job queue for metrics failed", "err", c.err)
	}
	return c.stats, c.err
}

func (c *QueueCollector) query(ctx context.Context, now time.Time) (queueStats, error) {
	var (
		s                          queueStats
		availableAge, retryableAge sql.NullFloat64
		query                          = postgresQueueQuery
		at                         any = now.UTC()
	)
	if c.db.Dialect == database.SQLite {
		query, at = sqliteQueueQuery, now.UTC().Format("2006-01-02 15:04:05.000")
	}
	err := c.db.SQL.QueryRowContext(ctx, query, at, queueCountCap, queueRetryableScan).Scan(
		&s.available, &s.scheduled, &s.retryable, &s.running, &availableAge, &retryableAge)
	s.availableAge, s.retryableAge = max(availableAge.Float64, 0), max(retryableAge.Float64, 0)
	return s, err
}

// Each part reads at most queueCountCap index entries of one state (the
// oldest available job is exact below the cap), and the retryable age the
// first error of at most queueRetryableScan jobs; River keeps each error as
// JSON with an RFC 3339 "at".
const (
	// oldestAvailable probes River's fetch index (state, queue, priority,
	// scheduled_at) once per priority: Pulse queues every job on the
	// default queue.
	oldestAvailable = `SELECT (SELECT scheduled_at FROM river_job WHERE state = 'available' AND queue = 'default' AND priority = 1 ORDER BY scheduled_at LIMIT 1) AS due
 UNION ALL SELECT (SELECT scheduled_at FROM river_job WHERE state = 'available' AND queue = 'default' AND priority = 2 ORDER BY scheduled_at LIMIT 1)
 UNION ALL SELECT (SELECT scheduled_at FROM river_job WHERE state = 'available' AND queue = 'default' AND priority = 3 ORDER BY scheduled_at LIMIT 1)
 UNION ALL SELECT (SELECT scheduled_at FROM river_job WHERE state = 'available' AND queue = 'default' AND priority = 4 ORDER BY scheduled_at LIMIT 1)`

	postgresQueueQuery = `SELECT
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'available' LIMIT $2) j),
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'scheduled' LIMIT $2) j),
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'retryable' LIMIT $2) j),
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'running' LIMIT $2) j),
 (SELECT extract(epoch FROM $1::timestamptz - min(due))::float8 FROM (` + oldestAvailable + `) j),
 (SELECT extract(epoch FROM $1::timestamptz - min((errors[1]->>'at')::timestamptz))::float8
    FROM (SELECT errors FROM river_job WHERE state = 'retryable' ORDER BY id LIMIT $3) j)`

	sqliteQueueQuery = `SELECT
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'available' LIMIT ?2) j),
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'scheduled' LIMIT ?2) j),
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'retryable' LIMIT ?2) j),
 (SELECT count(*) FROM (SELECT 1 FROM river_job WHERE state = 'running' LIMIT ?2) j),
 (SELECT (julianday(?1) - julianday(min(due))) * 86400.0 FROM (` + oldestAvailable + `) j),
 (SELECT (julianday(?1) - min(julianday(json_extract(errors, '$[0].at')))) * 86400.0
    FROM (SELECT errors FROM river_job WHERE state = 'retryable' ORDER BY id LIMIT ?3) j)`
)
