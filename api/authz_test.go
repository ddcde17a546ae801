package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// Who may call each route. Adding a route without a line here fails
// TestEveryRouteIsAuthorized, so no route escapes this test.
var routeAccess = map[string]string{
	"GET /":                                 "public",
	"GET /static/*":                         "public",
	"GET /healthz":                          "public",
	"GET /signin":                           "public",
	"POST /slack/interactions":              "slack",
	"POST /slack/commands":                  "slack",
	"POST /slack/events":                    "slack",
	"GET /readyz":                           "public",
	"GET /api/v1/openapi.json":              "public",
	"GET /api/v1/me":                        "any",
	"PATCH /api/v1/me/preferences":          "any",
	"GET /api/v1/me/teams":                  "any",
	"GET /api/v1/teams":                     "any",
	"GET /api/v1/teams/:id":                 "any",
	"POST /api/v1/teams":                    "hr",
	"PATCH /api/v1/teams/:id":               "hr",
	"POST /api/v1/teams/:id/deactivate":     "hr",
	"GET /api/v1/employees":                 "any",
	"GET /api/v1/employees/:id":             "any",
	"POST /api/v1/employees":                "hr",
	"PATCH /api/v1/employees/:id":           "hr",
	"POST /api/v1/employees/:id/deactivate": "hr",
	"POST /api/v1/employees/import":         "hr",
	"GET /api/v1/employees/imports":         "hr",
	"GET /api/v1/sessions":                  "any",
	"DELETE /api/v1/sessions/:id":           "any",
	"GET /api/v1/rounds/:id/deliveries":     "hr",
	"GET /api/v1/settings/anonymity":        "leadership",
	"PUT /api/v1/settings/anonymity":        "hr",
	"GET /api/v1/survey-templates":          "leadership",
	"GET /api/v1/surveys":                   "leadership",
	"POST /api/v1/surveys":                  "hr",
	"GET /api/v1/surveys/:id":               "leadership",
	"PATCH /api/v1/surveys/:id":             "hr",
	"POST /api/v1/surveys/:id/archive":      "hr",
	"GET /api/v1/surveys/:id/schedule":      "leadership",
	"POST /api/v1/schedule/preview":         "hr",
	"POST /api/v1/audience/preview":         "hr",
	"POST /api/v1/surveys/:id/rounds":       "hr",
	"GET /api/v1/surveys/:id/rounds":        "hr",
	"GET /api/v1/surveys/:id/results":       "leadership",
	"GET /api/v1/surveys/:id/results.csv":   "leadership",
	"GET /api/v1/surveys/:id/heatmap":       "leadership",
	"GET /api/v1/surveys/:id/drivers":       "leadership",
	"GET /api/v1/surveys/:id/comments":      "leadership",
	"POST /api/v1/comments/:id/replies":     "leadership",
	"GET /api/v1/comments/:id/replies":      "leadership",
	"GET /api/v1/me/conversations":          "any",
	"POST /api/v1/me/conversations":         "any",
	"GET /api/v1/me/rounds":                 "any",
	"GET /api/v1/rounds/:id":                "any",
	"POST /api/v1/rounds/:id/close":         "hr",
	"POST /api/v1/rounds/:id/answers":       "any",
	"GET /api/v1/rounds/:id/answers":        "any",
	"GET /api/v1/tokens":                    "any",
	"POST /api/v1/tokens":                   "any",
	"DELETE /api/v1/tokens/:id":             "any",
	"DELETE /api/v1/session":                "any",
	"GET /api/v1/audit":                     "hr",

	// One-on-ones: every role may call them; only participants get past 404.
	"GET /api/v1/one-on-ones":                            "any",
	"POST /api/v1/one-on-ones":                           "any",
	"GET /api/v1/one-on-ones/:id":                        "any",
	"GET /api/v1/one-on-ones/:id/meetings":               "any",
	"POST /api/v1/one-on-ones/:id/meetings":              "any",
	"GET /api/v1/one-on-ones/:id/action-items":           "any",
	"POST /api/v1/one-on-ones/:id/carry-over":            "any",
	"GET /api/v1/one-on-ones/meetings/:id":               "any",
	"PATCH /api/v1/one-on-ones/meetings/:id":             "any",
	"POST /api/v1/one-on-ones/meetings/:id/complete":     "any",
	"POST /api/v1/one-on-ones/meetings/:id/agenda":       "any",
	"PATCH /api/v1/one-on-ones/agenda/:id":               "any",
	"POST /api/v1/one-on-ones/meetings/:id/notes":        "any",
	"PATCH /api/v1/one-on-ones/notes/:id":                "any",
	"DELETE /api/v1/one-on-ones/notes/:id":               "any",
	"POST /api/v1/one-on-ones/meetings/:id/action-items": "any",
	"PATCH /api/v1/one-on-ones/action-items/:id":         "any",
	"POST /api/v1/one-on-ones/action-items/:id/done":     "any",
	"DELETE /api/v1/one-on-ones/action-items/:id":        "any",

	// Sales: HR imports, everyone sees the KPIs within their scope, eNPS
	// alongside them is for managers and HR.
	"POST /api/v1/sales/deals/import":      "hr",
	"POST /api/v1/sales/deals":             "hr",
	"POST /api/v1/sales/activities/import": "hr",
	"POST /api/v1/sales/activities":        "hr",
	"POST /api/v1/sales/leads/import":      "hr",
	"POST /api/v1/sales/leads":             "hr",
	"POST /api/v1/sales/quotas/import":     "hr",
	"POST /api/v1/sales/quotas":            "hr",
	"POST /api/v1/sales/spend/import":      "hr",
	"POST /api/v1/sales/spend":             "hr",
	"GET /api/v1/sales/imports":            "hr",
	"GET /api/v1/sales/kpis":               "any",
	"GET /api/v1/sales/alongside":          "leadership",

	// Action plans: making and changing them is for leadership (the domain
	// then checks the team); reading and reacting for anyone the plan
	// speaks to (404 to the rest). See TestEveryActionRouteAsEveryRole.
	"GET /api/v1/actions":               "any",
	"POST /api/v1/actions":              "leadership",
	"GET /api/v1/actions/:id":           "any",
	"PATCH /api/v1/actions/:id":         "leadership",
	"POST /api/v1/actions/:id/publish":  "leadership",
	"POST /api/v1/actions/:id/updates":  "leadership",
	"GET /api/v1/actions/:id/updates":   "any",
	"GET /api/v1/actions/:id/reactions": "any",
	"PUT /api/v1/actions/:id/reaction":  "any",
	"GET /api/v1/actions/:id/effect":    "leadership",
}

