package notify_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify"
)

type reply struct {
	ResponseType string       `json:"response_type"`
	Text         string       `json:"text"`
	Blocks       slack.Blocks `json:"blocks"`
}

func (h *harness) command(user, text string) reply {
	h.t.Helper()
	form := url.Values{"command": {"/pulse"}, "text": {text}, "user_id": {user}, "team_id": {"T0PULSE"},
		"channel_id": {"D0" + user}, "response_url": {h.fake.ResponseURL("command")}, "trigger_id": {"trigger-command"}}
	rec := h.post("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()))
	require.Equal(h.t, http.StatusOK, rec.Code, rec.Body.String())
	var r reply
	require.NoError(h.t, json.Unmarshal(rec.Body.Bytes(), &r), rec.Body.String())
	require.Equal(h.t, slack.ResponseTypeEphemeral, r.ResponseType, "only the person sees it")
	return r
}

func TestPulseListsMyOpenSurveys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[1]
		list := h.command(rep.SlackUserID, "")
		require.Contains(t, list.Text, "Weekly pulse")
		blockID, six := button(t, list.Blocks, "pulse_enps_6")
		require.Equal(t, "pulse_enps:"+itoa(h.round.ID), blockID, "block ids stay unique with several rounds")
		require.Empty(t, six.Style)
		button(t, list.Blocks, notify.ActionOpenSurvey)

		// A tap in the list records the answer and redraws the list.
		name := h.press(rep.SlackUserID, blockID, six, map[string]any{"type": "message", "channel_id": "D0" + rep.SlackUserID,
			"message_ts": "1764493200.000001", "is_ephemeral": true})
		require.Equal(t, 6, h.myENPS(rep))
		redrawn := h.responses(name)
		require.Len(t, redrawn, 1)
		require.Equal(t, "true", redrawn[0].Get("replace_original"))
		blocks, err := redrawn[0].SlackBlocks()
		require.NoError(t, err)
		_, six = button(t, blocks, "pulse_enps_6")
		require.Equal(t, slack.StylePrimary, six.Style)

		h.now = h.round.ClosesAt
		require.Equal(t, notify.OpenSurveysMessage("en", nil).Text, h.command(rep.SlackUserID, "").Text)
	})
}

func TestPulseHelpAndUnknownPeople(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	require.Equal(t, notify.HelpText("en"), h.command(h.reps[1].SlackUserID, "help").Text)
	require.Equal(t, notify.HelpText("ms"), h.command(h.reps[0].SlackUserID, "HELP").Text, "in the person's language")
	require.Equal(t, notify.HelpText("en"), h.command(h.reps[1].SlackUserID, "what is this").Text)
	require.Equal(t, notify.NotInDirectoryText(""), h.command("U0STRANGER", "").Text)
	require.Equal(t, notify.NotInDirectoryText(""), h.command("U0STRANGER", "dashboard").Text)
	require.Empty(t, h.fake.Calls(), "a slash command is answered in the acknowledgement")
}

var signInLink = regexp.MustCompile(`<(https://pulse\.example\.com/signin\?code=([a-z0-9]+))\|`)

func TestPulseDashboardSendsAOneTimeSignInLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[0]
		text := h.command(rep.SlackUserID, "dashboard").Text
		require.Contains(t, text, "Buka papan pemuka Pulse")
		require.Contains(t, text, "17:10 (Asia/Kuala_Lumpur)", "expires in ten minutes, in the rep's zone")
		m := signInLink.FindStringSubmatch(text)
		require.NotNil(t, m, text)

		signIn := notify.SignInHandler(h.signIns, slog.New(slog.NewTextHandler(testLog{t}, nil)))
		rec := serve(signIn, httptestGet("/signin?code="+m[2]))
		require.Equal(t, http.StatusSeeOther, rec.Code)
		location := rec.Header().Get("Location")
		require.Regexp(t, `^/#token=pulse_session_[a-z0-9]+$`, location)
		require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))

		me, err := authSessions(h).Authenticate(t.Context(), location[len("/#token="):])
		require.NoError(t, err)
		require.Equal(t, rep.ID, me.ID)

		require.Equal(t, http.StatusGone, serve(signIn, httptestGet("/signin?code="+m[2])).Code, "single use")
		require.Equal(t, http.StatusGone, serve(signIn, httptestGet("/signin")).Code)

		expiring := signInLink.FindStringSubmatch(h.command(rep.SlackUserID, "dashboard").Text)
		h.now = h.now.Add(10 * time.Minute)
		require.Equal(t, http.StatusGone, serve(signIn, httptestGet("/signin?code="+expiring[2])).Code, "expired")
	})
}
