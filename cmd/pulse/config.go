package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/gommon/bytes"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/slackrate"
)

// config is everything Pulse reads from the environment. Every variable is
// listed in the README's configuration table.
type config struct {
	Addr string
	// MetricsAddr serves /metrics apart from the API; "" is off.
	MetricsAddr string
	Database    database.Location
	Secret      string
	BaseURL     string
	LogFormat   string
	LogLevel    string
	BodyLimit   string
	NotesKey    string // seals one-on-one note bodies; empty keeps them in plain text
	// FollowUpAfter is how long after a 1:1's start its participants are
	// asked for notes and action items; 0 sends no follow-up.
	FollowUpAfter time.Duration
	// MinFreeDisk is the free space /readyz wants beside an SQLite file.
	MinFreeDisk uint64
	// SecretFile is the pulse.secret the secret was read from; empty when
	// it came from PULSE_SECRET.
	SecretFile string

	SlackBotToken      string
	SlackSigningSecret string
	SlackAppToken      string
	SlackAPIURL        string
	// SlackSockets is how many Socket Mode sockets the whole cluster opens
	// (one per replica at most); 0 leaves Socket Mode off.
	SlackSockets int
	// SlackPostRate is chat.postMessage calls per second for the whole
	// app, shared by every replica.
	SlackPostRate float64
}

// maxSlackSockets is Slack's limit of concurrent Socket Mode connections
// per app.
const maxSlackSockets = 10

// environ reads the process environment for loadConfig. It tells an empty
// PULSE_METRICS_ADDR (metrics off) from an unset one (the default), which
// os.Getenv cannot.
func environ(name string) string {
	v, set := os.LookupEnv(name)
	if name == "PULSE_METRICS_ADDR" && set && strings.TrimSpace(v) == "" {
		return "off"
	}
	return v
}

// minSecretLength is the shortest PULSE_SECRET accepted: 32 characters.
const minSecretLength = 32

// loadConfig reads and validates the environment, naming every variable
// that is wrong and why. In SQLite mode a missing PULSE_SECRET is generated
// once and kept in a file beside the database, never inside it.
func loadConfig(getenv func(string) string) (config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := config{
		Addr:               get("PULSE_ADDR", "127.0.0.1:8080"),
		MetricsAddr:        get("PULSE_METRICS_ADDR", "127.0.0.1:9091"),
		Secret:             getenv("PULSE_SECRET"),
		NotesKey:           getenv("PULSE_NOTES_KEY"),
		LogFormat:          get("PULSE_LOG_FORMAT", "text"),
		LogLevel:           get("PULSE_LOG_LEVEL", "info"),
		BodyLimit:          get("PULSE_BODY_LIMIT", "1M"),
		SlackBotToken:      get("SLACK_BOT_TOKEN", ""),
		SlackSigningSecret: get("SLACK_SIGNING_SECRET", ""),
		SlackAppToken:      get("SLACK_APP_TOKEN", ""),
		SlackAPIURL:        get("SLACK_API_URL", ""),
	}
	var problems []string
	bad := func(name, format string, args ...any) {
		problems = append(problems, name+": "+fmt.Sprintf(format, args...))
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("PULSE_ADDR", "%q is not host:port (e.g. 127.0.0.1:8080 or :8080)", c.Addr)
	}
	if c.MetricsAddr == "off" {
		c.MetricsAddr = ""
	} else if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
		bad("PULSE_METRICS_ADDR", "%q is not host:port (e.g. 127.0.0.1:9091) or off", c.MetricsAddr)
	}
	loc, err := database.ParseURL(databaseURL(getenv))
	if err != nil {
		bad("PULSE_DATABASE_URL", "%v", err)
	}
	c.Database = loc
	c.BaseURL = strings.TrimRight(get("PULSE_BASE_URL", "http://"+browsable(c.Addr)), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("PULSE_BASE_URL", "%q is not an http(s) URL such as https://pulse.example.com", c.BaseURL)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("PULSE_LOG_FORMAT", "must be text or json, not %q", c.LogFormat)
	}
	if !validLevel(c.LogLevel) {
		bad("PULSE_LOG_LEVEL", "must be debug, info, warn or error, not %q", c.LogLevel)
	}
	if n, err := bytes.Parse(c.BodyLimit); err != nil || n <= 0 {
		bad("PULSE_BODY_LIMIT", "%q is not a size such as 1M or 512K", c.BodyLimit)
	}
	minFree := get("PULSE_MIN_FREE_DISK", "64M")
	if n, err := bytes.Parse(minFree); err != nil || n <= 0 {
		bad("PULSE_MIN_FREE_DISK", "%q is not a size above zero such as 64M or 1G", minFree)
	} else {
		c.MinFreeDisk = uint64(n)
	}
	followUp := get("PULSE_ONE_ON_ONE_FOLLOW_UP", scheduler.DefaultFollowUpAfter.String())
	if d, err := time.ParseDuration(followUp); followUp == "off" {
		c.FollowUpAfter = 0
	} else if err != nil || d < 0 || d > 7*24*time.Hour {
		bad("PULSE_ONE_ON_ONE_FOLLOW_UP", "%q is not a duration from 0 to 168h such as 2h or 90m, or off", followUp)
	} else {
		c.FollowUpAfter = d
	}
	sockets := get("PULSE_SLACK_SOCKETS", "2")
	if n, err := strconv.Atoi(sockets); err != nil || n < 0 || n > maxSlackSockets {
		bad("PULSE_SLACK_SOCKETS", "%q is not a number of Socket Mode sockets from 0 (off) to %d", sockets, maxSlackSockets)
	} else {
		c.SlackSockets = n
	}
	checkSlack(c, bad)
	c.SlackPostRate = slackrate.DefaultPostRate
	if raw := get("PULSE_SLACK_POST_RATE", ""); raw != "" {
		rate, err := strconv.ParseFloat(raw, 64)
		if err != nil || rate <= 0 || rate > 1000 || math.IsNaN(rate) {
			bad("PULSE_SLACK_POST_RATE", "%q is not a number of messages per second above 0 such as 4.5 or 50", raw)
		}
		c.SlackPostRate = rate
	}
	switch {
	case c.Secret != "" && len(c.Secret) < minSecretLength:
		bad("PULSE_SECRET", "must be at least %d characters (try: openssl rand -hex 32)", minSecretLength)
	case c.Secret == "" && loc.Dialect == database.Postgres:
		bad("PULSE_SECRET", "is required with PostgreSQL (try: openssl rand -hex 32); it signs tokens and links and keys answer hashes")
	}
	if c.NotesKey != "" && len(c.NotesKey) < minSecretLength {
		bad("PULSE_NOTES_KEY", "must be at least %d characters (try: openssl rand -hex 32); it encrypts one-on-one notes", minSecretLength)
	}
	if len(problems) > 0 {
		return c, errors.New("configuration is invalid:\n  " + strings.Join(problems, "\n  "))
	}
	if c.Secret == "" {
		if c.Secret, err = sqliteSecret(loc.Path); err != nil {
			return c, fmt.Errorf("PULSE_SECRET: %w", err)
		}
		c.SecretFile = secretPath(loc.Path)
	}
	return c, nil
}

