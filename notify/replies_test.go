package notify_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

func TestAnAuthorAnswersAReplyWithoutGivingTheirName(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	author := h.reps[1]
	var got []string
	h.app.SetAuthorReplies(func(_ context.Context, commentID string, employeeID int64, body string) error {
		if employeeID != author.ID {
			return fault.Forbidden("only the comment's author can answer here")
		}
		if body == "Too late?" {
			return fault.Conflictf("this conversation is closed")
		}
		got = append(got, commentID+": "+body)
		return nil
	})

	ref, err := h.sender.Send(t.Context(), delivery.Message{Kind: delivery.KindReply, Recipient: author,
		Thread: &delivery.ThreadMessage{CommentID: "c0ffee-7", Comment: "Quotas went up again", Reply: "We will explain them first.",
			ReplierName: "Marcus Reed"}})
	require.NoError(t, err)
	posts := h.fake.CallsTo("chat.postMessage")
	dm := posts[len(posts)-1]
	require.Equal(t, ref.Channel, dm.Get("channel"))
	blocks, err := dm.SlackBlocks()
	require.NoError(t, err)
	text := textsOf(t, blocks)
	require.Contains(t, text, "Marcus Reed")
	require.Contains(t, text, `\u003e Quotas went up again`, "the comment is quoted")
	require.Contains(t, text, "We will explain them first.")

	blockID, btn := button(t, blocks, notify.ActionAnswerReply)
	h.press(author.SlackUserID, blockID, btn, map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS})
	h.app.Wait()
	opened := h.fake.CallsTo("views.open")
	require.NotEmpty(t, opened)
	var view map[string]any
	require.NoError(t, json.Unmarshal(opened[len(opened)-1].View, &view))
	require.Equal(t, notify.CallbackReplyModal, view["callback_id"])
	require.Equal(t, "c0ffee-7", view["private_metadata"])

	answer := func(who string, body string) map[string]any {
		submitted := map[string]any{}
		for k, v := range view {
			submitted[k] = v
		}
		submitted["id"], submitted["state"] = "V0REPLY", map[string]any{"values": map[string]any{
			notify.BlockReplyBody: map[string]any{"body": map[string]any{"type": "plain_text_input", "value": body}}}}
		res := h.interact(map[string]any{"type": "view_submission", "user": map[string]any{"id": who}, "view": submitted})
		require.Equal(t, 200, res.Code)
		if res.Body.Len() == 0 {
			return nil
		}
		var out map[string]any
		require.NoError(t, json.Unmarshal(res.Body.Bytes(), &out))
		return out
	}
	require.Nil(t, answer(author.SlackUserID, "Thank you, that would help."), "accepted: the modal closes")
	require.Equal(t, []string{"c0ffee-7: Thank you, that would help."}, got)

	refused := answer(h.reps[2].SlackUserID, "I am not the author")
	require.Equal(t, "errors", refused["response_action"])
	require.Len(t, got, 1)
	require.Equal(t, map[string]any{notify.BlockReplyBody: "This conversation is closed: answers are possible until 30 days after the survey closes."},
		answer(author.SlackUserID, "Too late?")["errors"], "once the link is gone the author is told why")
	require.Equal(t, "errors", answer(author.SlackUserID, "   ")["response_action"], "an empty answer is refused in the modal")
	refused = answer(author.SlackUserID, "Thank\x00you")
	require.Equal(t, map[string]any{notify.BlockReplyBody: "This text holds characters Pulse cannot store; please retype it."},
		refused["errors"], "a NUL byte is refused in the modal, not by the database")
	require.Len(t, got, 1)
}

func TestTheAuthorsAnswerReachesTheManagerUnnamed(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	_, err := h.sender.Send(t.Context(), delivery.Message{Kind: delivery.KindReply, Recipient: h.manager,
		Thread: &delivery.ThreadMessage{CommentID: "c0ffee-7", Comment: "Quotas went up again", Reply: "Thank you", FromAuthor: true}})
	require.NoError(t, err)
	posts := h.fake.CallsTo("chat.postMessage")
	blocks, err := posts[len(posts)-1].SlackBlocks()
	require.NoError(t, err)
	text := textsOf(t, blocks)
	require.Contains(t, text, "The author of an anonymous comment answered your reply")
	require.Contains(t, text, "Thank you")
	for _, rep := range h.reps {
		require.NotContains(t, text, rep.Name)
	}
}

func TestDigestShowsScoresAndSaysWhatIsSuppressed(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	score, moe, low, high, rate, change := -25.0, 18.4, -42.6, -5.8, 0.8, -37.5
	n := 8
	lines := []survey.DigestLine{
		{SurveyTitle: "Weekly pulse", TeamID: h.team.ID, Change: &change, NewComments: 3,
			Latest: &survey.Point{N: &n, ENPS: &score, MoE: &moe, CILow: &low, CIHigh: &high, Participation: &rate, SignificantChange: true}},
		{SurveyTitle: "Onboarding", TeamID: h.team.ID, Latest: &survey.Point{N: &n, ENPS: &score, EveryoneAnswered: true}},
		{SurveyTitle: "Weekly pulse", TeamID: 999, Latest: &survey.Point{Suppressed: true}},
	}
	_, err := h.sender.Send(t.Context(), delivery.Message{Kind: delivery.KindDigest, Recipient: h.manager, Digest: lines,
		TeamNames: map[int64]string{h.team.ID: "Sales", 999: "Sales APAC"}})
	require.NoError(t, err)
	posts := h.fake.CallsTo("chat.postMessage")
	blocks, err := posts[len(posts)-1].SlackBlocks()
	require.NoError(t, err)
	text := textsOf(t, blocks)
	require.Contains(t, text, "*Sales* · Weekly pulse: eNPS *-25.0* (±18.4; 95% interval -42.6 to -5.8), 8 answers, 80% participation")
	require.Contains(t, text, "*Sales* · Onboarding: eNPS *-25.0* (everyone answered, so no margin), 8 answers, — participation")
	require.Contains(t, text, "-37.5 points since the previous round (a significant change)")
	require.Contains(t, text, "3 new comments")
	require.Contains(t, text, "*Sales APAC* · Weekly pulse: not enough answers this week to show a score")
}

func TestReopenedModalKeepsTheRepliesOptIn(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[3]
	comment := h.question(survey.KindText)
	_, err := h.surveys.AnswerWith(t.Context(), h.round.ID, rep.ID,
		[]survey.AnswerInput{{QuestionID: comment.ID, Value: "More demos"}}, survey.AnswerOptions{AllowReplies: true})
	require.NoError(t, err)
	view := h.openModal(rep)
	raw, err := json.Marshal(view)
	require.NoError(t, err)
	require.Regexp(t, `"block_id":"pulse_allow_replies","element":\{"action_id":"answer","initial_options":\[\{[^]]*"value":"allow"`, string(raw),
		"the box stays ticked, so submitting again does not withdraw the opt-in")
}
