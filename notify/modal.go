package notify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// Question kinds, as the survey package names them.
const (
	KindENPS   = "enps"
	KindScale  = "scale"
	KindYesNo  = "yes_no"
	KindChoice = "choice"
	KindText   = "text"
)

// Question is one survey question as the modal shows it.
type Question struct {
	ID      string
	Kind    string
	Prompt  string
	Options []string // only for KindChoice
}

const (
	// BlockAllowReplies holds the opt-in for anonymous replies to a comment.
	BlockAllowReplies = "pulse_allow_replies"

	questionBlockPrefix = "pulse_q_"
	answerActionID      = "answer"
	allowRepliesValue   = "allow"
	minChoiceOptions    = 2
	maxChoiceOptions    = 10
	// maxCommentLength is the survey's own limit, so Slack stops the typing
	// where Pulse would refuse the comment rather than after it was typed.
	maxCommentLength = survey.MaxCommentLength
	maxModalTitle    = 24
)

// QuestionBlockID is the block_id of q's input in the modal; field errors
// from ParseModalSubmission are keyed by it.
func QuestionBlockID(questionID string) string { return questionBlockPrefix + questionID }

// SurveyModal is the whole survey as one modal. The eNPS question is a
// select, not radio buttons, because Slack allows at most 10 radio options
// and the scale can have 11. private_metadata carries the round, language and
// scale so the submission can be read without looking anything up.
func SurveyModal(p SurveyPrompt, questions []Question) (slack.ModalViewRequest, error) {
	c := catalogFor(p.EmployeeLocale, p.SurveyLocale)
	blocks := []slack.Block{section("*" + escapeMrkdwn(titleOf(p, c)) + "*"), contextLine(c.anonymityNote)}
	for _, q := range questions {
		input, err := questionInput(q, c, scaleStart(p.ScaleMin))
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		blocks = append(blocks, input)
	}
	if hasComment(questions) {
		blocks = append(blocks, allowRepliesInput(c))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackSurveyModal,
		Title:           plain(truncate(c.modalTitle, maxModalTitle)),
		Submit:          plain(c.modalSubmit),
		Close:           plain(c.modalCancel),
		PrivateMetadata: encodeModalMetadata(p),
		Blocks:          slack.Blocks{BlockSet: blocks},
	}, nil
}

func questionInput(q Question, c *catalog, scaleMin int) (*slack.InputBlock, error) {
	label := plain(truncate(q.Prompt, maxLabelText))
	blockID := QuestionBlockID(q.ID)
	switch q.Kind {
	case KindENPS:
		values := intOptions(scaleMin, highestENPS, func(v int) string { return strconv.Itoa(v) })
		selectMenu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(c.choosePlaceholder), answerActionID, values...)
		return slack.NewInputBlock(blockID, label, plain(fmt.Sprintf(c.enpsScaleHint, scaleMin)), selectMenu), nil
	case KindScale:
		values := intOptions(1, len(c.agreement), func(v int) string { return c.agreement[v-1] })
		return slack.NewInputBlock(blockID, label, nil, slack.NewRadioButtonsBlockElement(answerActionID, values...)), nil
	case KindYesNo:
		radio := slack.NewRadioButtonsBlockElement(answerActionID, option("yes", c.yes), option("no", c.no))
		return slack.NewInputBlock(blockID, label, nil, radio), nil
	case KindChoice:
		if len(q.Options) < minChoiceOptions || len(q.Options) > maxChoiceOptions {
			return nil, fmt.Errorf("notify: choice question %q has %d options, want %d..%d", q.ID, len(q.Options), minChoiceOptions, maxChoiceOptions)
		}
		options := make([]*slack.OptionBlockObject, len(q.Options))
		for i, text := range q.Options {
			options[i] = option(strconv.Itoa(i), text)
		}
		selectMenu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(c.choosePlaceholder), answerActionID, options...)
		return slack.NewInputBlock(blockID, label, nil, selectMenu), nil
	case KindText:
		input := slack.NewPlainTextInputBlockElement(plain(c.commentPlaceholder), answerActionID).
			WithMultiline(true).WithMaxLength(maxCommentLength)
		return slack.NewInputBlock(blockID, label, nil, input).WithOptional(true), nil
	}
	return nil, fmt.Errorf("notify: question %q has unknown kind %q", q.ID, q.Kind)
}

func allowRepliesInput(c *catalog) *slack.InputBlock {
	checkbox := slack.NewCheckboxGroupsBlockElement(answerActionID,
		slack.NewOptionBlockObject(allowRepliesValue, plain(c.allowReplies), plain(c.allowRepliesHint)))
	return slack.NewInputBlock(BlockAllowReplies, plain(c.allowRepliesLabel), nil, checkbox).WithOptional(true)
}

// intOptions offers from..to with the value as the option's value, so the
// submission parses back to the number without a table.
func intOptions(from, to int, label func(int) string) []*slack.OptionBlockObject {
	options := make([]*slack.OptionBlockObject, 0, to-from+1)
	for v := from; v <= to; v++ {
		options = append(options, option(strconv.Itoa(v), label(v)))
	}
	return options
}

func option(value, text string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(truncate(text, maxOptionText)), nil)
}

