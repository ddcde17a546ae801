package api

import (
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/fault"
)

// importEmployees takes a CSV file either as the raw body (text/csv) or as
// the "file" field of a multipart form, as a browser upload sends it.
func (s *Server) importEmployees(c echo.Context) error {
	body, err := csvBody(c)
	if err != nil {
		return err
	}
	defer body.Close()
	res, err := s.deps.Directory.Import(c.Request().Context(), body)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, res)
}

func csvBody(c echo.Context) (io.ReadCloser, error) {
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch {
	case mediaType == echo.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, fault.Invalidf("file", "a multipart upload needs the CSV in a field named file")
		}
		return fh.Open()
	case mediaType == "text/csv", mediaType == "text/plain", strings.HasSuffix(mediaType, "/csv"):
		return c.Request().Body, nil
	}
	return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the file as text/csv or as multipart/form-data with a field named file")
}

func (s *Server) employeeImportHistory(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	rows, next, err := s.deps.Directory.ImportHistory(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return replyPage(c, rows, next)
}
