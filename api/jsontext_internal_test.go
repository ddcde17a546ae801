package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/fault"
)

func TestTextProblemsNamesPathsInNestedArraysAndObjects(t *testing.T) {
	t.Parallel()
	body := `{"a": [1, {"b": ["ok", "x\u0000"]}, [["y` + "\xff" + `"]]], "c": {"d": "fine", "e\u0000": 2}, "f": "z\u0000"}`
	err := textProblems([]byte(body))
	var invalid *fault.Invalid
	require.ErrorAs(t, err, &invalid)
	var got []string
	for _, p := range invalid.Problems {
		got = append(got, p.Field+": "+p.Reason)
	}
	require.Equal(t, []string{
		"a[1].b[1]: holds a NUL byte, which text may not contain",
		"a[2][0][0]: is not valid UTF-8",
		"c: has a field name that holds a NUL byte, which text may not contain",
		"f: holds a NUL byte, which text may not contain",
	}, got)
	require.NoError(t, textProblems([]byte(`{"title": "Café ☕", "n": [1, 2.5, true, null]}`)))
	require.NoError(t, textProblems([]byte(`{"cut short`)), "a body that is not JSON is the decoder's to report")
}

// BenchmarkTextProblems checks a JSON deal batch near the 1 MB body limit,
// the largest body the API takes: clean (the common case), with one NUL at
// the end (the whole body is walked), and decoding it, for scale.
func BenchmarkTextProblems(b *testing.B) {
	deals := make([]map[string]any, 5000)
	for i := range deals {
		deals[i] = map[string]any{"external_id": fmt.Sprintf("D%05d", i), "owner_email": "ana@example.com",
			"amount": "12.500,00", "created_at": "2026-03-01", "outcome": "open", "stage": strings.Repeat("é", 40)}
	}
	clean, err := json.Marshal(map[string]any{"deals": deals})
	require.NoError(b, err)
	deals[len(deals)-1]["stage"] = "x\x00"
	dirty, err := json.Marshal(map[string]any{"deals": deals})
	require.NoError(b, err)
	for name, body := range map[string][]byte{"clean": clean, "one NUL": dirty} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				_ = textProblems(body)
			}
		})
	}
	b.Run("decoding, for scale", func(b *testing.B) {
		b.SetBytes(int64(len(clean)))
		for b.Loop() {
			var v struct{ Deals []map[string]string }
			require.NoError(b, json.Unmarshal(clean, &v))
		}
	})
}
