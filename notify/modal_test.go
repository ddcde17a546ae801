package notify_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

func TestSurveyModalMatchesGoldenFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		prompt notify.SurveyPrompt
	}{
		{"modal_en", englishPrompt(t)},
		{"modal_ms", malayPrompt(t)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			modal, err := notify.SurveyModal(tt.prompt, allQuestions())
			require.NoError(t, err)
			requireGolden(t, tt.name, modal)
		})
	}
}

func TestSurveyModalShapes(t *testing.T) {
	t.Parallel()
	p := englishPrompt(t)
	p.ScaleMin = 0
	modal, err := notify.SurveyModal(p, allQuestions())
	require.NoError(t, err)

	enps := inputBlock(t, modal, notify.QuestionBlockID("q_enps"))
	require.Equal(t, slack.OptTypeStatic, enps.Element.(*slack.SelectBlockElement).Type)
	require.Len(t, enps.Element.(*slack.SelectBlockElement).Options, 11, "0..10")
	require.Len(t, inputBlock(t, modal, notify.QuestionBlockID("q_scale")).Element.(*slack.RadioButtonsBlockElement).Options, 5)
	require.Len(t, inputBlock(t, modal, notify.QuestionBlockID("q_yes")).Element.(*slack.RadioButtonsBlockElement).Options, 2)
	require.Len(t, inputBlock(t, modal, notify.QuestionBlockID("q_choice")).Element.(*slack.SelectBlockElement).Options, 3)
	comment := inputBlock(t, modal, notify.QuestionBlockID("q_text"))
	require.True(t, comment.Optional)
	require.True(t, comment.Element.(*slack.PlainTextInputBlockElement).Multiline)
	require.Equal(t, survey.MaxCommentLength, comment.Element.(*slack.PlainTextInputBlockElement).MaxLength,
		"Slack stops typing where Pulse would refuse, not later")
	require.True(t, inputBlock(t, modal, notify.BlockAllowReplies).Optional)
	require.Equal(t, notify.CallbackSurveyModal, modal.CallbackID)
	require.LessOrEqual(t, len([]rune(modal.Title.Text)), 24, "Slack's modal title limit")

	round, err := notify.ModalRoundID(slack.View{CallbackID: modal.CallbackID, PrivateMetadata: modal.PrivateMetadata})
	require.NoError(t, err)
	require.Equal(t, "rnd_42", round)
}

func TestSurveyModalOffersRepliesOnlyWithAComment(t *testing.T) {
	t.Parallel()
	modal, err := notify.SurveyModal(englishPrompt(t), allQuestions()[:4])
	require.NoError(t, err)
	for _, b := range modal.Blocks.BlockSet {
		if input, ok := b.(*slack.InputBlock); ok {
			require.NotEqual(t, notify.BlockAllowReplies, input.BlockID)
		}
	}
}

func TestSurveyModalRefusesQuestionsItCannotShow(t *testing.T) {
	t.Parallel()
	tests := map[string]notify.Question{
		"unknown kind":   {ID: "q", Kind: "slider", Prompt: "?"},
		"one choice":     {ID: "q", Kind: notify.KindChoice, Prompt: "?", Options: []string{"a"}},
		"eleven choices": {ID: "q", Kind: notify.KindChoice, Prompt: "?", Options: strings.Split("abcdefghijk", "")},
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := notify.SurveyModal(englishPrompt(t), []notify.Question{q})
			require.Error(t, err)
		})
	}
}

