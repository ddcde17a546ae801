package notify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/survey"
)

// Identifiers of the anonymous-reply flow.
const (
	ActionAnswerReply  = "pulse_reply_open"
	CallbackReplyModal = "pulse_reply_modal"
	BlockReplyBody     = "pulse_reply_body"
	actionReplyBody    = "body"
)

// ReplyDM tells an author that a manager replied to their comment, with a
// button to answer without giving their name.
func ReplyDM(t delivery.ThreadMessage, locale string) Message {
	c := catalogFor(locale, "")
	intro := fmt.Sprintf(c.replyToAuthor, escapeMrkdwn(t.ReplierName))
	return Message{
		Text: fmt.Sprintf(c.replyToAuthor, t.ReplierName),
		Blocks: []slack.Block{
			section(intro),
			contextLine(quote(t.Comment)),
			section(quote(t.Reply)),
			slack.NewActionBlock("pulse_reply_actions",
				slack.NewButtonBlockElement(ActionAnswerReply, t.CommentID, plain(c.answerAnonymously))),
			contextLine(c.replyPrivacy),
		},
	}
}

// AuthorAnswerDM passes an author's answer to a manager in the thread. It
// names nobody: the author is "the author of an anonymous comment".
func AuthorAnswerDM(t delivery.ThreadMessage, locale string) Message {
	c := catalogFor(locale, "")
	return Message{
		Text: c.authorAnswered,
		Blocks: []slack.Block{
			section(c.authorAnswered),
			contextLine(quote(t.Comment)),
			section(quote(t.Reply)),
		},
	}
}

// ReplyModal asks an author for their anonymous answer; private_metadata
// carries the comment id.
func ReplyModal(commentID, locale string) slack.ModalViewRequest {
	c := catalogFor(locale, "")
	input := slack.NewPlainTextInputBlockElement(nil, actionReplyBody)
	input.Multiline = true
	input.MaxLength = conversation.MaxReplyLength
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      CallbackReplyModal,
		PrivateMetadata: commentID,
		Title:           plain(truncate(c.replyModalTitle, 24)),
		Submit:          plain(c.modalSubmit),
		Close:           plain(c.modalCancel),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock(BlockReplyBody, plain(c.replyModalLabel), nil, input),
		}},
	}
}

// DigestDM is a manager's weekly summary: per team and survey, the latest
// eNPS with its margin, the change (flagged only when significant), and how
// many new comments there are. Suppressed groups say so, with no number.
// A digest of someone who leads no team carries only their own items
// (added by the caller) under a title without eNPS.
func DigestDM(lines []survey.DigestLine, teams map[int64]string, locale string) Message {
	c := catalogFor(locale, "")
	title := c.digestTitle
	if len(lines) == 0 {
		title = c.digestTitleOwn
	}
	blocks := []slack.Block{slack.NewHeaderBlock(plain(title))}
	for _, l := range lines {
		blocks = append(blocks, section(digestLine(c, l, teams[l.TeamID])))
	}
	return Message{Text: title, Blocks: blocks}
}

func digestLine(c *catalog, l survey.DigestLine, team string) string {
	p := l.Latest
	if p == nil || p.Suppressed || p.ENPS == nil || p.N == nil {
		return fmt.Sprintf(c.digestSuppressed, escapeMrkdwn(team), escapeMrkdwn(l.SurveyTitle))
	}
	participation := "—"
	if p.Participation != nil {
		participation = strconv.Itoa(int(*p.Participation*100+0.5)) + "%"
	}
	var moe, low, high float64
	if p.MoE != nil && p.CILow != nil && p.CIHigh != nil {
		moe, low, high = *p.MoE, *p.CILow, *p.CIHigh
	}
	text := fmt.Sprintf(c.digestLine, escapeMrkdwn(team), escapeMrkdwn(l.SurveyTitle),
		signed(*p.ENPS), c.margin(p.EveryoneAnswered, moe, low, high), *p.N, participation)
	if l.Change != nil {
		text += "\n" + fmt.Sprintf(c.digestChange, signed(*l.Change))
		if p.SignificantChange {
			text += c.digestSignificant
		}
	}
	if l.NewComments > 0 {
		text += "\n" + fmt.Sprintf(c.digestComments, l.NewComments)
	}
	return text
}

func signed(x float64) string {
	return fmt.Sprintf("%+.1f", survey.RoundPoints(x))
}

// quote sets text off as a Slack block quote, escaped, every line of it.
func quote(text string) string {
	return "> " + strings.ReplaceAll(escapeMrkdwn(truncate(text, 2900)), "\n", "\n> ")
}
