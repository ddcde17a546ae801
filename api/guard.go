package api

import (
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

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

const viewerKey = "pulse.viewer"

// guard authenticates the bearer token and checks the role before the
// handler runs; handlers then only decide which rows the viewer may see.
func (s *Server) guard(a access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if a.public {
			return next
		}
		return func(c echo.Context) error {
			header := c.Request().Header.Get(echo.HeaderAuthorization)
			token, ok := strings.CutPrefix(header, "Bearer ")
			if !ok || token == "" {
				return fault.ErrUnauthenticated
			}
			viewer, err := s.deps.Tokens.Authenticate(c.Request().Context(), strings.TrimSpace(token))
			if err != nil {
				return err
			}
			if !a.allows(viewer.Role) {
				return fault.Forbidden("this needs the role " + roleList(a.roles))
			}
			c.Set(viewerKey, viewer)
			return next(c)
		}
	}
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
