package notify

import (
	"encoding/json"

	"github.com/slack-go/slack"
)

// blockActions is the part of a block_actions payload Pulse acts on. Slack
// sends the whole message with it (every block of the survey DM), which
// Pulse never reads: decoding into this skips those blocks instead of
// building them, where slack.InteractionCallback builds every block (and
// decodes each one twice to learn its type).
type blockActions struct {
	Type        slack.InteractionType `json:"type"`
	User        struct{ ID string }   `json:"user"`
	TriggerID   string                `json:"trigger_id"`
	ResponseURL string                `json:"response_url"`
	Container   struct {
		Type        string `json:"type"`
		ChannelID   string `json:"channel_id"`
		MessageTs   string `json:"message_ts"`
		IsEphemeral bool   `json:"is_ephemeral"`
	} `json:"container"`
	View    struct{ Type slack.ViewType } `json:"view"`
	Actions []struct {
		Type     slack.ActionType `json:"type"`
		ActionID string           `json:"action_id"`
		BlockID  string           `json:"block_id"`
		Value    string           `json:"value"`
	} `json:"actions"`
}

// DecodeInteraction reads an interaction payload as the HTTPS endpoint
// receives it. A block_actions payload (every tap) is read once, into only
// the fields its handlers use; the other kinds (modal submissions) are read
// in full.
func DecodeInteraction(payload []byte) (slack.InteractionCallback, error) {
	var ba blockActions
	if err := json.Unmarshal(payload, &ba); err != nil {
		return slack.InteractionCallback{}, err
	}
	if ba.Type != slack.InteractionTypeBlockActions {
		var cb slack.InteractionCallback
		err := json.Unmarshal(payload, &cb)
		return cb, err
	}
	cb := slack.InteractionCallback{Type: ba.Type, TriggerID: ba.TriggerID, ResponseURL: ba.ResponseURL}
	cb.User.ID = ba.User.ID
	cb.Container.Type, cb.Container.ChannelID = ba.Container.Type, ba.Container.ChannelID
	cb.Container.MessageTs, cb.Container.IsEphemeral = ba.Container.MessageTs, ba.Container.IsEphemeral
	cb.View.Type = ba.View.Type
	cb.ActionCallback.BlockActions = make([]*slack.BlockAction, len(ba.Actions))
	for i, action := range ba.Actions {
		cb.ActionCallback.BlockActions[i] = &slack.BlockAction{Type: action.Type, ActionID: action.ActionID,
			BlockID: action.BlockID, Value: action.Value}
	}
	return cb, nil
}
