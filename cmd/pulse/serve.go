package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/gommon/bytes"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/demo"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/web"
)

func serve(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	demoMode := fs.Bool("demo", false, "load the demo organisation and print a sign-in link")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	started := time.Now()
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	s := newServices(db, cfg)
	if cfg.SlackBotToken == "" {
		logger.Info("Slack is off: SLACK_BOT_TOKEN is not set")
	}

	var demoToken string
	if *demoMode {
		if demoToken, err = prepareDemo(ctx, s, logger); err != nil {
			return err
		}
	}

	side, err := newSlack(cfg, s, logger)
	if err != nil {
		return err
	}
	sender := side.Sender
	worker := scheduler.NewDeliverWorker(db.Gorm, s.surveys, sender, s.now, logger)
	replies := scheduler.NewReplyWorker(db.Gorm, s.surveys, sender, s.now, logger)
	digests := scheduler.NewDigestWorker(db.Gorm, s.surveys, sender, s.now, logger)
	oneOnOnes := scheduler.NewOneOnOneWorker(db.Gorm, s.oneOnOnes, sender, s.now, logger)
	queue, err := scheduler.NewRiver(db, worker, logger, scheduler.WithReplies(replies), scheduler.WithDigests(digests),
		scheduler.WithOneOnOnes(oneOnOnes))
	if err != nil {
		return err
	}
	dispatcher := scheduler.NewDispatcher(queue, s.now)
	replyQueue := scheduler.NewReplyQueuer(queue)
	side.SetAuthorReplies(func(ctx context.Context, commentID string, employeeID int64, body string) error {
		_, err := s.conversations.AuthorReply(ctx, commentID, employeeID, body, replyQueue.Queue)
		return err
	})
	sched := scheduler.New(db.Gorm, s.surveys, dispatcher, s.now, logger)

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db.SQL, "pulse"))
	server := api.New(api.Deps{
		DB: db, Directory: s.directory, Tokens: s.tokens, Surveys: s.surveys, Deliveries: s.deliveries,
		OnRoundCreated: dispatcher.RoundCreated, OnRoundClosed: dispatcher.RoundClosed,
		Conversations: s.conversations, OnReply: replyQueue.Queue, Logger: logger, Metrics: reg, BodyLimit: cfg.BodyLimit,
		Pages: append(web.Pages(), side.Pages...), Slack: side.Endpoints,
		OneOnOnes: s.oneOnOnes, OnMeetingScheduled: scheduler.NewOneOnOneQueuer(queue, s.now).Queue,
		Sales: s.sales,
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("PULSE_ADDR %s: %w", cfg.Addr, err)
	}
	limit, _ := bytes.Parse(cfg.BodyLimit)
	httpServer := &http.Server{
		Handler:           server,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    int(min(limit, 1<<20)),
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("pulse is serving", "addr", ln.Addr().String(), "database", string(db.Dialect),
		"startup", time.Since(started).Round(time.Millisecond).String())
	if *demoMode {
		fmt.Fprintf(stdout, "\nPulse demo is running: %s\n"+
			"Sign in to the dashboard as the HR admin (%s): %s/#token=%s\n"+
			"API token for the same person: %s\n"+
			"  curl -H 'Authorization: Bearer %s' %s/api/v1/employees\n\n",
			cfg.BaseURL, demo.HRAdminEmail, cfg.BaseURL, demoToken, demoToken, demoToken, cfg.BaseURL)
	}

	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	if err := queue.Start(ctx); err != nil {
		return fmt.Errorf("starting the job queue: %w", err)
	}
	extra := map[string]func(context.Context) error{}
	if side.SyncDaily != nil {
		extra["@daily"] = side.SyncDaily
	}
	stopScheduler := sched.Start(ctx, extra)
	if side.Run != nil {
		go func() {
			if err := side.Run(ctx); err != nil && ctx.Err() == nil {
				logger.Error("Slack Socket Mode stopped", "err", err)
			}
		}()
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	// Shut down in a fixed order: stop taking requests and let those in
	// flight finish, then stop scheduling, then let running jobs finish;
	// the database closes last (deferred above).
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if herr := httpServer.Shutdown(shutdownCtx); herr != nil && !errors.Is(herr, http.ErrServerClosed) {
		err = errors.Join(err, herr)
	}
	side.Wait() // Slack calls started by requests already answered
	stopScheduler()
	if qerr := queue.Stop(shutdownCtx); qerr != nil {
		err = errors.Join(err, qerr)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// prepareDemo loads the demo organisation if it is not there yet and issues
// a fresh HR admin token for this run.
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
	secret, _, err := s.tokens.Create(ctx, hr.ID, "demo sign-in")
	if err != nil {
		return "", err
	}
	return secret, nil
}