var allowedRoles = map[string][]string{
	"any":        {"hr", "manager", "employee"},
	"hr":         {"hr"},
	"leadership": {"hr", "manager"},
}

func TestEveryRouteIsAuthorized(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	b := setup(t, db)
	var registered []string
	for _, r := range b.server.Echo.Routes() {
		registered = append(registered, r.Method+" "+r.Path)
	}
	var expected []string
	for k := range routeAccess {
		expected = append(expected, k)
	}
	slices.Sort(registered)
	slices.Sort(expected)
	require.Equal(t, expected, registered, "every registered route needs an entry in routeAccess")

	tokens := map[string]string{"hr": b.hrToken, "manager": b.managerToken, "employee": b.employeeToken}
	for key, access := range routeAccess {
		method, path, _ := strings.Cut(key, " ")
		url := strings.NewReplacer(
			"/employees/:id", fmt.Sprintf("/employees/%d", b.outsider.ID), // nobody signs in as them
			"/teams/:id", fmt.Sprintf("/teams/%d", b.other.ID),
			"/tokens/:id", "/tokens/999999",
			"/sessions/:id", "/sessions/999999",
			"/surveys/:id", "/surveys/999999",
			"/rounds/:id", "/rounds/999999",
			"/actions/:id", "/actions/999999",
			"/one-on-ones/:id", "/one-on-ones/999999", // 404 for every role: nobody takes part
			"/one-on-ones/meetings/:id", "/one-on-ones/meetings/999999",
			"/one-on-ones/agenda/:id", "/one-on-ones/agenda/999999",
			"/one-on-ones/notes/:id", "/one-on-ones/notes/999999",
			"/one-on-ones/action-items/:id", "/one-on-ones/action-items/999999",
			"*", "pulse.css",
		).Replace(path)
		if strings.Contains(path, "/results") || strings.Contains(path, "/comments") || strings.Contains(path, "/drivers") {
			url += fmt.Sprintf("?team_id=%d", b.team.ID) // a team the manager leads
		}
		t.Run(key, func(t *testing.T) {
			if access == "public" {
				require.NotEqual(t, http.StatusUnauthorized, b.do(method, url, "", nil).Status)
				return
			}
			if access == "slack" {
				// Slack's endpoints take no bearer token, only Slack's signature.
				require.Equal(t, http.StatusUnauthorized, b.do(method, url, "", nil).Status)
				require.Equal(t, http.StatusUnauthorized, b.do(method, url, b.hrToken, nil).Status)
				return
			}
			res := b.do(method, url, "", nil)
			require.Equal(t, http.StatusUnauthorized, res.Status, "without a token")
			require.Equal(t, "unauthenticated", res.err(t).Error.Code)
			require.Equal(t, http.StatusUnauthorized, b.do(method, url, "pulse_notarealtoken", nil).Status, "with a bad token")
			for role, token := range tokens {
				res := b.do(method, url, token, nil)
				if slices.Contains(allowedRoles[access], role) {
					require.NotContains(t, []int{401, 403}, res.Status, "%s may call it: %s", role, res.Body)
				} else {
					require.Equal(t, http.StatusForbidden, res.Status, "%s may not call it", role)
					require.Equal(t, "forbidden", res.err(t).Error.Code)
				}
			}
		})
	}
}

