package notify

import (
	"slices"
	"strconv"

	"github.com/slack-go/slack"
)

// PrefillModal shows a person's current answers in a survey modal, so that
// reopening it edits them instead of starting over. current maps question
// ids to values typed as the survey package returns them (MyAnswers): int
// for enps and scale, bool for yes_no, string for choice and text.
func PrefillModal(modal *slack.ModalViewRequest, questions []Question, current map[string]any) {
	byBlock := make(map[string]Question, len(questions))
	for _, q := range questions {
		byBlock[QuestionBlockID(q.ID)] = q
	}
	for _, block := range modal.Blocks.BlockSet {
		input, ok := block.(*slack.InputBlock)
		if !ok {
			continue
		}
		q, ok := byBlock[input.BlockID]
		value, answered := current[q.ID]
		if !ok || !answered {
			continue
		}
		switch element := input.Element.(type) {
		case *slack.SelectBlockElement:
			element.InitialOption = findOption(element.Options, optionValue(q, value))
		case *slack.RadioButtonsBlockElement:
			element.InitialOption = findOption(element.Options, optionValue(q, value))
		case *slack.PlainTextInputBlockElement:
			if text, ok := value.(string); ok {
				element.InitialValue = text
			}
		}
	}
}

// PrefillAllowReplies ticks the "allow anonymous replies" box when the
// person already allowed them, so submitting again does not withdraw it.
func PrefillAllowReplies(modal *slack.ModalViewRequest, allowed bool) {
	if !allowed {
		return
	}
	for _, block := range modal.Blocks.BlockSet {
		input, ok := block.(*slack.InputBlock)
		if !ok || input.BlockID != BlockAllowReplies {
			continue
		}
		if boxes, ok := input.Element.(*slack.CheckboxGroupsBlockElement); ok && len(boxes.Options) > 0 {
			boxes.InitialOptions = []*slack.OptionBlockObject{boxes.Options[0]}
		}
	}
}

// optionValue is the option value the modal uses for an answer; see
// questionInput.
func optionValue(q Question, value any) string {
	switch v := value.(type) {
	case int:
		return strconv.Itoa(v)
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case string:
		if i := slices.Index(q.Options, v); i >= 0 {
			return strconv.Itoa(i)
		}
	}
	return ""
}

// findOption returns the option itself, since Slack wants the initial
// option to equal one of the options exactly, text included.
func findOption(options []*slack.OptionBlockObject, value string) *slack.OptionBlockObject {
	for _, o := range options {
		if o != nil && o.Value == value && value != "" {
			return o
		}
	}
	return nil
}
