package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// "12.500,00" is twelve thousand five hundred, not 12.50; "12,500" could be
// either, so it is refused with both readings rather than guessed.
func TestAmountsAreReadTheWayTheyWereWritten(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		csv := "Opportunity ID,Opportunity Owner,Amount,Stage,Created Date,Close Date\n" +
			"E1,rep@example.com,\"12.500,00\",Closed Won,2026-02-01,2026-03-03\n" +
			"E2,rep@example.com,\"12,500.00\",Closed Won,2026-02-01,2026-03-03\n" +
			"E3,rep@example.com,\"€ 12.500,00\",Closed Won,2026-02-01,2026-03-03\n" +
			"E4,rep@example.com,12500,Closed Won,2026-02-01,2026-03-03\n"
		res := b.do("POST", "/api/v1/sales/deals/import", b.hrToken, csv)
		require.Equal(t, 200, res.Status, string(res.Body))
		res = b.do("POST", "/api/v1/sales/deals", b.hrToken, map[string]any{"deals": []map[string]any{
			{"external_id": "J1", "owner_email": "rep@example.com", "amount": "12.500,00", "created_at": "2026-03-01", "outcome": "open"},
			{"external_id": "J2", "owner_email": "rep@example.com", "amount": 12500, "created_at": "2026-03-01", "outcome": "open"},
		}})
		require.Equal(t, 200, res.Status, string(res.Body))
		var cents []int64
		require.NoError(t, db.Gorm.Table("sales_deals").Order("external_id").Pluck("amount_cents", &cents).Error)
		require.Equal(t, []int64{1_250_000, 1_250_000, 1_250_000, 1_250_000, 1_250_000, 1_250_000}, cents)

		bad := "Opportunity ID,Opportunity Owner,Amount,Stage,Created Date,Close Date\n" +
			"A1,rep@example.com,\"12,500\",Closed Won,2026-02-01,2026-03-03\n" +
			"A2,rep@example.com,12.500,Closed Won,2026-02-01,2026-03-03\n"
		require.Equal(t, []string{
			`2 amount: is ambiguous: "12,500" is 12500 with "," separating thousands, or 12.5 with "," as the decimal mark; write 12500, 12500.00 or 12.5`,
			`3 amount: is ambiguous: "12.500" is 12500 with "." separating thousands, or 12.5 with "." as the decimal mark; write 12500, 12500.00 or 12.5`,
		}, problemsOf(t, b.do("POST", "/api/v1/sales/deals/import", b.hrToken, bad)))
		require.Equal(t, []string{
			`quotas[0].amount: is ambiguous: "20.000" is 20000 with "." separating thousands, or 20 with "." as the decimal mark; write 20000, 20000.00 or 20`,
		}, problemsOf(t, b.do("POST", "/api/v1/sales/quotas", b.hrToken, map[string]any{"quotas": []map[string]any{
			{"owner_email": "rep@example.com", "period": "2026-03", "amount": "20.000"}}})))
	})
}