func TestRevokedTokensAndDeactivatedPeopleAreRefused(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var created struct {
			ID    int64
			Token string
		}
		b.do("POST", "/api/v1/tokens", b.employeeToken, map[string]string{"name": "laptop"}).data(t, &created)
		require.True(t, strings.HasPrefix(created.Token, "pulse_"))
		require.Equal(t, 200, b.do("GET", "/api/v1/me", created.Token, nil).Status)

		res := b.do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", created.ID), b.employeeToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 401, b.do("GET", "/api/v1/me", created.Token, nil).Status)

		// Someone else's token cannot be revoked (or even seen to exist).
		var hrTokens []struct{ ID int64 }
		b.do("GET", "/api/v1/tokens", b.hrToken, nil).data(t, &hrTokens)
		require.Len(t, hrTokens, 1)
		require.Equal(t, 404, b.do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", hrTokens[0].ID), b.employeeToken, nil).Status)

		res = b.do("POST", fmt.Sprintf("/api/v1/employees/%d/deactivate", b.employee.ID), b.hrToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 401, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status)
	})
}

func TestTokensAreStoredOnlyAsHashes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var hashes []string
		require.NoError(t, db.Gorm.Table("api_tokens").Pluck("hash", &hashes).Error)
		require.NotEmpty(t, hashes)
		for _, h := range hashes {
			require.NotContains(t, []string{b.hrToken, b.managerToken, b.employeeToken}, h)
			require.Len(t, h, 64)
		}
		b.do("GET", "/api/v1/me", b.hrToken, nil)
		var tokens []struct {
			LastUsedOn *string `json:"last_used_on"`
		}
		b.do("GET", "/api/v1/tokens", b.hrToken, nil).data(t, &tokens)
		require.Equal(t, "2026-11-27", *tokens[0].LastUsedOn, "the day of last use is kept, never the time")
	})
}
