package cluster

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Socket Mode leases: a socket's slot lapses SocketTTL after its holder's
// last renewal (every third of it); a replica without a slot tries again
// every SocketRetry. A holder that dies is thus replaced within
// SocketTTL + SocketRetry.
const (
	SocketTTL   = 30 * time.Second
	SocketRetry = 10 * time.Second
)

// Sockets hands out the cluster's Socket Mode slots, at most one per
// replica.
type Sockets struct {
	db     *gorm.DB
	now    func() time.Time
	holder string
	slots  int
	logger *slog.Logger
	// TTL and Retry are SocketTTL and SocketRetry unless a test shortens them.
	TTL, Retry time.Duration
}

type socketLease struct {
	Slot      int `gorm:"primaryKey;autoIncrement:false"`
	Holder    string
	ExpiresAt time.Time
}

func (socketLease) TableName() string { return "socket_leases" }

// NewSockets returns the leases on slots sockets (0 … slots-1), taken in
// holder's name.
func NewSockets(db *gorm.DB, now func() time.Time, holder string, slots int, logger *slog.Logger) *Sockets {
	return &Sockets{db: db, now: now, holder: holder, slots: slots, logger: logger, TTL: SocketTTL, Retry: SocketRetry}
}

// Acquire takes the first slot that is free, or lapsed, or already this
// replica's; ok is false when every slot is live in other hands.
func (s *Sockets) Acquire(ctx context.Context) (slot int, ok bool, err error) {
	now := s.now().UTC()
	for slot := range s.slots {
		res := s.db.WithContext(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "slot"}},
			DoUpdates: clause.AssignmentColumns([]string{"holder", "expires_at"}),
			Where: clause.Where{Exprs: []clause.Expression{clause.Expr{
				SQL: "socket_leases.expires_at <= ? OR socket_leases.holder = ?", Vars: []any{now, s.holder}}}},
		}).Create(&socketLease{Slot: slot, Holder: s.holder, ExpiresAt: now.Add(s.TTL)})
		if res.Error != nil {
			return 0, false, res.Error
		}
		if res.RowsAffected == 1 {
			return slot, true, nil
		}
	}
	return 0, false, nil
}

// Renew extends this replica's lease on slot; false means it lapsed and
// another replica took it.
func (s *Sockets) Renew(ctx context.Context, slot int) (bool, error) {
	res := s.mine(ctx, slot).Update("expires_at", s.now().UTC().Add(s.TTL))
	return res.RowsAffected == 1, res.Error
}

// Release frees slot at once, if this replica still holds it.
func (s *Sockets) Release(ctx context.Context, slot int) error {
	return s.mine(ctx, slot).Delete(&socketLease{}).Error
}

func (s *Sockets) mine(ctx context.Context, slot int) *gorm.DB {
	return s.db.WithContext(ctx).Model(&socketLease{}).Where("slot = ? AND holder = ?", slot, s.holder)
}

// Hold runs serve (a Socket Mode connection) only while this replica holds
// a slot, until ctx ends: without one it waits and tries again, so it takes
// over from a replica that stopped or died; with one it renews the lease,
// and stops serve if the lease is lost. On return the slot is released.
func (s *Sockets) Hold(ctx context.Context, serve func(context.Context) error) {
	waiting := false
	for {
		slot, ok, err := s.Acquire(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.logger.Warn("Socket Mode: could not take a slot", "err", err)
		case ok:
			waiting = false
			s.serve(ctx, slot, serve)
		case !waiting:
			waiting = true
			s.logger.Info("Socket Mode: every slot is held by another replica; serving HTTP only until one is free",
				"slots", s.slots, "retry", s.Retry.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Retry):
		}
	}
}

// serve runs serve while slot stays this replica's, then releases it.
func (s *Sockets) serve(ctx context.Context, slot int, serve func(context.Context) error) {
	s.logger.Info("Socket Mode: holding a slot, opening the socket", "slot", slot, "slots", s.slots)
	run, stop := context.WithCancel(ctx)
	defer stop()
	ended := make(chan error, 1)
	go func() { ended <- serve(run) }()
	ticker := time.NewTicker(s.TTL / 3)
	defer ticker.Stop()
	for {
		select {
		case err := <-ended:
			if err != nil && ctx.Err() == nil {
				s.logger.Error("Socket Mode stopped; releasing its slot", "slot", slot, "err", err)
			}
			s.release(ctx, slot)
			return
		case <-ticker.C:
			held, err := s.Renew(run, slot)
			if err == nil && !held {
				s.logger.Warn("Socket Mode: the slot's lease lapsed and another replica took it; closing the socket", "slot", slot)
				stop()
				<-ended
				return
			}
		}
	}
}

func (s *Sockets) release(ctx context.Context, slot int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.Release(ctx, slot); err != nil {
		s.logger.Warn("Socket Mode: could not release the slot; it lapses by itself", "slot", slot, "err", err)
	}
}
