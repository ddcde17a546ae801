package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// SurveyPrompt is what a survey DM needs to know about one round for one
// person. The survey package fills it; notify only renders it.
type SurveyPrompt struct {
	RoundID     string
	SurveyTitle string
	// Intro is the survey's greeting; a default one is used when empty.
	Intro string
	// SurveyLocale and EmployeeLocale choose the language: the employee's
	// first, then the survey's, then English.
	SurveyLocale   string
	EmployeeLocale string
	// ScaleMin is 0 or 1, the lowest eNPS value offered.
	ScaleMin       int
	ENPSQuestionID string
	ENPSPrompt     string
	ClosesAt       time.Time
	// Timezone is the employee's zone, else the survey's; nil means UTC.
	Timezone *time.Location
	// HasMoreQuestions adds the button that opens the whole-survey modal.
	HasMoreQuestions bool
}

// Message is one Slack message: blocks, and the plain text Slack shows in
// notifications and where blocks cannot be rendered.
type Message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// MsgOptions turns m into options for PostMessage, UpdateMessage and friends.
func (m Message) MsgOptions() []slack.MsgOption {
	return []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
}

// Slack's published limits for the text fields used below.
const (
	maxHeaderText  = 150
	maxButtonText  = 75
	maxOptionText  = 75
	maxLabelText   = 2000
	maxSectionText = 3000
)

// SurveyDM is the first message of a round: the intro, the eNPS question with
// one button per value, and, when there is more to answer, a button that
// opens the whole survey.
func SurveyDM(p SurveyPrompt) Message {
	c := catalogFor(p.EmployeeLocale, p.SurveyLocale)
	intro := p.Intro
	if intro == "" {
		intro = c.defaultIntro
	}
	blocks := []slack.Block{surveyHeader(p, c), section(escapeMrkdwn(intro))}
	blocks = append(blocks, enpsQuestionBlocks(p, c, noSelection)...)
	blocks = append(blocks, contextLine(c.anonymityNote+" "+fmt.Sprintf(c.openUntil, c.formatDeadline(p.ClosesAt, p.Timezone))))
	question := p.ENPSPrompt
	if question == "" {
		question = intro
	}
	return Message{Text: fallbackTitle(p, c) + ": " + escapeMrkdwn(question), Blocks: blocks}
}

// RecordedDM replaces the survey DM after a tap. It says what was recorded,
// that it is anonymous and until when it can be changed; the buttons stay so
// a second tap changes the answer, with the recorded one highlighted.
func RecordedDM(p SurveyPrompt, recorded int) Message {
	c := catalogFor(p.EmployeeLocale, p.SurveyLocale)
	confirmation := fmt.Sprintf(c.recorded, recorded, c.formatDeadline(p.ClosesAt, p.Timezone))
	blocks := []slack.Block{surveyHeader(p, c), section(confirmation)}
	blocks = append(blocks, enpsQuestionBlocks(p, c, recorded)...)
	return Message{Text: fallbackTitle(p, c) + ": " + fmt.Sprintf(c.recordedFallback, recorded), Blocks: blocks}
}

// ClosedDM replaces the survey DM when the round closes, so no button is left
// that could no longer do anything. It is the same for everyone: once a round
// closes nothing is kept that could tell whether this person answered.
func ClosedDM(p SurveyPrompt) Message {
	c := catalogFor(p.EmployeeLocale, p.SurveyLocale)
	text := fmt.Sprintf(c.closed, c.formatDeadline(p.ClosesAt, p.Timezone))
	return Message{Text: fallbackTitle(p, c) + ": " + text, Blocks: []slack.Block{surveyHeader(p, c), section(text)}}
}

// ReminderDM nudges someone who has not answered. It points at the original
// DM when its permalink is known, so there is one place to answer; otherwise
// it offers the whole-survey modal.
func ReminderDM(p SurveyPrompt, permalink string) Message {
	c := catalogFor(p.EmployeeLocale, p.SurveyLocale)
	text := fmt.Sprintf(c.reminder, fallbackTitle(p, c), c.formatDeadline(p.ClosesAt, p.Timezone))
	if permalink != "" {
		return Message{Text: text, Blocks: []slack.Block{section(text + " <" + permalink + "|" + c.reminderLink + ">")}}
	}
	return Message{Text: text, Blocks: []slack.Block{section(text), answerAllActions(p, c, BlockSurveyActions)}}
}

