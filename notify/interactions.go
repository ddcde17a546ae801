package notify

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// Interaction handles one interaction payload, from HTTPS or Socket Mode
// alike, and returns the body of the acknowledgement: nil for an empty one,
// or a view_submission response.
func (a *App) Interaction(ctx context.Context, cb slack.InteractionCallback) any {
	// What one interaction reads and writes shares a single budget for
	// riding out a database blip, well inside Slack's three seconds.
	ctx = database.WithRetryBudget(ctx, database.RetryBudget)
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		for _, action := range cb.ActionCallback.BlockActions {
			a.blockAction(ctx, cb, action)
		}
	case slack.InteractionTypeViewSubmission:
		switch cb.View.CallbackID {
		case CallbackSurveyModal:
			return a.submitSurvey(ctx, cb)
		case CallbackReplyModal:
			return a.submitReply(ctx, cb)
		}
	}
	return nil
}

func (a *App) blockAction(ctx context.Context, cb slack.InteractionCallback, action *slack.BlockAction) {
	switch {
	case IsAnswerAction(action.ActionID):
		a.tap(ctx, cb, action)
	case action.ActionID == ActionOpenSurvey:
		a.openSurvey(ctx, cb, action)
	case action.ActionID == ActionAnswerReply:
		a.openReply(ctx, cb, action)
	case IsPlanReaction(action.ActionID):
		a.reactToPlan(ctx, cb, action)
	}
}

// tap records an eNPS button press at once, then brings what the person
// sees up to date in the background.
func (a *App) tap(ctx context.Context, cb slack.InteractionCallback, action *slack.BlockAction) {
	tapped, err := DecodeAnswerAction(action.ActionID, action.Value)
	roundID, okRound := parseID(tapped.RoundID)
	questionID, okQuestion := parseID(tapped.QuestionID)
	if err != nil || !okRound || !okQuestion {
		a.cfg.Logger.Warn("malformed eNPS action", "action_id", action.ActionID, "err", err)
		return
	}
	me, ok := a.actor(ctx, cb)
	if !ok {
		return
	}
	receipt, err := a.cfg.Surveys.Answer(ctx, roundID, me.ID, []survey.AnswerInput{{QuestionID: questionID, Value: tapped.Value}})
	notYet, early := errors.AsType[*survey.NotOpenYet](err)
	switch {
	case err == nil:
		a.showRecorded(ctx, cb, me, receipt.Round, tapped.Value)
	case early:
		a.tell(ctx, cb, NotOpenYetText(me.Locale, notYet.OpensAt, notYet.Zone))
	case errors.Is(err, survey.ErrDeactivated):
		a.tell(ctx, cb, DeactivatedText(me.Locale))
	case isClosed(err):
		a.tell(ctx, cb, LateTapText(me.Locale))
		a.refresh(ctx, cb, me, roundID, noSelection)
	case errors.Is(err, fault.ErrForbidden), errors.Is(err, fault.ErrNotFound):
		a.tell(ctx, cb, NotAskedText(me.Locale))
	default:
		a.fail(ctx, cb, me.Locale, err)
	}
}

// openSurvey opens the whole-survey modal. views.open must be called within
// 3 s of the tap (the trigger_id expires), which the background does at once.
func (a *App) openSurvey(ctx context.Context, cb slack.InteractionCallback, action *slack.BlockAction) {
	value, err := DecodeOpenSurvey(action.Value)
	roundID, ok := parseID(value)
	if err != nil || !ok {
		a.cfg.Logger.Warn("malformed open-survey action", "err", err)
		return
	}
	if me, ok := a.actor(ctx, cb); ok {
		a.background.Go(ctx, "", func(ctx context.Context) { a.openModal(ctx, cb, me, roundID) })
	}
}

// actor finds who pressed a button; when the directory does not know them,
// or cannot be read, or their account is deactivated, it tells them so and
// reports false.
func (a *App) actor(ctx context.Context, cb slack.InteractionCallback) (directory.Employee, bool) {
	me, found, err := a.employee(ctx, cb.User.ID)
	switch {
	case err != nil:
		a.fail(ctx, cb, "", err)
	case !found:
		a.tell(ctx, cb, NotInDirectoryText(""))
	case !me.Active:
		a.tell(ctx, cb, DeactivatedText(me.Locale))
	}
	return me, err == nil && found && me.Active
}

// submitter finds who submitted a modal; when that fails, refusal is the
// view_submission answer that shows why on blockID.
func (a *App) submitter(ctx context.Context, cb slack.InteractionCallback, blockID string) (me directory.Employee, refusal any) {
	me, found, err := a.employee(ctx, cb.User.ID)
	switch {
	case err != nil:
		return me, a.modalFailure(blockID, "", err)
	case !found:
		return me, errorsOn(blockID, NotInDirectoryText(""))
	case !me.Active:
		return me, errorsOn(blockID, DeactivatedText(me.Locale))
	}
	return me, nil
}

