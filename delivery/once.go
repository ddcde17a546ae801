package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// PostOnce posts m through s at most once, as far as Slack allows. It is
// the one way every worker posts a DM (the survey itself, reminders,
// replies in a comment's thread, digests, 1:1 reminders and follow-ups;
// action-plan notices keep their own key like the survey DM); a new kind of DM
// sent from a job uses it too:
//
//	msg.Key = delivery.JobKey(job.Kind, job.ID, job.CreatedAt)
//	ref, found, err := delivery.PostOnce(ctx, sender, msg, job.Attempt > 1)
//
// The danger it guards against is a post Slack took while Pulse never
// heard back: a timeout, a 5xx after the post, a process killed or stopped
// between Slack's answer and the record of it. Two things make a retry
// safe:
//
//   - m.Key is the same on every attempt of the message and was recorded
//     before the first post. For a job, JobKey derives it from the job's
//     row, which River commits (with the attempt number) before the worker
//     runs; the survey DM keeps a random key on its delivery instead
//     (Store.MarkSending). The key travels in the post's metadata.
//   - retry says that an earlier attempt may have reached the post. Then the
//     DM's latest messages are searched for one carrying m.Key (Finder,
//     conversations.history); found, it is the message, and nothing is
//     posted. River takes a snoozed attempt back, so a job snoozed for a
//     rate limit (nothing reached Slack) is not counted as a retry.
//
// found reports that the message was already there. A Sender that cannot
// find (Slack off, test doubles) just sends.
func PostOnce(ctx context.Context, s Sender, m Message, retry bool) (ref Ref, found bool, err error) {
	if finder, canFind := s.(Finder); canFind && retry && m.Key != "" {
		ref, found, err := finder.Find(ctx, m)
		if err != nil || found {
			return ref, found, err
		}
	}
	ref, err = s.Send(ctx, m)
	return ref, false, err
}

// JobKey is the key of the message a queued job posts, derived from what
// stays the same across the job's attempts (its kind, id and creation
// time). It is a hash: in Slack it names neither the job nor the person.
func JobKey(kind string, id int64, created time.Time) string {
	sum := sha256.Sum256([]byte("pulse-job\x00" + kind + "\x00" + strconv.FormatInt(id, 10) + "\x00" +
		strconv.FormatInt(created.UnixNano(), 10)))
	return hex.EncodeToString(sum[:15])
}
