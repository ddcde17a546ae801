package notify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// ListedRound is one open round in a list: the `/pulse` reply or App Home.
type ListedRound struct {
	Prompt SurveyPrompt
	// Recorded is the person's current eNPS answer, nil before they answer.
	Recorded *int
}

// Score is one line of a leader's App Home: a group's latest eNPS for one
// survey, or that it is suppressed.
type Score struct {
	// Group is the team's name; "" means the whole organisation.
	Group      string
	Survey     string
	Suppressed bool
	ENPS, MoE  float64
	// CILow and CIHigh are the 95% interval; EveryoneAnswered replaces
	// margin and interval when the whole group answered.
	CILow, CIHigh    float64
	EveryoneAnswered bool
	N                int
}

// Home is everything the App Home tab shows one person.
type Home struct {
	Locale string
	Rounds []ListedRound
	// Scores is nil for people who lead nobody, which hides the section.
	Scores []Score
	// NextOneOnOne is the person's next 1:1, if any.
	NextOneOnOne *HomeOneOnOne
	// Plans are the open actions on the person's group's results.
	Plans []HomePlan
}

// Slack's caps: 50 blocks in a message, 100 in a view. A round takes at most
// six blocks, a score one.
const (
	maxListedRounds = 8
	maxScores       = 40
)

// OpenSurveysMessage answers a bare `/pulse`: every open round with its
// buttons, the person's current answer highlighted.
func OpenSurveysMessage(locale string, rounds []ListedRound) Message {
	c := catalogFor(locale, "")
	if len(rounds) == 0 {
		return Message{Text: c.noOpenSurveys, Blocks: []slack.Block{section(c.noOpenSurveys)}}
	}
	titles := make([]string, 0, len(rounds))
	for _, r := range rounds {
		titles = append(titles, fallbackTitle(r.Prompt, c))
	}
	blocks := append([]slack.Block{section(c.openSurveys)}, roundListBlocks(rounds)...)
	return Message{Text: c.openSurveys + " " + strings.Join(titles, ", "), Blocks: blocks}
}

// HomeView is the App Home tab: open surveys first, then, for managers and
// HR, the latest eNPS of the groups they may see.
func HomeView(h Home) slack.HomeTabViewRequest {
	c := catalogFor(h.Locale, "")
	blocks := []slack.Block{slack.NewHeaderBlock(plain(c.homeSurveys))}
	if len(h.Rounds) == 0 {
		blocks = append(blocks, section(c.noOpenSurveys))
	}
	blocks = append(blocks, roundListBlocks(h.Rounds)...)
	blocks = append(blocks, oneOnOneHomeBlocks(c, h.NextOneOnOne)...)
	blocks = append(blocks, planHomeBlocks(h.Locale, h.Plans)...)
	if h.Scores != nil {
		blocks = append(blocks, slack.NewDividerBlock(), slack.NewHeaderBlock(plain(c.homeScores)))
		if len(h.Scores) == 0 {
			blocks = append(blocks, section(c.noScores))
		}
		for _, s := range h.Scores[:min(len(h.Scores), maxScores)] {
			blocks = append(blocks, section(scoreLine(c, s)))
		}
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks[:min(len(blocks), maxViewBlocks)]}}
}

// maxViewBlocks is Slack's cap on the blocks of a view.
const maxViewBlocks = 100

func roundListBlocks(rounds []ListedRound) []slack.Block {
	var blocks []slack.Block
	for _, r := range rounds[:min(len(rounds), maxListedRounds)] {
		c := catalogFor(r.Prompt.EmployeeLocale, r.Prompt.SurveyLocale)
		deadline := c.formatDeadline(r.Prompt.ClosesAt, r.Prompt.Timezone)
		status, selected := fmt.Sprintf(c.openUntil, deadline), noSelection
		if r.Recorded != nil {
			status, selected = fmt.Sprintf(c.recorded, *r.Recorded, deadline), *r.Recorded
		}
		blocks = append(blocks, slack.NewDividerBlock(), section("*"+fallbackTitle(r.Prompt, c)+"*\n"+status))
		blocks = append(blocks, questionBlocks(r.Prompt, c, selected, ":"+r.Prompt.RoundID)...)
	}
	return blocks
}

func scoreLine(c *catalog, s Score) string {
	group := s.Group
	if group == "" {
		group = c.wholeOrganisation
	}
	group, title := escapeMrkdwn(group), escapeMrkdwn(s.Survey)
	if s.Suppressed {
		return fmt.Sprintf(c.scoreSuppressed, group, title)
	}
	return fmt.Sprintf(c.scoreLine, group, title, fmt.Sprintf("%+g", s.ENPS), c.margin(s.EveryoneAnswered, s.MoE, s.CILow, s.CIHigh), s.N)
}

// margin says how precise a score is: its margin and 95% interval, or that
// everyone answered, which makes it exact.
func (c *catalog) margin(everyone bool, moe, low, high float64) string {
	if everyone {
		return c.everyoneAnswered
	}
	return fmt.Sprintf(c.marginLine, strconv.FormatFloat(moe, 'f', 1, 64), signed(low), signed(high))
}

// NotInDirectoryText is the ephemeral reply to someone Pulse does not know.
func NotInDirectoryText(locale string) string { return catalogFor(locale, "").notInDirectory }

// NotAskedText is the reply to a tap on a round the person was not sent.
func NotAskedText(locale string) string { return catalogFor(locale, "").notAsked }

// FailedText is the reply when recording an answer failed on our side.
func FailedText(locale string) string { return catalogFor(locale, "").failed }

// SignInText carries the one-time dashboard link of `/pulse dashboard`.
func SignInText(locale, link string, expiresAt time.Time, zone *time.Location) string {
	c := catalogFor(locale, "")
	return fmt.Sprintf(c.signIn, link, c.formatDeadline(expiresAt, zone))
}
