package api

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
	"github.com/labstack/echo/v4"
)

var pathParam = regexp.MustCompile(`:(\w+)`)

// OpenAPIPath turns Echo's /teams/:id into OpenAPI's /teams/{id}.
func OpenAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

func (s *Server) openAPI(c echo.Context) error {
	return c.JSON(http.StatusOK, s.OpenAPIDocument())
}

// OpenAPIDocument describes every route in the table as OpenAPI 3.1.
func (s *Server) OpenAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	for _, r := range s.routes {
		p := OpenAPIPath(r.path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.method)] = operation(r)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Pulse API",
			"version": "1",
			"description": "Employee pulse surveys and eNPS. Every success body is {\"data\": …}; every error is " +
				"{\"error\": {\"code\", \"message\", \"details\": [{\"field\", \"line\", \"reason\"}]}}.",
		},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "An API token, pulse_…"},
			},
			"schemas": map[string]any{"Error": schemaOf(errorBody{})},
		},
	}
}

func operation(r route) map[string]any {
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	op := map[string]any{
		"summary":     r.summary,
		"tags":        []string{r.tag},
		"operationId": strings.ToLower(r.method) + strings.ReplaceAll(OpenAPIPath(r.path), "/", "_"),
		"parameters":  parameters(r),
		"responses":   responses(r, status),
	}
	if !r.access.public {
		op["security"] = []map[string][]string{{"bearer": {}}}
		if len(r.access.roles) > 0 {
			op["x-pulse-roles"] = r.access.roles
		}
	}
	switch {
	case r.body != nil:
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": schemaOf(r.body)}}}
	case r.csvBody:
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"text/csv": map[string]any{"schema": map[string]any{"type": "string"}},
			"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object",
				"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "text/csv"}}}},
		}}
	}
	return op
}

func parameters(r route) []map[string]any {
	params := []map[string]any{}
	for _, m := range pathParam.FindAllStringSubmatch(r.path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "integer"}})
	}
	query := r.query
	if r.paged {
		query = append(query[:len(query):len(query)], pageParams...)
	}
	for _, q := range query {
		params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.doc,
			"schema": map[string]any{"type": q.kind}})
	}
	return params
}

func responses(r route, status int) map[string]any {
	errRef := map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}
	resp := map[string]any{}
	switch {
	case r.raw:
		resp[itoa(status)] = map[string]any{"description": r.summary}
	default:
		resp[itoa(status)] = map[string]any{"description": r.summary, "content": map[string]any{
			"application/json": map[string]any{"schema": map[string]any{
				"type": "object", "required": []string{"data"}, "properties": resultProperties(r)}}}}
	}
	if !r.access.public {
		resp["401"] = map[string]any{"description": "no valid token", "content": errRef}
	}
	if len(r.access.roles) > 0 {
		resp["403"] = map[string]any{"description": "the viewer's role may not do this", "content": errRef}
	}
	if strings.Contains(r.path, ":") {
		resp["404"] = map[string]any{"description": "not found", "content": errRef}
	}
	if r.body != nil || r.csvBody || len(r.query) > 0 || r.paged || strings.Contains(r.path, ":") {
		resp["422"] = map[string]any{"description": "invalid input, with every bad field", "content": errRef}
	}
	if r.method != http.MethodGet {
		resp["409"] = map[string]any{"description": "conflicts with the current state", "content": errRef}
	}
	return resp
}

// resultProperties are the fields of a success body: data, and on a list
// that pages, next_cursor.
func resultProperties(r route) map[string]any {
	props := map[string]any{"data": schemaOf(r.result)}
	if r.paged {
		props["next_cursor"] = map[string]any{"type": []string{"string", "null"},
			"description": "the cursor of the next page; null on the last"}
	}
	return props
}

func itoa(n int) string { return strconv.Itoa(n) }

var reflector = &jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, AllowAdditionalProperties: true}

// schemaOf describes a Go type as JSON Schema 2020-12, the dialect of OpenAPI 3.1.
func schemaOf(v any) *jsonschema.Schema {
	if v == nil {
		return &jsonschema.Schema{}
	}
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Slice {
		return &jsonschema.Schema{Type: "array", Items: schemaOf(reflect.Zero(t.Elem()).Interface())}
	}
	sch := reflector.Reflect(v)
	sch.Version = ""
	return sch
}
