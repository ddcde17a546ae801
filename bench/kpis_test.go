package bench

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// Loading without indexes leaves the tables with the indexes they had.
func TestLoadingWithoutIndexesKeepsTheIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		indexes := func() []string {
			var names []string
			query := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sales_deals' ORDER BY name"
			if db.Dialect == database.Postgres {
				query = "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'sales_deals' ORDER BY indexname"
			}
			require.NoError(t, db.Gorm.Raw(query).Scan(&names).Error)
			return names
		}
		before := indexes()
		require.NotEmpty(t, before)
		loaded := false
		err := withoutIndexes(t.Context(), db, []string{"sales_deals"}, func() error {
			loaded = true
			if db.Dialect == database.Postgres {
				require.Len(t, indexes(), 2, "only the primary key and the unique external id stay while loading")
			}
			return nil
		})
		require.NoError(t, err)
		require.True(t, loaded)
		require.Equal(t, before, indexes())
	})
}
