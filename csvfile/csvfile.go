// Package csvfile reads an uploaded CSV file whole, for imports that are
// all-or-nothing: a header mapped to field names, then every row with its
// line number, and every unreadable line reported at once. It knows nothing
// of what the rows mean.
package csvfile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/pulsehq/pulse/fault"
)

// Row is one line of the file, its cells keyed by field name and trimmed.
type Row struct {
	Line   int
	Fields map[string]string
}

// Spec says how to read one kind of file.
type Spec struct {
	// What the rows are, for "has a header but no …".
	What string
	// Header says what the first line must be, for an empty file.
	Header string
	// Fields names the field of each header column; "" ignores a column.
	// It reports what is wrong with the header as a *fault.Invalid.
	Fields func(header []string) ([]string, error)
}

// Read reads every row, or refuses the file with every bad line and why.
// Blank lines are skipped; a byte-order mark before the header is dropped.
func Read(r io.Reader, spec Spec) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fault.Invalidf("file", "is empty; the first line must be %s", spec.Header)
	}
	if err != nil {
		return nil, unreadable(&fault.Checker{}, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	fields, err := spec.Fields(header)
	if err != nil {
		return nil, err
	}
	rows, err := readRows(cr, fields)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fault.Invalidf("file", "has a header but no %s", spec.What)
	}
	return rows, nil
}

func readRows(cr *csv.Reader, fields []string) ([]Row, error) {
	var (
		rows []Row
		c    fault.Checker
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, c.Err()
		}
		if err != nil {
			// A broken quote leaves nothing trustworthy after it: stop here.
			return nil, unreadable(&c, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(fields) {
			c.AddLinef(line, "", "has %d fields, the header has %d", len(rec), len(fields))
			continue
		}
		row := Row{Line: line, Fields: map[string]string{}}
		for i, field := range fields {
			if field == "" {
				continue
			}
			row.Fields[field] = strings.TrimSpace(rec[i])
			switch at := fault.InvalidUTF8At(rec[i]); {
			case at > 0:
				c.AddLinef(line, field, "column %d is not valid UTF-8 (at byte %d); save the file as UTF-8", i+1, at)
			case fault.TextProblem(rec[i]) != "":
				c.AddLinef(line, field, "column %d %s", i+1, fault.TextProblem(rec[i]))
			}
		}
		rows = append(rows, row)
	}
}

// unreadable reports a CSV syntax error on the line its record starts on:
// a quote opened and never closed runs to the end of the file, so where it
// was noticed says little. Any other error is the reader's (a body over the
// size limit, a dropped connection) and is passed on as it is.
func unreadable(c *fault.Checker, err error) error {
	pe, ok := errors.AsType[*csv.ParseError](err)
	if !ok {
		return fmt.Errorf("csvfile: reading: %w", err)
	}
	reason := fmt.Sprintf("is not valid CSV: %v (at line %d, column %d)", pe.Err, pe.Line, pe.Column)
	if errors.Is(pe.Err, csv.ErrQuote) {
		reason += `; a quote (") inside a cell must be doubled and the cell itself quoted`
	}
	c.AddLine(pe.StartLine, "", reason)
	return c.Err()
}
