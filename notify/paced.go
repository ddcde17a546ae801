package notify

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/slackrate"
)

// Paced is a SlackAPI that waits for the shared limiter before each call
// and tells it how Slack answered: a 429 pauses every call of that method
// for Retry-After, in this process and the others; a 5xx or a timeout makes
// every caller back off together. A call the limiter will not wait for
// fails as Slack's own 429 would (*slack.RateLimitedError), so every caller
// already knows what to do with it.
type Paced struct {
	api     SlackAPI
	limiter *slackrate.Limiter
}

var _ SlackAPI = (*Paced)(nil)

// NewPaced wraps api; every caller of the process must share limiter.
func NewPaced(api SlackAPI, limiter *slackrate.Limiter) *Paced {
	return &Paced{api: api, limiter: limiter}
}

// call runs fn for method once the limiter lets it, and reports the answer.
func (p *Paced) call(ctx context.Context, method, channel string, fn func() error) error {
	if err := p.limiter.Wait(ctx, method, channel); err != nil {
		if paused, ok := errors.AsType[*slackrate.PausedError](err); ok {
			return &slack.RateLimitedError{RetryAfter: paused.RetryAfter()}
		}
		return err
	}
	err := fn()
	// The pause holds in this process even when the database cannot record
	// it for the others; Slack's answer is what the caller needs.
	switch kind, retryAfter, _ := ClassifyError(err); {
	case kind == NoError:
		p.limiter.Succeeded(method)
	case kind == RateLimited:
		_ = p.limiter.Limited(ctx, method, retryAfter)
	case kind == Transient && ctx.Err() == nil && !errors.Is(err, context.Canceled):
		_ = p.limiter.Failed(ctx, method)
	}
	return err
}

// OpenConversationContext implements SlackAPI.
func (p *Paced) OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (ch *slack.Channel, noOp, already bool, err error) {
	err = p.call(ctx, "conversations.open", "", func() error {
		ch, noOp, already, err = p.api.OpenConversationContext(ctx, params)
		return err
	})
	return ch, noOp, already, err
}

// PostMessageContext implements SlackAPI. Posts to a response_url are no
// Web API call and go straight through.
func (p *Paced) PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (ch, ts string, err error) {
	if endpoint, _, _ := slack.UnsafeApplyMsgOptions("", channelID, "", options...); endpoint != slackrate.PostMessage {
		return p.api.PostMessageContext(ctx, channelID, options...)
	}
	err = p.call(ctx, slackrate.PostMessage, channelID, func() error {
		ch, ts, err = p.api.PostMessageContext(ctx, channelID, options...)
		return err
	})
	return ch, ts, err
}

// UpdateMessageContext implements SlackAPI.
func (p *Paced) UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (ch, ts, text string, err error) {
	err = p.call(ctx, "chat.update", "", func() error {
		ch, ts, text, err = p.api.UpdateMessageContext(ctx, channelID, timestamp, options...)
		return err
	})
	return ch, ts, text, err
}

// GetConversationHistoryContext implements SlackAPI.
func (p *Paced) GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (h *slack.GetConversationHistoryResponse, err error) {
	err = p.call(ctx, "conversations.history", "", func() error {
		h, err = p.api.GetConversationHistoryContext(ctx, params)
		return err
	})
	return h, err
}

// GetPermalinkContext implements SlackAPI.
func (p *Paced) GetPermalinkContext(ctx context.Context, params *slack.PermalinkParameters) (link string, err error) {
	err = p.call(ctx, "chat.getPermalink", "", func() error {
		link, err = p.api.GetPermalinkContext(ctx, params)
		return err
	})
	return link, err
}

// OpenViewContext implements SlackAPI.
func (p *Paced) OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (v *slack.ViewResponse, err error) {
	err = p.call(ctx, "views.open", "", func() error {
		v, err = p.api.OpenViewContext(ctx, triggerID, view)
		return err
	})
	return v, err
}

// PublishViewContext implements SlackAPI.
func (p *Paced) PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (v *slack.ViewResponse, err error) {
	err = p.call(ctx, "views.publish", "", func() error {
		v, err = p.api.PublishViewContext(ctx, req)
		return err
	})
	return v, err
}