func TestParseModalSubmission(t *testing.T) {
	t.Parallel()
	complete := map[string]slack.BlockAction{
		"q_enps":   selected("9"),
		"q_scale":  selected("4"),
		"q_yes":    selected("no"),
		"q_choice": selected("1"),
		"q_text":   {Value: "  More focus time, please.  "},
	}
	tests := []struct {
		name             string
		prompt           func(*testing.T) notify.SurveyPrompt
		submitted        map[string]slack.BlockAction
		optIn            bool
		wantAnswers      map[string]any
		wantAllowReplies bool
		wantErrors       map[string]string
	}{
		{
			name: "complete with opt-in", prompt: englishPrompt, submitted: complete, optIn: true,
			wantAnswers:      map[string]any{"q_enps": 9, "q_scale": 4, "q_yes": false, "q_choice": "Tools", "q_text": "More focus time, please."},
			wantAllowReplies: true,
		},
		{
			name: "blank comment drops the opt-in", prompt: englishPrompt, optIn: true,
			submitted:   with(complete, "q_text", slack.BlockAction{Value: "   "}),
			wantAnswers: map[string]any{"q_enps": 9, "q_scale": 4, "q_yes": false, "q_choice": "Tools"},
		},
		{
			name: "missing answers in Malay", prompt: malayPrompt,
			submitted:   map[string]slack.BlockAction{"q_scale": selected("2")},
			wantAnswers: map[string]any{"q_scale": 2},
			wantErrors: map[string]string{
				"pulse_q_q_enps": "Sila pilih satu jawapan.", "pulse_q_q_yes": "Sila pilih satu jawapan.",
				"pulse_q_q_choice": "Sila pilih satu jawapan.",
			},
		},
		{
			name: "values no option offers", prompt: englishPrompt,
			submitted: with(with(with(with(complete, "q_enps", selected("0")), "q_scale", selected("6")),
				"q_yes", selected("maybe")), "q_choice", selected("3")),
			wantAnswers: map[string]any{"q_text": "More focus time, please."},
			wantErrors: map[string]string{
				"pulse_q_q_enps": "That answer is not one of the options.", "pulse_q_q_scale": "That answer is not one of the options.",
				"pulse_q_q_yes": "That answer is not one of the options.", "pulse_q_q_choice": "That answer is not one of the options.",
			},
		},
		{
			name: "comment at the limit, in characters", prompt: englishPrompt,
			submitted: with(complete, "q_text", slack.BlockAction{Value: strings.Repeat("é", survey.MaxCommentLength)}),
			wantAnswers: map[string]any{"q_enps": 9, "q_scale": 4, "q_yes": false, "q_choice": "Tools",
				"q_text": strings.Repeat("é", survey.MaxCommentLength)},
		},
		{
			name: "comment too long", prompt: englishPrompt,
			submitted:   with(complete, "q_text", slack.BlockAction{Value: strings.Repeat("é", survey.MaxCommentLength+1)}),
			wantAnswers: map[string]any{"q_enps": 9, "q_scale": 4, "q_yes": false, "q_choice": "Tools"},
			wantErrors:  map[string]string{"pulse_q_q_text": "Please keep it to 2000 characters or fewer."},
		},
		{
			name: "comment with a NUL byte", prompt: englishPrompt,
			submitted:   with(complete, "q_text", slack.BlockAction{Value: "More\x00focus"}),
			wantAnswers: map[string]any{"q_enps": 9, "q_scale": 4, "q_yes": false, "q_choice": "Tools"},
			wantErrors:  map[string]string{"pulse_q_q_text": "This text holds characters Pulse cannot store; please retype it."},
		},
		{
			name: "comment with invalid UTF-8 in Malay", prompt: malayPrompt,
			submitted:   with(complete, "q_text", slack.BlockAction{Value: "Lebih\xfffokus"}),
			wantAnswers: map[string]any{"q_enps": 9, "q_scale": 4, "q_yes": false, "q_choice": "Tools"},
			wantErrors:  map[string]string{"pulse_q_q_text": "Teks ini mengandungi aksara yang tidak dapat disimpan oleh Pulse; sila taip semula."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			view := submittedView(t, tt.prompt(t), tt.submitted, tt.optIn)

			answers, allowReplies, fieldErrors := notify.ParseModalSubmission(view, allQuestions())

			require.Equal(t, tt.wantAnswers, answers)
			require.Equal(t, tt.wantAllowReplies, allowReplies)
			require.Equal(t, tt.wantErrors, fieldErrors)
		})
	}
}

func TestParseModalSubmissionHonoursZeroScale(t *testing.T) {
	t.Parallel()
	p := englishPrompt(t)
	p.ScaleMin = 0
	view := submittedView(t, p, map[string]slack.BlockAction{"q_enps": selected("0")}, false)

	answers, _, fieldErrors := notify.ParseModalSubmission(view, allQuestions()[:1])

	require.Nil(t, fieldErrors)
	require.Equal(t, map[string]any{"q_enps": 0}, answers)
}

