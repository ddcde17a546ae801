package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
)

// OneOnOnePath is where the dashboard shows a 1:1 series and its agenda.
func OneOnOnePath(baseURL string, seriesID int64) string {
	return strings.TrimRight(baseURL, "/") + "/#one-on-ones/" + strconv.FormatInt(seriesID, 10)
}

// OneOnOneDM reminds a participant of an upcoming 1:1 and links to its
// agenda. It names only the other participant: never notes or items.
func OneOnOneDM(m delivery.OneOnOneMessage, baseURL, locale string, zone *time.Location) Message {
	c := catalogFor(locale, "")
	when := c.formatDeadline(m.ScheduledAt, zone)
	return Message{
		Text: fmt.Sprintf(c.oneOnOneSoon, m.With, when),
		Blocks: []slack.Block{
			section(fmt.Sprintf(c.oneOnOneSoon, escapeMrkdwn(m.With), when)),
			contextLine(fmt.Sprintf(c.oneOnOneAgenda, OneOnOnePath(baseURL, m.SeriesID))),
		},
	}
}

// NextOneOnOnes is what the Home tab needs from the one-on-ones.
type NextOneOnOnes interface {
	NextFor(ctx context.Context, employeeID int64) (oneonone.Upcoming, bool, error)
}

// HomeOneOnOne is the next 1:1 as the Home tab shows it.
type HomeOneOnOne struct {
	With string
	At   time.Time
	Zone *time.Location
	Link string
}

func (a *App) nextOneOnOne(ctx context.Context, me directory.Employee) (*HomeOneOnOne, error) {
	if a.cfg.OneOnOnes == nil {
		return nil, nil
	}
	next, ok, err := a.cfg.OneOnOnes.NextFor(ctx, me.ID)
	if err != nil || !ok {
		return nil, err
	}
	return &HomeOneOnOne{With: next.With, At: next.Meeting.ScheduledAt, Zone: zoneOf(me.Timezone),
		Link: OneOnOnePath(a.cfg.BaseURL, next.Series.ID)}, nil
}

func oneOnOneHomeBlocks(c *catalog, next *HomeOneOnOne) []slack.Block {
	if next == nil {
		return nil
	}
	return []slack.Block{slack.NewDividerBlock(),
		section(fmt.Sprintf(c.homeOneOnOne, escapeMrkdwn(next.With), c.formatDeadline(next.At, next.Zone))),
		contextLine(fmt.Sprintf(c.oneOnOneAgenda, next.Link))}
}
