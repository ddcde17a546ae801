package bench

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/slackrate"
	"github.com/pulsehq/pulse/survey"
)

const (
	// slackRate is the stand-in's workspace-wide limit on chat.postMessage,
	// and postRate the pace Pulse is configured to keep under it.
	slackRate = 50
	postRate  = 48.5
)

// fanout sends a round to many people through River and the delivery
// worker against the Slack stand-in enforcing 50 posts a second
// workspace-wide and one a second per channel (429 with Retry-After beyond
// that). The ceiling is the same pipeline with neither Slack nor Pulse
// limiting the rate: what the machine can send at that moment.
func (r *runner) fanout(ctx context.Context) ([]Row, error) {
	n := 600
	if r.opts.Quick {
		n = 30
	}
	ceiling := func() (map[string]float64, error) {
		r.step("fanout: %d DMs, no limits", n)
		return r.fanoutOnce(ctx, n, false)
	}
	pulse := func() (map[string]float64, error) {
		r.step("fanout: %d DMs at Slack's limits", n)
		return r.fanoutOnce(ctx, n, true)
	}
	c, p, err := interleave(r.opts.Rounds, ceiling, pulse)
	if err != nil {
		return nil, err
	}
	dbName := string(r.main())
	allowed := 0.95 * slackRate
	return []Row{
		{Scenario: "fanout", Database: dbName, Measure: fmt.Sprintf("%d DMs, due time to last DM, msg/s", n), Pulse: p["msgs/s"],
			Ceiling: ptr(c["msgs/s"]), CeilingIs: "same pipeline, no limits", Target: "≥ 95% of 50 = 47.5", Met: atLeast(p["msgs/s"], allowed)},
		{Scenario: "fanout", Database: dbName, Measure: "while sending (first to last DM), msg/s", Pulse: p["sending"],
			Ceiling: ptr(c["sending"]), CeilingIs: "same pipeline, no limits"},
		{Scenario: "fanout", Database: dbName, Measure: "first DM after the due time, s", Pulse: p["first"],
			Ceiling: ptr(c["first"]), CeilingIs: "same pipeline, no limits", Target: "≤ 5", Met: atMost(p["first"], 5)},
		{Scenario: "fanout", Database: dbName, Measure: "calls answered 429, %", Pulse: p["429"]},
		{Scenario: "fanout", Database: dbName, Measure: "conversations.open per DM", Pulse: p["opens"],
			Target: "1.00", Met: atMost(p["opens"], 1)},
	}, nil
}

// fanoutOnce sends one round to n people in a fresh database and says how
// it went out.
func (r *runner) fanoutOnce(ctx context.Context, n int, limited bool) (map[string]float64, error) {
	db, drop, err := r.open(ctx, r.main())
	if err != nil {
		return nil, err
	}
	defer drop()
	fake, stop := slackfake.Start()
	defer stop()
	pace := 10_000.0
	if limited {
		fake.LimitRate(slackrate.PostMessage, slackRate)
		fake.LimitChannel(slackrate.PostMessage, time.Second)
		pace = postRate
	}
	f, err := NewFanout(db, fake, n, 1, pace)
	if err != nil {
		return nil, err
	}
	_, due, err := f.Send(ctx, 15*time.Minute)
	if err != nil {
		return nil, err
	}
	return FanoutFigures(fake, due), nil
}

// Fanout is a round sent by hand to People on Slack, delivered by one or
// more replicas (each a River client with its own limiter over the shared
// database) through Fake, which enforces whatever limits it was given. The
// fanout scenario and the scheduler's fan-out tests and benchmarks share it.
type Fanout struct {
	DB       *database.DB
	Fake     *slackfake.Server
	Surveys  *survey.Service
	People   []directory.Employee
	replicas []*river.Client[*sql.Tx]
}

