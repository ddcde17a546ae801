// Package web serves Pulse's browser dashboard: static pages and scripts
// embedded in the binary that read everything through the JSON API with the
// signed-in person's token. It holds no data access of its own.
package web

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
)

//go:embed static
var static embed.FS

// Page is a route the dashboard serves.
type Page struct {
	Method, Path, Summary string
	Handler               echo.HandlerFunc
}

// Pages lists the dashboard's routes, for the API server to register and
// describe beside its own.
func Pages() []Page {
	files, _ := fs.Sub(static, "static")
	assets := echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(files))))
	index := func(c echo.Context) error {
		body, err := fs.ReadFile(files, "index.html")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.HTMLBlob(http.StatusOK, body)
	}
	return []Page{
		{Method: http.MethodGet, Path: "/", Summary: "The web dashboard", Handler: index},
		{Method: http.MethodGet, Path: "/static/*", Summary: "Dashboard scripts and styles", Handler: assets},
	}
}
