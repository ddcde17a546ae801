package sales

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// A process that dies part-way through a deals import leaves it applying:
// a second deals import meanwhile is refused (another kind is not), and
// once the import has been silent for a minute it is undone.
func TestAbandonedCRMImportIsUndone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		ana, err := directory.New(db.Gorm, clock).CreateEmployee(t.Context(), directory.EmployeeInput{Email: "ana@example.com", Name: "Ana"})
		require.NoError(t, err)
		svc := New(db.Gorm, clock, nil)
		_, err = svc.ImportDeals(t.Context(), strings.NewReader(dealsFile(3, 0)))
		require.NoError(t, err)
		before := dbtest.Dump(t, db)["sales_deals"]

		var deals []Deal
		for i := range 2*importBatch + 3 {
			deals = append(deals, Deal{ExternalID: fmt.Sprint("D", i), OwnerID: ana.ID, AmountCents: 99, Outcome: Open,
				Created: now, ImportedAt: now})
		}
		run, err := svc.imports["deals"].Start(t.Context())
		require.NoError(t, err)
		var res ImportResult
		for _, batch := range [][]Deal{deals[:importBatch], deals[importBatch : 2*importBatch]} {
			require.NoError(t, run.Batch(t.Context(), func(tx *gorm.DB) ([]batchimport.Entry, error) {
				return dealTable.writeBatch(tx, batch, &res)
			}))
		} // the process dies here

		_, err = svc.ImportDeals(t.Context(), strings.NewReader(dealsFile(3, 1)))
		_, conflict := errors.AsType[*fault.Conflict](err)
		require.True(t, conflict, "an import still applying is not undone under it: %v", err)
		require.ErrorContains(t, err, "another deals import is being applied")
		_, err = svc.ImportSpend(t.Context(), strings.NewReader("period,sales_cost,marketing_cost\n2026-01,1,2\n"))
		require.NoError(t, err, "imports of other kinds go on")
		require.NoError(t, svc.UndoAbandonedImports(context.Background()))
		require.NotEqual(t, before, dbtest.Dump(t, db)["sales_deals"], "an import silent for less than a minute is alive")

		now = now.Add(batchimport.Stale + time.Second)
		require.NoError(t, svc.UndoAbandonedImports(context.Background()))
		dump := dbtest.Dump(t, db)
		require.Equal(t, before, dump["sales_deals"], "the deals it overwrote are back, those it created gone")
		require.Empty(t, dump["sales_import_undo"])
		var statuses []string
		require.NoError(t, db.Gorm.Table("sales_imports").Where("kind = ?", "deals").Order("id").Pluck("status", &statuses).Error)
		require.Equal(t, []string{"done", "undone"}, statuses)
	})
}

func dealsFile(n, v int) string {
	var b strings.Builder
	b.WriteString("external_id,owner_email,amount,created_at,outcome\n")
	for i := range n {
		fmt.Fprintf(&b, "D%d,ana@example.com,%d,2026-01-05,open\n", i, 100+i+v)
	}
	return b.String()
}
