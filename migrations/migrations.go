// Package migrations holds Pulse's schema as numbered SQL files, one folder per
// dialect with the same numbers in both, embedded into the binary and applied
// with goose. River's own tables are migrated alongside. Nothing here creates
// schema from Go structs.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/pulsehq/pulse/database"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// advisoryLockKey, hashed with the schema's name, serialises migrations
// between replicas starting together on one PostgreSQL schema; deployments
// (and tests) in other schemas of the database do not wait for them. Any
// constant unique to Pulse will do.
const advisoryLockKey = 7_305_918_442

const lockID = "hashtextextended(current_schema(), $1)"

// Status is what `pulse migrate status` prints and /readyz checks.
type Status struct {
	Current      int64
	Latest       int64
	RiverCurrent int
	RiverLatest  int
}

// Pending reports whether any schema migration is still to be applied.
func (s Status) Pending() bool {
	return s.Current < s.Latest || s.RiverCurrent < s.RiverLatest
}

func provider(db *database.DB, logger *slog.Logger) (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "sqlite"
	if db.Dialect == database.Postgres {
		dialect, dir = goose.DialectPostgres, "postgres"
	}
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	return goose.NewProvider(dialect, db.SQL, sub, opts...)
}

func riverMigrator(db *database.DB, logger *slog.Logger) (*rivermigrate.Migrator[*sql.Tx], error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// River reports every step at info level; Pulse's own log says enough.
	logger = slog.New(minLevel{logger.Handler(), slog.LevelWarn})
	return rivermigrate.New(db.RiverDriver(), &rivermigrate.Config{Logger: logger})
}

// Open opens the database at raw (a PostgreSQL URL or an SQLite path) and
// applies pending migrations quietly; on failure nothing is left open.
func Open(ctx context.Context, raw string) (*database.DB, error) {
	loc, err := database.ParseURL(raw)
	if err != nil {
		return nil, err
	}
	db, err := database.Open(ctx, loc)
	if err != nil {
		return nil, err
	}
	if err := Up(ctx, db, nil); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Up applies every pending migration, Pulse's and River's. On PostgreSQL it
// holds an advisory lock meanwhile, so replicas starting together take turns.
func Up(ctx context.Context, db *database.DB, logger *slog.Logger) error {
	return withLock(ctx, db, func() error {
		p, err := provider(db, logger)
		if err != nil {
			return err
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("applying migrations: %w", err)
		}
		m, err := riverMigrator(db, logger)
		if err != nil {
			return err
		}
		if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
			return fmt.Errorf("applying River's migrations: %w", err)
		}
		return nil
	})
}

// Down rolls back the latest Pulse migration. River's tables are left alone.
func Down(ctx context.Context, db *database.DB, logger *slog.Logger) (int64, error) {
	var version int64
	err := withLock(ctx, db, func() error {
		p, err := provider(db, logger)
		if err != nil {
			return err
		}
		res, err := p.Down(ctx)
		if err != nil {
			return fmt.Errorf("rolling back: %w", err)
		}
		version = res.Source.Version
		return nil
	})
	return version, err
}

// DownAll rolls back every Pulse migration and River's tables: an empty database.
func DownAll(ctx context.Context, db *database.DB) error {
	return withLock(ctx, db, func() error {
		p, err := provider(db, nil)
		if err != nil {
			return err
		}
		if _, err := p.DownTo(ctx, 0); err != nil {
			return err
		}
		m, err := riverMigrator(db, nil)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionDown, &rivermigrate.MigrateOpts{TargetVersion: -1})
		return err
	})
}

// CurrentStatus reads which migrations the database has.
func CurrentStatus(ctx context.Context, db *database.DB) (Status, error) {
	p, err := provider(db, nil)
	if err != nil {
		return Status{}, err
	}
	current, latest, err := p.GetVersions(ctx)
	if err != nil && !errors.Is(err, goose.ErrNoMigrations) {
		return Status{}, err
	}
	m, err := riverMigrator(db, nil)
	if err != nil {
		return Status{}, err
	}
	st := Status{Current: current, Latest: latest}
	all := m.AllVersions()
	st.RiverLatest = all[len(all)-1].Version
	existing, err := m.ExistingVersions(ctx)
	if err != nil {
		// River's migration table does not exist until its first migration.
		return st, nil
	}
	if len(existing) > 0 {
		st.RiverCurrent = existing[len(existing)-1].Version
	}
	return st, nil
}

func withLock(ctx context.Context, db *database.DB, fn func() error) error {
	if db.Dialect != database.Postgres {
		return fn()
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+lockID+")", advisoryLockKey); err != nil {
		return fmt.Errorf("taking the migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock("+lockID+")", advisoryLockKey)
	return fn()
}

// minLevel drops records below a level before they reach the wrapped handler.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}
