package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/labstack/gommon/bytes"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/cluster"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/demo"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
	"github.com/pulsehq/pulse/web"
)

func serve(ctx context.Context, cfg config, logger *slog.Logger, demoMode bool, stdout io.Writer) error {
	started := time.Now()
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	s := newServices(db, cfg)
	// An employee or CRM import cut off by a crash is undone here (once it has been
	// silent for a minute), or else by the next import.
	if err := s.directory.UndoAbandonedImports(ctx); err != nil {
		logger.Warn("an abandoned employee import could not be undone yet", "err", err)
	}
	if err := s.sales.UndoAbandonedImports(ctx); err != nil {
		logger.Warn("an abandoned CRM import could not be undone yet", "err", err)
	}
	// KPI tables read per-rep period sums; an install upgraded with CRM
	// data builds them here once, before serving a table.
	buildStart := time.Now()
	if built, err := s.sales.BuildRepSums(ctx); err != nil {
		return fmt.Errorf("building the sales KPI period sums: %w", err)
	} else if built {
		logger.Info("built the sales KPI period sums from the CRM tables", "took", time.Since(buildStart).Round(time.Millisecond))
	}
	if cfg.SlackBotToken == "" {
		logger.Info("Slack is off: SLACK_BOT_TOKEN is not set")
	}
	var demoCode string
	if demoMode {
		if demoCode, err = prepareDemo(ctx, s, logger); err != nil {
			return err
		}
	}
	rt, err := assemble(cfg, s, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("PULSE_ADDR %s: %w", cfg.Addr, err)
	}
	if err := rt.listenMetrics(cfg.MetricsAddr); err != nil {
		ln.Close()
		return err
	}
	info, _ := debug.ReadBuildInfo()
	logger.Info("pulse is serving", "addr", ln.Addr().String(), "database", cfg.Database.Describe(),
		"version", versionLine(version, info), "startup", time.Since(started).Round(time.Millisecond).String())
	if !demoMode {
		adviseFirstAdmin(ctx, s, logger)
	}
	if demoMode {
		printDemo(stdout, cfg, demoCode)
	}
	return rt.run(ctx, ln)
}

// adviseFirstAdmin says what comes next on an install nobody can sign in
// to yet.
func adviseFirstAdmin(ctx context.Context, s *services, logger *slog.Logger) {
	has, err := s.directory.HasHRAdmin(ctx)
	if err != nil || has {
		return
	}
	logger.Info("no HR admin yet: create the first with `pulse admin create --email EMAIL --name NAME` " +
		"(same PULSE_DATABASE_URL); it prints their sign-in token")
}

// listenMetrics opens PULSE_METRICS_ADDR, apart from the API so that no
// one who can reach the dashboard can watch activity; "" leaves it off.
func (rt *runtime) listenMetrics(addr string) error {
	if addr == "" {
		rt.logger.Info("metrics are off: PULSE_METRICS_ADDR is off")
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("PULSE_METRICS_ADDR %s: %w", addr, err)
	}
	rt.metricsLn = ln
	rt.logger.Info("metrics are served", "addr", ln.Addr().String(), "path", "/metrics")
	return nil
}

// runtime is what serve starts, and stops again in a fixed order.
type runtime struct {
	http      *http.Server
	metrics   *http.Server
	metricsLn net.Listener
	queue     *river.Client[*sql.Tx]
	sched     *scheduler.Scheduler
	slack     *slackSide
	sockets   *cluster.Sockets // nil when PULSE_SLACK_SOCKETS is 0
	logger    *slog.Logger
	// stopCommits records the answers handed to group commit, then turns it off.
	stopCommits func(context.Context) error
}

