package scheduler_test

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// fakeSender records what it was asked to send and answers with err.
type fakeSender struct {
	mu   sync.Mutex
	sent []delivery.Message
	err  error
}

func (f *fakeSender) Send(_ context.Context, m delivery.Message) (delivery.Ref, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	if f.err != nil {
		return delivery.Ref{}, f.err
	}
	return delivery.Ref{Channel: "D" + m.Recipient.Email, TS: "1.0"}, nil
}

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

type bundle struct {
	db        *database.DB
	clock     *clock
	surveys   *survey.Service
	river     *river.Client[*sql.Tx]
	scheduler *scheduler.Scheduler
	log       *bytes.Buffer
	people    map[string]directory.Employee
	sender    *fakeSender
}

func setup(t *testing.T, db *database.DB) *bundle {
	t.Helper()
	b := &bundle{db: db, clock: &clock{now: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}, log: &bytes.Buffer{},
		people: map[string]directory.Employee{}, sender: &fakeSender{}}
	logger := slog.New(slog.NewTextHandler(b.log, nil))
	b.surveys = survey.NewService(db.Gorm, b.clock.Now, []byte("scheduler-test-secret-0123456789"))
	var err error
	b.river, err = scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, logger), logger,
		scheduler.With(scheduler.NewDigestWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, logger)))
	require.NoError(t, err)
	b.scheduler = scheduler.New(db.Gorm, b.surveys, scheduler.NewDispatcher(b.river, b.clock.Now), b.clock.Now, logger)

	dir := directory.New(db.Gorm, b.clock.Now)
	for _, p := range []struct{ email, zone string }{
		{"tokyo@example.com", "Asia/Tokyo"}, {"berlin@example.com", "Europe/Berlin"},
		{"newyork@example.com", "America/New_York"}, {"nozone@example.com", ""},
	} {
		e, err := dir.CreateEmployee(t.Context(), directory.EmployeeInput{Email: p.email, Name: p.email, Timezone: p.zone})
		require.NoError(t, err)
		b.people[p.email] = e
	}
	return b
}

func (b *bundle) weeklySurvey(t *testing.T) survey.Survey {
	title := "Weekly pulse"
	sv, err := b.surveys.CreateSurvey(t.Context(), survey.SurveyInput{
		Title:     &title,
		Cadence:   &cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"},
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}},
	})
	require.NoError(t, err)
	return sv
}

func (b *bundle) rounds(t *testing.T) []survey.Round {
	var rounds []survey.Round
	require.NoError(t, b.db.Gorm.Order("scheduled_at").Find(&rounds).Error)
	return rounds
}

func (b *bundle) jobs(t *testing.T) int64 {
	var n int64
	require.NoError(t, b.db.Gorm.Table("river_job").Where("kind = ?", "pulse_deliver").Count(&n).Error)
	return n
}

func (b *bundle) deliveries(t *testing.T) map[string]delivery.Delivery {
	var ds []delivery.Delivery
	require.NoError(t, b.db.Gorm.Find(&ds).Error)
	out := map[string]delivery.Delivery{}
	for _, d := range ds {
		for email, p := range b.people {
			if p.ID == d.EmployeeID {
				out[email] = d
			}
		}
	}
	return out
}

func TestRoundIsCreatedOnceAndReachesEachPersonAtTheirLocalTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.weeklySurvey(t) // created Wednesday 2026-11-25

		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)) // Sunday noon: Monday 09:00 Berlin is 20h away
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		rounds := b.rounds(t)
		require.Len(t, rounds, 1, "ticking again creates nothing")
		require.Equal(t, time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), rounds[0].ScheduledAt.UTC())

		due := map[string]time.Time{}
		for email, d := range b.deliveries(t) {
			require.Equal(t, delivery.StatusPending, d.Status)
			due[email] = d.DueAt.UTC()
		}
		require.Equal(t, map[string]time.Time{
			"tokyo@example.com":   time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),  // 09:00 JST
			"berlin@example.com":  time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),  // 09:00 CET
			"newyork@example.com": time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC), // 09:00 EST
			"nozone@example.com":  time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC),  // the survey's zone
		}, due)
		// One survey DM and two reminders (days 2 and 4) per person, queued once.
		require.EqualValues(t, 4*3, b.jobs(t))
	})
}

