package sales

import (
	"strings"
	"testing"

	"github.com/pulsehq/pulse/fault"
)

// fuzzImport checks one importer's parse step: whatever the bytes, the file
// is read into known fields or refused with its lines, never a panic.
func fuzzImport(f *testing.F, what string, cols []column, seeds ...string) {
	for _, seed := range seeds {
		f.Add(seed)
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.field] = true
	}
	f.Fuzz(func(t *testing.T, file string) {
		rows, err := readCSV(strings.NewReader(file), what, cols)
		if err != nil {
			if _, ok := err.(*fault.Invalid); !ok {
				t.Fatalf("want *fault.Invalid, got %T %v", err, err)
			}
			return
		}
		for _, r := range rows {
			for field, v := range r.f {
				if !known[field] {
					t.Fatalf("line %d has field %q", r.line, field)
				}
				if field == "amount" || strings.HasSuffix(field, "_cost") {
					_, _ = parseCents(v)
				}
			}
		}
	})
}

func FuzzReadDeals(f *testing.F) {
	fuzzImport(f, "deals", DealColumns,
		"Opportunity ID,Opportunity Owner,Opportunity Owner Email,Amount,Stage,Created Date,Close Date,Won,Closed\n"+
			"006A,Ana Lopez,ana@example.com,\"12.500,00\",Closed Won,2026-01-05,2026-02-10,1,1\n",
		"\"Deal - ID\",\"Deal - Owner\",\"Deal - Value\",\"Deal - Status\",\"Deal - Deal created\",\"Deal - Won time\",\"Deal - Lost time\"\n"+
			"101,Ana Lopez,12500,won,2026-01-10 09:00:00,2026-02-14 15:20:00,\n",
		"Record ID,Deal owner,Amount,Deal Stage,Create Date\n\"9001,Ana,1,closedwon,2026-02-01\n",
		"external_id,owner_email,amount,created_at\nD\x001,a@q.io,1,2026-01-01\n")
}

func FuzzReadActivities(f *testing.F) {
	fuzzImport(f, "activities", ActivityColumns,
		"Activity ID,Assigned To,Type,Date,Opportunity ID\nA1,ana@example.com,Call,2026-03-02,006A\n",
		"\"Activity - ID\",\"Activity - Assigned to user\",\"Activity - Type\",\"Activity - Due date\"\n1,Ana Lopez,call,2026-03-02\n",
		"id,owner,type,date\n\"A9,ana@example.com,lunch,2026-03-02\n")
}

func FuzzReadLeads(f *testing.F) {
	fuzzImport(f, "leads", LeadColumns,
		"Lead ID,Lead Owner,Created Date,First Response,Converted\nL1,ana@example.com,2026-03-01T10:00:00Z,,true\n",
		"id,created\nL\xff2,2026-03-02\n")
}

func FuzzReadQuotas(f *testing.F) {
	fuzzImport(f, "quotas", QuotaColumns,
		"owner_email,period,amount\nana@example.com,2026-03,\"20.000,00\"\n",
		"Owner,Owner Email,Quarter,Quota\nAna Lopez,ana@example.com,2026-Q1,30000\n")
}

func FuzzReadSpend(f *testing.F) {
	fuzzImport(f, "spend", SpendColumns,
		"period,sales_cost,marketing_cost\n2026-03,\"30,000.00\",15000\n",
		"month,sales cost,marketing cost\n\"2026-03,1,2\n")
}

// FuzzParseCents: an amount is refused or read as a whole number of cents
// that its digits agree with.
func FuzzParseCents(f *testing.F) {
	for _, seed := range []string{"12500", "12.500,00", "12,500.00", "12,500", "€ 1.234.567,89", "0,5", "-5", "1e5", ".5", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cents, err := parseCents(s)
		if err != nil {
			return
		}
		if cents < 0 || cents > 100_000_000_000_000_000 {
			t.Fatalf("%q read as %d cents", s, cents)
		}
		if whole := strings.IndexFunc(s, func(r rune) bool { return r >= '1' && r <= '9' }); whole < 0 && cents != 0 {
			t.Fatalf("%q has no digit but zeros, read as %d cents", s, cents)
		}
	})
}
