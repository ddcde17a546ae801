package sales_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
)

// crmTeam is a directory where two active people share a name and one
// person has left.
func crmTeam(t testing.TB, db *database.DB) (*sales.Service, map[string]int64) {
	t.Helper()
	clock := func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
	dir := directory.New(db.Gorm, clock)
	ids := map[string]int64{}
	for email, name := range map[string]string{"ana@example.com": "Ana Lopez", "ben@example.com": "Ben Okafor",
		"sam1@example.com": "Sam Lee", "sam2@example.com": "Sam Lee", "olga@example.com": "Olga Ivanova"} {
		e, err := dir.CreateEmployee(t.Context(), directory.EmployeeInput{Email: email, Name: name, Role: directory.RoleEmployee})
		require.NoError(t, err)
		ids[email] = e.ID
	}
	_, err := dir.DeactivateEmployee(t.Context(), ids["olga@example.com"])
	require.NoError(t, err)
	return sales.New(db.Gorm, clock, survey.NewService(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"))), ids
}

func openTestdata(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

type storedDeal struct {
	ExternalID  string
	OwnerID     int64
	AmountCents int64
	Currency    string
	Outcome     string
	Closed      *time.Time
}

func storedDeals(t *testing.T, db *database.DB) []storedDeal {
	t.Helper()
	var deals []sales.Deal
	require.NoError(t, db.Gorm.Order("external_id").Find(&deals).Error)
	out := make([]storedDeal, len(deals))
	for i, d := range deals {
		out[i] = storedDeal{d.ExternalID, d.OwnerID, d.AmountCents, d.Currency, d.Outcome, nil}
		if d.Closed != nil {
			c := d.Closed.UTC()
			out[i].Closed = &c
		}
	}
	return out
}

func at(s string) *time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// Exports as Salesforce, HubSpot and Pipedrive write them, headers and all.
func TestCRMExportsAreReadAsTheyCome(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		svc, ids := crmTeam(t, db)
		t.Run("Salesforce: the owner's email wins over their name", func(t *testing.T) {
			res, err := svc.ImportDeals(t.Context(), openTestdata(t, "salesforce_opportunities.csv"))
			require.NoError(t, err)
			require.Equal(t, sales.ImportResult{Created: 3}, res)
			require.Equal(t, []storedDeal{
				{"0065g00000AbCdE", ids["sam1@example.com"], 1_250_000, "USD", sales.Won, at("2026-02-10 00:00:00")},
				{"0065g00000AbCdF", ids["sam2@example.com"], 800_000, "USD", sales.Lost, at("2026-03-01 00:00:00")},
				{"0065g00000AbCdG", ids["ana@example.com"], 300_000, "USD", sales.Open, nil},
			}, storedDeals(t, db), "two Sam Lees are told apart by the email column")
			require.NoError(t, db.Gorm.Exec("DELETE FROM sales_deals").Error)
		})
		t.Run("HubSpot: the deal owner is a name", func(t *testing.T) {
			_, err := svc.ImportDeals(t.Context(), openTestdata(t, "hubspot_deals.csv"))
			require.NoError(t, err)
			require.Equal(t, []storedDeal{
				{"15830214557", ids["ana@example.com"], 420_000, "", sales.Won, at("2026-02-20 16:30:00")},
				{"15830214558", ids["ben@example.com"], 180_050, "", sales.Lost, at("2026-02-21 08:00:00")},
				{"15830214559", ids["ben@example.com"], 95_000, "", sales.Open, nil},
			}, storedDeals(t, db), "names match whatever their case and spacing")
			require.NoError(t, db.Gorm.Exec("DELETE FROM sales_deals").Error)
		})
		t.Run("Pipedrive: prefixed headers, a name, won and lost times", func(t *testing.T) {
			_, err := svc.ImportDeals(t.Context(), openTestdata(t, "pipedrive_deals.csv"))
			require.NoError(t, err)
			require.Equal(t, []storedDeal{
				{"101", ids["ana@example.com"], 1_250_000, "EUR", sales.Won, at("2026-02-14 15:20:00")},
				{"102", ids["ben@example.com"], 800_000, "EUR", sales.Lost, at("2026-02-20 11:00:00")},
				{"103", ids["ana@example.com"], 300_000, "EUR", sales.Open, nil},
			}, storedDeals(t, db), "the deal's owner, not its organization's")
			require.NoError(t, db.Gorm.Exec("DELETE FROM sales_deals").Error)
		})
		t.Run("owners no one can be sure of refuse the file with their lines", func(t *testing.T) {
			_, err := svc.ImportDeals(t.Context(), openTestdata(t, "hubspot_deals_unmatched.csv"))
			require.Equal(t, []string{
				`3 owner_email: 2 active employees are called "Sam Lee"; export the owner's email to say which`,
				`4 owner_email: no active employee is called "Olga Ivanova"; export the owner's email too, or add them to the directory`,
				`5 owner_email: no active employee is called "Nobody Here"; export the owner's email too, or add them to the directory`,
			}, lineProblems(t, err))
			require.Zero(t, count(t, db, "sales_deals"), "not even line 2, whose owner is known")
		})
	})
}

func lineProblems(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, p := range problems(t, err) {
		out = append(out, fmt.Sprintf("%d %s: %s", p.Line, p.Field, p.Reason))
	}
	return out
}
