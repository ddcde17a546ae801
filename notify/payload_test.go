package notify_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
)

// seenByHandlers is every field the block_actions handlers read.
type seenByHandlers struct {
	Type                                 slack.InteractionType
	User, TriggerID, ResponseURL         string
	ContainerType, Channel, MessageTs    string
	Ephemeral                            bool
	ViewType                             slack.ViewType
	ActionTypes, ActionIDs, Blocks, Vals []string
}

func seen(cb slack.InteractionCallback) seenByHandlers {
	s := seenByHandlers{Type: cb.Type, User: cb.User.ID, TriggerID: cb.TriggerID, ResponseURL: cb.ResponseURL,
		ContainerType: cb.Container.Type, Channel: cb.Container.ChannelID, MessageTs: cb.Container.MessageTs,
		Ephemeral: cb.Container.IsEphemeral, ViewType: cb.View.Type}
	for _, a := range cb.ActionCallback.BlockActions {
		s.ActionTypes = append(s.ActionTypes, string(a.Type))
		s.ActionIDs, s.Blocks, s.Vals = append(s.ActionIDs, a.ActionID), append(s.Blocks, a.BlockID), append(s.Vals, a.Value)
	}
	return s
}

// Every kind of interaction Pulse handles, as Slack posts it, reads the
// same through the one-pass decoder as through slack-go's full one.
func TestDecodeInteractionReadsWhatTheFullDecoderReads(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/interactions/*.json")
	require.NoError(t, err)
	require.Len(t, files, 7)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			var full slack.InteractionCallback
			require.NoError(t, json.Unmarshal(raw, &full))
			got, err := notify.DecodeInteraction(raw)
			require.NoError(t, err)
			if full.Type != slack.InteractionTypeBlockActions {
				require.Equal(t, full, got)
				return
			}
			require.NotEmpty(t, seen(full).ActionIDs)
			require.Equal(t, seen(full), seen(got))
		})
	}
}

func TestDecodeInteractionRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	for _, payload := range []string{"", "payload", `{"type":"block_actions","actions":[{"action_id":7}]}`, `{"type":"view_submission","view":[]}`} {
		_, err := notify.DecodeInteraction([]byte(payload))
		require.Error(t, err, payload)
	}
}

// Run: go test ./notify -run '^$' -bench DecodeInteraction
func BenchmarkDecodeInteraction(b *testing.B) {
	raw, err := os.ReadFile("testdata/interactions/enps_tap_dm.json")
	require.NoError(b, err)
	b.Run("one-pass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := notify.DecodeInteraction(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slack-go", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var cb slack.InteractionCallback
			if err := json.Unmarshal(raw, &cb); err != nil {
				b.Fatal(err)
			}
		}
	})
}
