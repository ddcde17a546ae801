package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/pulsehq/pulse/api"
	"github.com/pulsehq/pulse/cluster"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/slackrate"
	"github.com/pulsehq/pulse/web"
)

// slackSide is everything Slack adds to a running Pulse. With Slack off
// (no SLACK_BOT_TOKEN) the Sender records every delivery as not configured
// and the rest is empty.
type slackSide struct {
	// Endpoints are Slack's request URLs, for api.Deps.Slack. There are none
	// without a signing secret (Socket Mode only).
	Endpoints []api.SlackEndpoint
	// Pages holds GET /signin, where `/pulse dashboard` links land, for
	// api.Deps.Pages.
	Pages []web.Page
	// Sender delivers survey DMs, reminders and closing notices.
	Sender delivery.Sender
	// Run serves Slack over Socket Mode until ctx ends; nil in HTTPS mode.
	// serve runs it only while the replica holds a Socket Mode slot.
	Run func(ctx context.Context) error
	// Sync copies Slack's member list into the directory: `pulse slack
	// sync`, and the daily job. Both hold the cluster's sync lease
	// (syncLease) while they run: a second one, on any replica, fails with
	// cluster.ErrBusy. nil when Slack is off.
	Sync func(ctx context.Context, opts notify.SyncOptions) (notify.SyncReport, error)
	// SyncDaily is Sync with the default options, logging what it did: for
	// the scheduler's extra jobs ("@daily"). nil when Slack is off.
	SyncDaily func(ctx context.Context) error
	// SetAuthorReplies connects the "Answer anonymously" flow once the job
	// queue that delivers answers exists.
	SetAuthorReplies func(notify.AuthorReplies)
	// Wait blocks until Slack calls still running in the background (DM
	// updates, Home tabs) have finished: call it after the HTTP server and
	// Run have stopped, before closing the database.
	Wait func()
}

// signInPage serves the one-time sign-in links of `/pulse dashboard` and
// `serve --demo`, with Slack on or off.
func signInPage(s *services, logger *slog.Logger) web.Page {
	return web.Page{Method: http.MethodGet, Path: notify.SignInPath,
		Handler: echo.WrapHandler(notify.SignInHandler(s.signIns, logger)),
		Summary: "One-time dashboard sign-in link (/pulse dashboard, serve --demo): exchanges ?code= for a dashboard session " +
			"(12 h idle, 7 days at most) and redirects to /#token=…"}
}

// slackTimeout bounds one Web API call; the delivery worker allows 30 s.
const slackTimeout = 20 * time.Second

// newSlack builds the Slack side; the calls that deliver rounds and
// messages are measured in reg and their failures logged. The app's calls
// made for a tap or a modal are not: a metric that moves when someone
// answers would date the answer.
func newSlack(cfg config, s *services, logger *slog.Logger, reg prometheus.Registerer) (*slackSide, error) {
	if cfg.SlackBotToken == "" {
		return &slackSide{Sender: delivery.Disabled{}, Wait: func() {}, SetAuthorReplies: func(notify.AuthorReplies) {}}, nil
	}
	logger = logger.With("component", "slack")
	client := slackClient(cfg)
	// One limiter paces every caller in the process, sharing its slots and
	// pauses with the other replicas through the database. It sits outside
	// the observer, so the metrics count the calls that reached Slack; the
	// app's own calls are paced but never observed.
	limiter := slackrate.New(slackrate.NewSQLStore(s.db), slackrate.DefaultConfig(cfg.SlackPostRate), time.Now)
	observed := notify.Observe(client, notify.ObserveConfig{Metrics: notify.NewSlackMetrics(reg), Logger: logger})
	app := notify.NewApp(notify.AppConfig{
		Slack: notify.NewPaced(client, limiter), Surveys: s.surveys, People: s.directory, OneOnOnes: s.oneOnOnes, Actions: s.actions,
		SignIns: s.signIns, SigningSecret: cfg.SlackSigningSecret, BaseURL: cfg.BaseURL, Now: s.now, Logger: logger,
	})
	directorySync := &notify.DirectorySync{Slack: client, Directory: s.directory, Logger: logger}
	side := &slackSide{
		Sender:           notify.NewSender(notify.NewPaced(observed, limiter), s.surveys).WithBaseURL(cfg.BaseURL).WithActions(s.actions),
		Sync:             leased(cluster.NewRuns(s.db.Gorm, s.now, cluster.NewHolder()), directorySync.Run),
		Wait:             app.Wait,
		SetAuthorReplies: app.SetAuthorReplies,
	}
	side.SyncDaily = func(ctx context.Context) error {
		report, err := side.Sync(ctx, notify.SyncOptions{})
		if err == nil {
			logger.Info("Slack directory sync", "members", report.SlackMembers, "updated", report.Updated,
				"deactivated", report.Deactivated, "unmatched", len(report.Unmatched), "skipped", len(report.Problems))
		}
		return err
	}
	if cfg.SlackSigningSecret != "" {
		for _, e := range app.Endpoints() {
			side.Endpoints = append(side.Endpoints, api.SlackEndpoint{Path: e.Path, Summary: e.Summary, Handler: e.Handler, Answers: e.Answers})
		}
	}
	if cfg.SlackAppToken != "" {
		// A new client for each run: a replica may lose its Socket Mode
		// slot and take one again later.
		side.Run = func(ctx context.Context) error { return app.RunSocketMode(ctx, socketmode.New(client)) }
	}
	return side, nil
}

