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
  backup FILE                             copy the serving SQLite database (and its secret) to FILE
  demo                                    load the demo organisation (idempotent)
  slack sync [--create-missing [--team NAME]]
                                          match Slack members to employees (ids, zones, languages)
  version                                 print the version and the commit it was built from

Every command takes -h or --help. Configuration comes from environment
variables; see README.md.
`

// run dispatches a command line; main stays a few lines. The command's
// flags are parsed before anything else happens, so a wrong flag or a
// request for help reads no configuration and opens no database.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	parse, ok := commands[args[0]]
	if !ok {
		return usageErrorf("unknown command %q\n\n%s", args[0], usage)
	}
	p, err := parse(args[1:])
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, p.usage)
		return nil
	}
	if err != nil {
		return err
	}
	if p.offline != nil {
		return p.offline(stdout)
	}
	if p.existingDatabase {
		if err := databaseMustExist(getenv); err != nil {
			return err
		}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	logger, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	return p.run(ctx, cfg, logger, stdout)
}

// plan is a parsed command line: what to run, and what it may assume.
type plan struct {
	usage string
	// existingDatabase refuses to create the SQLite file: only serve,
	// migrate up and demo make a new install.
	existingDatabase bool
	run              func(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) error
	// offline runs without configuration or database (version).
	offline func(stdout io.Writer) error
}

// commands parse their own arguments into a plan.
var commands = map[string]func(args []string) (plan, error){
	"serve":   parseServe,
	"migrate": parseMigrate,
	"token":   parseToken,
	"admin":   parseAdmin,
	"demo":    parseDemo,
	"backup":  parseBackup,
	"slack":   parseSlack,
	"version": parseVersion,
}

func parseServe(args []string) (plan, error) {
	fs := newFlags()
	demoMode := fs.Bool("demo", false, "load the demo organisation if it is missing and print a sign-in link")
	p := plan{usage: usageOf(fs, "serve [--demo]", "Runs the HTTP server, the scheduler and the job queue until SIGINT or SIGTERM.\n"+
		"Creates the database if there is none and applies pending migrations first.")}
	_, err := parseArgs(fs, args, p.usage, 0)
	p.run = func(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) error {
		return serve(ctx, cfg, logger, *demoMode, stdout)
	}
	return p, err
}

func parseMigrate(args []string) (plan, error) {
	fs := newFlags()
	p := plan{usage: usageOf(fs, "migrate [up|status|down]", "up (the default) creates the database if there is none and applies pending migrations;\n"+
		"status shows the schema version; down rolls back the latest migration.")}
	positional, err := parseArgs(fs, args, p.usage, 1)
	if err != nil {
		return p, err
	}
	action := "up"
	if len(positional) == 1 {
		action = positional[0]
	}
	if action != "up" && action != "status" && action != "down" {
		return p, usageErrorf("migrate: unknown action %q (use up, status or down)\n\n%s", action, p.usage)
	}
	p.existingDatabase = action != "up"
	p.run = func(ctx context.Context, cfg config, logger *slog.Logger, stdout io.Writer) error {
		return migrate(ctx, cfg, logger, action, stdout)
	}
	return p, nil
}

func parseToken(args []string) (plan, error) {
	fs := newFlags()
	email := fs.String("email", "", "the employee's email (required)")
	name := fs.String("name", "cli", "a name to recognise the token by")
	expires := fs.Duration("expires", 0, "the token stops working after this long, e.g. 720h (default: never)")
	p := plan{usage: usageOf(fs, "token create --email EMAIL [--name NAME] [--expires 720h]",
		"Creates an API token for an employee and prints only the token."), existingDatabase: true}
	if err := parseVerb(fs, args, "create", p.usage); err != nil {
		return p, err
	}
	if strings.TrimSpace(*email) == "" {
		return p, usageErrorf("token create: --email is required\n\n%s", p.usage)
	}
	if *expires < 0 {
		return p, usageErrorf("token create: --expires must be positive, e.g. 720h\n\n%s", p.usage)
	}
	p.run = func(ctx context.Context, cfg config, _ *slog.Logger, stdout io.Writer) error {
		return printToken(ctx, cfg, stdout, "token create", *name, *expires, func(s *services) (directory.Employee, error) {
			e, err := s.directory.EmployeeByEmail(ctx, *email)
			if err != nil {
				return e, fmt.Errorf("no employee with email %s", *email)
			}
			return e, nil
		})
	}
	return p, nil
}

// parseAdmin reads `admin create`, which makes the first HR admin of a real
// install, or promotes an existing employee, and prints a token for them.
func parseAdmin(args []string) (plan, error) {
	fs := newFlags()
	email := fs.String("email", "", "the HR admin's email")
	name := fs.String("name", "", "the HR admin's full name")
	p := plan{usage: usageOf(fs, "admin create --email EMAIL --name NAME",
		"Creates the first HR admin of an install (or promotes an existing employee) and prints their API token.\n"+
			"The database must exist: run pulse migrate first."), existingDatabase: true}
	if err := parseVerb(fs, args, "create", p.usage); err != nil {
		return p, err
	}
	p.run = func(ctx context.Context, cfg config, _ *slog.Logger, stdout io.Writer) error {
		return printToken(ctx, cfg, stdout, "admin create", "admin create", 0, func(s *services) (directory.Employee, error) {
			return s.directory.EnsureHRAdmin(ctx, *email, *name)
		})
	}
	return p, nil
}

func parseDemo(args []string) (plan, error) {
	fs := newFlags()
	p := plan{usage: usageOf(fs, "demo", "Loads the demo organisation (about 60 people, a year of answers) into the configured database,\n"+
		"creating it if there is none. Running it again changes nothing. Never point it at a real install.")}
	_, err := parseArgs(fs, args, p.usage, 0)
	p.run = loadDemo
	return p, err
}

// newFlags is a flag set that prints nothing itself: run decides where
// help and errors go.
func newFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("pulse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseArgs parses flags wherever they stand among the positional arguments
// (so `migrate down --help` asks for help) and allows at most maxPositional
// of those.
func parseArgs(fs *flag.FlagSet, args []string, usage string, maxPositional int) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		} else if err != nil {
			return nil, usageErrorf("%v\n\n%s", err, usage)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if len(positional) == maxPositional {
			return nil, usageErrorf("unexpected argument %q\n\n%s", args[0], usage)
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// parseVerb parses a command that takes exactly one verb (token create).
func parseVerb(fs *flag.FlagSet, args []string, verb, usage string) error {
	positional, err := parseArgs(fs, args, usage, 1)
	switch {
	case err != nil:
		return err
	case len(positional) == 0:
		return usageErrorf("a command is missing\n\n%s", usage)
	case positional[0] != verb:
		return usageErrorf("unknown command %q\n\n%s", positional[0], usage)
	}
	return nil
}

func usageOf(fs *flag.FlagSet, synopsis, about string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: pulse %s\n\n%s\n", synopsis, about)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		b.WriteString("\nFlags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return b.String()
}

// errHelp is -h or --help: the command's usage goes to stdout, exit 0.
var errHelp = errors.New("help requested")

// usageError is a wrong command line: main exits 2, as the flag package does.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode is the process status for what run returned.
func exitCode(err error) int {
	var u *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// databaseMustExist stops a command that works on an existing install from
// creating an empty SQLite file (and its secret) wherever it happens to run.
func databaseMustExist(getenv func(string) string) error {
	loc, err := database.ParseURL(databaseURL(getenv))
	if err != nil {
		return nil // loadConfig names the variable and the reason
	}
	exists, err := loc.Exists()
	if err != nil || exists {
		return err
	}
	return fmt.Errorf("no database at %s: run pulse migrate to create one there, "+
		"or set PULSE_DATABASE_URL to the existing one", loc.AbsPath())
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

func migrate(ctx context.Context, cfg config, logger *slog.Logger, action string, stdout io.Writer) error {
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
	}
	st, err := migrations.CurrentStatus(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "pulse schema: version %d of %d\nriver schema: version %d of %d\n",
		st.Current, st.Latest, st.RiverCurrent, st.RiverLatest)
	return nil
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
