package notify

import (
	"context"
	"net/url"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/directory"
)

// commandReply is an ephemeral answer to a slash command, sent as the body
// of the acknowledgement (or the Socket Mode ack payload).
type commandReply struct {
	ResponseType string        `json:"response_type"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
	// UnfurlLinks false keeps Slack from fetching a one-time link to
	// preview it, which would use it up.
	UnfurlLinks *bool `json:"unfurl_links,omitempty"`
}

func ephemeralReply(text string) commandReply {
	return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: text}
}

// Command answers `/pulse`, `/pulse help` and `/pulse dashboard`, from
// HTTPS or Socket Mode alike. The reply is only ever visible to the person
// who typed it.
func (a *App) Command(ctx context.Context, cmd slack.SlashCommand) any {
	words := strings.Fields(strings.ToLower(cmd.Text))
	sub := ""
	if len(words) > 0 {
		sub = words[0]
	}
	me, found, err := a.employee(ctx, cmd.UserID)
	switch {
	case err != nil:
		a.cfg.Logger.Error("/pulse failed", "err", err)
		return ephemeralReply(FailedText(""))
	case sub != "" && sub != "dashboard":
		return ephemeralReply(HelpText(me.Locale))
	case !found:
		return ephemeralReply(NotInDirectoryText(""))
	case sub == "dashboard":
		return a.signInReply(ctx, me)
	}
	rounds, err := a.listedRounds(ctx, me)
	if err != nil {
		a.cfg.Logger.Error("/pulse failed", "err", err)
		return ephemeralReply(FailedText(me.Locale))
	}
	msg := OpenSurveysMessage(me.Locale, rounds)
	return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: msg.Text, Blocks: msg.Blocks}
}

// signInReply issues a one-time dashboard link, valid for ten minutes.
func (a *App) signInReply(ctx context.Context, me directory.Employee) any {
	if a.cfg.SignIns == nil || a.cfg.BaseURL == "" {
		return ephemeralReply(HelpText(me.Locale))
	}
	code, expires, err := a.cfg.SignIns.Issue(ctx, me.ID)
	if err != nil {
		a.cfg.Logger.Error("could not issue a sign-in link", "err", err)
		return ephemeralReply(FailedText(me.Locale))
	}
	link := strings.TrimRight(a.cfg.BaseURL, "/") + SignInPath + "?code=" + url.QueryEscape(code)
	reply, unfurl := ephemeralReply(SignInText(me.Locale, link, expires, zoneOf(me.Timezone))), false
	reply.UnfurlLinks = &unfurl
	return reply
}
