package scheduler_test

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// onSlack gives a person a Slack account, as the directory sync would.
func (b *bundle) onSlack(t *testing.T, email, slackID string) directory.Employee {
	t.Helper()
	require.NoError(t, b.db.Gorm.Model(&directory.Employee{}).Where("id = ?", b.people[email].ID).
		Update("slack_user_id", slackID).Error)
	e := b.people[email]
	e.SlackUserID = slackID
	b.people[email] = e
	return e
}

// slackRound is a scheduled round and a deliver worker posting through a
// fake Slack.
func slackRound(t *testing.T, db *database.DB) (*bundle, survey.Round, *slackfake.Server, *scheduler.DeliverWorker) {
	t.Helper()
	b := setup(t, db)
	_, round := scheduledRound(t, b)
	fake := slackfake.New(t)
	worker := scheduler.NewDeliverWorker(db.Gorm, b.surveys, notify.NewSender(fake.Client(), b.surveys), b.clock.Now, slog.New(slog.DiscardHandler))
	return b, round, fake, worker
}

// Slack posted the DM but Pulse never heard back (a 503 after the post, a
// timeout, a crash): the retry finds the message by its key instead of
// posting it again.
func TestALostPostIsFoundNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, fake, worker := slackRound(t, db)
		store := delivery.NewStore(db.Gorm, b.clock.Now)
		berlin := b.onSlack(t, "berlin@example.com", "U0BERLIN")

		fake.LoseNextPosts(slackfake.HTTPStatus(http.StatusServiceUnavailable))
		require.Error(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 1)), "retried by River")
		require.Len(t, fake.Messages("DU0BERLIN"), 1, "Slack has the DM")
		d, err := store.Get(t.Context(), round.ID, berlin.ID)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusPending, d.Status)

		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 2)))
		dm := fake.Messages("DU0BERLIN")
		require.Len(t, dm, 1, "the retry did not post again")
		require.Len(t, fake.CallsTo("chat.postMessage"), 1)
		d, err = store.Get(t.Context(), round.ID, berlin.ID)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusSent, d.Status)
		require.Equal(t, delivery.Ref{Channel: "DU0BERLIN", TS: dm[0].TS}, d.Ref(), "recorded where the DM is, for reminders and the closing update")

		// The key names nobody: random, with nothing of the person in it.
		require.Equal(t, notify.DeliveryEventType, dm[0].Metadata.EventType)
		key, _ := dm[0].Metadata.EventPayload["key"].(string)
		require.GreaterOrEqual(t, len(key), 20)
		require.Len(t, dm[0].Metadata.EventPayload, 1)
		for _, id := range []string{"berlin", "BERLIN", "U0BERLIN"} {
			require.NotContains(t, key, id)
		}
	})
}

// Pulse died after marking the delivery as being sent but before Slack took
// the post: the retry looks, finds nothing, and posts exactly once.
func TestAnInterruptedDeliveryThatNeverReachedSlackIsPostedOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, fake, worker := slackRound(t, db)
		store := delivery.NewStore(db.Gorm, b.clock.Now)
		tokyo := b.onSlack(t, "tokyo@example.com", "U0TOKYO")

		key, err := store.MarkSending(t.Context(), round.ID, tokyo.ID, "K3Y")
		require.NoError(t, err)
		require.Equal(t, "K3Y", key)
		require.NoError(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindSurvey, 1)))
		require.Len(t, fake.CallsTo("conversations.history"), 1, "looked before posting")
		require.Equal(t, "1", fake.CallsTo("conversations.history")[0].Get("include_all_metadata"))
		dm := fake.Messages("DU0TOKYO")
		require.Len(t, dm, 1)
		require.Equal(t, "K3Y", dm[0].Metadata.EventPayload["key"], "posted with the key already recorded")
		d, err := store.Get(t.Context(), round.ID, tokyo.ID)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusSent, d.Status)
	})
}

// The ordinary path: one post, no looking, the DM recorded.
func TestADeliveryThatGoesThroughPostsOnceWithoutLooking(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, fake, worker := slackRound(t, db)
		ny := b.onSlack(t, "newyork@example.com", "U0NY")

		require.NoError(t, worker.Work(t.Context(), job(round, ny.ID, delivery.KindSurvey, 1)))
		require.NoError(t, worker.Work(t.Context(), job(round, ny.ID, delivery.KindSurvey, 1)), "a duplicate job")
		require.Len(t, fake.Messages("DU0NY"), 1)
		require.Empty(t, fake.CallsTo("conversations.history"))
		d, err := delivery.NewStore(db.Gorm, b.clock.Now).Get(t.Context(), round.ID, ny.ID)
		require.NoError(t, err)
		require.Equal(t, delivery.StatusSent, d.Status)
		require.Equal(t, fake.Messages("DU0NY")[0].TS, d.SlackTS)
	})
}

// A delivery left "sending" by a process that died shows in the round's
// status as retrying after an interruption, and still counts as pending.
func TestAnInterruptedDeliveryShowsInTheRoundStatus(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		_, round := scheduledRound(t, b)
		store := delivery.NewStore(db.Gorm, b.clock.Now)
		_, err := store.MarkSending(t.Context(), round.ID, b.people["tokyo@example.com"].ID, "K1")
		require.NoError(t, err)
		sum, err := store.Summary(t.Context(), round.ID)
		require.NoError(t, err)
		require.Equal(t, 4, sum.Pending, "one being sent right now is still pending")
		require.Empty(t, sum.Failures, "an attempt in flight is no interruption")

		b.clock.Set(b.clock.Now().Add(2 * time.Minute))
		sum, err = store.Summary(t.Context(), round.ID)
		require.NoError(t, err)
		require.Equal(t, 4, sum.Pending)
		require.Equal(t, []delivery.ReasonCount{{Status: delivery.StatusPending, Reason: delivery.ReasonInterrupted, Count: 1}}, sum.Failures)
	})
}
