package browser_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/web"
)

// chromiumPath is where Debian's chromium package puts the browser;
// PULSE_CHROMIUM names another.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("PULSE_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required in CI and is not at %s (apt-get install -y chromium)", path)
		}
		t.Skipf("browser tests skipped: no Chromium at %s (apt-get install -y chromium, or set PULSE_CHROMIUM)", path)
	}
	return path
}

// site is a Pulse server on loopback with people in it, and a browser.
type site struct {
	t       *testing.T
	url     string
	dir     *directory.Directory
	surveys *survey.Service
	signIns *auth.SignIns
	tokens  *auth.Tokens
	browser context.Context
	shots   string
	// everyPage asks for a screenshot of every page a test passes through
	// (PULSE_SCREENSHOTS is set), not only of the moments it names.
	everyPage bool
	now       func() time.Time
	secret    []byte
}

func newSite(t *testing.T, db *database.DB) *site {
	t.Helper()
	chromium := chromiumPath(t)
	now := time.Now
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	secret := []byte("browser-test-secret-browser-test")
	s := &site{t: t, dir: directory.New(db.Gorm, now), surveys: survey.NewService(db.Gorm, now, secret),
		signIns: auth.NewSignIns(db.Gorm, now), tokens: auth.NewTokens(db.Gorm, now), now: now, secret: secret}
	oneOnOnes := oneonone.New(db.Gorm, now, nil)
	queue, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, s.surveys, delivery.Disabled{}, now, logger), logger)
	require.NoError(t, err)
	signIn := web.Page{Method: http.MethodGet, Path: notify.SignInPath, Summary: "Sign-in links",
		Handler: echo.WrapHandler(notify.SignInHandler(s.signIns, logger))}
	server := api.New(api.Deps{
		DB: db, Directory: s.dir, Tokens: s.tokens, Surveys: s.surveys, Deliveries: delivery.NewStore(db.Gorm, now),
		OnRoundCreated: scheduler.NewDispatcher(queue, now).RoundCreated, OnRoundClosed: scheduler.NewDispatcher(queue, now).RoundClosed,
		Conversations: conversation.New(db.Gorm, s.surveys, now), OneOnOnes: oneOnOnes,
		Sales: sales.New(db.Gorm, now, s.surveys), Actions: action.New(db.Gorm, now, []byte("browser-test-secret-browser-test"), s.surveys),
		Logger: logger, Metrics: prometheus.NewRegistry(), Now: now, SlackOff: true,
		Pages: append(web.Pages(), signIn),
	})
	srv := httptest.NewServer(server.Echo)
	t.Cleanup(srv.Close)
	s.url = srv.URL

	s.shots = os.Getenv("PULSE_SCREENSHOTS")
	s.everyPage = s.shots != ""
	if s.shots == "" {
		s.shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(s.shots, 0o755), "PULSE_SCREENSHOTS")
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true))
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	require.NoError(t, chromedp.Do(browser), "start Chromium")
	s.browser = browser
	return s
}

func (s *site) team(name string, parent *int64) directory.Team {
	team, err := s.dir.CreateTeam(s.t.Context(), directory.TeamInput{Name: name, ParentID: parent})
	require.NoError(s.t, err)
	return team
}

func (s *site) person(name string, role directory.Role, team *int64, zone string) directory.Employee {
	e, err := s.dir.CreateEmployee(s.t.Context(), directory.EmployeeInput{
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Name: name, Role: role, TeamID: team, Timezone: zone,
	})
	require.NoError(s.t, err)
	return e
}

// tab is one browser tab, signed in as one person.
type tab struct {
	s    *site
	ctx  context.Context
	name string
}

// signIn opens a new tab and follows a one-time sign-in link for e, as
// `/pulse dashboard` sends one, and waits until the dashboard greets them.
func (s *site) signIn(e directory.Employee) *tab {
	s.t.Helper()
	code, _, err := s.signIns.Issue(s.t.Context(), e.ID)
	require.NoError(s.t, err)
	ctx, cancel := chromedp.NewContext(s.browser)
	s.t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	s.t.Cleanup(cancelTimeout)
	tb := &tab{s: s, ctx: ctx, name: e.Name}
	tb.do(chromedp.Navigate(s.url + notify.SignInPath + "?code=" + code))
	tb.waitText("#who", e.Name)
	require.NotContains(s.t, tb.eval(`location.href`), code, "the code is not left in the address bar")
	return tb
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.s.t.Helper()
	require.NoError(tb.s.t, chromedp.Do(tb.ctx, steps...))
}