// syncLease is the lease every directory sync holds, whether the daily one
// or one run by hand: two at once would spend users.list's rate limit twice
// and race on the same employees.
const syncLease = "slack-directory-sync-lease"

// leased runs sync under the cluster's sync lease.
func leased(runs *cluster.Runs, sync func(context.Context, notify.SyncOptions) (notify.SyncReport, error)) func(context.Context, notify.SyncOptions) (notify.SyncReport, error) {
	return func(ctx context.Context, opts notify.SyncOptions) (report notify.SyncReport, err error) {
		err = runs.Exclusive(ctx, syncLease, func(ctx context.Context) error {
			report, err = sync(ctx, opts)
			return err
		})
		return report, err
	}
}

func slackClient(cfg config) *slack.Client {
	opts := []slack.Option{slack.OptionHTTPClient(&http.Client{Timeout: slackTimeout})}
	if cfg.SlackAPIURL != "" {
		opts = append(opts, slack.OptionAPIURL(cfg.SlackAPIURL))
	}
	if cfg.SlackAppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.SlackAppToken))
	}
	return slack.New(cfg.SlackBotToken, opts...)
}

// parseSlack reads `slack sync`: one pass of the directory sync.
func parseSlack(args []string) (plan, error) {
	fs := newFlags()
	createMissing := fs.Bool("create-missing", false, "add Slack members with no employee yet")
	teamName := fs.String("team", "", "the team new employees join (with --create-missing)")
	p := plan{usage: usageOf(fs, "slack sync [--create-missing [--team NAME]]",
		"Matches Slack members to employees by email and fills in their Slack id, time zone and language;\n"+
			"deactivates people whose Slack account was deleted. Needs SLACK_BOT_TOKEN."), existingDatabase: true}
	if err := parseVerb(fs, args, "sync", p.usage); err != nil {
		return p, err
	}
	if *teamName != "" && !*createMissing {
		return p, usageErrorf("slack sync: --team only applies with --create-missing\n\n%s", p.usage)
	}
	p.run = func(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) error {
		return slackSync(ctx, cfg, logger, *createMissing, *teamName, stdout)
	}
	return p, nil
}

func slackSync(ctx context.Context, cfg config, logger *slog.Logger, createMissing bool, teamName string, stdout io.Writer) error {
	if cfg.SlackBotToken == "" {
		return errors.New("slack sync: SLACK_BOT_TOKEN is not set")
	}
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	s := newServices(db, cfg)
	opts := notify.SyncOptions{CreateMissing: createMissing}
	if teamName != "" {
		if opts.DefaultTeam, err = teamNamed(ctx, s.directory, teamName); err != nil {
			return err
		}
	}
	side, err := newSlack(cfg, s, logger, prometheus.NewRegistry())
	if err != nil {
		return err
	}
	report, err := side.Sync(ctx, opts)
	if errors.Is(err, cluster.ErrBusy) {
		return errors.New("slack sync: a directory sync is already running (the daily one, or another `pulse slack sync`); " +
			"nothing was changed, try again once it has finished")
	}
	if err != nil {
		return fmt.Errorf("slack sync: %w", err)
	}
	printSyncReport(stdout, report)
	return nil
}

func teamNamed(ctx context.Context, dir *directory.Directory, name string) (*int64, error) {
	teams, err := dir.Teams(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		if strings.EqualFold(t.Name, strings.TrimSpace(name)) && t.Active {
			return &t.ID, nil
		}
	}
	return nil, fmt.Errorf("slack sync: no active team named %q", name)
}

func printSyncReport(w io.Writer, r notify.SyncReport) {
	fmt.Fprintf(w, "Slack members: %d\nupdated: %d, unchanged: %d, deactivated: %d, created: %d\n",
		r.SlackMembers, r.Updated, r.Unchanged, r.Deactivated, r.Created)
	if len(r.Unmatched) > 0 {
		fmt.Fprintf(w, "not in the directory (%d): %s\n", len(r.Unmatched), strings.Join(r.Unmatched, ", "))
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "skipped (%d):\n  %s\n", len(r.Problems), strings.Join(r.Problems, "\n  "))
	}
}
