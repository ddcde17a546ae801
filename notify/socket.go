package notify

import (
	"context"
	"errors"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// SocketEvent handles one Socket Mode event with the same dispatch as the
// HTTPS endpoints, and says whether to acknowledge it and with what. Socket
// Mode needs no signature check: the socket itself was opened with the
// app-level token.
func (a *App) SocketEvent(ctx context.Context, evt socketmode.Event) (ack bool, payload any) {
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		if event, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			a.Event(ctx, event)
		}
		return true, nil
	case socketmode.EventTypeInteractive:
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			return true, a.Interaction(ctx, cb)
		}
		return true, nil
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slack.SlashCommand); ok {
			return true, a.Command(ctx, cmd)
		}
		return true, nil
	}
	return false, nil
}

// socketCloseWait bounds how long RunSocketMode waits for the socket to
// close once its context ends.
const socketCloseWait = 5 * time.Second

// RunSocketMode serves Slack over a Socket Mode connection until ctx ends:
// for installs with no public URL. Each event is handled on its own
// goroutine and acknowledged on the socket within Slack's 3 seconds.
func (a *App) RunSocketMode(ctx context.Context, client *socketmode.Client) error {
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			// Let the socket close before returning, so that the caller may
			// hand its slot to another replica without a moment of overlap.
			select {
			case <-errc:
			case <-time.After(socketCloseWait):
			}
			return nil
		case err := <-errc:
			if errors.Is(err, context.Canceled) {
				return nil
			}
			return err
		case evt := <-client.Events:
			a.logConnection(evt)
			go a.serveSocketEvent(ctx, client, evt)
		}
	}
}

func (a *App) serveSocketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	ctx, cancel := a.inline(ctx)
	defer cancel()
	ack, payload := a.SocketEvent(ctx, evt)
	if !ack || evt.Request == nil {
		return
	}
	if err := client.AckCtx(ctx, evt.Request.EnvelopeID, payload); err != nil {
		a.cfg.Logger.Error("could not acknowledge a Socket Mode event", "type", evt.Type, "err", err)
	}
}

func (a *App) logConnection(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.cfg.Logger.Info("Slack Socket Mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.cfg.Logger.Warn("Slack Socket Mode connection problem", "type", evt.Type, "detail", evt.Data)
	}
}