func (tb *tab) eval(js string) string {
	tb.s.t.Helper()
	out, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	require.NoError(tb.s.t, err, js)
	return out
}

// waitFor waits until the JavaScript condition holds, then returns.
func (tb *tab) waitFor(what, condition string) {
	tb.s.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](condition, chromedp.WithPollingTimeout(20*time.Second),
		chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		tb.screenshot("failed")
		tb.s.t.Fatalf("%s: waited for %s: %v\npage text:\n%s", tb.name, what, err, tb.eval(`document.body.innerText`))
	}
}

// waitText waits until the element selector picks shows want.
func (tb *tab) waitText(selector, want string) {
	tb.s.t.Helper()
	tb.waitFor(fmt.Sprintf("%q in %s", want, selector), fmt.Sprintf(
		`[...document.querySelectorAll(%q)].some((n) => n.checkVisibility() && n.innerText.includes(%q))`, selector, want))
}

// text is what the elements selector picks show, joined.
func (tb *tab) text(selector string) string {
	return tb.eval(fmt.Sprintf(`[...document.querySelectorAll(%q)].filter((n) => n.checkVisibility()).map((n) => n.innerText).join("\n")`, selector))
}

// click presses the visible button or link whose text is label, inside
// the element scope picks (the whole page for "body").
func (tb *tab) click(scope, label string) {
	tb.s.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll(%q)].flatMap((s) => [...s.querySelectorAll("button, a")])
		.find((b) => b.checkVisibility() && b.textContent.trim() === %q)`, scope, label)
	tb.waitFor("a button "+label, find+" !== undefined")
	tb.eval(`(` + find + `).click(), ""`)
}

// set types value into the field labelled label (inputs, selects and
// textareas alike) and lets the page hear the change.
func (tb *tab) set(label, value string) {
	tb.s.t.Helper()
	tb.setIn("body", label, value)
}

// setIn is set for the field labelled label inside the element scope picks.
func (tb *tab) setIn(scope, label, value string) {
	tb.s.t.Helper()
	find := fmt.Sprintf(`[...document.querySelector(%q).querySelectorAll("label")]
		.filter((l) => l.checkVisibility() && l.textContent.trim() === %q).map((l) => l.control).find(Boolean)`, scope, label)
	tb.waitFor("a field "+label, find+" !== undefined")
	tb.eval(fmt.Sprintf(`(() => { const f = %s; f.value = %q; f.dispatchEvent(new Event("input", { bubbles: true }));
		f.dispatchEvent(new Event("change", { bubbles: true })); return ""; })()`, find, value))
}

// check ticks the checkbox or radio whose label is label.
func (tb *tab) check(label string) {
	tb.s.t.Helper()
	find := fmt.Sprintf(`[...document.querySelectorAll("label")].filter((l) => l.checkVisibility() && l.textContent.trim() === %q)
		.map((l) => l.control).find(Boolean)`, label)
	tb.waitFor("a choice "+label, find+" !== undefined")
	tb.eval(`(` + find + `).click(), ""`)
}

// screenshot saves the whole page as a PNG named after the test.
func (tb *tab) screenshot(name string) {
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(tb.s.shots, strings.NewReplacer("/", "-", " ", "-").Replace(tb.s.t.Name())+"-"+name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		tb.s.t.Logf("screenshot %s: %v", name, err)
		return
	}
	tb.s.t.Logf("screenshot: %s", file)
}

// pageShot saves a screenshot of the page as drawn, named name and the
// person signed in, when PULSE_SCREENSHOTS asks for every page.
func (tb *tab) pageShot(name string) {
	if tb.s.everyPage {
		tb.screenshot(strings.ReplaceAll(tb.name+" "+name, " ", "-"))
	}
}

// pageWidth is how wide the page scrolls, in CSS pixels.
func (tb *tab) pageWidth() int {
	out, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.scrollingElement.scrollWidth`))
	require.NoError(tb.s.t, err)
	return out
}

// idOf is the id of the visible field labelled label.
func (tb *tab) idOf(label string) string {
	return tb.eval(fmt.Sprintf(`[...document.querySelectorAll("label")].filter((l) => l.checkVisibility() && l.textContent.trim() === %q)
		.map((l) => l.htmlFor)[0] || ""`, label))
}
