package sales_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/sales"
)

// FuzzImport runs whole imports of each of the five kinds (deals,
// activities, leads, quotas, spend) against a real database: a file is
// refused with every problem named (a line or a field, and a reason), or
// stored; and a stored file imported again creates nothing and updates
// every row it created or updated the first time.
func FuzzImport(f *testing.F) {
	svc, _ := crmTeam(f, dbtest.SQLite(f))
	kinds := []func(context.Context, io.Reader) (sales.ImportResult, error){
		svc.ImportDeals, svc.ImportActivities, svc.ImportLeads, svc.ImportQuotas, svc.ImportSpend,
	}
	f.Add(uint8(0), salesforceDeals)
	f.Fuzz(func(t *testing.T, kind uint8, file string) {
		importFile := kinds[int(kind)%len(kinds)]
		first, err := importFile(t.Context(), strings.NewReader(file))
		if err != nil {
			checkRefusal(t, err)
			return
		}
		again, err := importFile(t.Context(), strings.NewReader(file))
		if err != nil {
			t.Fatalf("a file stored once is refused the second time: %v", err)
		}
		if again != (sales.ImportResult{Updated: first.Created + first.Updated}) {
			t.Fatalf("imported %+v, then again %+v: want every row updated in place", first, again)
		}
	})
}

func checkRefusal(t *testing.T, err error) {
	if _, ok := errors.AsType[*fault.Conflict](err); ok {
		return
	}
	invalid, ok := errors.AsType[*fault.Invalid](err)
	if !ok || len(invalid.Problems) == 0 {
		t.Fatalf("want a refusal naming its problems, got %T %v", err, err)
	}
	for _, p := range invalid.Problems {
		if p.Reason == "" || (p.Line == 0 && p.Field == "") {
			t.Fatalf("problem %+v names neither a line nor a field, or no reason", p)
		}
	}
}
