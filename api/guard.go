package api

import (
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// access says who may call a route.
type access struct {
	public bool
	roles  []directory.Role // empty: every signed-in role
}

var (
	public     = access{public: true}
	signedIn   = access{}
	hrOnly     = access{roles: []directory.Role{directory.RoleHRAdmin}}
	leadership = access{roles: []directory.Role{directory.RoleManager, directory.RoleHRAdmin}}
)

func (a access) allows(r directory.Role) bool {
	return len(a.roles) == 0 || slices.Contains(a.roles, r)
}

const (
	viewerKey     = "pulse.viewer"
	credentialKey = "pulse.credential"
)

// guard authenticates the bearer credential (an API token or a dashboard
// session) and checks the role before the handler runs; handlers then only
// decide which rows the viewer may see. On answer routes (quiet) the check
// writes nothing, so no last-use time lands beside the anonymous answer.
func (s *Server) guard(r route) echo.MiddlewareFunc {
	a := r.access
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if a.public {
			return next
		}
		return func(c echo.Context) error {
			header := c.Request().Header.Get(echo.HeaderAuthorization)
			token, ok := strings.CutPrefix(header, "Bearer ")
			token = strings.TrimSpace(token)
			if !ok || token == "" {
				return fault.ErrUnauthenticated
			}
			var viewer directory.Employee
			err := s.checkCredential(c, r.quiet, func() (err error) {
				viewer, err = s.authenticate(c, token, r.quiet)
				return err
			})
			if err != nil {
				return err
			}
			if !a.allows(viewer.Role) {
				return fault.Forbidden("this needs the role " + roleList(a.roles))
			}
			c.Set(viewerKey, viewer)
			c.Set(credentialKey, token)
			req := c.Request()
			c.SetRequest(req.WithContext(directory.WithActor(req.Context(), directory.ActorEmployee(viewer.ID))))
			return next(c)
		}
	}
}

// checkCredential runs check, on answer routes (quiet) within a retry
// budget the answer itself then shares: a database blip costs the person a
// moment, not their answer. The quiet check writes nothing, so running it
// again is harmless.
func (s *Server) checkCredential(c echo.Context, quiet bool, check func() error) error {
	if !quiet {
		return check()
	}
	req := c.Request()
	ctx := database.WithRetryBudget(req.Context(), database.RetryBudget)
	c.SetRequest(req.WithContext(ctx))
	return database.Retry(ctx, check)
}

func (s *Server) authenticate(c echo.Context, token string, quiet bool) (directory.Employee, error) {
	ctx := c.Request().Context()
	switch {
	case strings.HasPrefix(token, auth.SessionPrefix) && quiet:
		return s.deps.Sessions.Check(ctx, token)
	case strings.HasPrefix(token, auth.SessionPrefix):
		return s.deps.Sessions.Authenticate(ctx, token)
	case quiet:
		return s.deps.Tokens.Check(ctx, token)
	}
	return s.deps.Tokens.Authenticate(ctx, token)
}

func roleList(roles []directory.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return strings.Join(names, " or ")
}

// viewer is the signed-in employee making the request.
func viewer(c echo.Context) directory.Employee {
	return c.Get(viewerKey).(directory.Employee)
}
