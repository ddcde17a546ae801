package cluster

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RunTTL is how long a claim on a periodic run lasts without renewal: a
// replica that dies while running a task is replaced this long after its
// last renewal. A running task renews it every third of it.
const RunTTL = 2 * time.Minute

// Runs lets exactly one replica run a periodic task per period, however
// many try.
type Runs struct {
	db     *gorm.DB
	now    func() time.Time
	holder string
	// TTL is the claim's lease; RunTTL unless a test shortens it.
	TTL time.Duration
}

type periodicRun struct {
	Task      string    `gorm:"primaryKey"`
	Slot      time.Time `gorm:"primaryKey"`
	Holder    string
	ExpiresAt time.Time
	DoneAt    *time.Time
}

func (periodicRun) TableName() string { return "periodic_runs" }

// NewRuns returns the periodic runs of db, claimed in holder's name.
func NewRuns(db *gorm.DB, now func() time.Time, holder string) *Runs {
	return &Runs{db: db, now: now, holder: holder, TTL: RunTTL}
}

// Once runs fn for task's period starting at slot, unless that run is done
// or another replica's claim on it is still live. It reports whether fn ran
// here. If fn fails, the run may be claimed again after retryAfter (at once
// if ctx was cancelled, as on shutdown); if this replica's claim is lost
// meanwhile (it stalled past the lease), fn's context is cancelled.
func (r *Runs) Once(ctx context.Context, task string, slot time.Time, retryAfter time.Duration, fn func(context.Context) error) (bool, error) {
	slot = slot.UTC()
	claimed, err := r.claim(ctx, task, slot)
	if err != nil || !claimed {
		return false, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopRenewing := r.renew(runCtx, cancel, task, slot)
	err = fn(runCtx)
	stopRenewing()
	stopping := errors.Is(ctx.Err(), context.Canceled) // shutdown, not a run that took too long
	return true, errors.Join(err, r.finish(context.WithoutCancel(ctx), task, slot, err, stopping, retryAfter))
}

// claim inserts the run, or takes it over when nobody finished it and the
// last claim on it has lapsed.
func (r *Runs) claim(ctx context.Context, task string, slot time.Time) (bool, error) {
	now := r.now().UTC()
	res := r.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "task"}, {Name: "slot"}},
		DoUpdates: clause.AssignmentColumns([]string{"holder", "expires_at"}),
		Where: clause.Where{Exprs: []clause.Expression{clause.Expr{
			SQL: "periodic_runs.done_at IS NULL AND periodic_runs.expires_at <= ?", Vars: []any{now}}}},
	}).Create(&periodicRun{Task: task, Slot: slot, Holder: r.holder, ExpiresAt: now.Add(r.TTL)})
	return res.RowsAffected == 1, res.Error
}

// renew pushes the claim's expiry forward every third of the lease until
// the returned stop is called; it cancels the run when the claim is lost.
func (r *Runs) renew(ctx context.Context, lost context.CancelFunc, task string, slot time.Time) (stop func()) {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(r.TTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				res := r.mine(ctx, task, slot).Update("expires_at", r.now().UTC().Add(r.TTL))
				if res.Error == nil && res.RowsAffected == 0 {
					lost()
					return
				}
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// finish records the run as done, or frees it for a retry, and forgets
// runs older than the one before this one. The previous period's row is
// kept so that a replica whose clock lags a little behind at a period's
// boundary finds it done rather than running it again.
func (r *Runs) finish(ctx context.Context, task string, slot time.Time, runErr error, stopping bool, retryAfter time.Duration) error {
	now := r.now().UTC()
	if runErr != nil {
		if stopping {
			retryAfter = 0
		}
		return r.mine(ctx, task, slot).Update("expires_at", now.Add(retryAfter)).Error
	}
	if err := r.mine(ctx, task, slot).Update("done_at", now).Error; err != nil {
		return err
	}
	var previous []time.Time
	err := r.db.WithContext(ctx).Model(&periodicRun{}).Where("task = ? AND slot < ?", task, slot).
		Order("slot DESC").Limit(1).Pluck("slot", &previous).Error
	if err != nil || len(previous) == 0 {
		return err
	}
	return r.db.WithContext(ctx).Where("task = ? AND slot < ?", task, previous[0]).Delete(&periodicRun{}).Error
}

func (r *Runs) mine(ctx context.Context, task string, slot time.Time) *gorm.DB {
	return r.db.WithContext(ctx).Model(&periodicRun{}).Where("task = ? AND slot = ? AND holder = ?", task, slot, r.holder)
}

// ErrBusy is returned by Exclusive when another holder's lease is live.
var ErrBusy = errors.New("another replica is running it")

// leaseSlot is the slot of every Exclusive lease: a lease is one row per
// task, not one per period.
var leaseSlot = time.Unix(0, 0).UTC()

// Exclusive runs fn while holding task's lease, so that no two holders
// across the cluster run it at once, whatever the period: the periodic
// directory sync and one started by hand (`pulse slack sync`) take the same
// lease. While another holder's lease is live it returns ErrBusy without
// running fn. The lease is renewed while fn runs and released when it
// returns; a holder that died frees it once it lapses (TTL).
func (r *Runs) Exclusive(ctx context.Context, task string, fn func(context.Context) error) error {
	claimed, err := r.claim(ctx, task, leaseSlot)
	if err != nil {
		return err
	}
	if !claimed {
		return ErrBusy
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopRenewing := r.renew(runCtx, cancel, task, leaseSlot)
	err = fn(runCtx)
	stopRenewing()
	release := r.mine(context.WithoutCancel(ctx), task, leaseSlot).Update("expires_at", r.now().UTC())
	return errors.Join(err, release.Error)
}
