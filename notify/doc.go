// Package notify speaks Slack for Pulse: messages, interactivity, Socket Mode,
// App Home and digests. It never decides when something is sent (scheduler)
// nor what an answer means (survey).
//
// It must not import the storage layer, GORM or Echo: whatever it needs from
// the rest of Pulse it declares as small interfaces of its own, and its input
// types (SurveyPrompt, Question) are plain values that callers fill in.
package notify
