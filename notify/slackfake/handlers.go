package slackfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// readCall parses a request whichever way slack-go sent it: a form body for
// most methods, a query string for GET methods, JSON for views.*.
func readCall(method string, r *http.Request) (Call, error) {
	call := Call{Method: method, Values: url.Values{}}
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		err = readJSONBody(&call, r.Body)
	} else {
		err = r.ParseForm()
		call.Values = r.Form
		if blocks := call.Get("blocks"); json.Valid([]byte(blocks)) {
			call.Blocks = json.RawMessage(blocks)
		}
	}
	call.Token = call.Get("token")
	delete(call.Values, "token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && call.Token == "" {
		call.Token = bearer
	}
	return call, err
}

func readJSONBody(call *Call, body io.Reader) error {
	var fields map[string]json.RawMessage
	if err := json.NewDecoder(body).Decode(&fields); err != nil {
		return err
	}
	for name, raw := range fields {
		var text string
		var flag bool
		switch {
		case json.Unmarshal(raw, &text) == nil:
			call.Values[name] = []string{text}
		case json.Unmarshal(raw, &flag) == nil:
			call.Values[name] = []string{strconv.FormatBool(flag)}
		}
	}
	call.View = fields["view"]
	call.Blocks = fields["blocks"]
	if call.View != nil {
		var view struct {
			Blocks json.RawMessage `json:"blocks"`
		}
		if err := json.Unmarshal(call.View, &view); err != nil {
			return err
		}
		call.Blocks = view.Blocks
	}
	return nil
}

type handler func(s *Server, c Call) (result map[string]any, slackError string)

var handlers = map[string]handler{
	"auth.test":             (*Server).authTest,
	"conversations.open":    (*Server).conversationsOpen,
	"chat.postMessage":      (*Server).chatPostMessage,
	"chat.update":           (*Server).chatUpdate,
	"conversations.history": (*Server).conversationsHistory,
	"chat.postEphemeral":    (*Server).chatPostEphemeral,
	"chat.getPermalink":     (*Server).chatGetPermalink,
	"views.open":            (*Server).viewsOpen,
	"views.publish":         (*Server).viewsPublish,
	"users.list":            (*Server).usersList,
	"users.info":            (*Server).usersInfo,
}

// handle answers like Slack: HTTP 200 for API errors too, with ok false.
// Callers hold s.mu.
func (s *Server) handle(c Call) (int, map[string]any) {
	h, known := handlers[c.Method]
	switch {
	case !known:
		return http.StatusOK, errorBody("unknown_method")
	case c.Token == "":
		return http.StatusOK, errorBody("not_authed")
	}
	result, slackError := h(s, c)
	if slackError != "" {
		return http.StatusOK, errorBody(slackError)
	}
	result["ok"] = true
	return http.StatusOK, result
}

func (s *Server) authTest(Call) (map[string]any, string) {
	return map[string]any{"url": teamURL, "team": "Pulse Test", "user": "pulse",
		"team_id": TeamID, "user_id": BotUserID, "bot_id": BotID}, ""
}

// conversationsOpen opens a DM "D"+user. Users not in the directory are
// accepted so tests need not seed one; deleted users and bots are refused
// the way Slack refuses them.
func (s *Server) conversationsOpen(c Call) (map[string]any, string) {
	users := strings.Split(c.Get("users"), ",")
	if len(users) != 1 || users[0] == "" {
		return nil, "users_list_not_supplied"
	}
	if user, found := s.findUser(users[0]); found {
		switch {
		case user.Deleted:
			return nil, "user_disabled"
		case user.IsBot:
			return nil, "cannot_dm_bot"
		}
	}
	return map[string]any{"channel": map[string]any{"id": dmChannel(users[0])}}, ""
}

// dmChannel is the DM channel of a user, and the channel a message posted
// straight to a user id lands in, as with Slack.
func dmChannel(channelOrUser string) string {
	if strings.HasPrefix(channelOrUser, "U") || strings.HasPrefix(channelOrUser, "W") {
		return "D" + channelOrUser
	}
	return channelOrUser
}

func (s *Server) chatPostMessage(c Call) (map[string]any, string) {
	if problem := checkMessage(c); problem != "" {
		return nil, problem
	}
	channel := dmChannel(c.Get("channel"))
	ts := s.nextTimestamp()
	posted := Message{Channel: channel, TS: ts, Text: c.Get("text")}
	if raw := c.Get("metadata"); raw != "" {
		posted.Metadata = &slack.SlackMetadata{}
		if json.Unmarshal([]byte(raw), posted.Metadata) != nil || posted.Metadata.EventType == "" {
			return nil, "invalid_metadata_format"
		}
	}
	s.messages[channel+"/"+ts] = true // only a post Slack accepted can be updated or linked
	s.history[channel] = append(s.history[channel], posted)
	return map[string]any{"channel": channel, "ts": ts,
		"message": map[string]any{"type": "message", "text": c.Get("text"), "ts": ts, "bot_id": BotID}}, ""
}

