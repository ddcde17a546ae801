package slackrate

import (
	"context"
	"sync"
	"time"

	"github.com/pulsehq/pulse/database"
)

// SQLStore keeps the shared state in the slack_rate_limits table, so every
// replica on the database takes its slots from the same row. Reserving a
// slot is one UPDATE … RETURNING on that row.
type SQLStore struct {
	db       *database.DB
	greatest string // GREATEST on PostgreSQL, the many-argument MAX on SQLite

	mu    sync.Mutex
	known map[string]bool // methods whose row exists
}

// NewSQLStore returns a store over db.
func NewSQLStore(db *database.DB) *SQLStore {
	greatest := "GREATEST"
	if db.Dialect == database.SQLite {
		greatest = "MAX"
	}
	return &SQLStore{db: db, greatest: greatest, known: map[string]bool{}}
}

// Reserve implements Store.
func (s *SQLStore) Reserve(ctx context.Context, method string, now time.Time, gap time.Duration, latest time.Time) (time.Time, bool, error) {
	if err := s.ensure(ctx, method); err != nil {
		return time.Time{}, false, err
	}
	start := s.greatest + "(next_slot_at, paused_until, ?)"
	var slots []int64
	err := s.db.Gorm.WithContext(ctx).Raw("UPDATE slack_rate_limits SET next_slot_at = "+start+" + ? WHERE method = ? AND "+
		start+" <= ? RETURNING next_slot_at - ?",
		now.UnixMicro(), gap.Microseconds(), method, now.UnixMicro(), latest.UnixMicro(), gap.Microseconds()).Scan(&slots).Error
	if err != nil || len(slots) == 1 {
		return fromMicro(first(slots)), err == nil, err
	}
	var free int64
	err = s.db.Gorm.WithContext(ctx).Raw("SELECT "+s.greatest+"(next_slot_at, paused_until) FROM slack_rate_limits WHERE method = ?", method).
		Scan(&free).Error
	return fromMicro(free), false, err
}

// Pause implements Store.
func (s *SQLStore) Pause(ctx context.Context, method string, until time.Time) error {
	if err := s.ensure(ctx, method); err != nil {
		return err
	}
	return s.db.Gorm.WithContext(ctx).Exec("UPDATE slack_rate_limits SET paused_until = "+s.greatest+"(paused_until, ?) WHERE method = ?",
		until.UnixMicro(), method).Error
}

// PausedUntil implements Store.
func (s *SQLStore) PausedUntil(ctx context.Context, method string) (time.Time, error) {
	var until []int64
	err := s.db.Gorm.WithContext(ctx).Raw("SELECT paused_until FROM slack_rate_limits WHERE method = ?", method).Scan(&until).Error
	return fromMicro(first(until)), err
}

// ensure creates the method's row once per process.
func (s *SQLStore) ensure(ctx context.Context, method string) error {
	s.mu.Lock()
	known := s.known[method]
	s.mu.Unlock()
	if known {
		return nil
	}
	err := s.db.Gorm.WithContext(ctx).Exec("INSERT INTO slack_rate_limits (method, next_slot_at, paused_until) VALUES (?, 0, 0) "+
		"ON CONFLICT (method) DO NOTHING", method).Error
	if err == nil {
		s.mu.Lock()
		s.known[method] = true
		s.mu.Unlock()
	}
	return err
}

func first(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[0]
}

func fromMicro(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us)
}

// MemoryStore keeps the state in the process, for a single process without
// a database of its own (commands, tests).
type MemoryStore struct {
	mu     sync.Mutex
	next   map[string]time.Time
	paused map[string]time.Time
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{next: map[string]time.Time{}, paused: map[string]time.Time{}}
}

// Reserve implements Store.
func (m *MemoryStore) Reserve(_ context.Context, method string, now time.Time, gap time.Duration, latest time.Time) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	slot := later(now, later(m.next[method], m.paused[method]))
	if slot.After(latest) {
		return slot, false, nil
	}
	m.next[method] = slot.Add(gap)
	return slot, true, nil
}

// Pause implements Store.
func (m *MemoryStore) Pause(_ context.Context, method string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.paused[method] = later(m.paused[method], until)
	return nil
}

// PausedUntil implements Store.
func (m *MemoryStore) PausedUntil(_ context.Context, method string) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.paused[method], nil
}
