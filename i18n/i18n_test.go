package i18n_test

import (
	"errors"
	"regexp"
	"slices"
	"testing"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/i18n"
)

func TestText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		locale, format string
		args           []any
		want           string
	}{
		{"ms", "must be at most %d characters", []any{200}, "mesti tidak melebihi 200 aksara"},
		{"ms-MY", "is required", nil, "diperlukan"},
		{"en", "must be at most %d characters", []any{200}, "must be at most 200 characters"},
		{"", "is required", nil, "is required"},
		{"fr", "is required", nil, "is required"},
		{"ms", "a message nobody has translated (%d)", []any{7}, "a message nobody has translated (7)"},
		// A word given as an argument stays as the API spells it.
		{"ms", "not used with kind %s", []any{"weekly"}, "tidak digunakan dengan jenis weekly"},
		// A CSV cell that is not text, as csvfile reports it.
		{"ms", "column %d is not valid UTF-8 (at byte %d); save the file as UTF-8", []any{3, 2},
			"lajur 3 bukan UTF-8 yang sah (pada bait 2); simpan fail sebagai UTF-8"},
		{"ms", "column %d %s", []any{1, "holds a NUL byte, which text may not contain"},
			"lajur 1 mengandungi bait NUL, yang tidak boleh ada dalam teks"},
		// A reason carried inside another is translated too.
		{"ms", "has a field name that %s", []any{"is not valid UTF-8"}, "mempunyai nama medan yang bukan UTF-8 yang sah"},
		{"ms", "this conversation is closed: %v",
			[]any{errors.New("the author of this comment did not allow replies, or the time to reply has run out")},
			"perbualan ini telah ditutup: penulis komen ini tidak membenarkan balasan, atau masa untuk membalas telah tamat"},
		// A reason kept with its source inside another, as sales' amounts are.
		{"ms", "%v", []any{fault.Reasonf("%w, not %q", fault.Reasonf("must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00"), "lots")},
			`mesti amaun seperti 12500, 12500.00, 12,500.00 atau 12.500,00, bukan "lots"`},
		{"en", "%v", []any{fault.Reasonf("%w, not %q", fault.Reasonf("must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00"), "lots")},
			`must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "lots"`},
	} {
		if got := i18n.Text(c.locale, c.format, c.args...); got != c.want {
			t.Errorf("Text(%q, %q) = %q, want %q", c.locale, c.format, got, c.want)
		}
	}
}

// untranslatable are formats made only of verbs and field names.
var untranslatable = map[string]bool{"%s": true, "%v": true, "won %v": true, "is_closed %v": true}

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestMalayKeepsTheVerbs: a translation that drops, adds or reorders a verb
// would print %!d(MISSING) or put a value in the wrong place.
func TestMalayKeepsTheVerbs(t *testing.T) {
	t.Parallel()
	for english, malay := range i18n.Catalogue(i18n.Malay) {
		if e, m := verb.FindAllString(english, -1), verb.FindAllString(malay, -1); !slices.Equal(e, m) {
			t.Errorf("%q has verbs %v, its Malay %q has %v", english, e, malay, m)
		}
		if malay == english && !untranslatable[english] {
			t.Errorf("%q is not translated", english)
		}
	}
}
