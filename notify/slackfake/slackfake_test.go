package slackfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify/slackfake"
)

func TestURLEndsWithSlash(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	require.True(t, len(fake.URL) > 0 && fake.URL[len(fake.URL)-1] == '/')
}

func TestAuthTest(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	resp, err := fake.Client().AuthTest()
	require.NoError(t, err)
	require.Equal(t, slackfake.BotUserID, resp.UserID)
	require.Equal(t, slackfake.TeamID, resp.TeamID)
	require.Equal(t, "xoxb-test-token", fake.CallsTo("auth.test")[0].Token)
}

func TestMissingTokenIsNotAuthed(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	_, err := slack.New("", slack.OptionAPIURL(fake.URL)).AuthTest()
	require.ErrorContains(t, err, "not_authed")
}

func TestDirectMessageRoundTrip(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	client := fake.Client()
	ctx := context.Background()

	dm, _, _, err := client.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	require.NoError(t, err)
	require.Equal(t, "DU1", dm.ID)

	section := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*hello*", false, false), nil, nil)
	channel, ts, err := client.PostMessageContext(ctx, dm.ID, slack.MsgOptionText("hello", false), slack.MsgOptionBlocks(section))
	require.NoError(t, err)
	require.Equal(t, "DU1", channel)
	require.NotEmpty(t, ts)

	_, _, _, err = client.UpdateMessageContext(ctx, channel, ts, slack.MsgOptionText("updated", false))
	require.NoError(t, err)
	link, err := client.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: channel, Ts: ts})
	require.NoError(t, err)
	require.Contains(t, link, "/archives/DU1/p")
	_, err = client.PostEphemeralContext(ctx, channel, "U1", slack.MsgOptionText("closed", false))
	require.NoError(t, err)

	posted := fake.CallsTo("chat.postMessage")
	require.Len(t, posted, 1)
	require.Equal(t, "hello", posted[0].Get("text"))
	blocks, err := posted[0].SlackBlocks()
	require.NoError(t, err)
	require.Len(t, blocks.BlockSet, 1)
	require.Equal(t, "*hello*", blocks.BlockSet[0].(*slack.SectionBlock).Text.Text)
	require.Equal(t, "updated", fake.CallsTo("chat.update")[0].Get("text"))
	require.Equal(t, "U1", fake.CallsTo("chat.postEphemeral")[0].Get("user"))
}

func TestUpdateOfUnknownMessageFails(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	_, _, _, err := fake.Client().UpdateMessage("DU1", "1.000001", slack.MsgOptionText("x", false))
	require.Equal(t, "message_not_found", slackCode(t, err))
}

func TestConversationsOpenRefusesDeletedUsersAndBots(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.SetUsers(slack.User{ID: "UGONE", Deleted: true}, slack.User{ID: "UBOT", IsBot: true})
	tests := map[string]string{"UGONE": "user_disabled", "UBOT": "cannot_dm_bot"}
	for user, code := range tests {
		_, _, _, err := fake.Client().OpenConversation(&slack.OpenConversationParameters{Users: []string{user}})
		require.Equal(t, code, slackCode(t, err), user)
	}
}

func TestViews(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	client := fake.Client()
	section := slack.NewSectionBlock(slack.NewTextBlockObject(slack.PlainTextType, "hi", false, false), nil, nil)
	modal := slack.ModalViewRequest{Type: slack.VTModal, Title: slack.NewTextBlockObject(slack.PlainTextType, "Pulse", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{section}}, PrivateMetadata: "r=42"}

	opened, err := client.OpenView("trigger-1", modal)
	require.NoError(t, err)
	require.NotEmpty(t, opened.View.ID)
	require.Equal(t, "r=42", opened.View.PrivateMetadata)

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section}}}
	_, err = client.PublishView("U1", home, "")
	require.NoError(t, err)

	call := fake.CallsTo("views.open")[0]
	require.Equal(t, "trigger-1", call.Get("trigger_id"))
	require.JSONEq(t, `[{"type":"section","text":{"type":"plain_text","text":"hi","emoji":false}}]`, string(call.Blocks))
	require.Equal(t, "U1", fake.CallsTo("views.publish")[0].Get("user_id"))
}

func TestUsersListPaginates(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	alice := slack.User{ID: "U1", Name: "alice", TZ: "Asia/Kuala_Lumpur", Locale: "ms-MY", Profile: slack.UserProfile{Email: "alice@example.com"}}
	bob := slack.User{ID: "U2", Name: "bob", Deleted: true, Profile: slack.UserProfile{Email: "bob@example.com"}}
	carol := slack.User{ID: "U3", Name: "carol", TZ: "Europe/Berlin", Locale: "en-US"}
	fake.SetUsers(alice, bob, carol)
	fake.SetUsersPageSize(2)

	users, err := fake.Client().GetUsersContext(context.Background())
	require.NoError(t, err)

	require.Len(t, users, 3)
	require.Equal(t, "alice@example.com", users[0].Profile.Email)
	require.Equal(t, "ms-MY", users[0].Locale)
	require.Equal(t, "Asia/Kuala_Lumpur", users[0].TZ)
	require.True(t, users[1].Deleted)
	calls := fake.CallsTo("users.list")
	require.Len(t, calls, 2)
	require.Empty(t, calls[0].Get("cursor"))
	require.NotEmpty(t, calls[1].Get("cursor"))
}

