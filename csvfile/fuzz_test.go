package csvfile_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pulsehq/pulse/csvfile"
	"github.com/pulsehq/pulse/fault"
)

// FuzzRead: whatever the bytes, a file is read or refused with lines and
// reasons, never a panic, and what it reads is text a database can keep.
func FuzzRead(f *testing.F) {
	for _, seed := range []string{
		"email,name\n\"a@q.io,A\n",
		"name,skip,team\nAnn,x,Sales\n\n\"Bo\nB\",y,Ops\n",
		"\ufeffname,team\nA\x00nn,Sales\nBo,Op\xffs\n",
		"name,team\nAnn\nBo,Ops,extra\n",
		"\"name,team\n",
		"name,team\nA\"nn,Sales\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file string) {
		rows, err := csvfile.Read(strings.NewReader(file), spec)
		if err != nil {
			if _, ok := err.(*fault.Invalid); !ok {
				t.Fatalf("want *fault.Invalid, got %T %v", err, err)
			}
			return
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("row on line %d", r.Line)
			}
			for field, v := range r.Fields {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("line %d %s holds %q", r.Line, field, v)
				}
			}
		}
	})
}