// assemble builds the Slack side, the job queue and its workers, the
// scheduler and the HTTP handler over the services.
func assemble(cfg config, s *services, logger *slog.Logger) (*runtime, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(s.db.SQL, "pulse"), scheduler.NewQueueCollector(s.db, s.now, logger))
	side, err := newSlack(cfg, s, logger, reg)
	if err != nil {
		return nil, err
	}
	queue, err := newQueue(s, side.Sender, logger, scheduler.NewDeliveryMetrics(reg))
	if err != nil {
		return nil, err
	}
	dispatcher := scheduler.NewDispatcher(queue, s.now)
	replyQueue := scheduler.NewReplyQueuer(queue, s.now)
	side.SetAuthorReplies(func(ctx context.Context, commentID string, employeeID int64, body string) error {
		_, err := s.conversations.AuthorReply(ctx, commentID, employeeID, body, replyQueue.Queue)
		return err
	})
	handler := api.New(api.Deps{
		DB: s.db, Directory: s.directory, Tokens: s.tokens, Surveys: s.surveys, Deliveries: s.deliveries,
		OnRoundCreated: dispatcher.RoundCreated, OnRoundClosed: dispatcher.RoundClosed,
		Conversations: s.conversations, OnReply: replyQueue.Queue, SlackOff: cfg.SlackBotToken == "", Logger: logger, Metrics: reg, BodyLimit: cfg.BodyLimit,
		Pages: append(web.Pages(), append(side.Pages, signInPage(s, logger))...), Slack: side.Endpoints,
		OneOnOnes: s.oneOnOnes, OnMeetingScheduled: scheduler.NewOneOnOneQueuer(queue, s.now).WithFollowUpAfter(cfg.FollowUpAfter).Queue,
		Sales: s.sales, Actions: s.actions, OnActionPublished: scheduler.NewActionQueuer(queue).Queue, MinFreeDisk: cfg.MinFreeDisk,
	})
	var sockets *cluster.Sockets
	if cfg.SlackSockets > 0 {
		sockets = cluster.NewSockets(s.db.Gorm, s.now, cluster.NewHolder(), cfg.SlackSockets, logger.With("component", "slack"))
	}
	metrics := http.NewServeMux()
	metrics.Handle("GET /metrics", handler.MetricsHandler())
	return &runtime{
		http: newHTTPServer(cfg, handler, logger), metrics: newHTTPServer(cfg, metrics, logger),
		queue: queue, slack: side, sockets: sockets, logger: logger,
		sched:       scheduler.New(s.db.Gorm, s.surveys, dispatcher, s.now, logger),
		stopCommits: s.surveys.StartGroupCommit(survey.DefaultGroupCommit),
	}, nil
}

// newQueue is the River client with every worker, all sending through
// sender; the round deliveries count their outcomes in metrics.
func newQueue(s *services, sender delivery.Sender, logger *slog.Logger, metrics *scheduler.DeliveryMetrics) (*river.Client[*sql.Tx], error) {
	db := s.db.Gorm
	deliver := scheduler.NewDeliverWorker(db, s.surveys, sender, s.now, logger).CountingIn(metrics)
	return scheduler.NewRiver(s.db, deliver, logger,
		scheduler.With(scheduler.NewReplyWorker(db, s.surveys, sender, s.now, logger)),
		scheduler.With(scheduler.NewDigestWorker(db, s.surveys, sender, s.now, logger).WithOneOnOnes(s.oneOnOnes).WithActions(s.actions)),
		scheduler.With(scheduler.NewActionNoticeWorker(db, s.actions, sender, s.now, logger)),
		scheduler.With(scheduler.NewOneOnOneWorker(db, s.oneOnOnes, sender, s.now, logger)),
		scheduler.With(scheduler.NewFollowUpWorker(db, s.oneOnOnes, sender, s.now, logger)))
}

func newHTTPServer(cfg config, handler http.Handler, logger *slog.Logger) *http.Server {
	limit, _ := bytes.Parse(cfg.BodyLimit)
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    int(min(limit, 1<<20)),
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// run serves until ctx ends (SIGINT/SIGTERM) or the listener fails.
func (rt *runtime) run(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- rt.http.Serve(ln) }()
	if rt.metricsLn != nil {
		go func() {
			if err := rt.metrics.Serve(rt.metricsLn); !errors.Is(err, http.ErrServerClosed) {
				rt.logger.Error("the metrics listener stopped", "err", err)
			}
		}()
	}
	// The queue outlives the signal: shutdown lets running jobs finish.
	if err := scheduler.StartQueue(ctx, rt.queue); err != nil {
		return fmt.Errorf("starting the job queue: %w", err)
	}
	stopScheduler := rt.sched.Start(ctx, rt.periodic()...)
	closeSocket := rt.holdSocket(ctx)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	return rt.shutdown(err, stopScheduler, closeSocket)
}

