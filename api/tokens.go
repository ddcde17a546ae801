package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

type tokenRequest struct {
	Name string `json:"name"`
	// ExpiresAt ends the token by itself; absent, it works until revoked.
	ExpiresAt *time.Time `json:"expires_at"`
}

// createdToken carries the secret, shown this once and never again.
type createdToken struct {
	auth.Token
	Secret string `json:"token"`
}

// credentialOwner is whose tokens or sessions a listing is about: the
// viewer's own, or, for HR only, anyone's named by employee_id.
func (s *Server) credentialOwner(c echo.Context) (int64, error) {
	me := viewer(c)
	id, err := queryID(c, "employee_id")
	if err != nil || id == nil || *id == me.ID {
		return me.ID, err
	}
	if me.Role != directory.RoleHRAdmin {
		return 0, fault.Forbidden("only HR may see another person's sign-ins and tokens")
	}
	if _, err := s.deps.Directory.Employee(c.Request().Context(), *id); err != nil {
		return 0, err
	}
	return *id, nil
}

func (s *Server) listTokens(c echo.Context) error {
	owner, err := s.credentialOwner(c)
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	tokens, next, err := s.deps.Tokens.TokenPage(c.Request().Context(), owner, p)
	if err != nil {
		return err
	}
	return replyPage(c, tokens, next)
}

func (s *Server) createToken(c echo.Context) error {
	var in tokenRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	secret, tok, err := s.deps.Tokens.CreateExpiring(c.Request().Context(), viewer(c).ID, in.Name, in.ExpiresAt)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, createdToken{Token: tok, Secret: secret})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, me := c.Request().Context(), viewer(c)
	var tok auth.Token
	if me.Role == directory.RoleHRAdmin {
		tok, err = s.deps.Tokens.RevokeAny(ctx, id)
	} else {
		tok, err = s.deps.Tokens.Revoke(ctx, me.ID, id)
	}
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, tok)
}

// listSessions lists live dashboard sign-ins: the viewer's own, marking
// the one this request came with, or (HR) another person's.
func (s *Server) listSessions(c echo.Context) error {
	owner, err := s.credentialOwner(c)
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	credential, _ := c.Get(credentialKey).(string)
	sessions, next, err := s.deps.Sessions.LivePage(c.Request().Context(), owner, credential, p)
	if err != nil {
		return err
	}
	if owner != viewer(c).ID {
		for i := range sessions {
			sessions[i] = sessions[i].ToDay()
		}
	}
	return replyPage(c, sessions, next)
}

// revokeSession signs a session out at once: one's own, or (HR) anyone's.
// Someone else's session is 404 to anyone but HR, as if it did not exist.
func (s *Server) revokeSession(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	me := viewer(c)
	owner := &me.ID
	if me.Role == directory.RoleHRAdmin {
		owner = nil
	}
	row, err := s.deps.Sessions.Revoke(c.Request().Context(), id, owner)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, row)
}

// signOutResult says whether a dashboard session was ended.
type signOutResult struct {
	SignedOut bool `json:"signed_out"`
}

// signOut ends the session the request carries. An API token is not a
// session: it is left working and revoked only through DELETE /tokens/{id}.
func (s *Server) signOut(c echo.Context) error {
	credential, _ := c.Get(credentialKey).(string)
	if !strings.HasPrefix(credential, auth.SessionPrefix) {
		return reply(c, http.StatusOK, signOutResult{})
	}
	if err := s.deps.Sessions.End(c.Request().Context(), credential); err != nil {
		return err
	}
	return reply(c, http.StatusOK, signOutResult{SignedOut: true})
}
