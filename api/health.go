package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/migrations"
)

type healthStatus struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// healthz answers while the process is alive, whatever the database does.
func (s *Server) healthz(c echo.Context) error {
	return reply(c, http.StatusOK, healthStatus{Status: "ok"})
}

// readyz answers 200 only when the database is reachable and every
// migration is applied, so a load balancer holds traffic until then.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	if err := s.deps.DB.SQL.PingContext(ctx); err != nil {
		return reply(c, http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Reason: "database unreachable"})
	}
	st, err := migrations.CurrentStatus(ctx, s.deps.DB)
	if err != nil {
		return reply(c, http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Reason: "cannot read migration status"})
	}
	if st.Pending() {
		return reply(c, http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Reason: "migrations pending"})
	}
	return reply(c, http.StatusOK, healthStatus{Status: "ok"})
}
