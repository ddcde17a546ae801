package api

import (
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/sales"
)

// salesCSVImport serves a CSV import of one kind of sales data, sent as
// text/csv or as the "file" field of a multipart form.
func (s *Server) salesCSVImport(run func(*sales.Service, context.Context, io.Reader) (sales.ImportResult, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := csvBody(c)
		if err != nil {
			return err
		}
		defer body.Close()
		res, err := run(s.deps.Sales, c.Request().Context(), body)
		if err != nil {
			return err
		}
		return reply(c, http.StatusOK, res)
	}
}

// salesBatchImport serves the JSON batch twin of a CSV import.
func salesBatchImport[B any](s *Server, run func(*sales.Service, context.Context, B) (sales.ImportResult, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		var batch B
		if err := bindJSON(c, &batch); err != nil {
			return err
		}
		res, err := run(s.deps.Sales, c.Request().Context(), batch)
		if err != nil {
			return err
		}
		return reply(c, http.StatusOK, res)
	}
}

func (s *Server) salesImportHistory(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	rows, next, err := s.deps.Sales.ImportHistory(c.Request().Context(), c.QueryParam("kind"), p)
	if err != nil {
		return err
	}
	return replyPage(c, rows, next)
}
