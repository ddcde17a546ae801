package directory

import (
	"strings"
	"testing"

	"github.com/pulsehq/pulse/fault"
)

// FuzzReadImportCSV: any upload is read or refused with its lines, never
// a panic (a quote opened in a row's first cell once answered 500).
func FuzzReadImportCSV(f *testing.F) {
	for _, seed := range []string{
		"email,name\n\"a@q.io,A\n",
		"email,name,team,manager_email,role\nana@example.com,Ana,Sales,,employee\nbo@example.com,Bo,Sales,ana@example.com,manager\n",
		"email,name\nA\x00B,x\nC\xffD,y\n",
		"mail,name\nx@example.com,X\n",
		"email,name,email\n",
		"\ufeffemail,name\n\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file string) {
		rows, err := readImportCSV(strings.NewReader(file))
		if err != nil {
			if _, ok := err.(*fault.Invalid); !ok {
				t.Fatalf("want *fault.Invalid, got %T %v", err, err)
			}
			return
		}
		for _, r := range rows {
			for column := range r.fields {
				if !strings.Contains(strings.Join(ImportColumns, ","), column) {
					t.Fatalf("line %d has column %q", r.line, column)
				}
			}
		}
	})
}
