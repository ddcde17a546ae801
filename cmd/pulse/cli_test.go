package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
)

// cli runs a command line in an empty folder whose pulse.db is the
// configured database, and returns what it printed and left behind.
type cliRun struct {
	stdout, stderr string
	err            error
	files          []string
}

func cli(t *testing.T, args ...string) cliRun {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(dir, "pulse.db")}
	var out, errOut bytes.Buffer
	err := run(t.Context(), args, envOf(env), &out, &errOut)
	entries, rerr := os.ReadDir(dir)
	require.NoError(t, rerr)
	r := cliRun{stdout: out.String(), stderr: errOut.String(), err: err}
	for _, e := range entries {
		r.files = append(r.files, e.Name())
	}
	return r
}

func TestHelpPrintsUsageAndTouchesNothing(t *testing.T) {
	for _, args := range [][]string{
		{"demo", "--help"}, {"demo", "-h"}, {"serve", "--help"}, {"serve", "--demo", "-help"},
		{"migrate", "--help"}, {"migrate", "down", "--help"}, {"token", "create", "--help"},
		{"token", "--help"}, {"admin", "create", "--email", "a@b.c", "-h"}, {"slack", "sync", "--help"},
		{"version", "--help"}, {"backup", "--help"}, {"backup", "b.db", "-h"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := cli(t, args...)
			require.NoError(t, r.err, "help is not a failure (exit 0)")
			require.Contains(t, r.stdout, "Usage: pulse "+args[0])
			require.Empty(t, r.files, "asking for help creates no database, secret or rows")
		})
	}
}

func TestUnknownFlagsAndArgumentsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"demo", "--force"}, "-force"},
		{[]string{"demo", "now"}, `"now"`},
		{[]string{"serve", "--dmeo"}, "-dmeo"},
		{[]string{"migrate", "--all"}, "-all"},
		{[]string{"migrate", "sideways"}, `"sideways"`},
		{[]string{"migrate", "up", "down"}, `"down"`},
		{[]string{"token", "create", "--emial", "a@b.c"}, "-emial"},
		{[]string{"token"}, "pulse token create"},
		{[]string{"token", "revoke"}, `"revoke"`},
		{[]string{"admin", "create", "--email", "a@b.c", "--name", "A", "--role", "x"}, "-role"},
		{[]string{"slack", "sync", "--all"}, "-all"},
		{[]string{"version", "--short"}, "-short"},
		{[]string{"serve-all"}, `"serve-all"`},
		{[]string{"backup"}, "FILE is missing"},
		{[]string{"backup", "a.db", "b.db"}, `"b.db"`},
		{[]string{"backup", "--force", "a.db"}, "-force"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := cli(t, tc.args...)
			require.Error(t, r.err)
			require.Equal(t, 2, exitCode(r.err), "a wrong command line exits 2, like the flag package")
			require.Contains(t, r.err.Error(), tc.says)
			require.Contains(t, r.err.Error(), "Usage: pulse")
			require.Empty(t, r.files, "a refused command line changes nothing")
		})
	}
	require.Equal(t, 1, exitCode(os.ErrNotExist), "other failures exit 1")
	require.Equal(t, 0, exitCode(nil))
}

func TestVersionPrintsTheBuild(t *testing.T) {
	r := cli(t, "version")
	require.NoError(t, r.err)
	require.Regexp(t, `^pulse \S+`, r.stdout)
	require.Empty(t, r.files)

	info := &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0a69df0c4e3b2a1f"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	require.Equal(t, "pulse v1.4.0 (commit 0a69df0c4e3b2a1f, modified, committed 2026-12-01T10:00:00Z)", versionLine("dev", info))
	require.Equal(t, "pulse 1.5.0 (commit unknown)", versionLine("1.5.0", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}),
		"a version set with -ldflags -X main.version wins over the module's")
}

func TestCommandsRefuseADatabaseThatIsNotThere(t *testing.T) {
	for _, args := range [][]string{
		{"token", "create", "--email", "pat@example.com"},
		{"admin", "create", "--email", "pat@example.com", "--name", "Pat"},
		{"migrate", "status"},
		{"migrate", "down"},
		{"backup", "backup.db"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			r := cli(t, args...)
			require.Error(t, r.err)
			require.Contains(t, r.err.Error(), "no database at ")
			require.Contains(t, r.err.Error(), string(filepath.Separator)+"pulse.db")
			require.Contains(t, r.err.Error(), "pulse migrate", "says how to create one")
			require.Equal(t, 1, exitCode(r.err))
			require.Empty(t, r.files, "neither a database nor a secret appears in the wrong folder")
		})
	}
	t.Run("slack sync", func(t *testing.T) {
		dir := t.TempDir()
		env := map[string]string{"PULSE_DATABASE_URL": filepath.Join(dir, "pulse.db"), "SLACK_BOT_TOKEN": "xoxb-test",
			"SLACK_SIGNING_SECRET": "signing", "SLACK_API_URL": "http://127.0.0.1:1/api/"}
		err := run(t.Context(), []string{"slack", "sync"}, envOf(env), io.Discard, io.Discard)
		require.ErrorContains(t, err, "no database at ")
		entries, _ := os.ReadDir(dir)
		require.Empty(t, entries)
	})
}

func TestMigrateUpAndDemoCreateTheDatabase(t *testing.T) {
	r := cli(t, "migrate")
	require.NoError(t, r.err)
	require.Contains(t, r.files, "pulse.db")
	require.Contains(t, r.files, "pulse.secret")
}

// Asking for help against a real install must not add the demo's 61 people.
func TestDemoHelpAddsNoRowsToAnExistingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pulse.db")
	env := map[string]string{"PULSE_DATABASE_URL": path}
	newInstall(t, env)
	for _, args := range [][]string{{"demo", "--help"}, {"demo", "--yes"}, {"serve", "--demo", "--help"}} {
		_, _ = pulse(t, env, args...)
	}
	loc, err := database.ParseURL(path)
	require.NoError(t, err)
	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	defer db.Close()
	var people int64
	require.NoError(t, db.Gorm.Table("employees").Count(&people).Error)
	require.Zero(t, people)
}
