package fault

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TextProblem says why s cannot be kept as text, or "" when it can.
// PostgreSQL refuses a NUL byte or invalid UTF-8 in a text column (a 500
// if it gets that far) and SQLite stores them raw, so every way in checks
// its strings with this and names the field.
func TextProblem(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		return "holds a NUL byte, which text may not contain"
	}
	if !utf8.ValidString(s) {
		return fmt.Sprintf("is not valid UTF-8 (at byte %d)", InvalidUTF8At(s))
	}
	return ""
}

// InvalidUTF8At is the position (from 1) of the first byte of s that is not
// UTF-8, or 0 when s is valid UTF-8.
func InvalidUTF8At(s string) int {
	if utf8.ValidString(s) {
		return 0
	}
	return firstInvalid(s) + 1
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}
