package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/migrations"
)

const usage = `Usage: pulse <command> [flags]

Commands:
  serve [--demo]                          run the HTTP server (applies pending migrations first)
  migrate [up|status|down]                manage the database schema (default: up)
  admin create --email EMAIL --name NAME  create (or promote) an HR admin on a new install; prints their token
  token create --email EMAIL [--name N] [--expires 720h]
                                          create an API token for an employee; prints only the token
  demo                                    load the demo organisation (idempotent)
  slack sync [--create-missing [--team NAME]]
                                          match Slack members to employees (ids, zones, languages)

Configuration comes from environment variables; see README.md.
`

// run dispatches a command line; main stays a few lines.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	logger, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	switch args[0] {
	case "serve":
		return serve(ctx, cfg, logger, args[1:], stdout)
	case "migrate":
		return migrate(ctx, cfg, logger, args[1:], stdout)
	case "token":
		return token(ctx, cfg, args[1:], stdout)
	case "admin":
		return admin(ctx, cfg, args[1:], stdout)
	case "demo":
		return loadDemo(ctx, cfg, logger, stdout)
	case "slack":
		return slackCommand(ctx, cfg, logger, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

func newLogger(cfg config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// openMigrated opens the configured database and applies pending migrations.
func openMigrated(ctx context.Context, cfg config, logger *slog.Logger) (*database.DB, error) {
	db, err := database.Open(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	if err := migrations.Up(ctx, db, logger); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, cfg config, logger *slog.Logger, args []string, stdout io.Writer) error {
	action := "up"
	if len(args) > 0 {
		action = args[0]
	}
	db, err := database.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer db.Close()
	switch action {
	case "up":
		if err := migrations.Up(ctx, db, logger); err != nil {
			return err
		}
	case "down":
		v, err := migrations.Down(ctx, db, logger)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rolled back migration %d\n", v)
	case "status":
	default:
		return fmt.Errorf("migrate: unknown action %q (use up, status or down)", action)
	}
	st, err := migrations.CurrentStatus(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pulse schema: version %d of %d\nriver schema: version %d of %d\n",
		st.Current, st.Latest, st.RiverCurrent, st.RiverLatest)
	return nil
}

func token(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("token: use pulse token create --email EMAIL [--name NAME]")
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "employee email")
	name := fs.String("name", "cli", "a name to recognise the token by")
	expires := fs.Duration("expires", 0, "the token stops working after this long, e.g. 720h (default: never)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	if *expires < 0 {
		return errors.New("token create: --expires must be positive, e.g. 720h")
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("token create: --email is required")
	}
	return printToken(ctx, cfg, stdout, "token create", *name, *expires, func(s *services) (directory.Employee, error) {
		e, err := s.directory.EmployeeByEmail(ctx, *email)
		if err != nil {
			return e, fmt.Errorf("no employee with email %s", *email)
		}
		return e, nil
	})
}

// printToken opens the database, finds the employee with find, and prints
// only a new API token for them.
func printToken(ctx context.Context, cfg config, stdout io.Writer, command, name string, expires time.Duration,
	find func(*services) (directory.Employee, error)) error {
	db, err := openMigrated(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer db.Close()
	s := newServices(db, cfg)
	e, err := find(s)
	if err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	var until *time.Time
	if expires > 0 {
		at := s.now().Add(expires)
		until = &at
	}
	secret, _, err := s.tokens.CreateExpiring(ctx, e.ID, name, until)
	if err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

func loadDemo(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) error {
	db, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	ran, err := newServices(db, cfg).loadDemo(ctx)
	if err != nil {
		return err
	}
	if len(ran) == 0 {
		fmt.Fprintln(stdout, "demo organisation already loaded; nothing changed")
	} else {
		fmt.Fprintf(stdout, "demo organisation loaded (%s)\n", strings.Join(ran, ", "))
	}
	return nil
}

// admin creates the first HR admin of a real install, or promotes an
// existing employee, and prints a token for them.
func admin(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("admin: use pulse admin create --email EMAIL --name NAME")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "the HR admin's email")
	name := fs.String("name", "", "the HR admin's full name")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("admin create: %w", err)
	}
	return printToken(ctx, cfg, stdout, "admin create", "admin create", 0, func(s *services) (directory.Employee, error) {
		return s.directory.EnsureHRAdmin(ctx, *email, *name)
	})
}
