package scheduler_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// heldSender holds every send until released, as a slow Slack would, and
// gives up only if its context is cancelled.
type heldSender struct {
	release chan struct{}
	entered chan int64
	mu      sync.Mutex
	sent    map[int64]bool
}

func (h *heldSender) Send(ctx context.Context, m delivery.Message) (delivery.Ref, error) {
	h.entered <- m.Recipient.ID
	select {
	case <-h.release:
	case <-ctx.Done():
		return delivery.Ref{}, ctx.Err()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sent[m.Recipient.ID] = true
	return delivery.Ref{Channel: "D" + m.Recipient.Email, TS: "1.0"}, nil
}

// A stop signal while a DM is being sent: the queue takes no new jobs, and
// the one in flight finishes and is recorded sent rather than cut off.
func TestStoppingLetsARunningDeliveryFinish(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		held := &heldSender{release: make(chan struct{}), entered: make(chan int64, 16), sent: map[int64]bool{}}
		queue, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, b.surveys, held, b.clock.Now, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
		require.NoError(t, err)
		b.clock.Set(time.Now().UTC().Add(-time.Hour)) // River runs due jobs by the database's real clock
		title := "Now"
		sv, err := b.surveys.CreateSurvey(t.Context(), survey.SurveyInput{Title: &title,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "?"}}})
		require.NoError(t, err)

		signal, stopSignal := context.WithCancel(t.Context())
		require.NoError(t, scheduler.StartQueue(signal, queue))
		b.clock.Set(time.Now().UTC())
		_, _, err = b.surveys.SendNow(t.Context(), sv.ID, scheduler.NewDispatcher(queue, b.clock.Now).RoundCreated)
		require.NoError(t, err)
		select {
		case <-held.entered:
		case <-time.After(30 * time.Second):
			t.Fatal("no delivery was started")
		}

		stopSignal() // SIGTERM
		stopped := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			stopped <- scheduler.StopQueue(ctx, queue)
		}()
		close(held.release)
		require.NoError(t, <-stopped)

		held.mu.Lock()
		defer held.mu.Unlock()
		require.NotEmpty(t, held.sent, "the delivery in flight was not cut off")
		for email, d := range b.deliveries(t) {
			if held.sent[d.EmployeeID] {
				require.Equal(t, delivery.StatusSent, d.Status, email)
			} else {
				require.Contains(t, []delivery.Status{delivery.StatusPending, delivery.StatusSending}, d.Status, email)
			}
		}
	})
}

// A process died with deliveries running: River's rescuer retries them
// within minutes (RescueAfter), not after an hour, and each DM goes out once.
func TestDeliveriesLeftRunningByADeadProcessAreRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.clock.Set(time.Now().UTC().Add(-time.Hour))
		title := "Now"
		sv, err := b.surveys.CreateSurvey(t.Context(), survey.SurveyInput{Title: &title,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "?"}}})
		require.NoError(t, err)
		b.clock.Set(time.Now().UTC())
		round, _, err := b.surveys.SendNow(t.Context(), sv.ID, scheduler.NewDispatcher(b.river, b.clock.Now).RoundCreated)
		require.NoError(t, err)

		// The dead process had fetched every job, and marked one DM as being
		// sent, a little more than RescueAfter ago.
		_, err = delivery.NewStore(db.Gorm, b.clock.Now).MarkSending(t.Context(), round.ID, b.people["tokyo@example.com"].ID, "K")
		require.NoError(t, err)
		var attemptedAt any = time.Now().UTC().Add(-scheduler.RescueAfter - 10*time.Second)
		survey := "args->>'message' = 'survey'"
		if db.Dialect == database.SQLite {
			attemptedAt = attemptedAt.(time.Time).Format("2006-01-02 15:04:05.000")
			survey = "json_extract(args, '$.message') = 'survey'"
		}
		res := db.Gorm.Exec("UPDATE river_job SET state = 'running', attempt = 1, attempted_at = ? WHERE kind = 'pulse_deliver' AND "+survey, attemptedAt)
		require.NoError(t, res.Error)
		require.EqualValues(t, len(b.people), res.RowsAffected)

		completed, cancel := b.river.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		require.NoError(t, b.river.Start(t.Context()))
		defer b.river.Stop(t.Context())
		awaitAllSent(t, b, completed, 90*time.Second, "the stuck deliveries were not retried")
		require.Len(t, b.sender.sent, len(b.people), "each DM once")
	})
}
