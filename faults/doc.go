// Package faults is Pulse's fault suite: tests, behind the `faults` build
// tag, that run real `pulse serve` processes on PostgreSQL against the Slack
// stand-in (notify/slackfake) on loopback and break things under them —
// kill -9 and SIGTERM mid-send, a PostgreSQL restart during taps, two
// replicas, a storm of 429s, 5xx and hangs — then count what Slack received
// and what the database holds. It holds no code outside its tests.
//
//	go test -tags faults -count=1 -timeout 20m ./faults/
//
// Each test prints its figures on a line starting with FAULT.
package faults
