package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigDefaultsToSQLiteWithAGeneratedSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "pulse.db")
	cfg, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": dbPath}))
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:8080", cfg.Addr)
	require.Equal(t, database.SQLite, cfg.Database.Dialect)
	require.Equal(t, "http://127.0.0.1:8080", cfg.BaseURL)
	require.Len(t, cfg.Secret, 64)
	require.Equal(t, uint64(64_000_000), cfg.MinFreeDisk, "/readyz wants 64 MB free beside the database by default")

	info, err := os.Stat(filepath.Join(dir, "pulse.secret"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	again, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": dbPath}))
	require.NoError(t, err)
	require.Equal(t, cfg.Secret, again.Secret, "the secret survives restarts")

	require.NoError(t, os.Chmod(filepath.Join(dir, "pulse.secret"), 0o644))
	_, err = loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": dbPath}))
	require.ErrorContains(t, err, "readable by others")
}

func TestConfigNamesEveryBadVariable(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(envOf(map[string]string{
		"PULSE_ADDR":            "8080",
		"PULSE_DATABASE_URL":    "mysql://x",
		"PULSE_BASE_URL":        "ftp://x",
		"PULSE_LOG_FORMAT":      "xml",
		"PULSE_BODY_LIMIT":      "lots",
		"PULSE_SECRET":          "short",
		"SLACK_BOT_TOKEN":       "xoxp-user",
		"SLACK_APP_TOKEN":       "nope",
		"SLACK_API_URL":         "http://localhost:9999/api",
		"PULSE_MIN_FREE_DISK":   "plenty",
		"PULSE_SLACK_POST_RATE": "fast",
	}))
	require.Error(t, err)
	for _, name := range []string{"PULSE_ADDR", "PULSE_DATABASE_URL", "PULSE_BASE_URL", "PULSE_LOG_FORMAT",
		"PULSE_BODY_LIMIT", "PULSE_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_API_URL", "PULSE_MIN_FREE_DISK",
		"PULSE_SLACK_POST_RATE"} {
		require.Contains(t, err.Error(), name+":")
	}
}

func TestConfigRequiresASecretWithPostgres(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": "postgres://u@localhost/pulse"}))
	require.ErrorContains(t, err, "PULSE_SECRET: is required with PostgreSQL")

	cfg, err := loadConfig(envOf(map[string]string{
		"PULSE_DATABASE_URL": "postgres://u@localhost/pulse", "PULSE_SECRET": strings.Repeat("s", 32),
	}))
	require.NoError(t, err)
	require.Equal(t, database.Postgres, cfg.Database.Dialect)
}

func TestConfigSlackNeedsASigningSecretOrSocketMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base := map[string]string{"PULSE_DATABASE_URL": filepath.Join(dir, "p.db"), "SLACK_BOT_TOKEN": "xoxb-1"}
	_, err := loadConfig(envOf(base))
	require.ErrorContains(t, err, "SLACK_SIGNING_SECRET")
	base["SLACK_APP_TOKEN"] = "xapp-1"
	_, err = loadConfig(envOf(base))
	require.NoError(t, err)
}

func TestProcessesStartingTogetherShareOneSecret(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	secrets := make(chan string, 8)
	for range 8 {
		go func() {
			cfg, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": dbPath}))
			if err != nil {
				secrets <- "error: " + err.Error()
				return
			}
			secrets <- cfg.Secret
		}()
	}
	first := <-secrets
	for range 7 {
		require.Equal(t, first, <-secrets)
	}
}

func TestNotesKeyMustBeLongEnough(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(envOf(map[string]string{"PULSE_NOTES_KEY": "short", "PULSE_SECRET": strings.Repeat("s", 32)}))
	require.ErrorContains(t, err, "PULSE_NOTES_KEY: must be at least 32 characters")
	cfg, err := loadConfig(envOf(map[string]string{"PULSE_NOTES_KEY": strings.Repeat("k", 32), "PULSE_SECRET": strings.Repeat("s", 32)}))
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("k", 32), cfg.NotesKey)
}

func TestMetricsListenOnLoopbackUnlessMovedOrOff(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "pulse.db")
	cfg, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": db}))
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:9091", cfg.MetricsAddr)
	cfg, err = loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": db, "PULSE_METRICS_ADDR": "off"}))
	require.NoError(t, err)
	require.Empty(t, cfg.MetricsAddr)
	_, err = loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": db, "PULSE_METRICS_ADDR": "9091"}))
	require.ErrorContains(t, err, "PULSE_METRICS_ADDR:")
}

func TestAnEmptyMetricsAddressSwitchesMetricsOff(t *testing.T) {
	t.Setenv("PULSE_METRICS_ADDR", "")
	require.Equal(t, "off", environ("PULSE_METRICS_ADDR"))
	os.Unsetenv("PULSE_METRICS_ADDR")
	require.Empty(t, environ("PULSE_METRICS_ADDR"), "unset: the default applies")
}

// A zero free-disk minimum would read as "off" to one layer and "default" to
// another; it is refused instead, so what is set is what /readyz checks.
func TestAZeroFreeDiskMinimumIsRefused(t *testing.T) {
	t.Parallel()
	_, err := loadConfig(envOf(map[string]string{"PULSE_MIN_FREE_DISK": "0"}))
	require.ErrorContains(t, err, `PULSE_MIN_FREE_DISK: "0" is not a size above zero`)
}

// Socket Mode opens two sockets per cluster unless told otherwise; 0 is
// off, which needs the HTTPS endpoints; anything else is named.
func TestSlackSocketsPerCluster(t *testing.T) {
	t.Parallel()
	base := map[string]string{"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "p.db"),
		"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
	cfg, err := loadConfig(envOf(base))
	require.NoError(t, err)
	require.Equal(t, 2, cfg.SlackSockets)
	for _, bad := range []string{"-1", "11", "two"} {
		base["PULSE_SLACK_SOCKETS"] = bad
		_, err = loadConfig(envOf(base))
		require.ErrorContains(t, err, "PULSE_SLACK_SOCKETS: \""+bad+"\" is not a number of Socket Mode sockets from 0 (off) to 10")
	}
	base["PULSE_SLACK_SOCKETS"] = "0"
	_, err = loadConfig(envOf(base))
	require.ErrorContains(t, err, "SLACK_SIGNING_SECRET: is required when PULSE_SLACK_SOCKETS=0")
	base["SLACK_SIGNING_SECRET"] = "s3cret"
	cfg, err = loadConfig(envOf(base))
	require.NoError(t, err)
	require.Zero(t, cfg.SlackSockets)
}

func TestSlackPostRateDefaultsUnderSlacksTierAndRefusesNonsense(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "p.db")
	cfg, err := loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": db}))
	require.NoError(t, err)
	require.Equal(t, 4.5, cfg.SlackPostRate)
	cfg, err = loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": db, "PULSE_SLACK_POST_RATE": "50"}))
	require.NoError(t, err)
	require.Equal(t, 50.0, cfg.SlackPostRate)
	for _, bad := range []string{"0", "-1", "NaN", "Inf", "5/s"} {
		_, err = loadConfig(envOf(map[string]string{"PULSE_DATABASE_URL": db, "PULSE_SLACK_POST_RATE": bad}))
		require.ErrorContains(t, err, "PULSE_SLACK_POST_RATE:", bad)
	}
}
