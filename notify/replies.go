package notify

import (
	"context"
	"errors"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/fault"
)

// openReply opens the anonymous-answer modal for a reply DM's button.
func (a *App) openReply(ctx context.Context, cb slack.InteractionCallback, action *slack.BlockAction) {
	me, ok := a.actor(ctx, cb)
	if !ok {
		return
	}
	commentID, triggerID := action.Value, cb.TriggerID
	a.background.Go(ctx, "", func(ctx context.Context) {
		if _, err := a.cfg.Slack.OpenViewContext(ctx, triggerID, ReplyModal(commentID, me.Locale)); err != nil {
			a.cfg.Logger.Error("could not open the reply modal", "err", err)
		}
	})
}

// submitReply records the author's answer inline, so a refusal can be shown
// in the modal itself; nil closes it.
func (a *App) submitReply(ctx context.Context, cb slack.InteractionCallback) any {
	me, refusal := a.submitter(ctx, cb, BlockReplyBody)
	switch {
	case refusal != nil:
		return refusal
	case a.cfg.AuthorReplies == nil:
		return errorsOn(BlockReplyBody, FailedText(me.Locale))
	}
	body := strings.TrimSpace(cb.View.State.Values[BlockReplyBody][actionReplyBody].Value)
	switch {
	case body == "":
		return errorsOn(BlockReplyBody, catalogFor(me.Locale, "").errRequired)
	case fault.TextProblem(body) != "":
		return errorsOn(BlockReplyBody, catalogFor(me.Locale, "").errBadText)
	}
	err := a.cfg.AuthorReplies(ctx, cb.View.PrivateMetadata, me.ID, body)
	var closed *fault.Conflict
	switch {
	case errors.Is(err, fault.ErrForbidden), errors.Is(err, fault.ErrNotFound):
		return errorsOn(BlockReplyBody, catalogFor(me.Locale, "").replyNotAllowed)
	case errors.As(err, &closed):
		return errorsOn(BlockReplyBody, catalogFor(me.Locale, "").replyClosed)
	case err != nil:
		return a.modalFailure(BlockReplyBody, me.Locale, err)
	}
	return nil
}
