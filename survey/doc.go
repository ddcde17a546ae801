// Package survey holds surveys, rounds, anonymous answers, scoring and anonymity rules.
// It never imports HTTP or Slack, and never stores who gave an answer next to the answer.
//
// The scoring (score.go), anonymity (anonymity.go) and template (templates.go) files are
// pure: no database, no clock, no I/O. Storage and delivery live in other files and
// packages and call into them.
package survey
