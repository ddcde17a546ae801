// Package scheduler decides when things happen: which survey rounds are due
// (from each survey's cadence), when rounds close, and the River jobs that
// deliver each round to each person at their local time. It never decides
// what a round contains (survey) or how a message looks (notify).
package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cluster"
	"github.com/pulsehq/pulse/survey"
)

// Lead is how long before a round's time in the survey's zone the round is
// created: people in zones ahead (Tokyo, for a Berlin survey) get it at
// their local time, which comes up to a day earlier.
const Lead = 26 * time.Hour

// Scheduler creates due rounds and closes finished ones. Every replica may
// run it: Start lets one replica tick per Interval, and even ticks that
// overlap are safe, since a round is unique per survey and scheduled time,
// so the database lets exactly one replica create it, and only that one
// queues its jobs.
type Scheduler struct {
	db         *gorm.DB
	runs       *cluster.Runs
	surveys    *survey.Service
	dispatcher *Dispatcher
	now        func() time.Time
	logger     *slog.Logger
	// Interval is how often Tick runs; a round found later than twice this
	// after its time was missed while Pulse was down, and is logged so.
	Interval time.Duration
}

// New returns a scheduler.
func New(db *gorm.DB, surveys *survey.Service, dispatcher *Dispatcher, now func() time.Time, logger *slog.Logger) *Scheduler {
	return &Scheduler{db: db, runs: cluster.NewRuns(db, now, cluster.NewHolder()), surveys: surveys,
		dispatcher: dispatcher, now: now, logger: logger, Interval: time.Minute}
}

// Tick creates every round that is due, closes every round whose time is
// up and erases reply links past their time. It is safe to run
// concurrently on several replicas.
func (s *Scheduler) Tick(ctx context.Context) error {
	surveys, err := s.surveys.Scheduled(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, sv := range surveys {
		if err := s.schedule(ctx, sv); err != nil {
			errs = append(errs, err)
		}
	}
	closed, err := s.surveys.CloseDue(ctx, s.dispatcher.RoundClosed)
	for _, r := range closed {
		s.logger.Info("round closed", "survey", r.SurveyID, "round", r.ID)
	}
	erased, purgeErr := s.surveys.PurgeReplyLinks(ctx)
	if erased > 0 {
		s.logger.Info("reply links erased", "count", erased)
	}
	return errors.Join(append(errs, err, purgeErr, s.queueDigests(ctx))...)
}

// schedule creates the survey's latest due round, if it is still open. Only
// the latest occurrence is ever considered, so after downtime one missed
// round is caught up, never a flood of old ones.
func (s *Scheduler) schedule(ctx context.Context, sv survey.Survey) error {
	now := s.now()
	at, ok := sv.Cadence.Latest(now.Add(Lead))
	if !ok || sv.CadenceSince == nil || at.Before(*sv.CadenceSince) {
		return nil
	}
	closes := at.Add(time.Duration(sv.CloseAfterHours) * time.Hour)
	if !closes.After(now) {
		return nil // missed, and it would already be closed
	}
	round, created, err := s.surveys.CreateRound(ctx, sv.ID, at, s.dispatcher.RoundCreated)
	if err != nil || !created {
		return err
	}
	if late := now.Sub(at); late > 2*s.Interval {
		s.logger.Info("catching up a round missed while Pulse was down", "survey", sv.ID, "round", round.ID,
			"scheduled_at", at, "late_by", late.Round(time.Second).String())
	} else {
		s.logger.Info("round created", "survey", sv.ID, "round", round.ID, "scheduled_at", at)
	}
	if round.Skipped > 0 {
		s.logger.Warn("people left out of a round: their previous round of this survey is still open when it reaches them",
			"survey", sv.ID, "round", round.ID, "left_out", round.Skipped)
	}
	return nil
}
