// Package api serves Pulse's JSON API with Echo: routes, authentication,
// thin handlers that call one domain method each, the central error mapping
// and the OpenAPI document. Domain rules live in the domain packages.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/web"
)

// Deps is what the API needs from the rest of Pulse.
type Deps struct {
	DB        *database.DB
	Directory *directory.Directory
	Tokens    *auth.Tokens
	// Sessions are dashboard sign-ins; over DB when nil.
	Sessions *auth.Sessions
	Surveys  *survey.Service
	// Conversations carries anonymous replies to comments.
	Conversations *conversation.Service
	// OnReply queues a reply's delivery in the transaction that stores it.
	OnReply conversation.Hook
	// SlackOff says Slack is switched off, so replies are read on the
	// dashboard only; the API says so to whoever sends one.
	SlackOff bool
	// Deliveries reports how a round's DMs went out.
	Deliveries *delivery.Store
	// OnRoundCreated runs in the transaction that creates a round by hand,
	// so its deliveries are queued exactly when the round exists.
	OnRoundCreated survey.RoundHook
	// OnRoundClosed runs in the transaction that closes a round by hand.
	OnRoundClosed survey.CloseHook
	// OneOnOnes keeps one-on-ones; OnMeetingScheduled queues a meeting's
	// reminders in the transaction that schedules or moves it.
	OneOnOnes          *oneonone.Service
	OnMeetingScheduled oneonone.MeetingHook
	// Actions keeps action plans on closed rounds' results;
	// OnActionPublished queues the DMs to a plan's group in the transaction
	// that publishes it (nil: nobody is messaged).
	Actions           *action.Service
	OnActionPublished action.PublishHook
	// Sales imports CRM data and computes KPIs, alone and alongside eNPS.
	Sales *sales.Service
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
	// Metrics is where HTTP and database metrics are registered and read
	// from. They are served apart from the API (see MetricsHandler).
	Metrics *prometheus.Registry
	// BodyLimit caps request bodies, in Echo's notation ("1M").
	BodyLimit string
	// Pages are the web dashboard's routes, served and described beside the API.
	Pages []web.Page
	// MinFreeDisk is the free space /readyz wants beside an SQLite file, in
	// bytes; DefaultMinFreeDisk when 0.
	MinFreeDisk uint64
	// ReadyChecks are further conditions /readyz checks.
	ReadyChecks []ReadyCheck
	// Slack are the endpoints Slack calls (interactions, commands, events).
	// They check Slack's request signature themselves, before parsing.
	Slack []SlackEndpoint
}

// SlackEndpoint is a route Slack calls, signed with the signing secret
// rather than a bearer token.
type SlackEndpoint struct {
	Path, Summary string
	Handler       http.Handler
	// Answers: answers arrive here, so it is handled like the API's answer
	// routes (not counted in metrics, logged without path or request id).
	Answers bool
}

// Server holds the Echo instance and the route table it was built from.
type Server struct {
	Echo   *echo.Echo
	routes []route
	deps   Deps
	quiet  map[string]bool // "METHOD /path" of the answer routes
}

// New builds the HTTP handler with every route registered.
func New(deps Deps) *Server {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.BodyLimit == "" {
		deps.BodyLimit = "1M"
	}
	if deps.Sessions == nil && deps.DB != nil {
		deps.Sessions = auth.NewSessions(deps.DB.Gorm, deps.Now)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	s := &Server{Echo: e, deps: deps, quiet: map[string]bool{}}
	s.routes = s.routeTable()
	for _, r := range s.routes {
		if r.quiet {
			s.quiet[r.method+" "+r.path] = true
		}
	}

	e.Use(middleware.RequestID())
	e.Use(requestLogger(deps.Logger, s.isQuiet))
	e.Use(newHTTPMetrics(deps.Metrics, s.isQuiet).middleware)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			deps.Logger.Error("panic in handler", "err", err, "path", c.Path(),
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
			return err
		},
	}))
	e.Use(middleware.BodyLimit(deps.BodyLimit))
	// The dashboard loads only its own files, with no inline style or script;
	// nothing may frame it.
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		ContentTypeNosniff: "nosniff", XFrameOptions: "DENY", ReferrerPolicy: "no-referrer",
		ContentSecurityPolicy: "default-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
	}))

	for _, r := range s.routes {
		e.Add(r.method, r.path, r.handler, s.guard(r))
	}
	return s
}

// isQuiet reports whether the request is on an answer route, where nothing
// that names or dates the person may be written, logged or counted.
func (s *Server) isQuiet(c echo.Context) bool {
	return s.quiet[c.Request().Method+" "+c.Path()]
}

// ServeHTTP lets the server be used as an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.Echo.ServeHTTP(w, r) }

// isStaticFile tells the dashboard's scripts, styles and icons apart.
func isStaticFile(path string) bool {
	return strings.HasPrefix(path, "/static/") || path == "/favicon.ico"
}

// requestLogger writes one line per request. On answer routes the line
// carries neither the path's values nor the request id, only the route
// template, so no log line can be joined to a person's other requests.
func requestLogger(logger *slog.Logger, quiet func(echo.Context) bool) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true,
		LogRequestID: true, LogRoutePath: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if isStaticFile(v.URIPath) && v.Status < 400 {
				// A page view loads a dozen files: at INFO they drowned the rest.
				level = slog.LevelDebug
			}
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.String("route", v.RoutePath), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("request_id", v.RequestID),
			}
			if quiet(c) {
				attrs = []slog.Attr{slog.String("method", v.Method), slog.String("route", v.RoutePath),
					slog.Int("status", v.Status)}
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			logger.LogAttrs(c.Request().Context(), level, "request", attrs...)
			return nil
		},
	})
}
