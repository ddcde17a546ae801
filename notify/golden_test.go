package notify_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // golden files must not depend on the machine's zoneinfo

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
)

var update = flag.Bool("update", false, "rewrite notify/testdata/*.golden.json from the current output")

// requireGolden compares v, as indented JSON, with testdata/<name>.golden.json.
// Reviewing a change to a message means reading the diff of that file.
func requireGolden(t *testing.T, name string, v any) {
	t.Helper()
	var got bytes.Buffer
	encoder := json.NewEncoder(&got)
	encoder.SetEscapeHTML(false) // keep Slack's <link|text> readable
	encoder.SetIndent("", "  ")
	require.NoError(t, encoder.Encode(v))
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		require.NoError(t, os.WriteFile(path, got.Bytes(), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run: go test ./notify -update")
	require.Equal(t, string(want), got.String(), "run go test ./notify -update and review the diff")
}

func kualaLumpur(t *testing.T) *time.Location {
	t.Helper()
	zone, err := time.LoadLocation("Asia/Kuala_Lumpur")
	require.NoError(t, err)
	return zone
}

// englishPrompt is a weekly survey closing Friday 4 December 2026, 17:00 in
// Kuala Lumpur.
func englishPrompt(t *testing.T) notify.SurveyPrompt {
	return notify.SurveyPrompt{
		RoundID:          "rnd_42",
		SurveyTitle:      "Weekly pulse",
		SurveyLocale:     "en",
		ScaleMin:         1,
		ENPSQuestionID:   "q_enps",
		ENPSPrompt:       "How likely are you to recommend Acme as a place to work?",
		ClosesAt:         time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC),
		Timezone:         kualaLumpur(t),
		HasMoreQuestions: true,
	}
}

func malayPrompt(t *testing.T) notify.SurveyPrompt {
	p := englishPrompt(t)
	p.SurveyTitle = "Tinjauan mingguan"
	p.ENPSPrompt = "Sejauh manakah anda akan mengesyorkan Acme sebagai tempat bekerja?"
	p.EmployeeLocale = "ms-MY"
	return p
}

func allQuestions() []notify.Question {
	return []notify.Question{
		{ID: "q_enps", Kind: notify.KindENPS, Prompt: "How likely are you to recommend Acme as a place to work?"},
		{ID: "q_scale", Kind: notify.KindScale, Prompt: "I have what I need to do my job well."},
		{ID: "q_yes", Kind: notify.KindYesNo, Prompt: "Did you have a 1:1 with your manager this month?"},
		{ID: "q_choice", Kind: notify.KindChoice, Prompt: "What slows you down most?", Options: []string{"Meetings", "Tools", "Approvals"}},
		{ID: "q_text", Kind: notify.KindText, Prompt: "Anything else you want to tell us?"},
	}
}
