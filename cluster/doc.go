// Package cluster lets the replicas of one Pulse install, sharing one
// database, agree through it on who does what: which replica runs a
// periodic task in a given period (Runs), and which replicas may hold one
// of the few Slack Socket Mode sockets an app is allowed (Sockets). It
// decides only who; what the work is belongs to its callers, and it never
// talks to Slack or serves HTTP.
//
// Leases are judged by each replica's clock, so replicas' clocks must agree
// to well within a lease's length (NTP does).
package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
)

// NewHolder names this process in lease rows: its host, its process id and
// a random part, so that a restarted process never passes for the old one.
func NewHolder() string {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
