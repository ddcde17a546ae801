package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/migrations"
)

// footprint measures cold start: from starting `pulse serve` on an existing
// SQLite database to the first 200 from /readyz. The ceiling is starting
// the same binary for `pulse version` and waiting for it to exit, the cost
// of a process of that size coming up at that moment.
func (r *runner) footprint(ctx context.Context) ([]Row, error) {
	if r.opts.Pulse == nil {
		return nil, errors.New("no way to start the pulse binary was given")
	}
	dir, err := os.MkdirTemp("", "pulse-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "pulse.db")
	db, err := migrations.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	db.Close()
	r.step("footprint: cold starts of pulse serve on an existing SQLite database")
	// A first start writes what a new install writes (the secret); the
	// measured ones start on a database that has everything.
	if _, err := r.coldStart(ctx, path); err != nil {
		return nil, err
	}
	c, p, err := interleave(r.opts.Rounds,
		func() (map[string]float64, error) {
			v, err := timed(func() error { return r.opts.Pulse("version").Run() })
			return map[string]float64{"ms": v}, err
		},
		func() (map[string]float64, error) {
			v, err := r.coldStart(ctx, path)
			return map[string]float64{"ms": v}, err
		})
	if err != nil {
		return nil, err
	}
	return []Row{{Scenario: "footprint", Database: string(database.SQLite), Measure: "cold start to /readyz 200, ms",
		Pulse: p["ms"], Ceiling: ptr(c["ms"]), CeilingIs: "`pulse version` start to exit", Target: "≤ 100", Met: atMost(p["ms"], 100)}}, nil
}

// coldStart starts pulse serve on the SQLite file at path and returns the
// milliseconds until /readyz first answered 200; it stops the server after.
func (r *runner) coldStart(ctx context.Context, path string) (float64, error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, err
	}
	cmd := r.opts.Pulse("serve")
	cmd.Env = append(withoutSettings(cmd.Env), "PULSE_DATABASE_URL="+path, "PULSE_ADDR="+addr, "PULSE_METRICS_ADDR=off", "PULSE_LOG_LEVEL=error")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	deadline := start.Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := client.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return ms(time.Since(start)), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, fmt.Errorf("pulse serve was not ready within 30 s: %s", strings.TrimSpace(stderr.String()))
}

// withoutSettings is env (the process's when nil) without any PULSE_ or
// SLACK_ setting, so the server under test cannot pick up a real install's
// configuration.
func withoutSettings(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PULSE_") && !strings.HasPrefix(kv, "SLACK_") {
			out = append(out, kv)
		}
	}
	return out
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
