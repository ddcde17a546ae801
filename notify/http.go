package notify

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// The handlers below run behind RequireSignature: the body they parse has
// already been checked to come from Slack.

func (a *App) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		refuse(w, http.StatusBadRequest, "bad_request", "the Slack payload cannot be read")
		return
	}
	cb, err := DecodeInteraction([]byte(r.PostForm.Get("payload")))
	if err != nil {
		a.cfg.Logger.Warn("unreadable Slack interaction payload", "err", err)
		refuse(w, http.StatusBadRequest, "bad_request", "the Slack payload cannot be read")
		return
	}
	ctx, cancel := a.inline(r.Context())
	defer cancel()
	writeReply(w, a.Interaction(ctx, cb))
}

func (a *App) serveCommand(w http.ResponseWriter, r *http.Request) {
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		refuse(w, http.StatusBadRequest, "bad_request", "the Slack payload cannot be read")
		return
	}
	ctx, cancel := a.inline(r.Context())
	defer cancel()
	writeReply(w, a.Command(ctx, cmd))
}

func (a *App) serveEvent(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		refuse(w, http.StatusBadRequest, "bad_request", "the Slack payload cannot be read")
		return
	}
	// The verification token is Slack's deprecated check; the signature
	// already proved where the body came from.
	event, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		// Signed, so it is Slack's: an event type this version does not
		// know. Refusing would only make Slack retry it.
		a.cfg.Logger.Warn("unreadable Slack event", "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if verification, ok := event.Data.(*slackevents.EventsAPIURLVerificationEvent); ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, verification.Challenge)
		return
	}
	a.Event(r.Context(), event)
	w.WriteHeader(http.StatusOK)
}

// writeReply answers Slack: an empty 200 acknowledges, a body also replies
// (an ephemeral message, modal errors).
func writeReply(w http.ResponseWriter, reply any) {
	if reply == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(reply)
}
