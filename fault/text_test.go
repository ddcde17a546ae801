package fault_test

import (
	"testing"

	"github.com/pulsehq/pulse/fault"
)

func TestTextProblem(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]string{
		"Café ☕":    "",
		"":          "",
		"a\x00b":    "holds a NUL byte, which text may not contain",
		"ab\xffc":   "is not valid UTF-8 (at byte 3)",
		"é\xc3":     "is not valid UTF-8 (at byte 3)",
		"\ufffd ok": "",
	} {
		if got := fault.TextProblem(s); got != want {
			t.Errorf("TextProblem(%q) = %q, want %q", s, got, want)
		}
	}
}