// NewFanout makes n people with Slack ids and replicas delivery replicas,
// each pacing chat.postMessage at postRate a second.
func NewFanout(db *database.DB, fake *slackfake.Server, n, replicas int, postRate float64) (*Fanout, error) {
	logger := slog.New(slog.DiscardHandler)
	f := &Fanout{DB: db, Fake: fake, Surveys: survey.NewService(db.Gorm, time.Now, []byte("fanout-bench-secret-0123456789abcd"))}
	var err error
	if f.People, err = makeRecipients(db, n); err != nil {
		return nil, err
	}
	for range replicas {
		limiter := slackrate.New(slackrate.NewSQLStore(db), slackrate.DefaultConfig(postRate), time.Now)
		sender := notify.NewSender(notify.NewPaced(fake.Client(), limiter), f.Surveys)
		client, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, f.Surveys, sender, time.Now, logger), logger)
		if err != nil {
			return nil, err
		}
		f.replicas = append(f.replicas, client)
	}
	return f, nil
}

// Send starts the replicas, sends a round now and waits (at most within)
// until every survey DM went out; due is when the round was due. The
// replicas are stopped before it returns.
func (f *Fanout) Send(ctx context.Context, within time.Duration) (round survey.Round, due time.Time, err error) {
	title := "Fan-out"
	sv, err := f.Surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title,
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}}})
	if err != nil {
		return round, due, err
	}
	for _, client := range f.replicas {
		if err := client.Start(ctx); err != nil {
			return round, due, err
		}
		defer func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			scheduler.StopQueue(stopCtx, client)
		}()
	}
	due = time.Now()
	round, _, err = f.Surveys.SendNow(ctx, sv.ID, scheduler.NewDispatcher(f.replicas[0], time.Now).RoundCreated)
	if err != nil {
		return round, due, err
	}
	return round, due, waitSent(ctx, f.DB, round.ID, len(f.People), within)
}

func makeRecipients(db *database.DB, n int) ([]directory.Employee, error) {
	now := time.Now().UTC()
	people := make([]directory.Employee, 0, n)
	for i := range n {
		people = append(people, directory.Employee{Email: fmt.Sprintf("p%05d@example.com", i), Name: fmt.Sprintf("Person %d", i),
			Role: directory.RoleEmployee, SlackUserID: fmt.Sprintf("U%05d", i), Timezone: "Europe/Berlin", Active: true,
			CreatedAt: now, UpdatedAt: now})
	}
	return people, db.Gorm.CreateInBatches(&people, 500).Error
}

// waitSent polls until every survey DM of the round went out.
func waitSent(ctx context.Context, db *database.DB, roundID int64, n int, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		var pending int64
		err := db.Gorm.WithContext(ctx).Model(&delivery.Delivery{}).Where("round_id = ? AND status <> ?", roundID, delivery.StatusSent).
			Count(&pending).Error
		switch {
		case err != nil:
			return err
		case pending == 0:
			return nil
		case time.Now().After(deadline):
			return fmt.Errorf("%d of %d DMs not sent after %s", pending, n, within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// FanoutFigures reads what the stand-in saw: the rate end to end and while
// sending, when the first DM left, the share of 429s and DM opens per DM.
func FanoutFigures(fake *slackfake.Server, due time.Time) map[string]float64 {
	var sent int
	var first, last time.Time
	for _, c := range fake.CallsTo(slackrate.PostMessage) {
		if c.Failed {
			continue
		}
		sent++
		if first.IsZero() || c.At.Before(first) {
			first = c.At
		}
		if c.At.After(last) {
			last = c.At
		}
	}
	calls := fake.Traffic(slackrate.PostMessage)
	out := map[string]float64{"msgs/s": float64(sent) / last.Sub(due).Seconds(), "first": first.Sub(due).Seconds(),
		"429":   100 * float64(calls.Limited) / float64(max(calls.Calls, 1)),
		"opens": float64(len(fake.CallsTo("conversations.open"))) / float64(max(sent, 1))}
	if sent > 1 {
		out["sending"] = float64(sent-1) / last.Sub(first).Seconds()
	}
	return out
}