// conversationsHistory returns a channel's latest messages, newest first,
// with their metadata only when include_all_metadata asks for it, as Slack
// does. A DM nothing was posted in is empty.
func (s *Server) conversationsHistory(c Call) (map[string]any, string) {
	channel := c.Get("channel")
	posted, known := s.history[channel]
	if !known && !strings.HasPrefix(channel, "D") {
		return nil, "channel_not_found"
	}
	limit, _ := strconv.Atoi(c.Get("limit"))
	if limit <= 0 || limit > 999 {
		limit = 100
	}
	withMetadata := c.Get("include_all_metadata") == "1" || c.Get("include_all_metadata") == "true"
	messages := []map[string]any{}
	for i := len(posted) - 1; i >= 0 && len(messages) < limit; i-- {
		m := map[string]any{"type": "message", "text": posted[i].Text, "ts": posted[i].TS, "bot_id": BotID}
		if withMetadata && posted[i].Metadata != nil {
			m["metadata"] = posted[i].Metadata
		}
		messages = append(messages, m)
	}
	return map[string]any{"messages": messages, "has_more": len(posted) > len(messages)}, ""
}

func (s *Server) chatUpdate(c Call) (map[string]any, string) {
	if problem := checkMessage(c); problem != "" {
		return nil, problem
	}
	channel, ts := c.Get("channel"), c.Get("ts")
	if !s.messages[channel+"/"+ts] {
		return nil, "message_not_found"
	}
	return map[string]any{"channel": channel, "ts": ts, "text": c.Get("text")}, ""
}

func (s *Server) chatPostEphemeral(c Call) (map[string]any, string) {
	if c.Get("user") == "" {
		return nil, "user_not_in_channel"
	}
	if problem := checkMessage(c); problem != "" {
		return nil, problem
	}
	return map[string]any{"message_ts": s.nextTimestamp()}, ""
}

func checkMessage(c Call) string {
	switch {
	case c.Get("channel") == "":
		return "channel_not_found"
	case c.Get("blocks") != "" && c.Blocks == nil:
		return "invalid_blocks"
	case c.Get("text") == "" && c.Blocks == nil:
		return "no_text"
	}
	return ""
}

func (s *Server) chatGetPermalink(c Call) (map[string]any, string) {
	channel, ts := c.Get("channel"), c.Get("message_ts")
	if !s.messages[channel+"/"+ts] {
		return nil, "message_not_found"
	}
	link := teamURL + "archives/" + channel + "/p" + strings.ReplaceAll(ts, ".", "")
	return map[string]any{"channel": channel, "permalink": link}, ""
}

func (s *Server) viewsOpen(c Call) (map[string]any, string) {
	if c.Get("trigger_id") == "" || c.View == nil {
		return nil, "invalid_arguments"
	}
	return s.viewResult(c.View)
}

func (s *Server) viewsPublish(c Call) (map[string]any, string) {
	if c.Get("user_id") == "" || c.View == nil {
		return nil, "invalid_arguments"
	}
	return s.viewResult(c.View)
}

// viewResult echoes the view back with the fields Slack adds to it.
func (s *Server) viewResult(raw json.RawMessage) (map[string]any, string) {
	var view map[string]any
	if json.Unmarshal(raw, &view) != nil {
		return nil, "invalid_arguments"
	}
	s.sequence++
	view["id"] = fmt.Sprintf("V%08d", s.sequence)
	view["team_id"] = TeamID
	view["state"] = map[string]any{"values": map[string]any{}}
	return map[string]any{"view": view}, ""
}

func (s *Server) usersList(c Call) (map[string]any, string) {
	offset, err := decodeCursor(c.Get("cursor"))
	if err != nil || offset < 0 || offset > len(s.users) {
		return nil, "invalid_cursor"
	}
	limit, _ := strconv.Atoi(c.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 1000 // Slack's documented maximum page
	}
	if s.pageSize > 0 && s.pageSize < limit {
		limit = s.pageSize
	}
	end := min(offset+limit, len(s.users))
	next := ""
	if end < len(s.users) {
		next = encodeCursor(end)
	}
	return map[string]any{"members": s.users[offset:end],
		"response_metadata": map[string]any{"next_cursor": next}}, ""
}

func (s *Server) usersInfo(c Call) (map[string]any, string) {
	user, found := s.findUser(c.Get("user"))
	if !found {
		return nil, "user_not_found"
	}
	return map[string]any{"user": user}, ""
}

func (s *Server) findUser(id string) (slack.User, bool) {
	for _, u := range s.users {
		if u.ID == id {
			return u, true
		}
	}
	return slack.User{}, false
}

// nextTimestamp hands out message timestamps in Slack's "seconds.micros"
// form, increasing so tests can rely on their order.
func (s *Server) nextTimestamp() string {
	s.sequence++
	return fmt.Sprintf("1764230400.%06d", s.sequence)
}

// Cursors are opaque to clients, as Slack's are, so nobody builds on their
// format.
func encodeCursor(offset int) string {
	return base64.StdEncoding.EncodeToString([]byte("user:" + strconv.Itoa(offset)))
}

func decodeCursor(cursor string) (int, error) {
	if cursor == "" {
		return 0, nil
	}
	raw, err := base64.StdEncoding.DecodeString(cursor)
	if err != nil {
		return 0, err
	}
	digits, ok := strings.CutPrefix(string(raw), "user:")
	if !ok {
		return 0, fmt.Errorf("cursor %q", cursor)
	}
	return strconv.Atoi(digits)
}
