package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// replica is one `pulse serve` process with Socket Mode on, talking to a
// Slack stand-in of its own, so that which replicas open a socket shows in
// which stand-ins were asked for one (apps.connections.open). The stand-in
// answers every call with an error, which Socket Mode retries.
type replica struct {
	socketAsks atomic.Int32
	log        lockedBuffer
	stop       context.CancelFunc
	done       chan error
}

func (r *replica) askedForASocket() bool { return r.socketAsks.Load() > 0 }

// waitingForASlot says whether the replica found every slot taken.
func (r *replica) waitingForASlot() bool {
	return strings.Contains(r.log.String(), "every slot is held by another replica; serving HTTP only")
}

func startReplica(t *testing.T, dbURL string) *replica {
	r := &replica{done: make(chan error, 1)}
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path == "/api/apps.connections.open" {
			r.socketAsks.Add(1)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":false,"error":"service_unavailable"}`)
	}))
	t.Cleanup(slack.Close)
	env := map[string]string{"PULSE_DATABASE_URL": dbURL, "PULSE_SECRET": strings.Repeat("k", 40),
		"PULSE_ADDR": freeAddr(t), "PULSE_METRICS_ADDR": "off",
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": slack.URL + "/api/"}
	ctx, stop := context.WithCancel(t.Context())
	r.stop = stop
	go func() { r.done <- run(ctx, []string{"serve"}, envOf(env), io.Discard, &r.log) }()
	return r
}

// Three replicas with the default PULSE_SLACK_SOCKETS (2): two open a
// socket, the third serves HTTP only; once one of the two stops, the third
// opens one.
func TestThreeReplicasOpenTwoSocketsBetweenThem(t *testing.T) {
	t.Parallel()
	for name, dbURL := range databases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "postgres" {
				dbURL = freshPostgresURL(t, dbURL)
			}
			newInstall(t, map[string]string{"PULSE_DATABASE_URL": dbURL, "PULSE_SECRET": strings.Repeat("k", 40)})
			replicas := []*replica{startReplica(t, dbURL), startReplica(t, dbURL), startReplica(t, dbURL)}
			var holders []*replica
			var waiting *replica
			require.Eventually(t, func() bool {
				holders, waiting = nil, nil
				for _, r := range replicas {
					switch {
					case r.askedForASocket():
						holders = append(holders, r)
					case r.waitingForASlot():
						waiting = r
					}
				}
				return len(holders) == 2 && waiting != nil
			}, 30*time.Second, 20*time.Millisecond, "two replicas open a socket, the third finds both slots taken")
			require.False(t, waiting.askedForASocket())

			holders[0].stop()
			require.NoError(t, <-holders[0].done)
			require.Eventually(t, waiting.askedForASocket, 30*time.Second, 20*time.Millisecond,
				"the third replica took the slot freed by the one that stopped")
			for _, r := range replicas {
				r.stop()
			}
			for _, r := range replicas {
				if r != holders[0] {
					require.NoError(t, <-r.done)
				}
			}
		})
	}
}
