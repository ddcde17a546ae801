package scheduler_test

import (
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// series reads every non-zero pulse_deliveries_total series as
// "kind/outcome/error" → count.
func series(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "pulse_deliveries_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if v := m.GetCounter().GetValue(); v > 0 {
				out[labels["kind"]+"/"+labels["outcome"]+"/"+labels["error"]] = v
			}
		}
	}
	return out
}

// countedRound is slackRound with the worker counting into a registry of
// its own.
func countedRound(t *testing.T, db *database.DB) (*bundle, survey.Round, *slackfake.Server, *scheduler.DeliverWorker, *prometheus.Registry) {
	b, round, fake, _ := slackRound(t, db)
	reg := prometheus.NewRegistry()
	worker := scheduler.NewDeliverWorker(db.Gorm, b.surveys, notify.NewSender(fake.Client(), b.surveys), b.clock.Now,
		slog.New(slog.DiscardHandler)).CountingIn(scheduler.NewDeliveryMetrics(reg))
	return b, round, fake, worker, reg
}

func TestDeliveryOutcomesAreCountedByKindOutcomeAndError(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, fake, worker, reg := countedRound(t, db)
		berlin := b.onSlack(t, "berlin@example.com", "U0BERLIN")
		tokyo := b.onSlack(t, "tokyo@example.com", "U0TOKYO")
		ny := b.onSlack(t, "newyork@example.com", "U0NY")
		nozone := b.onSlack(t, "nozone@example.com", "U0NOZONE")

		// Slack took the post but Pulse never heard: retried, then found.
		fake.LoseNextPosts(slackfake.HTTPStatus(http.StatusServiceUnavailable))
		require.Error(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 1)))
		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindSurvey, 2)))

		fake.FailNext("chat.postMessage", slackfake.RateLimited(10*time.Second))
		require.Error(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindSurvey, 1)), "snoozed")
		fake.FailNext("chat.postMessage", slackfake.SlackError("invalid_auth"))
		require.Error(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindSurvey, 2)))
		require.NoError(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindSurvey, 3)))

		fake.FailNext("conversations.open", slackfake.SlackError("user_not_found"))
		require.NoError(t, worker.Work(t.Context(), job(round, ny.ID, delivery.KindSurvey, 1)))

		fake.FailNext("conversations.open", slackfake.HTTPStatus(http.StatusBadGateway))
		require.Error(t, worker.Work(t.Context(), job(round, nozone.ID, delivery.KindSurvey, 10)), "the last attempt")

		require.NoError(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindReminder, 1)))

		require.Equal(t, map[string]float64{
			"survey/retried/transient":     1,
			"survey/found_after_retry/":    1,
			"survey/snoozed_rate_limited/": 1,
			"survey/retried/invalid_auth":  1,
			"survey/sent/":                 1,
			"survey/failed/user_not_found": 1,
			"survey/failed/transient":      1,
			"reminder/sent/":               1,
		}, series(t, reg))
	})
}

// A metric scraped every few seconds must not tell whether a person
// answered: a reminder skipped because they did counts like one that went
// out, and no label holds a person, a round or a channel.
func TestAReminderSkippedBecauseOfAnAnswerCountsLikeASentOne(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b, round, _, worker, reg := countedRound(t, db)
		berlin := b.onSlack(t, "berlin@example.com", "U0BERLIN")
		tokyo := b.onSlack(t, "tokyo@example.com", "U0TOKYO")
		for _, p := range []int64{berlin.ID, tokyo.ID} {
			require.NoError(t, worker.Work(t.Context(), job(round, p, delivery.KindSurvey, 1)))
		}
		sv, err := b.surveys.Survey(t.Context(), round.SurveyID)
		require.NoError(t, err)
		_, err = b.surveys.Answer(t.Context(), round.ID, berlin.ID, []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 9}})
		require.NoError(t, err)

		before := series(t, reg)
		require.NoError(t, worker.Work(t.Context(), job(round, berlin.ID, delivery.KindReminder, 1)))
		afterSkipped := series(t, reg)
		require.NoError(t, worker.Work(t.Context(), job(round, tokyo.ID, delivery.KindReminder, 1)))
		afterSent := series(t, reg)
		require.Equal(t, diff(before, afterSkipped), diff(afterSkipped, afterSent), "the skipped and the sent reminder moved the same series")

		for key := range afterSent {
			for _, id := range []int64{berlin.ID, tokyo.ID, round.ID} {
				for _, label := range strings.Split(key, "/") {
					require.NotEqual(t, strconv.FormatInt(id, 10), label)
				}
			}
			require.NotContains(t, key, "U0")
		}
	})
}

func diff(before, after map[string]float64) []string {
	var moved []string
	for k, v := range after {
		if v != before[k] {
			moved = append(moved, k+"+"+strconv.FormatFloat(v-before[k], 'f', -1, 64))
		}
	}
	sort.Strings(moved)
	return moved
}
