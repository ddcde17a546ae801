package api

import (
	"context"
	"io"
	"net/http"
	"slices"

	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/sales"
)

// salesRoutes are the sales KPIs and their view alongside eNPS (PRODUCT.md
// section 6). Imports are for HR; KPIs for anyone within their scope; the
// alongside view, which holds team eNPS, for managers and HR.
func (s *Server) salesRoutes() []route {
	const tag = "sales"
	when := []param{
		{"group_by", "string", "week, month (default) or quarter; weeks start on Monday, periods are counted in UTC"},
		{"from", "string", "the first period is the one holding this date (default: 12 months, 13 weeks or 4 quarters back)"},
		{"to", "string", "periods starting before this date (default: through the current period)"},
	}
	imports := slices.Concat(
		salesImports(s, "deals", (*sales.Service).ImportDeals, (*sales.Service).ImportDealBatch,
			"Upsert deals from a CRM export by external id; all-or-nothing, every bad line reported (headers in the README)",
			"Upsert a JSON batch of deals by external id; all-or-nothing"),
		salesImports(s, "activities", (*sales.Service).ImportActivities, (*sales.Service).ImportActivityBatch,
			"Upsert activities (call, meeting, email, follow_up) from CSV by external id; all-or-nothing",
			"Upsert a JSON batch of activities by external id; all-or-nothing"),
		salesImports(s, "leads", (*sales.Service).ImportLeads, (*sales.Service).ImportLeadBatch,
			"Upsert leads from CSV by external id; all-or-nothing",
			"Upsert a JSON batch of leads by external id; all-or-nothing"),
		salesImports(s, "quotas", (*sales.Service).ImportQuotas, (*sales.Service).ImportQuotaBatch,
			"Upsert quotas (owner, period 2026-03 or 2026-Q2, amount) from CSV by owner and period; all-or-nothing",
			"Upsert a JSON batch of quotas by owner and period; all-or-nothing"),
		salesImports(s, "spend", (*sales.Service).ImportSpend, (*sales.Service).ImportSpendBatch,
			"Upsert company-wide sales and marketing spend per month or quarter from CSV by period; all-or-nothing",
			"Upsert a JSON batch of spend by period; all-or-nothing"),
	)
	return append(imports, []route{
		{method: http.MethodGet, path: "/api/v1/sales/imports", handler: s.salesImportHistory, access: hrOnly, paged: true, tag: tag,
			summary: "What was imported when: every sales import (CSV or JSON batch), newest first, with its kind, status (applying, done, undone), start and end, and the rows it created and updated",
			query:   []param{{"kind", "string", "only deals, activities, leads, quotas or spend"}}, result: []batchimport.Record{}},
		{method: http.MethodGet, path: "/api/v1/sales/kpis", handler: s.salesKPIs, access: signedIn, tag: tag,
			summary: "Sales KPIs per period for a team (with sub-teams, then each of its reps), a rep, or (HR, no filter) the company; " +
				"without a filter a non-HR viewer gets their own numbers. A KPI that cannot be computed is null with a reason; " +
				"a period not over yet is marked in_progress (its figures are partial)",
			query: append([]param{{"team_id", "integer", "a team you lead (or any, for HR)"},
				{"rep_id", "integer", "a rep in your scope (yourself, for an employee)"}}, when...),
			result: sales.KPIReport{}},
		{method: http.MethodGet, path: "/api/v1/sales/alongside", handler: s.salesAlongside, access: leadership, tag: tag,
			summary: "Per sales team and period, team eNPS (suppressed below the anonymity threshold) next to the KPIs, " +
				"and Spearman's rho between them over finished team-periods (\"not enough data\" below 8 pairs, or the one reason " +
				"a KPI is missing from every team-period, as for CAC and CLV, which are never per team); never per rep",
			query:  append([]param{{"survey_id", "integer", "the survey whose eNPS question is used (required)"}}, when...),
			result: sales.Alongside{}},
	}...)
}

// salesImports are the two ways in for one kind of sales data: a CSV file
// and its JSON batch twin, both HR's, both all-or-nothing.
func salesImports[B any](s *Server, kind string,
	csvRun func(*sales.Service, context.Context, io.Reader) (sales.ImportResult, error),
	batchRun func(*sales.Service, context.Context, B) (sales.ImportResult, error),
	csvSummary, batchSummary string) []route {
	var batch B
	return []route{
		{method: http.MethodPost, path: "/api/v1/sales/" + kind + "/import", handler: s.salesCSVImport(csvRun),
			access: hrOnly, tag: "sales", csvBody: true, result: sales.ImportResult{}, summary: csvSummary},
		{method: http.MethodPost, path: "/api/v1/sales/" + kind, handler: salesBatchImport(s, batchRun),
			access: hrOnly, tag: "sales", body: batch, result: sales.ImportResult{}, summary: batchSummary},
	}
}
