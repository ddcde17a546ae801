package notify

import (
	"fmt"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/delivery"
)

// OneOnOneFollowUpDM asks a participant, after a 1:1, to write down its
// notes and action items. Like the reminder it names only the other
// participant: never a note, never an item.
func OneOnOneFollowUpDM(m delivery.OneOnOneMessage, baseURL, locale string) Message {
	lc := loopCatalogFor(locale)
	return Message{
		Text: fmt.Sprintf(lc.followUp, m.With),
		Blocks: []slack.Block{
			section(fmt.Sprintf(lc.followUp, escapeMrkdwn(m.With))),
			contextLine(fmt.Sprintf(lc.followUpAsk, OneOnOnePath(baseURL, m.SeriesID))),
		},
	}
}

// withOpenItems adds the reader's own open 1:1 action items to a digest.
func withOpenItems(msg Message, items []delivery.OpenItem, total int64, locale string) Message {
	if len(items) == 0 {
		return msg
	}
	c, lc := catalogFor(locale, ""), loopCatalogFor(locale)
	text := lc.digestItems
	for _, item := range items {
		line := fmt.Sprintf(lc.digestItem, escapeMrkdwn(item.Text), escapeMrkdwn(item.With))
		if item.DueOn != "" {
			line = fmt.Sprintf(lc.digestItemDue, escapeMrkdwn(item.Text), escapeMrkdwn(item.With), c.formatDay(item.DueOn))
		}
		text += "\n" + line
	}
	blocks := append(msg.Blocks, slack.NewDividerBlock(), section(text))
	if more := total - int64(len(items)); more > 0 {
		blocks = append(blocks, contextLine(fmt.Sprintf(lc.digestItemsMore, more)))
	}
	msg.Blocks = blocks
	return msg
}