// databaseURL is PULSE_DATABASE_URL, pulse.db in the working directory by default.
func databaseURL(getenv func(string) string) string {
	if v := strings.TrimSpace(getenv("PULSE_DATABASE_URL")); v != "" {
		return v
	}
	return "pulse.db"
}

func checkSlack(c config, bad func(string, string, ...any)) {
	if c.SlackBotToken != "" && !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
		bad("SLACK_BOT_TOKEN", "must be a bot token starting with xoxb-")
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		bad("SLACK_APP_TOKEN", "must be an app-level token starting with xapp-")
	}
	if c.SlackBotToken != "" && c.SlackAppToken == "" && c.SlackSigningSecret == "" {
		bad("SLACK_SIGNING_SECRET", "is required when Slack calls Pulse over HTTPS (set it, or SLACK_APP_TOKEN for Socket Mode)")
	}
	if c.SlackAppToken != "" && c.SlackSockets == 0 && c.SlackSigningSecret == "" {
		bad("SLACK_SIGNING_SECRET", "is required when PULSE_SLACK_SOCKETS=0 switches Socket Mode off: Slack can then reach Pulse only over HTTPS")
	}
	if c.SlackBotToken == "" && (c.SlackAppToken != "" || c.SlackSigningSecret != "") {
		bad("SLACK_BOT_TOKEN", "is required when other SLACK_ variables are set")
	}
	if c.SlackAPIURL != "" {
		u, err := url.Parse(c.SlackAPIURL)
		if err != nil || u.Host == "" || !strings.HasSuffix(c.SlackAPIURL, "/") {
			bad("SLACK_API_URL", "must be a URL ending in / (e.g. https://slack.com/api/)")
		}
	}
}

func validLevel(l string) bool {
	switch l {
	case "debug", "info", "warn", "error":
		return true
	}
	return false
}

// browsable turns a listen address into one a browser can open.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// sqliteSecret reads the secret kept beside the database file, creating it
// with mode 0600 on first start.
func sqliteSecret(dbPath string) (string, error) {
	path := secretPath(dbPath)
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		info, statErr := os.Stat(path)
		if statErr == nil && info.Mode().Perm()&0o077 != 0 {
			return "", fmt.Errorf("%s is readable by others (mode %o); run chmod 600 %s", path, info.Mode().Perm(), path)
		}
		secret := strings.TrimSpace(string(data))
		if len(secret) < minSecretLength {
			return "", fmt.Errorf("%s holds fewer than %d characters", path, minSecretLength)
		}
		return secret, nil
	case errors.Is(err, fs.ErrNotExist):
		return createSecret(path, dbPath)
	default:
		return "", fmt.Errorf("cannot read %s: %w", path, err)
	}
}

// secretPath is the pulse.secret beside an SQLite database file.
func secretPath(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "pulse.secret")
}

// createSecret writes a new secret to a temporary file and links it into
// place, so a process starting at the same moment either sees the whole
// file or none, and both end up with the same secret.
func createSecret(path, dbPath string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	secret := hex.EncodeToString(raw)
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pulse.secret-*")
	if err != nil {
		return "", fmt.Errorf("cannot create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", err
	}
	_, err = tmp.WriteString(secret + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return sqliteSecret(dbPath) // another process made it first: use theirs
	} else if err != nil {
		return "", fmt.Errorf("cannot create %s: %w", path, err)
	}
	return secret, nil
}