// periodic is the work done once a period across all replicas, besides
// the scheduler's tick: the daily Slack directory sync (users.list is
// rate-limited per app, so replicas must not each spend it).
func (rt *runtime) periodic() []scheduler.Task {
	if rt.slack.SyncDaily == nil {
		return nil
	}
	return []scheduler.Task{{Name: "slack-directory-sync", Every: 24 * time.Hour, RetryAfter: 15 * time.Minute,
		Timeout: 20 * time.Minute, Run: rt.slack.SyncDaily}}
}

// holdSocket serves Slack over Socket Mode while this replica holds one of
// the cluster's PULSE_SLACK_SOCKETS slots, and HTTP only otherwise. The
// returned closeSocket ends that (also when ctx has not, as when the HTTP
// listener failed) and waits until the socket is closed and its slot
// released.
func (rt *runtime) holdSocket(ctx context.Context) (closeSocket func()) {
	if rt.slack.Run == nil {
		return func() {}
	}
	if rt.sockets == nil {
		rt.logger.Info("Socket Mode is off: PULSE_SLACK_SOCKETS is 0")
		return func() {}
	}
	ctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		rt.sockets.Hold(ctx, rt.slack.Run)
	}()
	return func() { stop(); <-done }
}

// shutdown stops taking requests and lets those in flight finish, closes
// the Socket Mode socket and frees its slot for another replica, records
// the answers still waiting for group commit, then stops
// scheduling, then stops taking jobs and lets running ones finish within
// what is left of the budget before cancelling them; the database closes
// last, in serve.
func (rt *runtime) shutdown(err error, stopScheduler, closeSocket func()) error {
	rt.logger.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if herr := rt.http.Shutdown(ctx); herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		err = errors.Join(err, herr)
	}
	if rt.metricsLn != nil {
		rt.metrics.Shutdown(ctx) // best effort: nothing is lost with a scrape
	}
	closeSocket()
	if cerr := rt.stopCommits(ctx); cerr != nil {
		err = errors.Join(err, cerr)
	}
	rt.slack.Wait() // Slack calls started by requests already answered
	stopScheduler()
	if qerr := scheduler.StopQueue(ctx, rt.queue); qerr != nil {
		err = errors.Join(err, qerr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func printDemo(stdout io.Writer, cfg config, code string) {
	fmt.Fprintf(stdout, "\nPulse demo is running: %s\n"+
		"Sign in to the dashboard as the HR admin (%s), once, within %s:\n  %s%s?code=%s\n"+
		"For an API token: pulse token create --email %s --expires 720h\n\n",
		cfg.BaseURL, demo.HRAdminEmail, auth.SignInTTL, cfg.BaseURL, notify.SignInPath, code, demo.HRAdminEmail)
}

// prepareDemo loads the demo organisation if it is not there yet and issues
// a one-time sign-in code for the HR admin, like `/pulse dashboard` does: a
// link that turns into a session that ends, not a token that never does.
func prepareDemo(ctx context.Context, s *services, logger *slog.Logger) (string, error) {
	ran, err := s.loadDemo(ctx)
	if err != nil {
		return "", fmt.Errorf("loading the demo: %w", err)
	}
	if len(ran) > 0 {
		logger.Info("demo organisation loaded", "steps", ran)
	}
	hr, err := s.directory.EmployeeByEmail(ctx, demo.HRAdminEmail)
	if err != nil {
		return "", fmt.Errorf("the demo HR admin %s is missing: %w", demo.HRAdminEmail, err)
	}
	code, _, err := s.signIns.Issue(ctx, hr.ID)
	return code, err
}
