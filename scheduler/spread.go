package scheduler

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/riverqueue/river"
)

// Spreading a round's scheduled messages: thousands of jobs falling due at
// one instant make River's scheduler promote them all in one batch (which
// times out at that size); spread over a few minutes they are promoted a
// few at a time, no slower than Slack lets them go anyway.
const (
	// spreadPerJob is how much the spread grows per message of the round.
	spreadPerJob = 20 * time.Millisecond
	// maxSpread caps it: nobody gets the round more than this late.
	maxSpread = 3 * time.Minute
)

// spreadOver is how widely a round with n scheduled messages is spread.
func spreadOver(n int) time.Duration {
	return min(time.Duration(n)*spreadPerJob, maxSpread)
}

// spread moves a message due at `at` later by a share of over that depends
// only on the message, so the same round is always spread the same way.
// A message that would move to or past limit (the end of the person's
// window) keeps its time.
func spread(args DeliverArgs, at time.Time, over time.Duration, limit time.Time) time.Time {
	if over <= 0 {
		return at
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%s/%d", args.RoundID, args.EmployeeID, args.Message, args.Reminder)
	moved := at.Add(time.Duration(h.Sum64() % uint64(over)))
	if !moved.Before(limit) {
		return at
	}
	return moved
}

// deliverJob queues one message at `at`. One already due is inserted
// without ScheduledAt, so it is available at once instead of waiting for
// River's scheduler to promote it.
func deliverJob(args DeliverArgs, at, now time.Time) river.InsertManyParams {
	opts := &river.InsertOpts{MaxAttempts: maxDeliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
	if at.After(now) {
		opts.ScheduledAt = at
	}
	return river.InsertManyParams{Args: args, InsertOpts: opts}
}
