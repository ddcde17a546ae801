package notify_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// From a round to the results, through the scheduler's delivery worker, the
// Sender, the fake Slack and a signed tap on the button Slack received.
// Jobs are run with Work directly: River would only run them at each
// person's local send time.
func TestRoundDeliveredAnsweredAndClosedThroughSlack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		ctx := t.Context()
		clock := func() time.Time { return h.now }
		logger := slog.New(slog.NewTextHandler(testLog{t}, nil))
		worker := scheduler.NewDeliverWorker(db.Gorm, h.surveys, h.sender, clock, logger)
		queue, err := scheduler.NewRiver(db, worker, logger)
		require.NoError(t, err)
		dispatcher := scheduler.NewDispatcher(queue, clock)

		title := "Monthly pulse"
		sv, err := h.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title,
			Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Would you recommend us?"}}})
		require.NoError(t, err)
		round, _, err := h.surveys.SendNow(ctx, sv.ID, dispatcher.RoundCreated)
		require.NoError(t, err)

		everyone := append([]directory.Employee{h.manager, h.hr}, h.reps...)
		for _, e := range everyone {
			require.NoError(t, worker.Work(ctx, deliverJob(round.ID, e.ID, delivery.KindSurvey)))
		}
		dms := map[string]slackfake.Call{}
		for _, c := range h.fake.CallsTo("chat.postMessage") {
			dms[c.Get("channel")] = c
		}
		require.Len(t, dms, len(everyone), "one DM per recipient")

		store := delivery.NewStore(db.Gorm, clock)
		for i, rep := range h.reps {
			d, err := store.Get(ctx, round.ID, rep.ID)
			require.NoError(t, err)
			require.Equal(t, delivery.StatusSent, d.Status)
			h.tap(dms["D"+rep.SlackUserID], rep.SlackUserID, d.Ref(), []int{10, 9, 9, 8, 2}[i])
		}
		res, err := h.surveys.Results(ctx, sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
		require.NoError(t, err)
		require.Empty(t, res.Points, "no results while the round is open")

		_, err = h.surveys.CloseRound(ctx, round.ID, dispatcher.RoundClosed)
		require.NoError(t, err)
		res, err = h.surveys.Results(ctx, sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
		require.NoError(t, err)
		require.Len(t, res.Points, 1)
		require.False(t, res.Points[0].Suppressed)
		require.Equal(t, 5, *res.Points[0].N)
		require.Equal(t, 40.0, *res.Points[0].ENPS, "3 promoters, 1 detractor of 5")
		for _, e := range everyone {
			require.NoError(t, worker.Work(ctx, deliverJob(round.ID, e.ID, delivery.KindClosed)))
		}
		closed := map[string]string{}
		for _, c := range h.fake.CallsTo("chat.update") {
			blocks, err := c.SlackBlocks()
			require.NoError(t, err)
			closed[c.Get("channel")] = textsOf(t, blocks)
		}
		require.Len(t, closed, len(everyone), "every DM is switched to the closed notice")
		// Nothing kept after close tells who answered: one notice for all.
		require.Contains(t, closed["D"+h.reps[1].SlackUserID], "Thank you to everyone who took part")
		require.Equal(t, closed["D"+h.reps[1].SlackUserID], closed["D"+h.manager.SlackUserID])
	})
}

func deliverJob(roundID, employeeID int64, kind delivery.Kind) *river.Job[scheduler.DeliverArgs] {
	return &river.Job[scheduler.DeliverArgs]{
		JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
		Args:   scheduler.DeliverArgs{RoundID: roundID, EmployeeID: employeeID, Message: kind},
	}
}
