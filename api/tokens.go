package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/auth"
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

func (s *Server) listTokens(c echo.Context) error {
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	tokens, next, err := s.deps.Tokens.TokenPage(c.Request().Context(), viewer(c).ID, p)
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
	tok, err := s.deps.Tokens.Revoke(c.Request().Context(), viewer(c).ID, id)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, tok)
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
