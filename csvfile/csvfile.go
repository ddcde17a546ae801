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
		return nil, fault.Invalidf("file", "is not valid CSV: %v", err)
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
		line, _ := cr.FieldPos(0)
		if err != nil {
			// A broken quote leaves nothing trustworthy after it: stop here.
			if pe, ok := errors.AsType[*csv.ParseError](err); ok {
				line, err = pe.Line, pe.Err
			}
			c.AddLine(line, "", err.Error())
			return nil, c.Err()
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(fields) {
			c.AddLine(line, "", fmt.Sprintf("has %d fields, the header has %d", len(rec), len(fields)))
			continue
		}
		row := Row{Line: line, Fields: map[string]string{}}
		for i, field := range fields {
			if field != "" {
				row.Fields[field] = strings.TrimSpace(rec[i])
			}
		}
		rows = append(rows, row)
	}
}
