package notify_test

import (
	"testing"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/notify"
)

func TestListsMatchGoldenFiles(t *testing.T) {
	t.Parallel()
	answered, open := englishPrompt(t), englishPrompt(t)
	open.RoundID, open.SurveyTitle, open.HasMoreQuestions = "rnd_43", "Onboarding check-in", false
	seven := 7
	rounds := []notify.ListedRound{{Prompt: answered, Recorded: &seven}, {Prompt: open}}
	scores := []notify.Score{
		{Group: "Sales APAC", Survey: "Weekly pulse", ENPS: 16.7, MoE: 21.3, CILow: -4.1, CIHigh: 38.5, N: 12},
		{Group: "Sales EMEA", Survey: "Weekly pulse", ENPS: 20, EveryoneAnswered: true, N: 10},
		{Group: "Sales <EMEA>", Survey: "Weekly pulse", Suppressed: true},
		{Survey: "Weekly pulse", ENPS: -5, MoE: 9.8, CILow: -16.2, CIHigh: 3.4, N: 48},
	}
	tests := []struct {
		name    string
		message any
	}{
		{"pulse_list_en", notify.OpenSurveysMessage("en", rounds)},
		{"pulse_list_empty_ms", notify.OpenSurveysMessage("ms-MY", nil)},
		{"home_employee_en", notify.HomeView(notify.Home{Locale: "en", Rounds: rounds})},
		{"home_manager_ms", notify.HomeView(notify.Home{Locale: "ms", Scores: scores})},
		{"home_manager_en", notify.HomeView(notify.Home{Locale: "en", Scores: scores})},
		{"home_manager_no_results_en", notify.HomeView(notify.Home{Locale: "en", Scores: []notify.Score{}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			requireGolden(t, tt.name, tt.message)
		})
	}
}

func TestSurveyWithoutENPSOffersTheModalOnly(t *testing.T) {
	t.Parallel()
	p := englishPrompt(t)
	p.ENPSQuestionID, p.ENPSPrompt, p.HasMoreQuestions = "", "", false
	msg := notify.SurveyDM(p)
	raw := textsOf(t, blocksOf(msg))
	require.NotContains(t, raw, "pulse_enps_")
	require.Contains(t, raw, notify.ActionOpenSurvey)
	require.Contains(t, msg.Text, "Weekly pulse: Hi!")
}

func blocksOf(m notify.Message) slack.Blocks { return slack.Blocks{BlockSet: m.Blocks} }
