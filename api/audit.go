package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// auditPage is a page of the audit log; NextCursor is null on the last.
type auditPage struct {
	Data       []directory.AuditEntry `json:"data"`
	NextCursor *string                `json:"next_cursor"`
}

func (s *Server) auditLog(c echo.Context) error {
	page := directory.AuditPage{Cursor: c.QueryParam("cursor")}
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			return fault.Invalidf("limit", "must be a whole number 1..%d, not %q", directory.MaxAuditLimit, raw)
		}
		page.Limit = n
	}
	entries, next, err := s.deps.Directory.AuditLog(c.Request().Context(), page)
	if err != nil {
		return err
	}
	out := auditPage{Data: entries}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(http.StatusOK, out)
}
