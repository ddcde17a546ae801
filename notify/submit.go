package notify

import (
	"context"
	"errors"
	"regexp"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// submitSurvey records a submitted survey modal inline: Slack waits for the
// answer to a view_submission, which is how field errors reach the modal.
// nil closes the modal.
func (a *App) submitSurvey(ctx context.Context, cb slack.InteractionCallback) any {
	value, err := ModalRoundID(cb.View)
	roundID, ok := parseID(value)
	if err != nil || !ok {
		a.cfg.Logger.Warn("malformed survey modal", "err", err)
		return nil
	}
	first := firstInputBlock(cb.View)
	me, refusal := a.submitter(ctx, cb, first)
	if refusal != nil {
		return refusal
	}
	var round survey.AssignedRound
	err = database.Retry(ctx, func() (err error) {
		round, err = a.cfg.Surveys.AssignedRound(ctx, roundID, me.ID)
		return err
	})
	switch {
	case errors.Is(err, fault.ErrNotFound):
		return errorsOn(first, NotAskedText(me.Locale))
	case err != nil:
		return a.modalFailure(first, me.Locale, err)
	}
	return a.recordSurvey(ctx, cb, me, round, first)
}

// recordSurvey checks the submitted fields, then records them all at once.
func (a *App) recordSurvey(ctx context.Context, cb slack.InteractionCallback, me directory.Employee, round survey.AssignedRound, first string) any {
	answers, allowReplies, fieldErrors := ParseModalSubmission(cb.View, QuestionsOf(round))
	if fieldErrors != nil {
		return slack.NewErrorsViewSubmissionResponse(fieldErrors)
	}
	inputs := answerInputs(answers, round.Questions)
	if len(inputs) == 0 {
		return nil // only optional comments, all left blank
	}
	// The modal is the one place that asks about anonymous replies, and
	// submitting it again without the tick withdraws them.
	_, err := a.cfg.Surveys.AnswerWith(ctx, round.ID, me.ID, inputs, survey.AnswerOptions{AllowReplies: allowReplies})
	notYet, early := errors.AsType[*survey.NotOpenYet](err)
	switch {
	case err == nil:
		return nil
	case early:
		return errorsOn(first, NotOpenYetText(me.Locale, notYet.OpensAt, notYet.Zone))
	case isClosed(err):
		return errorsOn(first, LateTapText(me.Locale))
	case errors.Is(err, fault.ErrForbidden), errors.Is(err, fault.ErrNotFound):
		return errorsOn(first, NotAskedText(me.Locale))
	}
	if invalid, ok := errors.AsType[*fault.Invalid](err); ok {
		return slack.NewErrorsViewSubmissionResponse(blockErrors(invalid, inputs, first))
	}
	return a.modalFailure(first, me.Locale, err)
}

func (a *App) modalFailure(blockID, locale string, err error) any {
	a.cfg.Logger.Error("survey modal submission failed", "err", err)
	return errorsOn(blockID, FailedText(locale))
}

// answerInputs orders the parsed answers as the questions are ordered, so a
// validation error's index points back at the right field.
func answerInputs(answers map[string]any, questions []survey.Question) []survey.AnswerInput {
	var inputs []survey.AnswerInput
	for _, q := range questions {
		if v, ok := answers[questionIDString(q.ID)]; ok {
			inputs = append(inputs, survey.AnswerInput{QuestionID: q.ID, Value: v})
		}
	}
	return inputs
}

var answerField = regexp.MustCompile(`^answers\[(\d+)\]`)

// blockErrors puts the survey package's validation problems under the
// fields they concern; one that names no answer goes under the first.
func blockErrors(invalid *fault.Invalid, inputs []survey.AnswerInput, fallback string) map[string]string {
	out := map[string]string{}
	for _, p := range invalid.Problems {
		block := fallback
		if m := answerField.FindStringSubmatch(p.Field); m != nil {
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(inputs) {
				block = QuestionBlockID(questionIDString(inputs[i].QuestionID))
			}
		}
		if _, taken := out[block]; !taken {
			out[block] = p.Reason
		}
	}
	return out
}

func errorsOn(blockID, message string) *slack.ViewSubmissionResponse {
	return slack.NewErrorsViewSubmissionResponse(map[string]string{blockID: message})
}

// firstInputBlock is where errors that concern no single field are shown;
// Slack accepts errors only under input blocks.
func firstInputBlock(view slack.View) string {
	for _, b := range view.Blocks.BlockSet {
		if input, ok := b.(*slack.InputBlock); ok {
			return input.BlockID
		}
	}
	return ""
}
