package notify_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify"
)

func TestTapRecordsTheAnswerAndUpdatesTheDM(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[1]
		ref, dm := h.send(rep)

		first := h.tap(dm, rep.SlackUserID, ref, 8)
		require.Equal(t, 8, h.myENPS(rep))
		updates := h.responses(first)
		require.Len(t, updates, 1)
		require.Equal(t, "true", updates[0].Get("replace_original"))
		blocks, err := updates[0].SlackBlocks()
		require.NoError(t, err)
		require.Contains(t, textsOf(t, blocks), "Recorded: *8*")
		require.Contains(t, textsOf(t, blocks), "stored without your name")
		require.Contains(t, textsOf(t, blocks), "Saturday 5 December, 10:00 (Europe/Berlin)", "editable until close, in the survey's zone")
		_, eight := button(t, blocks, "pulse_enps_8")
		require.Equal(t, slack.StylePrimary, eight.Style)

		// The second tap, on the updated DM's own button, changes the answer.
		second := h.tap(updates[0], rep.SlackUserID, ref, 3)
		require.Equal(t, 3, h.myENPS(rep))
		blocks, err = h.responses(second)[0].SlackBlocks()
		require.NoError(t, err)
		require.Contains(t, textsOf(t, blocks), "Recorded: *3*")
	})
}

func TestASecondTapChangesTheCountNeverAddsToIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		for i, rep := range h.reps {
			ref, dm := h.send(rep)
			h.tap(dm, rep.SlackUserID, ref, 5+i) // 5, 6, 7, 8, 9
			if i == 0 {
				h.tap(dm, rep.SlackUserID, ref, 10) // changes 5 to 10
			}
		}
		point := h.orgENPS()
		require.False(t, point.Suppressed)
		require.Equal(t, 5, *point.N)
		require.Equal(t, 2, *point.Promoters, "the 10 and the 9")
		require.Equal(t, 2, *point.Passives)
		require.Equal(t, 1, *point.Detractors, "the 6; the replaced 5 is gone")
	})
}

func TestMalayRepGetsMalayDMs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[0]
		ref, dm := h.send(rep)
		require.Contains(t, dm.Get("text"), "Weekly pulse")
		blocks, err := dm.SlackBlocks()
		require.NoError(t, err)
		require.Contains(t, textsOf(t, blocks), "Jawab seluruh tinjauan")
		require.Contains(t, textsOf(t, blocks), "Sabtu 5 Disember, 17:00 (Asia/Kuala_Lumpur)", "the rep's own zone")

		name := h.tap(dm, rep.SlackUserID, ref, 9)
		blocks, err = h.responses(name)[0].SlackBlocks()
		require.NoError(t, err)
		require.Contains(t, textsOf(t, blocks), "Direkodkan: *9*")
	})
}

func TestLateTapIsRefusedPolitelyAndChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		for i, rep := range h.reps {
			ref, dm := h.send(rep)
			h.tap(dm, rep.SlackUserID, ref, 6+i)
		}
		before := h.orgENPS()

		h.now = h.round.ClosesAt.Add(time.Hour)
		rep := h.reps[1]
		ref, dm := h.send(rep)
		late := h.tap(dm, rep.SlackUserID, ref, 1)

		require.Equal(t, before, h.orgENPS(), "nothing changed")
		var ephemeral, replaced []string
		for _, c := range h.responses(late) {
			switch {
			case c.Get("response_type") == slack.ResponseTypeEphemeral:
				ephemeral = append(ephemeral, c.Get("text"))
			case c.Get("replace_original") == "true":
				blocks, err := c.SlackBlocks()
				require.NoError(t, err)
				replaced = append(replaced, textsOf(t, blocks))
			}
		}
		require.Equal(t, []string{notify.LateTapText("en")}, ephemeral)
		require.Len(t, replaced, 1)
		require.Contains(t, replaced[0], "This round closed on")
		require.Contains(t, replaced[0], "Thank you to everyone who took part")
		require.NotContains(t, replaced[0], "pulse_enps_", "no buttons left")
	})
}

func TestTapFromSomeoneNotInTheDirectory(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	ref, dm := h.send(h.reps[1])
	name := h.tap(dm, "U0STRANGER", ref, 9)

	calls := h.responses(name)
	require.Len(t, calls, 1)
	require.Equal(t, slack.ResponseTypeEphemeral, calls[0].Get("response_type"))
	require.Equal(t, notify.NotInDirectoryText(""), calls[0].Get("text"))
	require.Nil(t, h.myENPS(h.reps[1]))
}

func TestForgedOrStaleRequestsAreRefusedBeforeParsing(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	garbage := []byte("%zz;;not even form data\x00")
	for _, e := range h.app.Endpoints() {
		req := httptestRequest(e.Path, garbage)
		req.Header.Set(notify.HeaderTimestamp, "1764493200")
		req.Header.Set(notify.HeaderSignature, "v0="+strings.Repeat("ab", 32))
		rec := serve(e.Handler, req)
		require.Equal(t, http.StatusUnauthorized, rec.Code, e.Path)

		stale := httptestRequest(e.Path, garbage)
		signedAt := h.now.Add(-10 * time.Minute).Unix()
		stale.Header.Set(notify.HeaderTimestamp, itoa(signedAt))
		stale.Header.Set(notify.HeaderSignature, notify.SignRequest(signingSecret, signedAt, garbage))
		require.Equal(t, http.StatusUnauthorized, serve(e.Handler, stale).Code, e.Path)

		require.Equal(t, http.StatusUnauthorized, serve(e.Handler, httptestRequest(e.Path, garbage)).Code, "unsigned")
	}
	require.Empty(t, h.fake.Calls(), "nothing reached Slack")

	// Signed but unparseable: now it is read, and refused as bad input.
	rec := h.post("/slack/interactions", "application/x-www-form-urlencoded", garbage)
	require.Equal(t, http.StatusBadRequest, rec.Code)
}