func TestModalRoundIDRejectsForeignViews(t *testing.T) {
	t.Parallel()
	tests := map[string]slack.View{
		"other callback":   {CallbackID: "something_else", PrivateMetadata: "r=1;l=en;s=1"},
		"garbage metadata": {CallbackID: notify.CallbackSurveyModal, PrivateMetadata: "round 1"},
		"odd scale":        {CallbackID: notify.CallbackSurveyModal, PrivateMetadata: "r=1;l=en;s=5"},
	}
	for name, view := range tests {
		_, err := notify.ModalRoundID(view)
		require.ErrorIs(t, err, notify.ErrMalformedAction, name)
	}
}

func selected(value string) slack.BlockAction {
	return slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: value}}
}

func with(base map[string]slack.BlockAction, questionID string, action slack.BlockAction) map[string]slack.BlockAction {
	copied := make(map[string]slack.BlockAction, len(base)+1)
	for k, v := range base {
		copied[k] = v
	}
	copied[questionID] = action
	return copied
}

// submittedView is the view Slack sends back on submit: the modal we built,
// with state keyed by block id and action id.
func submittedView(t *testing.T, p notify.SurveyPrompt, answers map[string]slack.BlockAction, optIn bool) slack.View {
	t.Helper()
	modal, err := notify.SurveyModal(p, allQuestions())
	require.NoError(t, err)
	values := map[string]map[string]slack.BlockAction{}
	for questionID, action := range answers {
		values[notify.QuestionBlockID(questionID)] = map[string]slack.BlockAction{"answer": action}
	}
	if optIn {
		values[notify.BlockAllowReplies] = map[string]slack.BlockAction{
			"answer": {SelectedOptions: []slack.OptionBlockObject{{Value: "allow"}}},
		}
	}
	return slack.View{CallbackID: modal.CallbackID, PrivateMetadata: modal.PrivateMetadata, State: &slack.ViewState{Values: values}}
}

func inputBlock(t *testing.T, modal slack.ModalViewRequest, blockID string) *slack.InputBlock {
	t.Helper()
	for _, b := range modal.Blocks.BlockSet {
		if input, ok := b.(*slack.InputBlock); ok && input.BlockID == blockID {
			return input
		}
	}
	t.Fatalf("no input block %q", blockID)
	return nil
}

// The state Slack posts in a view_submission, as JSON, to be sure the parser
// reads the fields Slack actually fills for each element type.
func TestParseModalSubmissionFromSlackJSON(t *testing.T) {
	t.Parallel()
	payload := `{
	  "type": "view_submission",
	  "view": {
	    "callback_id": "pulse_survey",
	    "private_metadata": "r=rnd_42;l=en;s=1",
	    "state": {"values": {
	      "pulse_q_q_enps":   {"answer": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "10"}, "value": "10"}}},
	      "pulse_q_q_scale":  {"answer": {"type": "radio_buttons", "selected_option": {"text": {"type": "plain_text", "text": "Agree"}, "value": "4"}}},
	      "pulse_q_q_yes":    {"answer": {"type": "radio_buttons", "selected_option": {"text": {"type": "plain_text", "text": "Yes"}, "value": "yes"}}},
	      "pulse_q_q_choice": {"answer": {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "Approvals"}, "value": "2"}}},
	      "pulse_q_q_text":   {"answer": {"type": "plain_text_input", "value": "Thanks!"}},
	      "pulse_allow_replies": {"answer": {"type": "checkboxes", "selected_options": [{"text": {"type": "plain_text", "text": "Allow"}, "value": "allow"}]}}
	    }}
	  }
	}`
	var callback slack.InteractionCallback
	require.NoError(t, json.Unmarshal([]byte(payload), &callback))

	answers, allowReplies, fieldErrors := notify.ParseModalSubmission(callback.View, allQuestions())

	require.Nil(t, fieldErrors)
	require.True(t, allowReplies)
	require.Equal(t, map[string]any{"q_enps": 10, "q_scale": 4, "q_yes": true, "q_choice": "Approvals", "q_text": "Thanks!"}, answers)
}
