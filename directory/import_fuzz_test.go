package directory

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pulsehq/pulse/database/dbtest"
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

// FuzzImport runs whole imports against a real database: a file is refused
// with every problem on a line or a field and with a reason, or stored; a stored file
// imported again changes nothing and counts every row unchanged.
func FuzzImport(f *testing.F) {
	d := New(dbtest.SQLite(f).Gorm, time.Now)
	f.Add("email,name,team,manager_email,role,timezone,locale\n" +
		"ana@example.com,Ana,Sales,,manager,Europe/Berlin,en\nbo@example.com,Bo,Sales,ana@example.com,employee,,ms\n")
	f.Fuzz(func(t *testing.T, file string) {
		first, err := d.Import(t.Context(), strings.NewReader(file))
		if err != nil {
			invalid, ok := errors.AsType[*fault.Invalid](err)
			if !ok || len(invalid.Problems) == 0 {
				t.Fatalf("want *fault.Invalid with problems, got %T %v", err, err)
			}
			for _, p := range invalid.Problems {
				if (p.Line == 0 && p.Field == "") || p.Reason == "" {
					t.Fatalf("problem %+v names neither a line nor a field, or no reason", p)
				}
			}
			return
		}
		again, err := d.Import(t.Context(), strings.NewReader(file))
		if err != nil {
			t.Fatalf("a file stored once is refused the second time: %v", err)
		}
		rows := first.Created + first.Updated + first.Unchanged
		if again.Created != 0 || again.Updated != 0 || len(again.TeamsCreated) != 0 || again.Unchanged != rows {
			t.Fatalf("imported %+v, then again %+v: want all %d rows unchanged", first, again, rows)
		}
	})
}
