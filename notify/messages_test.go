package notify_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
)

func TestMessagesMatchGoldenFiles(t *testing.T) {
	t.Parallel()
	en, ms := englishPrompt(t), malayPrompt(t)
	zeroScale := en
	zeroScale.ScaleMin, zeroScale.HasMoreQuestions, zeroScale.Intro = 0, false, "Five seconds, promise."
	tests := []struct {
		name    string
		message any
	}{
		{"survey_dm_en", notify.SurveyDM(en)},
		{"survey_dm_ms", notify.SurveyDM(ms)},
		{"survey_dm_zero_scale_en", notify.SurveyDM(zeroScale)},
		{"recorded_en", notify.RecordedDM(en, 9)},
		{"recorded_ms", notify.RecordedDM(ms, 6)},
		{"closed_en", notify.ClosedDM(en)},
		{"closed_ms", notify.ClosedDM(ms)},
		{"reminder_permalink_en", notify.ReminderDM(en, "https://acme.slack.com/archives/D1/p1764230400000100")},
		{"reminder_no_link_ms", notify.ReminderDM(ms, "")},
		{"late_tap", map[string]string{"en": notify.LateTapText("en-GB"), "ms": notify.LateTapText("ms")}},
		{"help", map[string]string{"en": notify.HelpText(""), "ms": notify.HelpText("ms-MY")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireGolden(t, tt.name, tt.message)
		})
	}
}

func TestSurveyDMOffersOneButtonPerValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scaleMin   int
		wantValues []int
	}{
		{1, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{0, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	}
	for _, tt := range tests {
		p := englishPrompt(t)
		p.ScaleMin = tt.scaleMin

		buttons := enpsButtons(t, notify.SurveyDM(p))

		var values []int
		for _, b := range buttons {
			answer, err := notify.DecodeAnswerAction(b.ActionID, b.Value)
			require.NoError(t, err)
			require.Equal(t, "rnd_42", answer.RoundID)
			require.Equal(t, "q_enps", answer.QuestionID)
			require.Empty(t, b.Style, "nothing is highlighted before an answer")
			values = append(values, answer.Value)
		}
		require.Equal(t, tt.wantValues, values)
	}
}

func TestRecordedDMKeepsButtonsAndHighlightsTheAnswer(t *testing.T) {
	t.Parallel()
	msg := notify.RecordedDM(englishPrompt(t), 8)

	var highlighted []string
	for _, b := range enpsButtons(t, msg) {
		if b.Style == slack.StylePrimary {
			highlighted = append(highlighted, b.Text.Text)
		}
	}
	require.Equal(t, []string{"8"}, highlighted)
	text := allText(t, msg)
	require.Contains(t, text, "Recorded: *8*")
	require.Contains(t, text, "without your name")
	require.Contains(t, text, "Friday 4 December, 17:00 (Asia/Kuala_Lumpur)", "closing time in the person's zone")
}

func TestMessagesFollowTheEmployeesLanguage(t *testing.T) {
	t.Parallel()
	p := englishPrompt(t)
	p.EmployeeLocale = "ms-MY"
	require.Contains(t, allText(t, notify.RecordedDM(p, 7)), "Direkodkan: *7*")
	require.Contains(t, allText(t, notify.RecordedDM(p, 7)), "Jumaat 4 Disember, 17:00")

	p.EmployeeLocale = "ja-JP"
	require.Contains(t, allText(t, notify.RecordedDM(p, 7)), "Recorded: *7*", "unsupported: survey's language")
}

func TestClosedDMLeavesNothingToTap(t *testing.T) {
	t.Parallel()
	for _, b := range notify.ClosedDM(englishPrompt(t)).Blocks {
		require.NotEqual(t, slack.MBTAction, b.BlockType())
	}
}

func TestReminderLinksToTheOriginalOrOffersTheSurvey(t *testing.T) {
	t.Parallel()
	withLink := notify.ReminderDM(englishPrompt(t), "https://acme.slack.com/archives/D1/p1")
	require.Contains(t, allText(t, withLink), "<https://acme.slack.com/archives/D1/p1|Answer it here>")
	require.Len(t, withLink.Blocks, 1)

	withoutLink := notify.ReminderDM(englishPrompt(t), "")
	actions := withoutLink.Blocks[len(withoutLink.Blocks)-1].(*slack.ActionBlock)
	button := actions.Elements.ElementSet[0].(*slack.ButtonBlockElement)
	require.Equal(t, notify.ActionOpenSurvey, button.ActionID)
	round, err := notify.DecodeOpenSurvey(button.Value)
	require.NoError(t, err)
	require.Equal(t, "rnd_42", round)
}

func TestTextFromHRCannotMentionOrLink(t *testing.T) {
	t.Parallel()
	p := englishPrompt(t)
	p.SurveyTitle = "Pulse <!channel>"
	p.ENPSPrompt = "Rate <https://evil.example|us> & them"
	// Only the plain_text header may show the raw title: Slack never parses it.
	var text string
	for _, msg := range []notify.Message{notify.SurveyDM(p), notify.ReminderDM(p, ""), notify.ClosedDM(p), notify.RecordedDM(p, 1)} {
		text += msg.Text + "\n" + markdownText(msg)
	}
	require.NotContains(t, text, "<!channel>")
	require.NotContains(t, text, "<https://evil")
	require.Contains(t, text, "&lt;!channel&gt;")
}

func TestLongTitlesFitSlacksLimits(t *testing.T) {
	t.Parallel()
	p := englishPrompt(t)
	p.SurveyTitle = strings.Repeat("é", 200)
	header := notify.SurveyDM(p).Blocks[0].(*slack.HeaderBlock)
	require.Len(t, []rune(header.Text.Text), 150)
	require.True(t, strings.HasSuffix(header.Text.Text, "…"))
}

func TestMessageOptionsCarryTextAndBlocks(t *testing.T) {
	t.Parallel()
	_, values, err := slack.UnsafeApplyMsgOptions("token", "D1", "https://slack.example/api/", notify.SurveyDM(englishPrompt(t)).MsgOptions()...)
	require.NoError(t, err)
	require.Contains(t, values.Get("text"), "Weekly pulse")
}

func markdownText(msg notify.Message) string {
	var text strings.Builder
	for _, b := range msg.Blocks {
		switch b := b.(type) {
		case *slack.SectionBlock:
			text.WriteString(b.Text.Text + "\n")
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				text.WriteString(e.(*slack.TextBlockObject).Text + "\n")
			}
		}
	}
	return text.String()
}

func enpsButtons(t *testing.T, msg notify.Message) []*slack.ButtonBlockElement {
	t.Helper()
	for _, b := range msg.Blocks {
		if actions, ok := b.(*slack.ActionBlock); ok && actions.BlockID == notify.BlockENPSButtons {
			var buttons []*slack.ButtonBlockElement
			for _, e := range actions.Elements.ElementSet {
				buttons = append(buttons, e.(*slack.ButtonBlockElement))
			}
			return buttons
		}
	}
	t.Fatal("no eNPS buttons")
	return nil
}

// allText is the message as JSON, which is enough to look for a sentence.
func allText(t *testing.T, msg notify.Message) string {
	t.Helper()
	raw, err := json.Marshal(msg)
	require.NoError(t, err)
	var unescaped any
	require.NoError(t, json.Unmarshal(raw, &unescaped))
	return collectStrings(unescaped)
}

func collectStrings(v any) string {
	switch v := v.(type) {
	case string:
		return v + "\n"
	case []any:
		var b strings.Builder
		for _, e := range v {
			b.WriteString(collectStrings(e))
		}
		return b.String()
	case map[string]any:
		var b strings.Builder
		for _, e := range v {
			b.WriteString(collectStrings(e))
		}
		return b.String()
	}
	return ""
}