func hasComment(questions []Question) bool {
	return slices.ContainsFunc(questions, func(q Question) bool { return q.Kind == KindText })
}

type modalMetadata struct {
	roundID  string
	locale   string
	scaleMin int
}

func encodeModalMetadata(p SurveyPrompt) string {
	return encodeFields([][2]string{
		{"r", p.RoundID},
		{"l", ResolveLocale(p.EmployeeLocale, p.SurveyLocale)},
		{"s", strconv.Itoa(scaleStart(p.ScaleMin))},
	})
}

func decodeModalMetadata(privateMetadata string) (modalMetadata, error) {
	fields, err := decodeFields(privateMetadata, "r", "l", "s")
	if err != nil {
		return modalMetadata{}, err
	}
	scaleMin, err := parseCanonicalInt(fields["s"])
	if err != nil || (scaleMin != 0 && scaleMin != 1) {
		return modalMetadata{}, fmt.Errorf("%w: scale start %q", ErrMalformedAction, fields["s"])
	}
	return modalMetadata{roundID: fields["r"], locale: fields["l"], scaleMin: scaleMin}, nil
}

// ModalRoundID returns the round a submitted survey modal belongs to.
func ModalRoundID(view slack.View) (string, error) {
	if view.CallbackID != CallbackSurveyModal {
		return "", fmt.Errorf("%w: callback_id %q", ErrMalformedAction, view.CallbackID)
	}
	meta, err := decodeModalMetadata(view.PrivateMetadata)
	return meta.roundID, err
}

// ParseModalSubmission reads a submitted survey modal. answers maps question
// id to a value typed as the API takes it: int for enps and scale, bool for
// yes_no, string for choice (the option text) and text (omitted when blank).
// allowReplies is true only when the person both wrote a comment and opted
// in. fieldErrors, keyed by block id, is ready for a response_action "errors"
// reply; it is nil when the submission is complete and valid.
func ParseModalSubmission(view slack.View, questions []Question) (answers map[string]any, allowReplies bool, fieldErrors map[string]string) {
	meta, err := decodeModalMetadata(view.PrivateMetadata)
	if err != nil {
		// The survey package re-checks every value; the widest scale only
		// loosens this first check, and English is as good as any language
		// for a payload we did not produce.
		meta = modalMetadata{locale: LocaleEnglish, scaleMin: 0}
	}
	c := catalogFor(meta.locale, "")
	answers = make(map[string]any, len(questions))
	for _, q := range questions {
		value, problem := parseAnswer(q, submittedAction(view, QuestionBlockID(q.ID)), meta.scaleMin, c)
		switch {
		case problem != "":
			if fieldErrors == nil {
				fieldErrors = make(map[string]string)
			}
			fieldErrors[QuestionBlockID(q.ID)] = problem
		case value != nil:
			answers[q.ID] = value
		}
	}
	return answers, hasCommentAnswer(answers, questions) && optedIntoReplies(view), fieldErrors
}

func submittedAction(view slack.View, blockID string) slack.BlockAction {
	if view.State == nil {
		return slack.BlockAction{}
	}
	return view.State.Values[blockID][answerActionID]
}

// parseAnswer returns the typed value, nil for a blank optional answer, or a
// problem to show under the field.
func parseAnswer(q Question, action slack.BlockAction, scaleMin int, c *catalog) (any, string) {
	selected := action.SelectedOption.Value
	if q.Kind == KindText {
		return parseComment(action.Value, c)
	}
	if selected == "" {
		return nil, c.errRequired
	}
	switch q.Kind {
	case KindENPS:
		return intAnswer(selected, scaleMin, highestENPS, c)
	case KindScale:
		return intAnswer(selected, 1, len(c.agreement), c)
	case KindYesNo:
		if selected != "yes" && selected != "no" {
			return nil, c.errInvalid
		}
		return selected == "yes", ""
	case KindChoice:
		i, ok := intIn(selected, 0, len(q.Options)-1)
		if !ok {
			return nil, c.errInvalid
		}
		return q.Options[i], ""
	}
	return nil, c.errInvalid
}

func intAnswer(s string, lowest, highest int, c *catalog) (any, string) {
	n, ok := intIn(s, lowest, highest)
	if !ok {
		return nil, c.errInvalid
	}
	return n, ""
}

func intIn(s string, lowest, highest int) (int, bool) {
	n, err := parseCanonicalInt(s)
	return n, err == nil && n >= lowest && n <= highest
}

func parseComment(text string, c *catalog) (any, string) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return nil, ""
	case utf8.RuneCountInString(text) > maxCommentLength:
		return nil, fmt.Sprintf(c.errTooLong, maxCommentLength)
	case fault.TextProblem(text) != "":
		return nil, c.errBadText
	}
	return text, ""
}

func hasCommentAnswer(answers map[string]any, questions []Question) bool {
	return slices.ContainsFunc(questions, func(q Question) bool {
		_, answered := answers[q.ID]
		return q.Kind == KindText && answered
	})
}

func optedIntoReplies(view slack.View) bool {
	for _, o := range submittedAction(view, BlockAllowReplies).SelectedOptions {
		if o.Value == allowRepliesValue {
			return true
		}
	}
	return false
}