func TestNewSurveyDoesNotFireForATimeAlreadyPast(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.clock.Set(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)) // Monday, an hour after 09:00 Berlin
		b.weeklySurvey(t)
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.Empty(t, b.rounds(t))
	})
}

func TestDowntimeCatchesUpTheLatestMissedRoundOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.weeklySurvey(t)
		// Down from Wednesday until the Wednesday three weeks later: three
		// Mondays passed; only the last (still open, closes Saturday) is sent.
		b.clock.Set(time.Date(2026, 12, 16, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		rounds := b.rounds(t)
		require.Len(t, rounds, 1)
		require.Equal(t, time.Date(2026, 12, 14, 8, 0, 0, 0, time.UTC), rounds[0].ScheduledAt.UTC())
		require.Contains(t, b.log.String(), "catching up a round missed while Pulse was down")

		// Down past a round's close time: nothing is caught up.
		b.clock.Set(time.Date(2026, 12, 26, 12, 0, 0, 0, time.UTC)) // Saturday after Monday the 21st closed
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.Len(t, b.rounds(t), 1)
	})
}

func TestRoundsCloseOnTimeAndNoticesAreQueued(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.weeklySurvey(t)
		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		round := b.rounds(t)[0]
		require.NoError(t, delivery.NewStore(db.Gorm, b.clock.Now).MarkSent(t.Context(), round.ID, b.people["berlin@example.com"].ID,
			delivery.Ref{Channel: "D1", TS: "1.0"}))
		jobsBefore := b.jobs(t)

		b.clock.Set(round.ClosesAt.Add(time.Minute))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		require.NoError(t, b.scheduler.Tick(t.Context()))
		closed, err := b.surveys.Round(t.Context(), round.ID)
		require.NoError(t, err)
		require.NotNil(t, closed.ClosedAt)
		require.Equal(t, round.ClosesAt.UTC(), closed.ClosedAt.UTC())
		require.Equal(t, jobsBefore+1, b.jobs(t), "one closed notice, for the one DM that went out")
	})
}

func TestTwoReplicasOnOnePostgresCreateEachRoundOnce(t *testing.T) {
	t.Parallel()
	first := dbtest.Postgres(t)
	var schema string
	require.NoError(t, first.SQL.QueryRow("SELECT current_schema()").Scan(&schema))
	second, err := database.Open(t.Context(), database.Location{Dialect: database.Postgres,
		DSN: dbtest.SchemaURL(t, schema)})
	require.NoError(t, err)
	t.Cleanup(func() { second.Close() })

	a := setup(t, first)
	a.weeklySurvey(t)
	b := &bundle{}
	*b = *a
	b.db = second
	b.surveys = survey.NewService(second.Gorm, a.clock.Now, []byte("scheduler-test-secret-0123456789"))
	riverB, err := scheduler.NewRiver(second, scheduler.NewDeliverWorker(second.Gorm, a.surveys, a.sender, a.clock.Now, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	b.scheduler = scheduler.New(second.Gorm, b.surveys, scheduler.NewDispatcher(riverB, a.clock.Now), a.clock.Now, slog.New(slog.DiscardHandler))

	a.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := 0; i < 10; i++ {
		for _, s := range []*scheduler.Scheduler{a.scheduler, b.scheduler} {
			wg.Go(func() { errs <- s.Tick(context.Background()) })
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, a.rounds(t), 1)
	require.Len(t, a.deliveries(t), 4, "each person is queued once")
	require.EqualValues(t, 4*3, a.jobs(t))
}

func TestARoundShowsAsOpenToEachPersonFromTheirOwnSendTime(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.weeklySurvey(t)
		b.clock.Set(time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)) // Sunday: the round exists already
		require.NoError(t, b.scheduler.Tick(t.Context()))
		open := func(email string) int {
			rounds, err := b.surveys.OpenRoundsFor(t.Context(), b.people[email].ID)
			require.NoError(t, err)
			return len(rounds)
		}
		require.Zero(t, open("tokyo@example.com"), "not before Monday 09:00 in Tokyo")
		b.clock.Set(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)) // 09:00 in Tokyo, 01:00 in Berlin
		require.Equal(t, 1, open("tokyo@example.com"))
		require.Zero(t, open("berlin@example.com"))
		b.clock.Set(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
		require.Equal(t, 1, open("berlin@example.com"))
		require.Zero(t, open("newyork@example.com"))
	})
}
