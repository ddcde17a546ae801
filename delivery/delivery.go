// Package delivery is how a round reaches people: the messages Pulse sends
// for a round (the survey itself, reminders, the notice that it closed), the
// record of each delivery (pending, sent, failed with the reason), and the
// small Sender contract that the Slack side implements. It decides neither
// when to send (scheduler) nor how a message looks (notify).
package delivery

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Kind is what a message is for.
type Kind string

const (
	KindSurvey   Kind = "survey"   // the round itself, with the one-tap eNPS buttons
	KindReminder Kind = "reminder" // a nudge to someone who has not answered
	KindClosed   Kind = "closed"   // the original DM, updated to say the round closed
	KindReply    Kind = "reply"    // a message in an anonymous comment's thread
	KindDigest   Kind = "digest"   // a manager's weekly summary of their teams
)

// KindOneOnOne is a reminder before a 1:1, linking to its agenda.
const KindOneOnOne Kind = "one_on_one"

// Ref points at a message already posted, so it can be updated or linked.
type Ref struct {
	Channel string `json:"channel"`
	TS      string `json:"ts"`
}

// Message is one thing to tell one person about one round.
type Message struct {
	Kind      Kind
	Recipient directory.Employee
	Round     survey.AssignedRound
	// Original is the survey DM, for reminders (to link to it) and for the
	// closed notice (to update it). Empty if it was never sent.
	Original Ref
	// DMChannel is the DM with the recipient when it was opened before, so
	// that it is not opened again.
	DMChannel string
	// Answered says whether the person has answered, for the closed notice.
	Answered bool
	// Thread is set for KindReply.
	Thread *ThreadMessage
	// Digest is set for KindDigest: one line per team and survey, with team
	// names for display.
	Digest    []survey.DigestLine
	TeamNames map[int64]string
	// OneOnOne is set for KindOneOnOne and KindOneOnOneFollowUp.
	OneOnOne *OneOnOneMessage
	// OpenItems are, in a digest, the reader's own open 1:1 action items
	// (at most the first few), and OpenItemsTotal how many there are in all.
	OpenItems      []OpenItem
	OpenItemsTotal int64
	// Overdue are, in a digest, the open action plans past their due date
	// that the reader owns or whose team they lead.
	Overdue []OverdueAction
	// Action is set for KindAction.
	Action *ActionMessage
	// Key, when set, is carried in the posted message's metadata so that
	// Finder can tell whether an earlier attempt got through (see
	// PostOnce). It is random, or a hash of the job (JobKey), and names
	// nobody.
	Key string
}

// Finder is a Sender that can find a message it posted with a Key: a retry
// asks it first, so a post Slack took before Pulse heard back is recorded
// rather than made again.
type Finder interface {
	Find(ctx context.Context, m Message) (ref Ref, found bool, err error)
}

// DMOpener is a Sender that can open the DM with a message's recipient
// ahead of the post: the channel is kept on the delivery, so retries,
// reminders and the closing update never open it again.
type DMOpener interface {
	OpenDM(ctx context.Context, m Message) (channel string, err error)
}

// OneOnOneMessage reminds a participant of an upcoming 1:1; it names the
// other participant and links to the series, never to anyone's notes.
type OneOnOneMessage struct {
	SeriesID    int64
	MeetingID   int64
	Title       string
	With        string
	ScheduledAt time.Time
}

// ThreadMessage is a reply in an anonymous comment's thread. To the author
// it names the manager who replied; to a manager it never names the author.
type ThreadMessage struct {
	CommentID   string
	Comment     string
	Reply       string
	FromAuthor  bool
	ReplierName string
}

// Sender delivers messages; the Slack side implements it.
type Sender interface {
	Send(ctx context.Context, m Message) (Ref, error)
}

// ErrNotConfigured is what a delivery records when Slack is off: never
// silently dropped, never pretended sent.
var ErrNotConfigured = errors.New("slack is not configured")

// PermanentError is a refusal that retrying will not change (an unknown
// user, a deactivated account, a user the bot cannot DM).
type PermanentError struct {
	Code string // the platform's error code, e.g. user_not_found
}

func (e *PermanentError) Error() string { return "permanent: " + e.Code }

// RateLimitedError asks to try again after RetryAfter.
type RateLimitedError struct {
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("rate limited: retry after %s", e.RetryAfter)
}

// MisconfiguredError means the whole integration is broken (revoked token,
// missing scope): nothing will get through until someone fixes it.
type MisconfiguredError struct {
	Code string
}

func (e *MisconfiguredError) Error() string { return "Slack is misconfigured: " + e.Code }

// Disabled is the Sender while Slack is off: every delivery is recorded as
// not sent, with ReasonNotConfigured.
type Disabled struct{}

// Send refuses with ErrNotConfigured.
func (Disabled) Send(context.Context, Message) (Ref, error) { return Ref{}, ErrNotConfigured }
