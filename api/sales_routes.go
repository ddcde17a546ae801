package api

import (
	"net/http"

	"github.com/pulsehq/pulse/sales"
)

// salesRoutes are the sales KPIs and their view alongside eNPS (PRODUCT.md
// section 6). Imports are for HR; KPIs for anyone within their scope; the
// alongside view, which holds team eNPS, for managers and HR.
func (s *Server) salesRoutes() []route {
	const tag = "sales"
	post := http.MethodPost
	when := []param{
		{"group_by", "string", "week, month (default) or quarter; weeks start on Monday, periods are counted in UTC"},
		{"from", "string", "the first period is the one holding this date (default: 12 months, 13 weeks or 4 quarters back)"},
		{"to", "string", "periods starting before this date (default: through the current period)"},
	}
	return []route{
		{method: post, path: "/api/v1/sales/deals/import", handler: s.salesCSVImport((*sales.Service).ImportDeals),
			access: hrOnly, tag: tag, csvBody: true, result: sales.ImportResult{},
			summary: "Upsert deals from a CRM export by external id; all-or-nothing, every bad line reported (headers in the README)"},
		{method: post, path: "/api/v1/sales/deals", handler: salesBatchImport(s, (*sales.Service).ImportDealBatch),
			access: hrOnly, tag: tag, body: sales.DealBatch{}, result: sales.ImportResult{},
			summary: "Upsert a JSON batch of deals by external id; all-or-nothing"},
		{method: post, path: "/api/v1/sales/activities/import", handler: s.salesCSVImport((*sales.Service).ImportActivities),
			access: hrOnly, tag: tag, csvBody: true, result: sales.ImportResult{},
			summary: "Upsert activities (call, meeting, email, follow_up) from CSV by external id; all-or-nothing"},
		{method: post, path: "/api/v1/sales/activities", handler: salesBatchImport(s, (*sales.Service).ImportActivityBatch),
			access: hrOnly, tag: tag, body: sales.ActivityBatch{}, result: sales.ImportResult{},
			summary: "Upsert a JSON batch of activities by external id; all-or-nothing"},
		{method: post, path: "/api/v1/sales/leads/import", handler: s.salesCSVImport((*sales.Service).ImportLeads),
			access: hrOnly, tag: tag, csvBody: true, result: sales.ImportResult{},
			summary: "Upsert leads from CSV by external id; all-or-nothing"},
		{method: post, path: "/api/v1/sales/leads", handler: salesBatchImport(s, (*sales.Service).ImportLeadBatch),
			access: hrOnly, tag: tag, body: sales.LeadBatch{}, result: sales.ImportResult{},
			summary: "Upsert a JSON batch of leads by external id; all-or-nothing"},
		{method: post, path: "/api/v1/sales/quotas/import", handler: s.salesCSVImport((*sales.Service).ImportQuotas),
			access: hrOnly, tag: tag, csvBody: true, result: sales.ImportResult{},
			summary: "Upsert quotas (owner, period 2026-03 or 2026-Q2, amount) from CSV by owner and period; all-or-nothing"},
		{method: post, path: "/api/v1/sales/quotas", handler: salesBatchImport(s, (*sales.Service).ImportQuotaBatch),
			access: hrOnly, tag: tag, body: sales.QuotaBatch{}, result: sales.ImportResult{},
			summary: "Upsert a JSON batch of quotas by owner and period; all-or-nothing"},
		{method: post, path: "/api/v1/sales/spend/import", handler: s.salesCSVImport((*sales.Service).ImportSpend),
			access: hrOnly, tag: tag, csvBody: true, result: sales.ImportResult{},
			summary: "Upsert company-wide sales and marketing spend per month or quarter from CSV by period; all-or-nothing"},
		{method: post, path: "/api/v1/sales/spend", handler: salesBatchImport(s, (*sales.Service).ImportSpendBatch),
			access: hrOnly, tag: tag, body: sales.SpendBatch{}, result: sales.ImportResult{},
			summary: "Upsert a JSON batch of spend by period; all-or-nothing"},
		{method: http.MethodGet, path: "/api/v1/sales/kpis", handler: s.salesKPIs, access: signedIn, tag: tag,
			summary: "Sales KPIs per period for a team (with sub-teams, then each of its reps), a rep, or (HR, no filter) the company; " +
				"without a filter a non-HR viewer gets their own numbers. A KPI that cannot be computed is null with a reason",
			query: append([]param{{"team_id", "integer", "a team you lead (or any, for HR)"},
				{"rep_id", "integer", "a rep in your scope (yourself, for an employee)"}}, when...),
			result: sales.KPIReport{}},
		{method: http.MethodGet, path: "/api/v1/sales/alongside", handler: s.salesAlongside, access: leadership, tag: tag,
			summary: "Per sales team and period, team eNPS (suppressed below the anonymity threshold) next to the KPIs, " +
				"and Spearman's rho between them over team-periods (\"not enough data\" below 8 pairs); never per rep",
			query:  append([]param{{"survey_id", "integer", "the survey whose eNPS question is used (required)"}}, when...),
			result: sales.Alongside{}},
	}
}
