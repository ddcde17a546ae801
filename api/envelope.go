package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/fault"
)

// envelope is the one shape of every successful response body.
type envelope struct {
	Data any `json:"data"`
}

func reply(c echo.Context, status int, v any) error {
	return c.JSON(status, envelope{Data: v})
}

// bindJSON decodes the body strictly: unknown fields, wrong types and text
// no database can keep are reported with the field's name rather than
// silently ignored.
func bindJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return fmt.Errorf("api: reading the body: %w", err)
	}
	if err := textProblems(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.More() {
			return fault.Invalidf("body", "must hold a single JSON object")
		}
		return nil
	}
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.Is(err, io.EOF):
		return fault.Invalidf("body", "is empty; a JSON object is required")
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return fault.Invalidf(field, "must be %s, not %s", jsonType(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fault.Invalidf("body", "is not valid JSON (at byte %d)", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fault.Invalidf(name, "is not a known field")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fault.Invalidf("body", "is cut short")
	}
	return fault.Invalidf("body", "cannot be read: %v", err)
}

func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "an array"
	}
	return "an object"
}

// pathID reads a numeric id from the path.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fault.Invalidf(name, "must be a positive whole number")
	}
	return id, nil
}

// queryID reads an optional numeric id from the query string.
func queryID(c echo.Context, name string) (*int64, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return nil, fault.Invalidf(name, "must be a positive whole number, not %q", raw)
	}
	return &id, nil
}

// queryBool reads an optional true/false from the query string.
func queryBool(c echo.Context, name string) (bool, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, fault.Invalidf(name, "must be true or false, not %q", raw)
	}
	return b, nil
}
