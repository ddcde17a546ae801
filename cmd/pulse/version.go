package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=1.2.3"; without
// it the module version (go install …@v1.2.3) or "dev" is shown.
var version = "dev"

func parseVersion(args []string) (plan, error) {
	fs := newFlags()
	p := plan{usage: usageOf(fs, "version", "Prints the version and the commit Pulse was built from.")}
	_, err := parseArgs(fs, args, p.usage, 0)
	p.offline = func(stdout io.Writer) error {
		info, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(version, info))
		return nil
	}
	return p, err
}

// versionLine names the version and the commit recorded by the Go toolchain
// (vcs.revision, present when built from a git checkout).
func versionLine(set string, info *debug.BuildInfo) string {
	v := set
	settings := map[string]string{}
	if info != nil {
		if set == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
	}
	commit := settings["vcs.revision"]
	if commit == "" {
		commit = "unknown"
	}
	parts := []string{"commit " + commit}
	if settings["vcs.modified"] == "true" {
		parts = append(parts, "modified")
	}
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, "committed "+t)
	}
	return fmt.Sprintf("pulse %s (%s)", v, strings.Join(parts, ", "))
}
