package scheduler_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/notify/slackfake"
)

// The DM is opened once per delivery: a retry after Slack refused the post,
// the search for a lost post and the reminder all use the channel kept on
// the delivery.
func TestTheDMIsOpenedOncePerDelivery(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, fake, worker := slackRound(t, db)
		berlin := b.onSlack(t, "berlin@example.com", "U0BERLIN")

		fake.FailNext("chat.postMessage", slackfake.RateLimited(time.Second))
		var snooze *rivertype.JobSnoozeError
		require.ErrorAs(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 1)), &snooze)
		d, err := delivery.NewStore(db.Gorm, b.clock.Now).Get(t.Context(), round.ID, berlin.ID)
		require.NoError(t, err)
		require.Equal(t, "DU0BERLIN", d.DMChannel, "kept before the post")

		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 2)))
		require.Len(t, fake.CallsTo("conversations.history"), 1, "the retry looked for the post first")
		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindReminder, 1)))
		require.Len(t, fake.Messages("DU0BERLIN"), 2, "the survey DM and the reminder")
		require.Len(t, fake.CallsTo("conversations.open"), 1)
	})
}
