package notify_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify"
)

// A live socket cannot be opened here, so these tests feed SocketEvent the
// events slack-go's socketmode client would emit, decoded from the same
// JSON Slack sends over the socket.
func socketEvent(t *testing.T, kind socketmode.EventType, payload string) socketmode.Event {
	t.Helper()
	evt := socketmode.Event{Type: kind, Request: &socketmode.Request{EnvelopeID: "envelope-1", Payload: json.RawMessage(payload)}}
	switch kind {
	case socketmode.EventTypeInteractive:
		var cb slack.InteractionCallback
		require.NoError(t, json.Unmarshal([]byte(payload), &cb))
		evt.Data = cb
	case socketmode.EventTypeSlashCommand:
		var cmd slack.SlashCommand
		require.NoError(t, json.Unmarshal([]byte(payload), &cmd))
		evt.Data = cmd
	case socketmode.EventTypeEventsAPI:
		event, err := slackevents.ParseEvent(json.RawMessage(payload), slackevents.OptionNoVerifyToken())
		require.NoError(t, err)
		evt.Data = event
	}
	return evt
}

func TestSocketModeRunsTheSameHandlers(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[1]

	ack, payload := h.app.SocketEvent(t.Context(), socketEvent(t, socketmode.EventTypeSlashCommand,
		`{"command":"/pulse","text":"help","user_id":"`+rep.SlackUserID+`","team_id":"T0PULSE"}`))
	require.True(t, ack)
	raw, err := json.Marshal(payload)
	require.NoError(t, err)
	require.Contains(t, string(raw), `"response_type":"ephemeral"`)
	require.Contains(t, string(raw), "sends short pulse surveys")

	ref, dm := h.send(rep)
	blocks, err := dm.SlackBlocks()
	require.NoError(t, err)
	blockID, seven := button(t, blocks, "pulse_enps_7")
	ack, payload = h.app.SocketEvent(t.Context(), socketEvent(t, socketmode.EventTypeInteractive, `{"type":"block_actions",
		"user":{"id":"`+rep.SlackUserID+`"},"response_url":"`+h.fake.ResponseURL("socket")+`",
		"container":{"type":"message","channel_id":"`+ref.Channel+`","message_ts":"`+ref.TS+`"},
		"actions":[{"type":"button","block_id":"`+blockID+`","action_id":"`+seven.ActionID+`","value":"`+seven.Value+`"}]}`))
	require.True(t, ack)
	require.Nil(t, payload, "a tap is acknowledged with an empty payload")
	h.app.Wait()
	require.Equal(t, 7, h.myENPS(rep))
	require.Len(t, h.responses("socket"), 1, "the DM is updated as over HTTPS")

	ack, _ = h.app.SocketEvent(t.Context(), socketEvent(t, socketmode.EventTypeEventsAPI, `{"type":"event_callback","team_id":"T0PULSE",
		"event":{"type":"app_home_opened","user":"`+rep.SlackUserID+`","tab":"home","event_ts":"1.2"}}`))
	require.True(t, ack)
	h.app.Wait()
	require.Contains(t, textsOf(t, h.lastPublished(rep).Blocks), "Your open surveys")

	ack, _ = h.app.SocketEvent(t.Context(), socketmode.Event{Type: socketmode.EventTypeConnected})
	require.False(t, ack, "connection events are not Slack requests")
}

// Slack's worked example from "Verifying requests from Slack", posted to
// the real endpoint: refused as stale today, accepted at its own time.
func TestSlacksSigningExampleAtTheCommandsEndpoint(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	var now time.Time
	app := notify.NewApp(notify.AppConfig{Slack: h.fake.Client(), Surveys: h.surveys, People: testPeople{h.dir},
		SigningSecret: docSecret, Now: func() time.Time { return now }})
	var commands http.Handler
	for _, e := range app.Endpoints() {
		if e.Path == "/slack/commands" {
			commands = e.Handler
		}
	}
	post := func() *http.Request {
		req := httptestRequest("/slack/commands", []byte(docBody))
		req.Header.Set(notify.HeaderTimestamp, docTimestamp)
		req.Header.Set(notify.HeaderSignature, docSignature)
		return req
	}

	now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	require.Equal(t, http.StatusUnauthorized, serve(commands, post()).Code)

	now = docSignedAt
	rec := serve(commands, post())
	require.Equal(t, http.StatusOK, rec.Code)
	require.True(t, strings.Contains(rec.Body.String(), "does not list this Slack account"), rec.Body.String())
}