func TestOpenTheWholeSurveyPrefilledWithMyAnswers(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[2]
	ref, dm := h.send(rep)
	h.tap(dm, rep.SlackUserID, ref, 8)

	blocks, err := dm.SlackBlocks()
	require.NoError(t, err)
	blockID, open := button(t, blocks, notify.ActionOpenSurvey)
	name := h.press(rep.SlackUserID, blockID, open, map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS})

	opened := h.fake.CallsTo("views.open")
	require.Len(t, opened, 1)
	require.Equal(t, "trigger-"+name, opened[0].Get("trigger_id"))
	var modal slack.View
	require.NoError(t, jsonUnmarshal(opened[0].View, &modal))
	require.Equal(t, notify.CallbackSurveyModal, modal.CallbackID)
	enps := inputOf(t, modal, notify.QuestionBlockID(itoa(h.question("enps").ID)))
	require.Equal(t, "8", enps.Element.(*slack.SelectBlockElement).InitialOption.Value, "the tap is pre-filled")
}

func TestSurveyModalSubmission(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[3]
		modal := h.openModal(rep)
		enpsBlock := notify.QuestionBlockID(itoa(h.question("enps").ID))
		scaleBlock := notify.QuestionBlockID(itoa(h.question("scale").ID))
		choiceBlock := notify.QuestionBlockID(itoa(h.question("choice").ID))
		textBlock := notify.QuestionBlockID(itoa(h.question("text").ID))

		// The scale is missing: the modal says so under that field.
		rec := h.submit(rep, modal, map[string]any{enpsBlock: pick("9"), choiceBlock: pick("1")})
		require.Equal(t, http.StatusOK, rec.Code)
		require.JSONEq(t, `{"response_action":"errors","errors":{"`+scaleBlock+`":"Please choose an answer."}}`, rec.Body.String())
		require.Nil(t, h.myENPS(rep))

		// A comment too long for the survey is refused under the comment,
		// in the modal's own words (Slack's max_length would stop typing first).
		long := strings.Repeat("x", 2500)
		rec = h.submit(rep, modal, map[string]any{enpsBlock: pick("9"), scaleBlock: pick("4"),
			choiceBlock: pick("1"), textBlock: map[string]any{"type": "plain_text_input", "value": long}})
		require.Contains(t, rec.Body.String(), `"response_action":"errors"`)
		require.Contains(t, rec.Body.String(), `"`+textBlock+`":"Please keep it to 2000 characters or fewer."`)

		rec = h.submit(rep, modal, map[string]any{enpsBlock: pick("9"), scaleBlock: pick("4"),
			choiceBlock: pick("1"), textBlock: map[string]any{"type": "plain_text_input", "value": "More demo kits"}})
		require.Equal(t, http.StatusOK, rec.Code)
		require.Empty(t, rec.Body.String(), "an empty acknowledgement closes the modal")
		answers, err := h.surveys.MyAnswers(t.Context(), h.round.ID, rep.ID)
		require.NoError(t, err)
		got := map[int64]any{}
		for _, a := range answers {
			got[a.QuestionID] = a.Value
		}
		require.Equal(t, map[int64]any{h.question("enps").ID: 9, h.question("scale").ID: 4,
			h.question("choice").ID: "Tools", h.question("text").ID: "More demo kits"}, got)

		h.now = h.round.ClosesAt.Add(time.Minute)
		rec = h.submit(rep, modal, map[string]any{enpsBlock: pick("2"), scaleBlock: pick("1"), choiceBlock: pick("0")})
		require.JSONEq(t, `{"response_action":"errors","errors":{"`+enpsBlock+`":"`+notify.LateTapText("en")+`"}}`, rec.Body.String())
	})
}

func TestSurveyModalPassesTheAnonymousRepliesOptIn(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rep := h.reps[4]
	modal := h.openModal(rep)
	state := map[string]any{
		notify.QuestionBlockID(itoa(h.question("enps").ID)):   pick("9"),
		notify.QuestionBlockID(itoa(h.question("scale").ID)):  pick("4"),
		notify.QuestionBlockID(itoa(h.question("choice").ID)): pick("0"),
		notify.QuestionBlockID(itoa(h.question("text").ID)):   map[string]any{"type": "plain_text_input", "value": "Fewer meetings"},
		notify.BlockAllowReplies:                              map[string]any{"type": "checkboxes", "selected_options": []map[string]any{{"value": "allow"}}},
	}
	links := func() (n int64) {
		require.NoError(t, h.db.Gorm.Table("pending_reply_links").Count(&n).Error)
		return n
	}
	require.Empty(t, h.submit(rep, modal, state).Body.String())
	require.EqualValues(t, 1, links(), "a sealed link is kept only with the tick")

	delete(state, notify.BlockAllowReplies)
	require.Empty(t, h.submit(rep, modal, state).Body.String())
	require.EqualValues(t, 0, links(), "submitting without the tick withdraws it")
}