func TestUsersInfo(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.SetUsers(slack.User{ID: "U1", Name: "alice", Locale: "ms-MY"})

	user, err := fake.Client().GetUserInfo("U1")
	require.NoError(t, err)
	require.Equal(t, "alice", user.Name)

	_, err = fake.Client().GetUserInfo("U404")
	require.Equal(t, "user_not_found", slackCode(t, err))
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	client := fake.Client()
	fake.FailNext("chat.postMessage",
		slackfake.RateLimited(7*time.Second),
		slackfake.HTTPStatus(http.StatusServiceUnavailable),
		slackfake.Failure{Status: http.StatusTooManyRequests},
		slackfake.SlackError("cannot_dm_bot"),
	)
	post := func() error {
		_, _, err := client.PostMessage("DU1", slack.MsgOptionText("hi", false))
		return err
	}

	limited, ok := errors.AsType[*slack.RateLimitedError](post())
	require.True(t, ok)
	require.Equal(t, 7*time.Second, limited.RetryAfter)

	status, ok := errors.AsType[slack.StatusCodeError](post())
	require.True(t, ok)
	require.Equal(t, http.StatusServiceUnavailable, status.Code)

	status, ok = errors.AsType[slack.StatusCodeError](post())
	require.True(t, ok, "429 without Retry-After is a plain status error in slack-go")
	require.Equal(t, http.StatusTooManyRequests, status.Code)

	require.Equal(t, "cannot_dm_bot", slackCode(t, post()))
	require.NoError(t, post(), "failures are used up; the next call succeeds")

	calls := fake.CallsTo("chat.postMessage")
	require.Len(t, calls, 5)
	require.True(t, calls[0].Failed)
	require.False(t, calls[4].Failed)
}

func TestFailuresAreScopedToTheirMethod(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.FailNext("views.open", slackfake.SlackError("expired_trigger_id"))

	_, err := fake.Client().AuthTest()
	require.NoError(t, err)
	_, err = fake.Client().OpenView("trigger", slack.ModalViewRequest{Type: slack.VTModal})
	require.Equal(t, "expired_trigger_id", slackCode(t, err))
}

func TestConcurrentCallsAreAllRecorded(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	client := fake.Client()
	const posts = 20
	var wg sync.WaitGroup
	for i := range posts {
		wg.Go(func() {
			_, _, err := client.PostMessage("DU1", slack.MsgOptionText(strconv.Itoa(i), false))
			require.NoError(t, err)
		})
	}
	wg.Wait()

	texts := map[string]bool{}
	for _, c := range fake.CallsTo("chat.postMessage") {
		texts[c.Get("text")] = true
	}
	require.Len(t, texts, posts, "every message arrived once")
}

func TestInvalidBlocksAreRefused(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	req, err := http.NewRequest(http.MethodPost, fake.URL+"chat.postMessage",
		strings.NewReader("token=x&channel=DU1&blocks=%5Bnot-json"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, "invalid_blocks", body["error"])
}

func slackCode(t *testing.T, err error) string {
	t.Helper()
	slackErr, ok := errors.AsType[slack.SlackErrorResponse](err)
	require.True(t, ok, "want a Slack API error, got %v", err)
	return slackErr.Err
}

// A lost post is in the channel's history, with its metadata when asked
// for, although the caller was told it failed.
func TestALostPostIsInTheHistory(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	client := fake.Client()
	fake.LoseNextPosts(slackfake.HTTPStatus(http.StatusServiceUnavailable))
	meta := slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "pulse_delivery", EventPayload: map[string]any{"key": "K"}})
	_, _, err := client.PostMessage("U1", slack.MsgOptionText("first", false), meta)
	require.Error(t, err)
	_, ts, err := client.PostMessage("U1", slack.MsgOptionText("second", false))
	require.NoError(t, err)

	history, err := client.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "DU1", Limit: 10, IncludeAllMetadata: true})
	require.NoError(t, err)
	require.Len(t, history.Messages, 2)
	require.Equal(t, ts, history.Messages[0].Timestamp, "newest first")
	require.Equal(t, "first", history.Messages[1].Text)
	require.Equal(t, "K", history.Messages[1].Metadata.EventPayload["key"])

	history, err = client.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: "DU1", Limit: 1})
	require.NoError(t, err)
	require.Len(t, history.Messages, 1)
	require.Empty(t, history.Messages[0].Metadata.EventType, "metadata only when asked for")
	require.True(t, history.HasMore)
}
