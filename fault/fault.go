// Package fault holds the typed errors that domain packages return and the API
// maps to status codes in one place. It never imports HTTP.
package fault

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: the thing does not exist, or the caller may not know it does.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller is known but their role does not allow this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: no valid credentials.
	ErrUnauthenticated = errors.New("unauthenticated")
)

// NotFound wraps ErrNotFound with what was missing.
func NotFound(what string) error { return fmt.Errorf("%s %w", what, ErrNotFound) }

// Forbidden wraps ErrForbidden with the reason.
func Forbidden(why string) error { return fmt.Errorf("%w: %s", ErrForbidden, why) }

// Conflict: the request is well-formed but clashes with the current state
// (a duplicate, a closed round, a team that still has members).
type Conflict struct {
	Message string
	// Format and Args are what Message was written from, kept so the API
	// can write the message again in the reader's language.
	Format string
	Args   []any
}

func (c *Conflict) Error() string { return c.Message }

// Conflictf builds a Conflict.
func Conflictf(format string, args ...any) error {
	return &Conflict{Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Problem is one thing wrong with the input: which field (and, for files,
// which line) and why.
type Problem struct {
	Field  string `json:"field,omitempty"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
	// Format and Args are what Reason was written from (empty when it was
	// given whole), kept so the API can write the reason again in the
	// reader's language.
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

// Invalid reports every problem found in an input at once.
type Invalid struct {
	Problems []Problem
}

func (v *Invalid) Error() string {
	parts := make([]string, len(v.Problems))
	for i, p := range v.Problems {
		switch {
		case p.Line > 0 && p.Field != "":
			parts[i] = fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Reason)
		case p.Line > 0:
			parts[i] = fmt.Sprintf("line %d: %s", p.Line, p.Reason)
		case p.Field != "":
			parts[i] = p.Field + ": " + p.Reason
		default:
			parts[i] = p.Reason
		}
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Checker collects problems so a caller can report all of them together.
type Checker struct {
	problems []Problem
}

// Add records a problem with field.
func (c *Checker) Add(field, reason string) {
	c.problems = append(c.problems, Problem{Field: field, Reason: reason})
}

// Addf records a problem with field, its reason written from format and args.
func (c *Checker) Addf(field, format string, args ...any) {
	c.problems = append(c.problems, problemf(0, field, format, args))
}

// AddLine records a problem on a line of an uploaded file.
func (c *Checker) AddLine(line int, field, reason string) {
	c.problems = append(c.problems, Problem{Line: line, Field: field, Reason: reason})
}

// AddLinef records a problem on a line of an uploaded file, its reason
// written from format and args.
func (c *Checker) AddLinef(line int, field, format string, args ...any) {
	c.problems = append(c.problems, problemf(line, field, format, args))
}

// Check records reason for field when ok is false.
func (c *Checker) Check(ok bool, field, reason string) {
	if !ok {
		c.Add(field, reason)
	}
}

// Checkf records a reason written from format and args when ok is false.
func (c *Checker) Checkf(ok bool, field, format string, args ...any) {
	if !ok {
		c.Addf(field, format, args...)
	}
}

func problemf(line int, field, format string, args []any) Problem {
	return Problem{Line: line, Field: field, Reason: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// Err returns an *Invalid with every problem, or nil when there were none.
func (c *Checker) Err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Invalid{Problems: c.problems}
}

// Invalidf is a single-field validation error.
func Invalidf(field, format string, args ...any) error {
	return &Invalid{Problems: []Problem{problemf(0, field, format, args)}}
}
