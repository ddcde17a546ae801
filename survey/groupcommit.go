package survey

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

// Group commit: when a round goes out, taps arrive by the hundred per
// second, and committing each alone costs a transaction (and on SQLite a
// sync to disk) per tap. A committer collects the answers waiting at that
// moment and records them in one transaction, telling each caller its own
// outcome. A refused answer (round closed, not asked, invalid) refuses only
// itself; if the transaction fails, every answer in it is tried again alone,
// by its own caller, within its own retry budget.
//
// The batch leaves nothing behind: which answers shared a transaction is
// neither logged nor stored, and answers carry no more than they do alone.

// GroupCommit configures the committer.
type GroupCommit struct {
	// MaxBatch bounds how many answers share one transaction.
	MaxBatch int
	// Linger is how long the committer waits for more answers after the
	// first; 0 takes only those already waiting, which under load are the
	// ones that arrived while the previous batch committed.
	Linger time.Duration
	// Committers is how many batches may be committing at once: while one
	// waits for the database, the next forms and starts.
	Committers int
}

// DefaultGroupCommit suits a round going out: batches form from the
// answers that arrive while the previous ones commit.
var DefaultGroupCommit = GroupCommit{MaxBatch: 64, Committers: 2}

// batchBudget bounds a batch whose callers gave no deadline.
const batchBudget = 10 * time.Second

type answerRequest struct {
	roundID, employeeID int64
	inputs              []AnswerInput
	opts                AnswerOptions
	deadline            time.Time // the caller's, zero when it has none
	done                chan answerOutcome
}

// answerOutcome is what became of one request; alone asks its caller to
// record it in a transaction of its own.
type answerOutcome struct {
	receipt Receipt
	err     error
	alone   bool
}

type committer struct {
	s       *Service
	cfg     GroupCommit
	mu      sync.RWMutex
	stopped bool
	queue   chan *answerRequest
	done    chan struct{}
	// How many transactions and answers went through, for tests: counts
	// only, nothing about whose answers shared one.
	batches, answers atomic.Int64
	waiting          atomic.Int64 // handed over, outcome not yet told
}

// StartGroupCommit switches group commit on for s. The returned stop
// records every answer already handed over, then switches it off (later
// answers are recorded alone); it returns early with ctx's error.
func (s *Service) StartGroupCommit(cfg GroupCommit) (stop func(ctx context.Context) error) {
	cfg.MaxBatch, cfg.Committers = max(cfg.MaxBatch, 1), max(cfg.Committers, 1)
	c := &committer{s: s, cfg: cfg, queue: make(chan *answerRequest, 4*cfg.MaxBatch), done: make(chan struct{})}
	s.commits = c
	var running sync.WaitGroup
	for range cfg.Committers {
		running.Go(c.run)
	}
	go func() {
		running.Wait()
		close(c.done)
	}()
	return c.stop
}

// submit hands req to the committer and waits for its outcome; after stop
// it asks the caller to record req alone.
func (c *committer) submit(ctx context.Context, req *answerRequest) answerOutcome {
	req.deadline, _ = ctx.Deadline()
	req.done = make(chan answerOutcome, 1)
	c.mu.RLock()
	if c.stopped {
		c.mu.RUnlock()
		return answerOutcome{alone: true}
	}
	c.waiting.Add(1)
	c.queue <- req
	c.mu.RUnlock()
	// Waited for even when ctx ends: the batch is bounded by the earliest
	// caller's deadline, and only the outcome says whether it was recorded.
	return <-req.done
}

func (c *committer) stop(ctx context.Context) error {
	c.mu.Lock()
	if !c.stopped {
		c.stopped = true
		close(c.queue)
	}
	c.mu.Unlock()
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *committer) run() {
	for first := range c.queue {
		c.commit(c.collect(first))
	}
}

// collect gathers what waits behind first, up to MaxBatch, waiting at
// most Linger for more.
func (c *committer) collect(first *answerRequest) []*answerRequest {
	batch := []*answerRequest{first}
	var linger <-chan time.Time
	if c.cfg.Linger > 0 {
		timer := time.NewTimer(c.cfg.Linger)
		defer timer.Stop()
		linger = timer.C
	}
	for len(batch) < c.cfg.MaxBatch {
		select {
		case req, ok := <-c.queue:
			if !ok {
				return batch
			}
			batch = append(batch, req)
			continue
		default:
		}
		if linger == nil {
			return batch
		}
		select {
		case req, ok := <-c.queue:
			if !ok {
				return batch
			}
			batch = append(batch, req)
		case <-linger:
			return batch
		}
	}
	return batch
}

// commit records batch in one transaction and tells each its outcome.
func (c *committer) commit(batch []*answerRequest) {
	ctx, cancel := batchContext(batch)
	defer cancel()
	outcomes := make([]answerOutcome, len(batch))
	err := c.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return c.s.answerBatch(tx, batch, outcomes)
	})
	if err == nil {
		c.batches.Add(1)
		c.answers.Add(int64(len(batch)))
	}
	for i, req := range batch {
		if err != nil {
			outcomes[i] = answerOutcome{alone: true}
		}
		req.done <- outcomes[i]
		c.waiting.Add(-1)
	}
}

// batchContext ends with the earliest caller's deadline, so every caller
// still waits when its outcome is known.
func batchContext(batch []*answerRequest) (context.Context, context.CancelFunc) {
	deadline := time.Now().Add(batchBudget)
	for _, req := range batch {
		if !req.deadline.IsZero() && req.deadline.Before(deadline) {
			deadline = req.deadline
		}
	}
	return context.WithDeadline(context.Background(), deadline)
}

// refusedBeforeWriting tells the refusals answerBatch decides from what it
// read, before writing (and without a failed statement, which would end a
// PostgreSQL transaction), from failures that leave the transaction
// unusable.
func refusedBeforeWriting(err error) bool {
	_, conflict := errors.AsType[*fault.Conflict](err)
	_, invalid := errors.AsType[*fault.Invalid](err)
	_, early := errors.AsType[*NotOpenYet](err)
	return conflict || invalid || early || errors.Is(err, fault.ErrNotFound) || errors.Is(err, fault.ErrForbidden) ||
		errors.Is(err, ErrDeactivated) || errors.Is(err, errKeyLost)
}
