package notify_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify/slackfake"
)

func (h *harness) message(kind delivery.Kind, e directory.Employee, original delivery.Ref) delivery.Message {
	h.t.Helper()
	round, err := h.surveys.AssignedRound(h.t.Context(), h.round.ID, e.ID)
	require.NoError(h.t, err)
	return delivery.Message{Kind: kind, Recipient: e, Round: round, Original: original, Answered: round.Answered}
}

func TestSenderPostsTheSurveyDM(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[1]
	ref, err := h.sender.Send(t.Context(), h.message(delivery.KindSurvey, rep, delivery.Ref{}))
	require.NoError(t, err)

	opened := h.fake.CallsTo("conversations.open")
	require.Len(t, opened, 1)
	require.Equal(t, rep.SlackUserID, opened[0].Get("users"))
	posted := h.fake.CallsTo("chat.postMessage")
	require.Len(t, posted, 1)
	require.Equal(t, delivery.Ref{Channel: "D" + rep.SlackUserID, TS: ref.TS}, ref)
	require.Equal(t, ref.Channel, posted[0].Get("channel"))
	blocks, err := posted[0].SlackBlocks()
	require.NoError(t, err)
	for v := 1; v <= 10; v++ {
		button(t, blocks, "pulse_enps_"+itoa(int64(v)))
	}
	require.Contains(t, textsOf(t, blocks), "Answer the whole survey")
}

func TestSenderRemindsWithALinkToTheOriginal(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[1]
	original, _ := h.send(rep)

	ref, err := h.sender.Send(t.Context(), h.message(delivery.KindReminder, rep, original))
	require.NoError(t, err)
	require.NotEqual(t, original, ref, "a reminder is a new message")
	posted := h.fake.CallsTo("chat.postMessage")
	require.Len(t, posted, 2)
	blocks, err := posted[1].SlackBlocks()
	require.NoError(t, err)
	require.Contains(t, textsOf(t, blocks), "/archives/"+original.Channel+"/p")
	require.Contains(t, posted[1].Get("text"), "Reminder: *Weekly pulse*")

	// A permalink Slack cannot find is no reason to skip the reminder.
	h.fake.FailNext("chat.getPermalink", slackfake.SlackError("message_not_found"))
	_, err = h.sender.Send(t.Context(), h.message(delivery.KindReminder, rep, original))
	require.NoError(t, err)
	posted = h.fake.CallsTo("chat.postMessage")
	blocks, err = posted[2].SlackBlocks()
	require.NoError(t, err)
	require.NotContains(t, textsOf(t, blocks), "/archives/")
	require.Contains(t, textsOf(t, blocks), "pulse_open_survey", "offers the modal instead")
}

func TestSenderClosesTheOriginal(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[1]
	original, dm := h.send(rep)
	h.tap(dm, rep.SlackUserID, original, 7)
	h.now = h.round.ClosesAt

	ref, err := h.sender.Send(t.Context(), h.message(delivery.KindClosed, rep, original))
	require.NoError(t, err)
	require.Equal(t, original, ref)
	updated := h.fake.CallsTo("chat.update")
	require.Len(t, updated, 1)
	require.Equal(t, original.Channel, updated[0].Get("channel"))
	require.Equal(t, original.TS, updated[0].Get("ts"))
	blocks, err := updated[0].SlackBlocks()
	require.NoError(t, err)
	require.Contains(t, textsOf(t, blocks), "Thank you to everyone who took part")
	require.NotContains(t, textsOf(t, blocks), "pulse_enps_")
}

func TestSenderWithoutSlackUserIsPermanent(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[1]
	rep.SlackUserID = ""
	for _, kind := range []delivery.Kind{delivery.KindSurvey, delivery.KindReminder} {
		_, err := h.sender.Send(t.Context(), h.message(kind, rep, delivery.Ref{}))
		var permanent *delivery.PermanentError
		require.ErrorAs(t, err, &permanent)
		require.Equal(t, "no_slack_user", permanent.Code)
	}
	require.Empty(t, h.fake.Calls())
}

func TestSenderMapsSlackFailures(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		failure slackfake.Failure
		check   func(t *testing.T, err error)
	}{
		{"429 with Retry-After", "chat.postMessage", slackfake.RateLimited(42 * time.Second), func(t *testing.T, err error) {
			var limited *delivery.RateLimitedError
			require.ErrorAs(t, err, &limited)
			require.Equal(t, 42*time.Second, limited.RetryAfter)
		}},
		{"503 is transient", "chat.postMessage", slackfake.HTTPStatus(http.StatusServiceUnavailable), transient},
		{"500 on open is transient", "conversations.open", slackfake.HTTPStatus(http.StatusInternalServerError), transient},
		{"internal_error is transient", "chat.postMessage", slackfake.SlackError("internal_error"), transient},
		{"user_not_found is permanent", "conversations.open", slackfake.SlackError("user_not_found"), permanent("user_not_found")},
		{"cannot_dm_bot is permanent", "conversations.open", slackfake.SlackError("cannot_dm_bot"), permanent("cannot_dm_bot")},
		{"invalid_auth is misconfigured", "chat.postMessage", slackfake.SlackError("invalid_auth"), func(t *testing.T, err error) {
			var broken *delivery.MisconfiguredError
			require.ErrorAs(t, err, &broken)
			require.Equal(t, "invalid_auth", broken.Code)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, dbtest.SQLite(t))
			h.fake.FailNext(tt.method, tt.failure)
			_, err := h.sender.Send(t.Context(), h.message(delivery.KindSurvey, h.reps[1], delivery.Ref{}))
			require.Error(t, err)
			tt.check(t, err)
		})
	}
}

func transient(t *testing.T, err error) {
	t.Helper()
	var (
		limited       *delivery.RateLimitedError
		refused       *delivery.PermanentError
		misconfigured *delivery.MisconfiguredError
	)
	require.False(t, errors.As(err, &limited) || errors.As(err, &refused) || errors.As(err, &misconfigured),
		"a transient failure is returned as is, for retry with backoff: %v", err)
}

func permanent(code string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var refused *delivery.PermanentError
		require.ErrorAs(t, err, &refused)
		require.Equal(t, code, refused.Code)
	}
}
