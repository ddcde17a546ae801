//go:build faults

package faults_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
)

// tapsPerSecond paces the taps so the restart falls among them instead of
// after a burst that has already ended.
const tapsPerSecond = 150

// TestPostgresRestartDuringTaps restarts PostgreSQL while 1,000 people tap
// twice (3, then 9): each tap must either be counted or the person told it
// was not (an error answer, or the "not saved" reply), and the counts in
// the database afterwards must hold every tap nobody was told about.
func TestPostgresRestartDuringTaps(t *testing.T) {
	if os.Getenv("PULSE_FAULTS_RESTART_POSTGRES") != "1" {
		t.Skip("restarts the local PostgreSQL cluster: set PULSE_FAULTS_RESTART_POSTGRES=1 to run it")
	}
	e := newEnv(t)
	p := e.start("pulse")
	surveyID := e.seed(p, nil)
	roundID := p.sendNow(surveyID)
	e.awaitDelivered(roundID, 2*time.Minute)
	dms := e.postedDMs()

	var done atomic.Int64
	var restartTook time.Duration
	var restartErr error
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		for done.Load() < 900 { // near the end of the first taps, so the second ones (edits) meet it too
			time.Sleep(10 * time.Millisecond)
		}
		restartTook, restartErr = restartPostgres()
	}()
	taps := make([]tapResult, 0, 2*recipients)
	for _, value := range []int{3, 9} {
		taps = append(taps, p.tapAll(dms, value, &done)...)
	}
	<-restarted
	require.NoError(t, restartErr)
	e.settleResponses()
	outcomes := e.classify(taps)

	// Whoever was not told their second tap failed must be counted with 9;
	// whoever was not told that both failed must be counted at all.
	needNine, needAny := 0, 0
	for i := range recipients {
		first, second := outcomes[tapKey(i, 3)], outcomes[tapKey(i, 9)]
		if second != told {
			needNine++
		}
		if first != told || second != told {
			needAny++
		}
	}
	nine := e.countAnswers(roundID, "9")
	three := e.countAnswers(roundID, "3")
	responses := e.count("SELECT count(*) FROM responses WHERE round_id = $1", roundID)
	lost := max(0, needNine-nine) + max(0, needAny-(nine+three))
	var confirmed, toldNotSaved, silent int
	for _, o := range outcomes {
		switch o {
		case confirmedTap:
			confirmed++
		case told:
			toldNotSaved++
		default:
			silent++
		}
	}
	t.Logf("FAULT pgrestart: taps=%d confirmed=%d told_not_saved=%d unconfirmed=%d counted_people=%d counted_9=%d silently_lost=%d restart=%s",
		len(taps), confirmed, toldNotSaved, silent, nine+three, nine, lost, restartTook.Round(10*time.Millisecond))
	require.Equal(t, 2*recipients, len(taps))
	require.Zero(t, lost, "taps nobody was told about that the database does not hold")
	require.Equal(t, nine+three, responses, "one response per person")
	require.LessOrEqual(t, responses, recipients, "no tap counted twice")
}

// dm is a survey DM as Slack holds it: where it is and its eNPS buttons.
type dm struct {
	user, channel, ts string
	blocks            slack.Blocks
}

// postedDMs reads every recipient's survey DM from what the fake received.
func (e *env) postedDMs() []dm {
	e.t.Helper()
	byChannel := map[string]slackfake.Call{}
	for _, c := range e.fake.CallsTo("chat.postMessage") {
		byChannel[c.Get("channel")] = c // the DM channel conversations.open gave
	}
	out := make([]dm, recipients)
	for i := range out {
		channel := dmChannel(i)
		posted := e.fake.Messages(channel)
		require.Len(e.t, posted, 1, channel)
		blocks, err := byChannel[channel].SlackBlocks()
		require.NoError(e.t, err)
		out[i] = dm{user: userID(i), channel: channel, ts: posted[0].TS, blocks: blocks}
	}
	return out
}

type tapResult struct {
	key    string // response_url name: person and value
	status int    // HTTP status of the acknowledgement, 0 when none came
}

func tapKey(i, value int) string { return fmt.Sprintf("%s-%d", userID(i), value) }

