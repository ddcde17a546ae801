// Package web serves Pulse's browser dashboard: static pages and scripts
// embedded in the binary that read everything through the JSON API with the
// signed-in person's token. It holds no data access of its own.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"
)

//go:embed static
var static embed.FS

// contentTypes fixes the types of the dashboard's own files rather than
// trusting the host's MIME tables: browsers refuse to run an ES module
// served as anything but JavaScript. Other files get the file server's guess.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
}

// NotFoundPage is the page for an address that is neither the API's nor a
// page's: people who follow a stale link get a page and a way back, not
// the API's JSON error.
func NotFoundPage() []byte {
	body, err := static.ReadFile("static/notfound.html")
	if err != nil {
		panic("web: notfound.html is not embedded: " + err.Error())
	}
	return body
}

// Page is a route the dashboard serves.
type Page struct {
	Method, Path, Summary string
	Handler               echo.HandlerFunc
}

// Pages lists the dashboard's routes, for the API server to register and
// describe beside its own.
func Pages() []Page {
	files, _ := fs.Sub(static, "static")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(files)))
	assets := echo.WrapHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t, ok := contentTypes[path.Ext(r.URL.Path)]; ok {
			w.Header().Set("Content-Type", t)
		}
		fileServer.ServeHTTP(w, r)
	}))
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
