package notify_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

func (h *harness) event(body map[string]any) *http.Response {
	h.t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(h.t, err)
	return h.post("/slack/events", "application/json", raw).Result()
}

// openHome sends app_home_opened for e and returns the view published.
func (h *harness) openHome(e directory.Employee) slack.View {
	h.t.Helper()
	res := h.event(map[string]any{"token": "legacy", "team_id": "T0PULSE", "api_app_id": "A0PULSE", "type": "event_callback",
		"event_id": "Ev1", "event_time": 1764493200,
		"event": map[string]any{"type": "app_home_opened", "user": e.SlackUserID, "channel": "D0" + e.SlackUserID, "tab": "home", "event_ts": "1764493200.000100"}})
	require.Equal(h.t, http.StatusOK, res.StatusCode)
	return h.lastPublished(e)
}

func (h *harness) lastPublished(e directory.Employee) slack.View {
	h.t.Helper()
	published := h.fake.CallsTo("views.publish")
	require.NotEmpty(h.t, published)
	last := published[len(published)-1]
	require.Equal(h.t, e.SlackUserID, last.Get("user_id"))
	var view slack.View
	require.NoError(h.t, json.Unmarshal(last.View, &view))
	require.Equal(h.t, slack.VTHomeTab, view.Type)
	return view
}

func TestURLVerificationIsAnswered(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	rec := h.post("/slack/events", "application/json", []byte(`{"token":"legacy","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", rec.Body.String())
}

func TestHomeShowsMyOpenSurveysAndATapThereRecords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[1]
		home := h.openHome(rep)
		text := textsOf(t, home.Blocks)
		require.Contains(t, text, "Your open surveys")
		require.Contains(t, text, "Weekly pulse")
		require.NotContains(t, text, "Latest eNPS", "employees see no scores")

		blockID, nine := button(t, home.Blocks, "pulse_enps_9")
		h.press(rep.SlackUserID, blockID, nine, map[string]any{"type": "view", "view_id": "V0HOME"})
		require.Equal(t, 9, h.myENPS(rep))
		_, nine = button(t, h.lastPublished(rep).Blocks, "pulse_enps_9")
		require.Equal(t, slack.StylePrimary, nine.Style, "the Home tab is redrawn with the answer")
	})
}

func TestHomeShowsLeadersTheirTeamsScoreAboveTheThreshold(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		// While the round is open the Home tab shows nothing of it: the same
		// tab before and after each answer, so no two looks tell who answered.
		empty := textsOf(t, h.openHome(h.manager).Blocks)
		require.Contains(t, empty, "No results yet.")
		for i, v := range []int{9, 9, 9, 7, 3} {
			rep := h.reps[i]
			ref, dm := h.send(rep)
			h.tap(dm, rep.SlackUserID, ref, v)
			require.Equal(t, empty, textsOf(t, h.openHome(h.manager).Blocks), "after answer %d", i+1)
		}
		_, err := h.surveys.CloseRound(t.Context(), h.round.ID, nil)
		require.NoError(t, err)
		text := textsOf(t, h.openHome(h.manager).Blocks)
		require.Contains(t, text, "Latest eNPS")
		require.Contains(t, text, "*Sales* · Weekly pulse: eNPS *+40* (±")
		require.Contains(t, text, "5 answers")
		require.NotContains(t, text, "People", "only teams the manager leads")

		require.Contains(t, textsOf(t, h.openHome(h.hr).Blocks), "*Whole organisation* · Weekly pulse: eNPS *+40*")
	})
}

func TestHomeForSomeoneNotInTheDirectory(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	home := h.openHome(directory.Employee{SlackUserID: "U0STRANGER"})
	require.Contains(t, textsOf(t, home.Blocks), "does not list this Slack account")
}