// LateTapText is the ephemeral reply to a tap on a round that has closed.
// locale may be any Slack locale ("ms-MY"); unknown ones get English.
func LateTapText(locale string) string {
	return catalogFor(locale, "").lateTap
}

// HelpText answers `/pulse help`: what the bot does and how anonymity works.
func HelpText(locale string) string {
	return catalogFor(locale, "").help
}

// noSelection marks that no eNPS button is highlighted; no value is negative.
const noSelection = -1

func enpsQuestionBlocks(p SurveyPrompt, c *catalog, selected int) []slack.Block {
	return questionBlocks(p, c, selected, "")
}

// questionBlocks are the eNPS question and the whole-survey button of one
// round. A message or view listing several rounds passes a blockSuffix per
// round, since Slack refuses two blocks with one block_id; a survey without
// an eNPS question gets only the button.
func questionBlocks(p SurveyPrompt, c *catalog, selected int, blockSuffix string) []slack.Block {
	var blocks []slack.Block
	if p.ENPSQuestionID != "" {
		start := scaleStart(p.ScaleMin)
		blocks = append(blocks,
			section("*"+escapeMrkdwn(p.ENPSPrompt)+"*"),
			enpsButtons(p, start, selected, BlockENPSButtons+blockSuffix),
			contextLine(fmt.Sprintf(c.enpsScaleHint, start)))
	}
	if p.HasMoreQuestions || p.ENPSQuestionID == "" {
		blocks = append(blocks, answerAllActions(p, c, BlockSurveyActions+blockSuffix))
	}
	return blocks
}

func enpsButtons(p SurveyPrompt, start, selected int, blockID string) *slack.ActionBlock {
	buttons := make([]slack.BlockElement, 0, highestENPS-start+1)
	for v := start; v <= highestENPS; v++ {
		actionID, value := EncodeAnswerAction(AnswerAction{RoundID: p.RoundID, QuestionID: p.ENPSQuestionID, Value: v})
		button := slack.NewButtonBlockElement(actionID, value, plain(strconv.Itoa(v)))
		if v == selected {
			button = button.WithStyle(slack.StylePrimary)
		}
		buttons = append(buttons, button)
	}
	return slack.NewActionBlock(blockID, buttons...)
}

func answerAllActions(p SurveyPrompt, c *catalog, blockID string) *slack.ActionBlock {
	button := slack.NewButtonBlockElement(ActionOpenSurvey, EncodeOpenSurvey(p.RoundID), plain(truncate(c.answerAllButton, maxButtonText)))
	return slack.NewActionBlock(blockID, button)
}

// scaleStart accepts only the two scales the product allows; anything else
// falls back to the default 1..10 rather than rendering a strange scale.
func scaleStart(scaleMin int) int {
	if scaleMin == 0 {
		return 0
	}
	return 1
}

func surveyHeader(p SurveyPrompt, c *catalog) *slack.HeaderBlock {
	return slack.NewHeaderBlock(plain(truncate(titleOf(p, c), maxHeaderText)))
}

// titleOf never returns "": Slack rejects an empty header.
func titleOf(p SurveyPrompt, c *catalog) string {
	if strings.TrimSpace(p.SurveyTitle) == "" {
		return c.modalTitle
	}
	return p.SurveyTitle
}

// fallbackTitle is the title for mrkdwn and for a message's text, which Slack
// also scans for mentions and links.
func fallbackTitle(p SurveyPrompt, c *catalog) string {
	return escapeMrkdwn(titleOf(p, c))
}

func section(mrkdwn string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(mrkdwn, maxSectionText), false, false), nil, nil)
}

func contextLine(mrkdwn string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, mrkdwn, false, false))
}

func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// escapeMrkdwn keeps titles and prompts written by HR from being read as
// Slack links or mentions; these three are the characters Slack reserves.
func escapeMrkdwn(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// truncate shortens s to at most limit characters (not bytes, as Slack
// counts), marking the cut so nobody mistakes it for the full text.
func truncate(s string, limit int) string {
	runes := []rune(s)
	if len(runes) <= limit {
		return s
	}
	return string(runes[:limit-1]) + "…"
}
