// Package browser drives the real dashboard pages in Chromium against a
// Pulse server on loopback: the end-to-end checks that an HR admin, a
// manager and an employee can do their jobs by clicking, on a laptop and a
// phone. It holds tests only; nothing in Pulse imports it.
package browser