// tapAll presses value in every DM, from eight people at once, paced at
// tapsPerSecond in all.
func (p *pulse) tapAll(dms []dm, value int, done *atomic.Int64) []tapResult {
	client := &http.Client{Timeout: 3 * time.Second} // Slack's budget for an acknowledgement
	pace := time.NewTicker(time.Second / tapsPerSecond)
	defer pace.Stop()
	results := make([]tapResult, len(dms))
	next := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range next {
				results[i] = p.tap(client, dms[i], i, value)
				done.Add(1)
			}
		})
	}
	for i := range dms {
		<-pace.C
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// tap sends the block_actions payload Slack sends when the person presses
// the button, signed with the signing secret.
func (p *pulse) tap(client *http.Client, d dm, i, value int) tapResult {
	key := tapKey(i, value)
	blockID, btn := button(p.t, d.blocks, "pulse_enps_"+strconv.Itoa(value))
	payload, err := json.Marshal(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": d.user}, "trigger_id": "trigger-" + key,
		"response_url": p.e.fake.ResponseURL(key),
		"container":    map[string]any{"type": "message", "channel_id": d.channel, "message_ts": d.ts},
		"actions": []map[string]any{{"type": "button", "block_id": blockID, "action_id": btn.ActionID,
			"value": btn.Value, "action_ts": strconv.FormatInt(time.Now().Unix(), 10) + ".000100"}},
	})
	require.NoError(p.t, err)
	body := []byte("payload=" + url.QueryEscape(string(payload)))
	req, err := http.NewRequest(http.MethodPost, p.base+"/slack/interactions", strings.NewReader(string(body)))
	require.NoError(p.t, err)
	now := time.Now().Unix()
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(now, 10))
	req.Header.Set(notify.HeaderSignature, notify.SignRequest(signingSecret, now, body))
	resp, err := client.Do(req)
	if err != nil {
		return tapResult{key: key}
	}
	resp.Body.Close()
	return tapResult{key: key, status: resp.StatusCode}
}

func button(t *testing.T, blocks slack.Blocks, actionID string) (string, *slack.ButtonBlockElement) {
	t.Helper()
	for _, block := range blocks.BlockSet {
		if actions, ok := block.(*slack.ActionBlock); ok {
			for _, el := range actions.Elements.ElementSet {
				if btn, ok := el.(*slack.ButtonBlockElement); ok && btn.ActionID == actionID {
					return actions.BlockID, btn
				}
			}
		}
	}
	t.Fatalf("no button %s in the DM", actionID)
	return "", nil
}

// settleResponses waits until Pulse's background replies to the taps have
// stopped arriving (two quiet seconds, at most thirty).
func (e *env) settleResponses() {
	last, quietSince := -1, time.Now()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		n := e.fake.CallCount(slackfake.ResponseURLMethod)
		if n != last {
			last, quietSince = n, time.Now()
		}
		if time.Since(quietSince) > 2*time.Second {
			return
		}
	}
}

type outcome int

const (
	unconfirmed  outcome = iota // acknowledged, but no redraw came (counted or not: the database says)
	confirmedTap                // the DM was redrawn with what was recorded
	told                        // an error answer, or a reply saying nothing was saved
)

// classify sorts each tap by what the person saw: Slack shows an error for
// an acknowledgement that is not 200 or comes after 3 s; Pulse replies
// through the tap's response_url, replacing the DM when it recorded the
// answer and with an ephemeral note when it did not.
func (e *env) classify(taps []tapResult) map[string]outcome {
	out := make(map[string]outcome, len(taps))
	for _, tp := range taps {
		if tp.status != http.StatusOK {
			out[tp.key] = told
		} else {
			out[tp.key] = unconfirmed
		}
	}
	for _, c := range e.fake.CallsTo(slackfake.ResponseURLMethod) {
		key := c.Get("url")
		switch {
		case out[key] == told:
		case c.Get("response_type") == "ephemeral":
			out[key] = told
		case c.Get("replace_original") == "true":
			out[key] = confirmedTap
		}
	}
	return out
}

// countAnswers is how many people's recorded answer is value, from the
// per-value counts results are made of.
func (e *env) countAnswers(roundID int64, value string) int {
	return e.count("SELECT coalesce(sum(n), 0) FROM answer_counts WHERE round_id = $1 AND value = $2", roundID, value)
}
