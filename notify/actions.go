package notify

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Identifiers of the interactive elements Pulse puts in Slack, so the
// interactivity handler can route a payload without guessing.
const (
	// BlockENPSButtons holds the eNPS buttons of a survey DM.
	BlockENPSButtons = "pulse_enps"
	// BlockSurveyActions holds the "Answer the whole survey" button.
	BlockSurveyActions = "pulse_survey_actions"
	// ActionOpenSurvey is the button that opens the whole-survey modal.
	ActionOpenSurvey = "pulse_open_survey"
	// CallbackSurveyModal is the callback_id of the whole-survey modal.
	CallbackSurveyModal = "pulse_survey"

	answerActionPrefix = "pulse_enps_"
	// Slack caps a button value at 2000 characters; anything longer was not
	// made by us.
	maxActionValue = 2000
	highestENPS    = 10
)

// ErrMalformedAction means an action payload was not one Pulse produced:
// a stale client, a hand-crafted request, or a bug.
var ErrMalformedAction = errors.New("notify: malformed Slack action")

// AnswerAction is what one eNPS button in a survey DM stands for.
type AnswerAction struct {
	RoundID    string
	QuestionID string
	Value      int
}

// EncodeAnswerAction gives the action_id and value of the button for a. The
// action_id carries only the number, so it stays unique within the block and
// readable in Slack's logs; the value carries everything the answer needs, so
// a tap is handled without any lookup of which message was tapped.
func EncodeAnswerAction(a AnswerAction) (actionID, value string) {
	v := strconv.Itoa(a.Value)
	return answerActionPrefix + v, encodeFields([][2]string{{"r", a.RoundID}, {"q", a.QuestionID}, {"v", v}})
}

// IsAnswerAction reports whether actionID belongs to an eNPS button, so a
// router can dispatch before decoding.
func IsAnswerAction(actionID string) bool {
	return strings.HasPrefix(actionID, answerActionPrefix)
}

// DecodeAnswerAction reverses EncodeAnswerAction and refuses anything it
// could not have produced, including an action_id that disagrees with the
// value it came with.
func DecodeAnswerAction(actionID, value string) (AnswerAction, error) {
	fields, err := decodeFields(value, "r", "q", "v")
	if err != nil {
		return AnswerAction{}, err
	}
	n, err := parseCanonicalInt(fields["v"])
	if err != nil || n < 0 || n > highestENPS {
		return AnswerAction{}, fmt.Errorf("%w: value %q is not 0..10", ErrMalformedAction, fields["v"])
	}
	if actionID != answerActionPrefix+fields["v"] {
		return AnswerAction{}, fmt.Errorf("%w: action_id %q does not match value", ErrMalformedAction, actionID)
	}
	return AnswerAction{RoundID: fields["r"], QuestionID: fields["q"], Value: n}, nil
}

// EncodeOpenSurvey is the value of the "Answer the whole survey" button.
func EncodeOpenSurvey(roundID string) string {
	return encodeFields([][2]string{{"r", roundID}})
}

// DecodeOpenSurvey returns the round whose modal the button should open.
func DecodeOpenSurvey(value string) (roundID string, err error) {
	fields, err := decodeFields(value, "r")
	if err != nil {
		return "", err
	}
	return fields["r"], nil
}

// encodeFields writes ordered key=value pairs separated by ";", escaping each
// value so opaque ids may contain any character.
func encodeFields(pairs [][2]string) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p[0] + "=" + url.QueryEscape(p[1])
	}
	return strings.Join(parts, ";")
}

// decodeFields accepts exactly the keys listed, each once, non-empty and
// escaped exactly as encodeFields escapes it, so what it accepts re-encodes
// to the same value (and so within Slack's 2000 characters).
func decodeFields(value string, keys ...string) (map[string]string, error) {
	if value == "" || len(value) > maxActionValue {
		return nil, fmt.Errorf("%w: empty or oversized value", ErrMalformedAction)
	}
	parts := strings.Split(value, ";")
	if len(parts) != len(keys) {
		return nil, fmt.Errorf("%w: want %d fields, got %d", ErrMalformedAction, len(keys), len(parts))
	}
	fields := make(map[string]string, len(keys))
	for i, part := range parts {
		key, escaped, ok := strings.Cut(part, "=")
		if !ok || key != keys[i] {
			return nil, fmt.Errorf("%w: field %d is not %q", ErrMalformedAction, i, keys[i])
		}
		field, err := url.QueryUnescape(escaped)
		if err != nil || field == "" || url.QueryEscape(field) != escaped {
			return nil, fmt.Errorf("%w: field %q is empty or not escaped as encodeFields escapes", ErrMalformedAction, key)
		}
		fields[key] = field
	}
	return fields, nil
}

// parseCanonicalInt accepts only the form strconv.Itoa writes, so "+7",
// "07" or " 7" cannot smuggle variants of one answer past a comparison.
func parseCanonicalInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(n) != s {
		return 0, fmt.Errorf("not a canonical integer: %q", s)
	}
	return n, nil
}