func (a *App) openModal(ctx context.Context, cb slack.InteractionCallback, me directory.Employee, roundID int64) {
	round, err := a.cfg.Surveys.AssignedRound(ctx, roundID, me.ID)
	switch {
	case errors.Is(err, fault.ErrNotFound):
		a.tell(ctx, cb, NotAskedText(me.Locale))
		return
	case err != nil:
		a.fail(ctx, cb, me.Locale, err)
		return
	case !round.Open:
		a.tell(ctx, cb, LateTapText(me.Locale))
		a.refresh(ctx, cb, me, roundID, noSelection)
		return
	}
	p, err := promptFor(ctx, a.cfg.Surveys, round, me)
	if err != nil {
		a.fail(ctx, cb, me.Locale, err)
		return
	}
	if round.Status == survey.StatusScheduled && round.OpensAt != nil {
		a.tell(ctx, cb, NotOpenYetText(me.Locale, *round.OpensAt, p.Timezone))
		return
	}
	questions := QuestionsOf(round)
	modal, err := SurveyModal(p, questions)
	if err != nil {
		a.fail(ctx, cb, me.Locale, err)
		return
	}
	if round.Answered {
		current, err := a.cfg.Surveys.MyResponse(ctx, roundID, me.ID)
		if err != nil {
			a.cfg.Logger.Warn("could not pre-fill the survey modal", "err", err)
		}
		PrefillModal(&modal, questions, answerMap(current.Answers))
		PrefillAllowReplies(&modal, current.AllowReplies)
	}
	if _, err := a.cfg.Slack.OpenViewContext(ctx, cb.TriggerID, modal); err != nil {
		a.cfg.Logger.Error("views.open failed", "round", roundID, "err", err)
	}
}

// refresh redraws, in the background, whatever the person tapped on: the
// survey DM (recorded or closed), the `/pulse` list, or the Home tab.
// recorded is the eNPS value just stored, noSelection when nothing was.
func (a *App) refresh(ctx context.Context, cb slack.InteractionCallback, me directory.Employee, roundID int64, recorded int) {
	switch {
	case isHomeTap(cb):
		a.publishHomeLater(ctx, me.SlackUserID)
	case cb.ResponseURL == "":
	case cb.Container.IsEphemeral:
		a.background.Go(ctx, messageKey(cb), func(ctx context.Context) { a.redrawList(ctx, cb, me) })
	default:
		a.background.Go(ctx, messageKey(cb), func(ctx context.Context) { a.redrawDM(ctx, cb, me, roundID, recorded) })
	}
}

// showRecorded is refresh after an answer: the survey DM is redrawn from
// the round as answering found it, without reading it again.
func (a *App) showRecorded(ctx context.Context, cb slack.InteractionCallback, me directory.Employee, round survey.AssignedRound, recorded int) {
	if isHomeTap(cb) || cb.ResponseURL == "" || cb.Container.IsEphemeral {
		a.refresh(ctx, cb, me, round.ID, recorded)
		return
	}
	a.background.Go(ctx, messageKey(cb), func(ctx context.Context) {
		a.replaceOriginal(ctx, cb, RecordedDM(PromptFor(round, me, round.SurveyZone), recorded))
	})
}

func isHomeTap(cb slack.InteractionCallback) bool {
	return cb.View.Type == slack.VTHomeTab || cb.Container.Type == "view"
}

func messageKey(cb slack.InteractionCallback) string {
	if cb.Container.ChannelID != "" && cb.Container.MessageTs != "" {
		return cb.Container.ChannelID + "/" + cb.Container.MessageTs
	}
	return cb.ResponseURL
}

// redrawDM replaces the survey DM through the response_url: with what was
// recorded while the round is open, with the closed notice after.
func (a *App) redrawDM(ctx context.Context, cb slack.InteractionCallback, me directory.Employee, roundID int64, recorded int) {
	round, err := a.cfg.Surveys.AssignedRound(ctx, roundID, me.ID)
	if err != nil {
		a.cfg.Logger.Error("could not redraw the survey DM", "round", roundID, "err", err)
		return
	}
	p, err := promptFor(ctx, a.cfg.Surveys, round, me)
	if err != nil {
		a.cfg.Logger.Error("could not redraw the survey DM", "round", roundID, "err", err)
		return
	}
	msg := ClosedDM(p)
	if round.Open && recorded != noSelection {
		msg = RecordedDM(p, recorded)
	}
	a.replaceOriginal(ctx, cb, msg)
}

// redrawList replaces a `/pulse` reply with the person's rounds as they are
// now.
func (a *App) redrawList(ctx context.Context, cb slack.InteractionCallback, me directory.Employee) {
	rounds, err := a.listedRounds(ctx, me)
	if err != nil {
		a.cfg.Logger.Error("could not redraw the /pulse list", "err", err)
		return
	}
	a.replaceOriginal(ctx, cb, OpenSurveysMessage(me.Locale, rounds))
}

func (a *App) replaceOriginal(ctx context.Context, cb slack.InteractionCallback, msg Message) {
	options := append([]slack.MsgOption{slack.MsgOptionReplaceOriginal(cb.ResponseURL)}, msg.MsgOptions()...)
	if _, _, err := a.cfg.Slack.PostMessageContext(ctx, "", options...); err != nil {
		a.cfg.Logger.Error("could not update the message through the response_url", "err", err)
	}
}

// tell sends the person an ephemeral reply where they tapped. Taps in the
// Home tab have no response_url, and the redrawn tab says enough there.
func (a *App) tell(ctx context.Context, cb slack.InteractionCallback, text string) {
	if cb.ResponseURL == "" {
		return
	}
	a.background.Go(ctx, "", func(ctx context.Context) {
		_, _, err := a.cfg.Slack.PostMessageContext(ctx, "",
			slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText(text, false))
		if err != nil {
			a.cfg.Logger.Error("could not send an ephemeral reply", "err", err)
		}
	})
}

func (a *App) fail(ctx context.Context, cb slack.InteractionCallback, locale string, err error) {
	a.cfg.Logger.Error("Slack interaction failed", "type", cb.Type, "user", cb.User.ID, "err", err)
	a.tell(ctx, cb, FailedText(locale))
}

func isClosed(err error) bool {
	_, closed := errors.AsType[*fault.Conflict](err)
	return closed
}

func answerMap(answers []survey.AnswerInput) map[string]any {
	out := make(map[string]any, len(answers))
	for _, ans := range answers {
		out[questionIDString(ans.QuestionID)] = ans.Value
	}
	return out
}
