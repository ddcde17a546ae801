package survey

// The built-in question library HR picks from when building a survey. Each locale has
// the same items under the same keys, so a survey can be offered in another language
// and its results still line up question by question.

import (
	"slices"
	"strings"

	"github.com/pulsehq/pulse/fault"
)

// Template is a ready-made question. Options are set only for the choice kind; the
// scale items are agreement statements answered with AgreementLabels.
type Template struct {
	Key     string   `json:"key"`
	Kind    string   `json:"kind"`
	Prompt  string   `json:"prompt"`
	Options []string `json:"options,omitempty"`
}

// wording is one language's text for the library.
type wording struct {
	prompts         map[string]string // by template key
	agreementLabels []string          // 1..5
}

// templateKinds orders the library: eNPS first, the agreement items, then the
// optional comment last, which is where people expect an open question.
var templateKinds = []struct{ key, kind string }{
	{"enps", KindENPS},
	{"workload", KindScale},
	{"recognition", KindScale},
	{"manager_support", KindScale},
	{"growth", KindScale},
	{"tools", KindScale},
	{"team_collaboration", KindScale},
	{"wellbeing", KindScale},
	{"comment", KindText},
}

var locales = map[string]wording{
	"en": {
		prompts: map[string]string{
			"enps":               "How likely are you to recommend our company as a place to work?",
			"workload":           "My workload is manageable.",
			"recognition":        "I get appropriate recognition when I do good work.",
			"manager_support":    "My manager gives me the support I need to do my job well.",
			"growth":             "I have good opportunities to learn and grow here.",
			"tools":              "I have the tools and resources I need to do my job.",
			"team_collaboration": "People in my team work well together.",
			"wellbeing":          "I can keep a healthy balance between work and my personal life.",
			"comment":            "Is there anything else you would like to share? (optional)",
		},
		agreementLabels: []string{"Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"},
	},
	"ms": {
		prompts: map[string]string{
			"enps":               "Sejauh manakah kemungkinan anda akan mengesyorkan syarikat kami sebagai tempat untuk bekerja?",
			"workload":           "Beban kerja saya boleh diuruskan.",
			"recognition":        "Saya menerima pengiktirafan yang sewajarnya apabila saya melakukan kerja yang baik.",
			"manager_support":    "Pengurus saya memberikan sokongan yang saya perlukan untuk melakukan kerja saya dengan baik.",
			"growth":             "Saya mempunyai peluang yang baik untuk belajar dan berkembang di sini.",
			"tools":              "Saya mempunyai alatan dan sumber yang saya perlukan untuk melakukan kerja saya.",
			"team_collaboration": "Ahli pasukan saya bekerjasama dengan baik.",
			"wellbeing":          "Saya dapat mengekalkan keseimbangan yang sihat antara kerja dan kehidupan peribadi saya.",
			"comment":            "Adakah apa-apa lagi yang ingin anda kongsikan? (pilihan)",
		},
		agreementLabels: []string{"Sangat tidak setuju", "Tidak setuju", "Neutral", "Setuju", "Sangat setuju"},
	},
}

// Locales lists the locales the library speaks, sorted.
func Locales() []string {
	codes := make([]string, 0, len(locales))
	for code := range locales {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// Templates returns the library in locale ("en" or "ms"). The slice is the caller's
// to change; the library itself stays as it is.
func Templates(locale string) ([]Template, error) {
	l, err := lookupLocale(locale)
	if err != nil {
		return nil, err
	}
	templates := make([]Template, len(templateKinds))
	for i, item := range templateKinds {
		templates[i] = Template{Key: item.key, Kind: item.kind, Prompt: l.prompts[item.key]}
	}
	return templates, nil
}

// AgreementLabels returns the five answer labels of a scale question, from 1
// (strongly disagree) to 5 (strongly agree), in locale.
func AgreementLabels(locale string) ([]string, error) {
	l, err := lookupLocale(locale)
	if err != nil {
		return nil, err
	}
	return slices.Clone(l.agreementLabels), nil
}

func lookupLocale(code string) (wording, error) {
	l, ok := locales[code]
	if !ok {
		return wording{}, fault.Invalidf("locale", "unknown locale %q, want one of %s", code, strings.Join(Locales(), ", "))
	}
	return l, nil
}
