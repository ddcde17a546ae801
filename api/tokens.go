package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/auth"
)

type tokenRequest struct {
	Name string `json:"name"`
}

// createdToken carries the secret, shown this once and never again.
type createdToken struct {
	auth.Token
	Secret string `json:"token"`
}

func (s *Server) listTokens(c echo.Context) error {
	tokens, err := s.deps.Tokens.List(c.Request().Context(), viewer(c).ID)
	if err != nil {
		return err
	}
	return reply(c, http.StatusOK, tokens)
}

func (s *Server) createToken(c echo.Context) error {
	var in tokenRequest
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	secret, tok, err := s.deps.Tokens.Create(c.Request().Context(), viewer(c).ID, in.Name)
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
