package survey_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

func TestTemplatesLocalesMatch(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"en", "ms"}, survey.Locales())
	en, err := survey.Templates("en")
	require.NoError(t, err)
	for _, locale := range survey.Locales() {
		t.Run(locale, func(t *testing.T) {
			t.Parallel()
			got, err := survey.Templates(locale)
			require.NoError(t, err)
			require.Len(t, got, len(en))
			for i, tmpl := range got {
				require.Equal(t, en[i].Key, tmpl.Key, "same keys in the same order")
				require.Equal(t, en[i].Kind, tmpl.Kind, tmpl.Key)
				require.NotEmpty(t, tmpl.Prompt, tmpl.Key)
				require.True(t, survey.ValidKind(tmpl.Kind), tmpl.Key)
			}
			labels, err := survey.AgreementLabels(locale)
			require.NoError(t, err)
			require.Len(t, labels, 5)
			for _, label := range labels {
				require.NotEmpty(t, label)
			}
		})
	}
}

func TestTemplatesContent(t *testing.T) {
	t.Parallel()
	en, err := survey.Templates("en")
	require.NoError(t, err)
	ms, err := survey.Templates("ms")
	require.NoError(t, err)

	require.Equal(t, survey.Template{Key: "enps", Kind: survey.KindENPS,
		Prompt: "How likely are you to recommend our company as a place to work?"}, en[0])
	require.Equal(t, "Sejauh manakah kemungkinan anda akan mengesyorkan syarikat kami sebagai tempat untuk bekerja?", ms[0].Prompt)

	kinds := map[string][]string{}
	for _, tmpl := range en {
		kinds[tmpl.Kind] = append(kinds[tmpl.Kind], tmpl.Key)
	}
	require.Equal(t, []string{"enps"}, kinds[survey.KindENPS])
	require.Equal(t, []string{"comment"}, kinds[survey.KindText])
	require.ElementsMatch(t, []string{"workload", "recognition", "manager_support", "growth", "tools",
		"team_collaboration", "wellbeing"}, kinds[survey.KindScale])
	// A survey holds at most 10 questions; the whole library must fit in one.
	require.LessOrEqual(t, len(en), 10)
}

func TestTemplatesAreCopies(t *testing.T) {
	t.Parallel()
	first, err := survey.Templates("en")
	require.NoError(t, err)
	first[0].Prompt = "changed"
	labels, err := survey.AgreementLabels("en")
	require.NoError(t, err)
	labels[0] = "changed"

	again, err := survey.Templates("en")
	require.NoError(t, err)
	require.NotEqual(t, "changed", again[0].Prompt)
	labels, err = survey.AgreementLabels("en")
	require.NoError(t, err)
	require.Equal(t, "Strongly disagree", labels[0])
}

func TestTemplatesUnknownLocale(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"", "fr", "EN", "ms-MY"} {
		_, err := survey.Templates(locale)
		var invalid *fault.Invalid
		require.ErrorAs(t, err, &invalid, locale)
		require.Equal(t, "locale", invalid.Problems[0].Field)

		_, err = survey.AgreementLabels(locale)
		require.ErrorAs(t, err, &invalid, locale)
	}
}

func TestValidKind(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"enps", "scale", "yes_no", "choice", "text"} {
		require.True(t, survey.ValidKind(kind), kind)
	}
	for _, kind := range []string{"", "ENPS", "nps", "rating"} {
		require.False(t, survey.ValidKind(kind), kind)
	}
}
