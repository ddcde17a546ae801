package notify_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
)

func TestAnswerActionRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []notify.AnswerAction{
		{RoundID: "42", QuestionID: "7", Value: 0},
		{RoundID: "9b2f6c1e-0d4a-4c38-9d0e-1f5a3b7c2e11", QuestionID: "q_enps", Value: 10},
		{RoundID: "r;v=3", QuestionID: "q=1&x", Value: 5},
		{RoundID: "ronda-ñ", QuestionID: "soalan 1", Value: 9},
	}
	for _, want := range tests {
		t.Run(want.RoundID, func(t *testing.T) {
			t.Parallel()
			actionID, value := notify.EncodeAnswerAction(want)
			require.True(t, notify.IsAnswerAction(actionID))
			require.LessOrEqual(t, len(actionID), 255, "Slack's action_id limit")

			got, err := notify.DecodeAnswerAction(actionID, value)

			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}

func TestAnswerActionIsCompact(t *testing.T) {
	t.Parallel()
	actionID, value := notify.EncodeAnswerAction(notify.AnswerAction{RoundID: "42", QuestionID: "7", Value: 7})
	require.Equal(t, "pulse_enps_7", actionID)
	require.Equal(t, "r=42;q=7;v=7", value)
}

func TestDecodeAnswerActionRejectsGarbage(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, actionID, value string }{
		{"empty", "pulse_enps_7", ""},
		{"missing value field", "pulse_enps_7", "r=42;q=7"},
		{"extra field", "pulse_enps_7", "r=42;q=7;v=7;x=1"},
		{"fields reordered", "pulse_enps_7", "q=7;r=42;v=7"},
		{"field without =", "pulse_enps_7", "r=42;q7;v=7"},
		{"empty round", "pulse_enps_7", "r=;q=7;v=7"},
		{"empty question", "pulse_enps_7", "r=42;q=;v=7"},
		{"bad escape", "pulse_enps_7", "r=%zz;q=7;v=7"},
		{"unescaped byte", "pulse_enps_7", "r=4\x0e2;q=7;v=7"},
		{"needless escape", "pulse_enps_7", "r=%34%32;q=7;v=7"},
		{"value above scale", "pulse_enps_11", "r=42;q=7;v=11"},
		{"negative value", "pulse_enps_-1", "r=42;q=7;v=-1"},
		{"leading zero", "pulse_enps_07", "r=42;q=7;v=07"},
		{"plus sign", "pulse_enps_+7", "r=42;q=7;v=+7"},
		{"not a number", "pulse_enps_x", "r=42;q=7;v=x"},
		{"action id disagrees", "pulse_enps_3", "r=42;q=7;v=7"},
		{"foreign action id", "other_7", "r=42;q=7;v=7"},
		{"oversized", "pulse_enps_7", "r=" + strings.Repeat("a", 2000) + ";q=7;v=7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := notify.DecodeAnswerAction(tt.actionID, tt.value)
			require.ErrorIs(t, err, notify.ErrMalformedAction)
		})
	}
}

func TestOpenSurveyRoundTrip(t *testing.T) {
	t.Parallel()
	round, err := notify.DecodeOpenSurvey(notify.EncodeOpenSurvey("round;42"))
	require.NoError(t, err)
	require.Equal(t, "round;42", round)

	for _, garbage := range []string{"", "r=", "q=42", "r=1;q=2"} {
		_, err := notify.DecodeOpenSurvey(garbage)
		require.ErrorIs(t, err, notify.ErrMalformedAction, garbage)
	}
}

func FuzzDecodeAnswerAction(f *testing.F) {
	f.Add("pulse_enps_7", "r=42;q=7;v=7")
	f.Add("pulse_enps_0", "r=%3B;q=%3D;v=0")
	f.Add("x", ";;;")
	f.Fuzz(func(t *testing.T, actionID, value string) {
		decoded, err := notify.DecodeAnswerAction(actionID, value)
		if err != nil {
			return
		}
		// Anything accepted must be exactly what the encoder would write.
		gotID, gotValue := notify.EncodeAnswerAction(decoded)
		require.Equal(t, actionID, gotID)
		again, err := notify.DecodeAnswerAction(gotID, gotValue)
		require.NoError(t, err)
		require.Equal(t, decoded, again)
	})
}
