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
	Source  Source
}

func (c *Conflict) Error() string { return c.Message }

// Conflictf builds a Conflict.
func Conflictf(format string, args ...any) error {
	return &Conflict{Message: fmt.Sprintf(format, args...), Source: Source{Format: format, Args: args}}
}

// Problem is one thing wrong with the input: which field (and, for files,
// which line) and why.
type Problem struct {
	Field  string `json:"field,omitempty"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

// Source is what a message was written from: a format and its arguments,
// kept so the API can write the message again in the reader's language.
// Empty when the message was given whole.
type Source struct {
	Format string
	Args   []any
}

// Invalid reports every problem found in an input at once.
type Invalid struct {
	Problems []Problem
	sources  []Source // beside Problems, one for one, when known
}

// SourceOf is what the i-th problem's reason was written from.
func (v *Invalid) SourceOf(i int) Source {
	if i < len(v.sources) {
		return v.sources[i]
	}
	return Source{}
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
	sources  []Source
}

func (c *Checker) add(p Problem, s Source) {
	c.problems, c.sources = append(c.problems, p), append(c.sources, s)
}

// Add records a problem with field.
func (c *Checker) Add(field, reason string) {
	c.add(Problem{Field: field, Reason: reason}, Source{})
}

// Addf records a problem with field, its reason written from format and args.
func (c *Checker) Addf(field, format string, args ...any) {
	c.AddLinef(0, field, format, args...)
}

// AddLine records a problem on a line of an uploaded file.
func (c *Checker) AddLine(line int, field, reason string) {
	c.add(Problem{Line: line, Field: field, Reason: reason}, Source{})
}

// AddLinef records a problem on a line of an uploaded file, its reason
// written from format and args.
func (c *Checker) AddLinef(line int, field, format string, args ...any) {
	c.add(Problem{Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}, Source{Format: format, Args: args})
}

// Relay records every problem of inv as its own, on line when line > 0,
// keeping what each reason was written from.
func (c *Checker) Relay(line int, inv *Invalid) {
	for i, p := range inv.Problems {
		if line > 0 {
			p.Line = line
		}
		c.add(p, inv.SourceOf(i))
	}
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

// Err returns an *Invalid with every problem, or nil when there were none.
func (c *Checker) Err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Invalid{Problems: c.problems, sources: c.sources}
}

// Invalidf is a single-field validation error.
func Invalidf(field, format string, args ...any) error {
	var c Checker
	c.Addf(field, format, args...)
	return c.Err()
}

// Reason is an error that says why a value is refused, written from a
// format kept so the API can write it again in the reader's language. It
// wraps what a %w in the format wraps.
type Reason struct {
	Source
	err error
}

// Reasonf builds a Reason, as fmt.Errorf would.
func Reasonf(format string, args ...any) error {
	return &Reason{Source: Source{Format: format, Args: args}, err: fmt.Errorf(format, args...)}
}

func (r *Reason) Error() string { return r.err.Error() }

func (r *Reason) Unwrap() error { return errors.Unwrap(r.err) }

// MessageSource is what the reason was written from.
func (r *Reason) MessageSource() (string, []any) { return r.Format, r.Args }
