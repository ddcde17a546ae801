package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/web"
)

// errorBody is the one shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Details []fault.Problem `json:"details"`
}

// errorHandler maps domain errors to status codes in one place. Anything it
// does not recognise is logged and reported as a bare 500: no SQL text or
// stack trace reaches a client.
//
// A GET for an unknown address outside /api/ answers with the dashboard's
// not-found page instead: that is a person who followed a link.
func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, body := classify(err, readerLocale(c))
		if status == http.StatusInternalServerError {
			logger.Error("request failed", "err", err, "method", c.Request().Method, "path", c.Path(),
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		if status == http.StatusUnauthorized {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="pulse"`)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		if status == http.StatusNotFound && c.Request().Method == http.MethodGet && !isAPIPath(c.Request().URL.Path) {
			_ = c.HTMLBlob(status, web.NotFoundPage())
			return
		}
		_ = c.JSON(status, body)
	}
}

// isAPIPath tells the API's addresses (and the service's own: health,
// metrics) from the pages people open.
func isAPIPath(path string) bool {
	for _, prefix := range []string{"/api/", "/healthz", "/readyz", "/metrics", "/slack/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

// classify maps err to a status and a body, the messages written for a
// reader of locale.
func classify(err error, locale string) (int, errorBody) {
	var (
		invalid  *fault.Invalid
		conflict *fault.Conflict
		httpErr  *echo.HTTPError
	)
	body := func(code, msg string, details []fault.Problem) errorBody {
		if details == nil {
			details = []fault.Problem{}
		}
		return errorBody{Error: errorDetail{Code: code, Message: msg, Details: details}}
	}
	switch {
	case errors.As(err, &invalid):
		problems := localProblems(locale, invalid)
		return http.StatusUnprocessableEntity, body("invalid", invalidSummary(locale, problems), problems)
	case errors.As(err, &conflict):
		return http.StatusConflict, body("conflict", localConflict(locale, conflict), nil)
	case errors.Is(err, fault.ErrNotFound):
		return http.StatusNotFound, body("not_found", err.Error(), nil)
	case errors.Is(err, fault.ErrForbidden):
		return http.StatusForbidden, body("forbidden", err.Error(), nil)
	case errors.Is(err, fault.ErrUnauthenticated):
		return http.StatusUnauthorized, body("unauthenticated",
			"a valid API token is required: Authorization: Bearer pulse_…", nil)
	case errors.As(err, &httpErr):
		msg, _ := httpErr.Message.(string)
		if msg == "" {
			msg = http.StatusText(httpErr.Code)
		}
		return httpErr.Code, body(statusCode(httpErr.Code), strings.ToLower(msg[:1])+msg[1:], nil)
	}
	return http.StatusInternalServerError, body("internal", "something went wrong on our side; it has been logged", nil)
}

func statusCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "body_too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusServiceUnavailable:
		return "unavailable"
	}
	if status >= 500 {
		return "internal"
	}
	return "bad_request"
}
