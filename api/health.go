package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/migrations"
)

// ReadyCheck is one condition /readyz needs besides a reachable, migrated,
// writable database with room on its disk. Its error is shown publicly, so
// it must say what is wrong without internals.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// DefaultMinFreeDisk is the free space /readyz wants beside an SQLite file
// when Deps.MinFreeDisk is not set.
const DefaultMinFreeDisk = 64_000_000

type healthStatus struct {
	Status string `json:"status"`
}

// healthz answers while the process is alive, whatever the database does.
func (s *Server) healthz(c echo.Context) error {
	return reply(c, http.StatusOK, healthStatus{Status: "ok"})
}

// readyz answers 200 only when the database answers, takes writes, has room
// on its disk and every migration is applied, so a load balancer holds
// traffic until then. Otherwise it answers 503 in the error envelope, one
// detail per failing check.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	var problems []fault.Problem
	if err := s.deps.DB.SQL.PingContext(ctx); err != nil {
		problems = append(problems, fault.Problem{Field: "database", Reason: "database unreachable"})
	} else {
		problems = s.readinessProblems(ctx)
	}
	if len(problems) == 0 {
		return reply(c, http.StatusOK, healthStatus{Status: "ok"})
	}
	s.deps.Logger.Warn("not ready", "problems", problems)
	return c.JSON(http.StatusServiceUnavailable, errorBody{Error: errorDetail{
		Code: "unavailable", Message: "not ready: " + problems[0].Reason, Details: problems,
	}})
}

func (s *Server) readinessProblems(ctx context.Context) []fault.Problem {
	var problems []fault.Problem
	if st, err := migrations.CurrentStatus(ctx, s.deps.DB); err != nil {
		problems = append(problems, fault.Problem{Field: "migrations", Reason: "cannot read migration status"})
	} else if st.Pending() {
		problems = append(problems, fault.Problem{Field: "migrations", Reason: "migrations pending"})
	}
	if err := s.deps.DB.CheckWritable(ctx); err != nil {
		s.deps.Logger.Error("readiness: the database refuses writes", "err", err)
		problems = append(problems, fault.Problem{Field: "write", Reason: "the database refuses writes"})
	}
	minFree := s.deps.MinFreeDisk
	if minFree == 0 {
		minFree = DefaultMinFreeDisk
	}
	if err := s.deps.DB.CheckFreeSpace(minFree); err != nil {
		problems = append(problems, fault.Problem{Field: "disk", Reason: err.Error()})
	}
	for _, rc := range s.deps.ReadyChecks {
		if err := rc.Check(ctx); err != nil {
			problems = append(problems, fault.Problem{Field: rc.Name, Reason: err.Error()})
		}
	}
	return problems
}
