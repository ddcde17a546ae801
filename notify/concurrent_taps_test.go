package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/survey"
)

// Everyone taps their DM four times at once, each tap another value: every
// tap is acknowledged, each person ends with one response
// holding one of the values they tapped, and the rollup counts each person
// exactly once, at the value they hold. Each answer alone, and with group
// commit on as pulse serve runs it.
func TestConcurrentTapsAreNeitherLostNorDoubled(t *testing.T) {
	for _, grouped := range []bool{false, true} {
		t.Run(map[bool]string{false: "alone", true: "group commit"}[grouped], func(t *testing.T) {
			concurrentTaps(t, grouped)
		})
	}
}

func concurrentTaps(t *testing.T, grouped bool) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		if grouped {
			stop := h.surveys.StartGroupCommit(survey.DefaultGroupCommit)
			t.Cleanup(func() { require.NoError(t, stop(context.Background())) })
		}
		everyone := append([]directory.Employee{h.manager, h.hr}, h.reps...)
		tapped := map[int64]map[int]bool{}
		var bodies [][]byte
		for _, e := range everyone {
			ref, dm := h.send(e)
			blocks, err := dm.SlackBlocks()
			require.NoError(t, err)
			tapped[e.ID] = map[int]bool{}
			for v := range 4 {
				value := 1 + (v*7+int(e.ID))%10
				blockID, btn := button(t, blocks, "pulse_enps_"+strconv.Itoa(value))
				raw, err := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": e.SlackUserID},
					"trigger_id": fmt.Sprintf("trigger-%d-%d", e.ID, v), "response_url": h.fake.ResponseURL(fmt.Sprintf("tap-%d-%d", e.ID, v)),
					"container": map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS},
					"actions":   []map[string]any{{"type": "button", "block_id": blockID, "action_id": btn.ActionID, "value": btn.Value}}})
				require.NoError(t, err)
				bodies = append(bodies, []byte("payload="+url.QueryEscape(string(raw))))
				tapped[e.ID][value] = true
			}
		}
		endpoint := h.endpoint("/slack/interactions")
		statuses := make([]int, len(bodies))
		var wg sync.WaitGroup
		for i, body := range bodies {
			wg.Go(func() {
				req := httptestRequest("/slack/interactions", body)
				req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(h.now.Unix(), 10))
				req.Header.Set(notify.HeaderSignature, notify.SignRequest(signingSecret, h.now.Unix(), body))
				statuses[i] = serve(endpoint, req).Code
			})
		}
		wg.Wait()
		h.app.Wait()
		for _, status := range statuses {
			require.Equal(t, http.StatusOK, status)
		}
		for _, c := range h.fake.CallsTo(slackfake.ResponseURLMethod) {
			require.NotEqual(t, slack.ResponseTypeEphemeral, c.Get("response_type"), "a tap was refused: %s", c.Get("text"))
		}

		var responses int64
		require.NoError(t, db.Gorm.Table("responses").Where("round_id = ?", h.round.ID).Count(&responses).Error)
		require.EqualValues(t, len(everyone), responses, "one response per person")
		held := map[string]int{}
		for _, e := range everyone {
			value, ok := h.myENPS(e).(int)
			require.True(t, ok)
			require.True(t, tapped[e.ID][value], "%s holds %d, which they never tapped", e.Email, value)
			held[strconv.Itoa(value)]++
		}
		var cells []struct {
			Value string
			N     int
		}
		require.NoError(t, db.Gorm.Table("answer_counts").Where("round_id = ? AND question_id = ? AND n <> 0",
			h.round.ID, h.question(survey.KindENPS).ID).Find(&cells).Error)
		counted := map[string]int{}
		for _, c := range cells {
			counted[c.Value] += c.N
		}
		require.Equal(t, held, counted, "the rollup counts each person once, at the value they hold")
	})
}
