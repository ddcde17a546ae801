package web_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/web"
)

func server(t *testing.T) *httptest.Server {
	t.Helper()
	e := echo.New()
	for _, p := range web.Pages() {
		e.Add(p.Method, p.Path, p.Handler)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, url string) (*http.Response, string) {
	t.Helper()
	res, err := srv.Client().Get(srv.URL + url)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(body)
}

var (
	// src="…" and href="…" in the page.
	pageRef = regexp.MustCompile(`(?:src|href)="([^"#]+)"`)
	// import … from "./x.js" in a module.
	moduleImport = regexp.MustCompile(`(?m)^import .* from "\./([^"]+)";`)
)

var wantTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
}

func TestDashboardPageAndEveryFileItUsesAreServed(t *testing.T) {
	t.Parallel()
	srv := server(t)

	res, page := get(t, srv, "/")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/html; charset=UTF-8", res.Header.Get("Content-Type"))
	require.Equal(t, "no-store", res.Header.Get("Cache-Control"), "the page is never cached with a token around")

	var files []string
	for _, m := range pageRef.FindAllStringSubmatch(page, -1) {
		require.True(t, strings.HasPrefix(m[1], "/static/"), "%s: the dashboard loads nothing from elsewhere", m[1])
		files = append(files, m[1])
	}
	require.Contains(t, files, "/static/pulse.js")
	require.Contains(t, files, "/static/pulse.css")

	seen := map[string]bool{}
	for len(files) > 0 {
		file := files[0]
		files = files[1:]
		if seen[file] {
			continue
		}
		seen[file] = true
		res, body := get(t, srv, file)
		require.Equal(t, http.StatusOK, res.StatusCode, file)
		require.Equal(t, wantTypes[path.Ext(file)], res.Header.Get("Content-Type"), file)
		require.NotEmpty(t, body, file)
		// Modules load the modules they import: those must be served too.
		for _, m := range moduleImport.FindAllStringSubmatch(body, -1) {
			files = append(files, "/static/"+m[1])
		}
	}
	require.True(t, seen["/static/results.js"], "modules imported by pulse.js are followed")
	require.True(t, seen["/static/oneonones.js"], "the one-on-ones view is served")
	require.True(t, seen["/static/sales.js"], "the sales view is served")
}

// navView is a menu link naming the view it opens.
var navView = regexp.MustCompile(`<a href="#([a-z-]+)" data-view="([a-z-]+)"`)

func TestEveryMenuItemHasItsView(t *testing.T) {
	t.Parallel()
	srv := server(t)
	_, page := get(t, srv, "/")
	links := navView.FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, links)
	var views []string
	for _, m := range links {
		require.Equal(t, m[1], m[2], "a menu link's address is its view's name")
		require.Contains(t, page, `<section id="view-`+m[2]+`"`, m[2])
		views = append(views, m[2])
	}
	require.Contains(t, views, "one-on-ones")
	require.Contains(t, views, "sales")
	require.Contains(t, views, "my-sales")
}

func TestScriptsNeverInsertHTML(t *testing.T) {
	t.Parallel()
	srv := server(t)
	_, page := get(t, srv, "/")
	for _, m := range pageRef.FindAllStringSubmatch(page, -1) {
		if path.Ext(m[1]) != ".js" {
			continue
		}
		_, body := get(t, srv, m[1])
		for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
			require.NotContains(t, body, sink, "%s: text from the API goes in as text, never as HTML", m[1])
		}
	}
}

func TestMissingFilesAreNotFound(t *testing.T) {
	t.Parallel()
	srv := server(t)
	res, _ := get(t, srv, "/static/nothing-here.js")
	require.Equal(t, http.StatusNotFound, res.StatusCode)
}

var (
	// styleAttr is a style="…" attribute in markup, in a page or a string.
	styleAttr = regexp.MustCompile(`(?i)\sstyle\s*=`)
	// setStyleAttr sets a style attribute from a script, by hand or through
	// el()/svg(), whose attribute objects go to setAttribute.
	setStyleAttr = regexp.MustCompile(`setAttribute(?:NS)?\([^,]*?["'\x60]style["'\x60]`)
	styleKey     = regexp.MustCompile(`["']?\bstyle["']?\s*:\s*([^,}\n]+)`)
	// intlStyles are the values of Intl.NumberFormat's own "style" option,
	// which is no attribute.
	intlStyles = map[string]bool{`"currency"`: true, `"percent"`: true, `"decimal"`: true, `"unit"`: true}
	scriptTag  = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	handler    = regexp.MustCompile(`(?i)\son[a-z]+\s*=\s*["']`)
)

// The Content-Security-Policy allows no inline style or script, so none may
// be in the dashboard's files: a browser would refuse it, and the page would
// break only in the browser. Styles set through the CSSOM (node.style.width)
// are allowed and are not matched here.
func TestDashboardFilesNeedNoInlineStyleOrScript(t *testing.T) {
	t.Parallel()
	files := os.DirFS("static")
	names, err := fs.Glob(files, "*")
	require.NoError(t, err)
	require.Contains(t, names, "index.html")
	for _, name := range names {
		raw, err := fs.ReadFile(files, name)
		require.NoError(t, err)
		body := string(raw)
		require.NotRegexp(t, `(?i)<style\b`, body, "%s: styles go in pulse.css", name)
		require.NotRegexp(t, styleAttr, body, "%s: a style attribute; use a class", name)
		require.NotRegexp(t, handler, body, "%s: an inline event handler; use addEventListener", name)
		if path.Ext(name) == ".js" {
			require.NotRegexp(t, setStyleAttr, body, "%s: a style attribute; use a class or node.style", name)
			for _, m := range styleKey.FindAllStringSubmatch(body, -1) {
				require.True(t, intlStyles[strings.TrimSpace(m[1])], "%s: %q sets a style attribute; use a class or node.style", name, m[0])
			}
		}
		for _, tag := range scriptTag.FindAllString(body, -1) {
			require.Contains(t, tag, ` src="/static/`, "%s: an inline script", name)
		}
	}
}
