package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/directory"
)

// route is one entry of the API: how it is served and how it is described in
// the OpenAPI document, kept side by side so the two cannot drift apart.
type route struct {
	method, path string
	handler      echo.HandlerFunc
	access       access
	tag, summary string
	query        []param
	body         any  // request body type, nil for none
	csvBody      bool // request body is a CSV file
	result       any  // what "data" holds in the reply
	status       int  // success status
	raw          bool // the reply is not a JSON envelope (metrics, the document itself)
}

type param struct {
	name, kind, doc string
}

func (s *Server) routeTable() []route {
	var pages []route
	for _, p := range s.deps.Pages {
		pages = append(pages, route{method: p.Method, path: p.Path, handler: p.Handler, access: public,
			tag: "web", summary: p.Summary, raw: true})
	}
	return append(pages, s.apiRoutes()...)
}

func (s *Server) apiRoutes() []route {
	teamFilter := []param{
		{"team_id", "integer", "only this team"},
		{"active", "boolean", "only active employees when true"},
	}
	return []route{
		{method: http.MethodGet, path: "/healthz", handler: s.healthz, access: public, tag: "ops",
			summary: "The process is alive", result: healthStatus{}},
		{method: http.MethodGet, path: "/readyz", handler: s.readyz, access: public, tag: "ops",
			summary: "The database is reachable and every migration is applied (503 otherwise)", result: healthStatus{}},
		{method: http.MethodGet, path: "/metrics", handler: s.metrics, access: public, tag: "ops",
			summary: "Prometheus metrics", raw: true},
		{method: http.MethodGet, path: "/api/v1/openapi.json", handler: s.openAPI, access: public, tag: "ops",
			summary: "This document", raw: true},

		{method: http.MethodGet, path: "/api/v1/me", handler: s.me, access: signedIn, tag: "people",
			summary: "The signed-in employee", result: directory.Employee{}},

		{method: http.MethodGet, path: "/api/v1/teams", handler: s.listTeams, access: signedIn, tag: "people",
			summary: "Every team (the organisation tree)", result: []directory.Team{}},
		{method: http.MethodGet, path: "/api/v1/teams/:id", handler: s.getTeam, access: signedIn, tag: "people",
			summary: "One team", result: directory.Team{}},
		{method: http.MethodPost, path: "/api/v1/teams", handler: s.createTeam, access: hrOnly, tag: "people",
			summary: "Create a team", body: directory.TeamInput{}, result: directory.Team{}, status: http.StatusCreated},
		{method: http.MethodPatch, path: "/api/v1/teams/:id", handler: s.updateTeam, access: hrOnly, tag: "people",
			summary: "Change a team (a parent_id or manager_id of 0 clears it)", body: directory.TeamPatch{}, result: directory.Team{}},
		{method: http.MethodPost, path: "/api/v1/teams/:id/deactivate", handler: s.deactivateTeam, access: hrOnly, tag: "people",
			summary: "Deactivate a team that has no active members or sub-teams", result: directory.Team{}},

		{method: http.MethodGet, path: "/api/v1/employees", handler: s.listEmployees, access: signedIn, tag: "people",
			summary: "Employees the viewer may see: HR everyone, managers their teams and reports, employees themselves",
			query:   teamFilter, result: []directory.Employee{}},
		{method: http.MethodGet, path: "/api/v1/employees/:id", handler: s.getEmployee, access: signedIn, tag: "people",
			summary: "One employee (404 when outside the viewer's scope)", result: directory.Employee{}},
		{method: http.MethodPost, path: "/api/v1/employees", handler: s.createEmployee, access: hrOnly, tag: "people",
			summary: "Create an employee", body: directory.EmployeeInput{}, result: directory.Employee{}, status: http.StatusCreated},
		{method: http.MethodPatch, path: "/api/v1/employees/:id", handler: s.updateEmployee, access: hrOnly, tag: "people",
			summary: "Change an employee (a team_id or manager_id of 0 clears it)", body: directory.EmployeePatch{}, result: directory.Employee{}},
		{method: http.MethodPost, path: "/api/v1/employees/:id/deactivate", handler: s.deactivateEmployee, access: hrOnly, tag: "people",
			summary: "Deactivate an employee: no more surveys, tokens stop working", result: directory.Employee{}},
		{method: http.MethodPost, path: "/api/v1/employees/import", handler: s.importEmployees, access: hrOnly, tag: "people",
			summary: "Upsert employees from CSV (email,name,team,manager_email,role,slack_user_id,timezone,locale) by email; all-or-nothing",
			csvBody: true, result: directory.ImportResult{}},

		{method: http.MethodGet, path: "/api/v1/tokens", handler: s.listTokens, access: signedIn, tag: "tokens",
			summary: "The viewer's API tokens (never their secrets)", result: []auth.Token{}},
		{method: http.MethodPost, path: "/api/v1/tokens", handler: s.createToken, access: signedIn, tag: "tokens",
			summary: "Create an API token for the viewer; the secret is in the reply only this once",
			body:    tokenRequest{}, result: createdToken{}, status: http.StatusCreated},
		{method: http.MethodDelete, path: "/api/v1/tokens/:id", handler: s.revokeToken, access: signedIn, tag: "tokens",
			summary: "Revoke one of the viewer's tokens", result: auth.Token{}},
	}
}
