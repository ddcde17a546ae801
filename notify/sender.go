package notify

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/delivery"
)

// Sender delivers a round's messages as Slack DMs: the survey itself, a
// reminder that links back to it, and the closing update of the original.
// It implements delivery.Sender, and sorts Slack's failures into the
// delivery package's errors so the scheduler knows whether to snooze, retry
// or give up.
type Sender struct {
	slack   SlackAPI
	surveys SurveyLookup
	baseURL string // for links back to Pulse, such as a 1:1's agenda
	actions ActionProgress
}

var (
	_ delivery.Sender   = (*Sender)(nil)
	_ delivery.Finder   = (*Sender)(nil)
	_ delivery.DMOpener = (*Sender)(nil)
)

// DeliveryEventType is the metadata event type of a post that carries a
// delivery's key.
const DeliveryEventType = "pulse_delivery"

// findDepth is how many of the DM's latest messages Find looks through: a
// retry comes minutes after the post it looks for, in a DM only Pulse
// writes to.
const findDepth = 20

// NewSender returns a Sender that posts through api; surveys supplies each
// survey's time zone for people whose own zone is unknown.
func NewSender(api SlackAPI, surveys SurveyLookup) *Sender {
	return &Sender{slack: api, surveys: surveys}
}

// WithBaseURL sets where people reach Pulse, for links in messages.
func (s *Sender) WithBaseURL(url string) *Sender {
	s.baseURL = url
	return s
}

// WithActions makes each survey DM carry a line on the progress of the
// latest action on the recipient's group's results.
func (s *Sender) WithActions(a ActionProgress) *Sender {
	s.actions = a
	return s
}

// Send delivers m and returns where the message is (for KindClosed, the
// original it updated). Kinds it does not know are refused as permanent
// rather than retried.
func (s *Sender) Send(ctx context.Context, m delivery.Message) (delivery.Ref, error) {
	if m.Kind == delivery.KindReply || m.Kind == delivery.KindDigest || m.Kind == delivery.KindOneOnOne ||
		m.Kind == delivery.KindOneOnOneFollowUp || m.Kind == delivery.KindAction {
		return s.sendPersonal(ctx, m)
	}
	var render func(SurveyPrompt) (delivery.Ref, error)
	switch m.Kind {
	case delivery.KindSurvey:
		render = func(p SurveyPrompt) (delivery.Ref, error) { return s.postSurvey(ctx, m, p) }
	case delivery.KindReminder:
		render = func(p SurveyPrompt) (delivery.Ref, error) { return s.remind(ctx, m, p) }
	case delivery.KindClosed:
		render = func(p SurveyPrompt) (delivery.Ref, error) { return s.close(ctx, m, p) }
	default:
		return delivery.Ref{}, &delivery.PermanentError{Code: "unsupported_kind_" + string(m.Kind)}
	}
	// A closed notice only edits a message already there; anything new
	// needs someone to send it to.
	if m.Recipient.SlackUserID == "" && m.Kind != delivery.KindClosed {
		return delivery.Ref{}, &delivery.PermanentError{Code: "no_slack_user"}
	}
	p, err := promptFor(ctx, s.surveys, m.Round, m.Recipient)
	if err != nil {
		return delivery.Ref{}, err
	}
	return render(p)
}

// sendPersonal posts the messages that belong to no round: a reply in an
// anonymous comment's thread, and a manager's digest.
func (s *Sender) sendPersonal(ctx context.Context, m delivery.Message) (delivery.Ref, error) {
	if m.Recipient.SlackUserID == "" {
		return delivery.Ref{}, &delivery.PermanentError{Code: "no_slack_user"}
	}
	var msg Message
	switch {
	case m.Kind == delivery.KindDigest:
		msg = withOpenItems(DigestDM(m.Digest, m.TeamNames, m.Recipient.Locale), m.OpenItems, m.OpenItemsTotal, m.Recipient.Locale)
		msg = withOverdue(msg, m.Overdue, m.Recipient.Locale)
	case m.Kind == delivery.KindAction && m.Action != nil:
		msg = ActionDM(*m.Action, m.Recipient.Locale)
	case m.Kind == delivery.KindAction:
		return delivery.Ref{}, &delivery.PermanentError{Code: "action_without_plan"}
	case m.Kind == delivery.KindOneOnOneFollowUp && m.OneOnOne != nil:
		msg = OneOnOneFollowUpDM(*m.OneOnOne, s.baseURL, m.Recipient.Locale)
	case m.Kind == delivery.KindOneOnOne && m.OneOnOne != nil:
		msg = OneOnOneDM(*m.OneOnOne, s.baseURL, m.Recipient.Locale, zoneOf(m.Recipient.Timezone))
	case m.Kind == delivery.KindOneOnOne || m.Kind == delivery.KindOneOnOneFollowUp:
		return delivery.Ref{}, &delivery.PermanentError{Code: "one_on_one_without_meeting"}
	case m.Thread == nil:
		return delivery.Ref{}, &delivery.PermanentError{Code: "reply_without_thread"}
	case m.Thread.FromAuthor:
		msg = AuthorAnswerDM(*m.Thread, m.Recipient.Locale)
	default:
		msg = ReplyDM(*m.Thread, m.Recipient.Locale)
	}
	return s.post(ctx, m, msg)
}

