// Package database opens Pulse's storage: PostgreSQL in production, an embedded
// SQLite file by default. GORM and River share the one *sql.DB it opens, so a
// round and the jobs that deliver it can be written in a single transaction.
// It knows nothing of surveys or people.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/libtnb/sqlite"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL dialect behind a DB.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is an open database: GORM for the domain packages, the raw *sql.DB for
// migrations, River and health checks.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect
	// Path is the SQLite file, empty for PostgreSQL.
	Path string
}

// Location says which database a URL points at.
type Location struct {
	Dialect Dialect
	// DSN is what the driver is opened with.
	DSN string
	// Path is the SQLite file, empty for PostgreSQL.
	Path string
}

// Describe names the database for a log line without its secrets: the
// SQLite file's path, or PostgreSQL's user, host and database (no password).
func (l Location) Describe() string {
	if l.Dialect == SQLite {
		if abs, err := filepath.Abs(l.Path); err == nil {
			return "sqlite file " + abs
		}
		return "sqlite file " + l.Path
	}
	cfg, err := pgx.ParseConfig(l.DSN)
	if err != nil {
		return "postgres (unreadable URL)"
	}
	return fmt.Sprintf("postgres %s@%s:%d/%s", cfg.User, cfg.Host, cfg.Port, cfg.Database)
}

// InSchema is the PostgreSQL URL raw with its search_path set to schema.
func InSchema(raw, schema string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ParseURL reads PULSE_DATABASE_URL: postgres:// or postgresql:// selects
// PostgreSQL; sqlite:PATH, file:PATH or a plain file path selects SQLite.
func ParseURL(raw string) (Location, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Location{}, errors.New("is empty")
	}
	lower := strings.ToLower(raw)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		if _, err := url.Parse(raw); err != nil {
			return Location{}, fmt.Errorf("is not a valid PostgreSQL URL: %w", err)
		}
		return Location{Dialect: Postgres, DSN: raw}, nil
	}
	if i := strings.Index(raw, "://"); i > 0 && !strings.HasPrefix(lower, "sqlite:") && !strings.HasPrefix(lower, "file:") {
		return Location{}, fmt.Errorf("has unsupported scheme %q (use postgres://… or an SQLite file path)", raw[:i])
	}
	path := raw
	for _, prefix := range []string{"sqlite://", "sqlite:", "file:"} {
		if strings.HasPrefix(lower, prefix) {
			path = raw[len(prefix):]
			break
		}
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return Location{}, errors.New("names no SQLite file")
	}
	return Location{Dialect: SQLite, DSN: sqliteDSN(path), Path: path}, nil
}

// sqliteDSN turns on what an embedded server database needs: WAL so readers
// do not block the writer, a busy timeout instead of "database is locked",
// foreign keys, IMMEDIATE transactions so a read-then-write transaction
// takes the write lock up front rather than failing half-way, and
// secure_delete so deleted content (a closed round's key and answer
// hashes) is overwritten with zeros instead of lingering in free space.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "secure_delete(1)")
	q.Set("_busy_timeout", "10000")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	q.Set("_texttotime", "1")
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// Open connects to the database at loc and checks that it answers.
func Open(ctx context.Context, loc Location) (*DB, error) {
	var (
		sqlDB     *sql.DB
		dialector gorm.Dialector
		err       error
	)
	switch loc.Dialect {
	case Postgres:
		sqlDB, err = sql.Open("pgx", loc.DSN)
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		dialector = postgres.New(postgres.Config{Conn: sqlDB})
	case SQLite:
		if err := createPrivate(loc.Path); err != nil {
			return nil, err
		}
		sqlDB, err = sql.Open(sqlite.DriverName, loc.DSN)
		if err != nil {
			return nil, err
		}
		// One connection: SQLite has one writer anyway, and River's SQLite
		// driver documents "database is locked" under parallel internal work
		// otherwise. Everything inside a transaction must therefore use it.
		sqlDB.SetMaxOpenConns(1)
		dialector = sqlite.New(sqlite.Config{Conn: sqlDB})
	default:
		return nil, fmt.Errorf("unknown dialect %q", loc.Dialect)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("cannot reach the %s database: %w", loc.Dialect, err)
	}
	if err := matchSidecarModes(loc.Path); err != nil {
		sqlDB.Close()
		return nil, err
	}
	gdb, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		TranslateError:         true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	return &DB{Gorm: gdb, SQL: sqlDB, Dialect: loc.Dialect, Path: loc.Path}, nil
}

// Exists reports whether the database is already there: always for
// PostgreSQL, whose server says otherwise on connect; for SQLite, whether
// the file exists.
func (l Location) Exists() (bool, error) {
	if l.Dialect != SQLite {
		return true, nil
	}
	_, err := os.Stat(l.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// AbsPath is the SQLite file's absolute path, for messages that must say
// which folder was meant.
func (l Location) AbsPath() string {
	if abs, err := filepath.Abs(l.Path); err == nil {
		return abs
	}
	return l.Path
}

// createPrivate creates a new SQLite file readable by its owner only: it
// holds answer hashes and 1:1 notes. SQLite would create it with 0666 less
// the umask (usually 0644). An existing file keeps the mode it has.
func createPrivate(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot create the SQLite database: %w", err)
	}
	err = f.Chmod(0o600) // whatever the umask
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// matchSidecarModes gives the -wal and -shm files, which hold the latest
// writes before a checkpoint, the database file's own mode, whatever the
// umask was when they were made.
func matchSidecarModes(path string) error {
	if path == "" || path == ":memory:" {
		return nil
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil // not a file SQLite keeps on disk
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		side, err := os.Stat(path + suffix)
		if err != nil || side.Mode().Perm() == info.Mode().Perm() {
			continue
		}
		if err := os.Chmod(path+suffix, info.Mode().Perm()); err != nil {
			return fmt.Errorf("cannot restrict %s%s to mode %o: %w", path, suffix, info.Mode().Perm(), err)
		}
	}
	return nil
}

// Close releases the connection pool.
func (db *DB) Close() error { return db.SQL.Close() }

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either database.
func IsUniqueViolation(err error) bool {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// RiverDriver returns the River driver over this database's *sql.DB, so jobs
// can be inserted in the same transaction as the rows they act on.
func (db *DB) RiverDriver() riverdriver.Driver[*sql.Tx] {
	if db.Dialect == Postgres {
		return riverdatabasesql.New(db.SQL)
	}
	return riversqlite.New(db.SQL)
}
