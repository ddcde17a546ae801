package bench

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strings"

	"github.com/pulsehq/pulse/database"
)

// Machine is what the figures were measured on.
type Machine struct {
	CPU        string `json:"cpu"`
	Cores      int    `json:"cores"`
	OS         string `json:"os"`
	Go         string `json:"go"`
	PostgreSQL string `json:"postgresql,omitempty"`
	// Load is the load average when the run started, a hint of how
	// busy the machine was.
	Load string `json:"load"`
}

func (r *runner) machine(ctx context.Context) Machine {
	m := Machine{CPU: cpuModel(), Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(raw)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	if r.opts.DSN != "" {
		if db, err := database.Open(ctx, database.Location{Dialect: database.Postgres, DSN: r.opts.DSN}); err == nil {
			db.SQL.QueryRowContext(ctx, "SHOW server_version").Scan(&m.PostgreSQL)
			db.Close()
		}
	}
	return m
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