// OpenDM opens the DM with m's recipient and returns its channel.
func (s *Sender) OpenDM(ctx context.Context, m delivery.Message) (string, error) {
	if m.Recipient.SlackUserID == "" {
		return "", &delivery.PermanentError{Code: "no_slack_user"}
	}
	m.Original.Channel, m.DMChannel = "", ""
	return s.dm(ctx, m)
}

// dm is the channel of the DM with m's recipient, opened unless the
// original or the delivery already says which channel that is.
func (s *Sender) dm(ctx context.Context, m delivery.Message) (string, error) {
	if m.Original.Channel != "" {
		return m.Original.Channel, nil
	}
	if m.DMChannel != "" {
		return m.DMChannel, nil
	}
	dm, _, _, err := s.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{m.Recipient.SlackUserID}})
	if err != nil {
		return "", deliveryError(err)
	}
	return dm.ID, nil
}

// post posts msg in the DM with the recipient.
func (s *Sender) post(ctx context.Context, m delivery.Message, msg Message) (delivery.Ref, error) {
	channel, err := s.dm(ctx, m)
	if err != nil {
		return delivery.Ref{}, err
	}
	opts := msg.MsgOptions()
	if m.Key != "" {
		opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{
			EventType: DeliveryEventType, EventPayload: map[string]any{"key": m.Key}}))
	}
	channel, ts, err := s.slack.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return delivery.Ref{}, deliveryError(err)
	}
	return delivery.Ref{Channel: channel, TS: ts}, nil
}

// Find looks through the latest messages of the DM with m's recipient for
// one posted with m.Key in its metadata (needs the im:history scope).
func (s *Sender) Find(ctx context.Context, m delivery.Message) (delivery.Ref, bool, error) {
	if m.Key == "" || m.Recipient.SlackUserID == "" {
		return delivery.Ref{}, false, nil
	}
	channel, err := s.dm(ctx, m)
	if err != nil {
		return delivery.Ref{}, false, err
	}
	history, err := s.slack.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: channel, Limit: findDepth, IncludeAllMetadata: true})
	if err != nil {
		return delivery.Ref{}, false, deliveryError(err)
	}
	for _, msg := range history.Messages {
		meta := msg.Metadata
		if key, _ := meta.EventPayload["key"].(string); meta.EventType == DeliveryEventType && key == m.Key {
			return delivery.Ref{Channel: channel, TS: msg.Timestamp}, true, nil
		}
	}
	return delivery.Ref{}, false, nil
}

// remind posts a short new DM. It links to the original when Slack can still
// find it; a permalink that cannot be had is no reason to skip the reminder.
func (s *Sender) remind(ctx context.Context, m delivery.Message, p SurveyPrompt) (delivery.Ref, error) {
	permalink := ""
	if m.Original.Channel != "" && m.Original.TS != "" {
		link, err := s.slack.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: m.Original.Channel, Ts: m.Original.TS})
		if kind, _, _ := ClassifyError(err); kind != NoError && kind != Permanent {
			return delivery.Ref{}, deliveryError(err)
		}
		permalink = link
	}
	return s.post(ctx, m, ReminderDM(p, permalink))
}

// close replaces the original DM, buttons and all, with the closed notice.
// Without an original there is nothing to replace.
func (s *Sender) close(ctx context.Context, m delivery.Message, p SurveyPrompt) (delivery.Ref, error) {
	if m.Original.Channel == "" || m.Original.TS == "" {
		return delivery.Ref{}, nil
	}
	_, _, _, err := s.slack.UpdateMessageContext(ctx, m.Original.Channel, m.Original.TS, ClosedDM(p).MsgOptions()...)
	if err != nil {
		return delivery.Ref{}, deliveryError(err)
	}
	return m.Original, nil
}

// deliveryError turns a Slack failure into what the delivery worker acts
// on. Transient failures are returned as they are, to be retried with
// backoff and logged with slack-go's own wording.
func deliveryError(err error) error {
	kind, retryAfter, code := ClassifyError(err)
	switch kind {
	case RateLimited:
		return &delivery.RateLimitedError{RetryAfter: retryAfter}
	case Permanent:
		return &delivery.PermanentError{Code: code}
	case Misconfigured:
		return &delivery.MisconfiguredError{Code: code}
	}
	return err
}
