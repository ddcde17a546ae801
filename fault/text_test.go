package fault_test

import (
	"reflect"
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

// A reason keeps what it was written from, also when another checker
// relays it, so the API can write it again in another language.
func TestCheckerKeepsTheSourceOfEveryReason(t *testing.T) {
	t.Parallel()
	var inner fault.Checker
	inner.Add("title", "is required")
	inner.Addf("name", "must be at most %d characters", 100)
	var outer fault.Checker
	outer.Relay(7, inner.Err().(*fault.Invalid))
	inv := outer.Err().(*fault.Invalid)
	want := []fault.Problem{{Line: 7, Field: "title", Reason: "is required"},
		{Line: 7, Field: "name", Reason: "must be at most 100 characters"}}
	if !reflect.DeepEqual(inv.Problems, want) {
		t.Fatalf("problems = %+v, want %+v", inv.Problems, want)
	}
	if got := inv.SourceOf(0); got.Format != "" {
		t.Errorf("a reason given whole has no format, got %+v", got)
	}
	if got := inv.SourceOf(1); got.Format != "must be at most %d characters" || !reflect.DeepEqual(got.Args, []any{100}) {
		t.Errorf("source = %+v", got)
	}
	if got := inv.SourceOf(2); got.Format != "" {
		t.Errorf("past the end: %+v", got)
	}
	conflict := fault.Conflictf("survey %d is archived", 4).(*fault.Conflict)
	if conflict.Message != "survey 4 is archived" || conflict.Source.Format != "survey %d is archived" {
		t.Errorf("conflict = %+v", conflict)
	}
}
