package sales

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/pulsehq/pulse/csvfile"
	"github.com/pulsehq/pulse/fault"
)

// column is one field of an import and the header names CRMs give it.
// Headers match after lowercasing and dropping everything but letters and
// digits, so "Opportunity ID", "opportunity_id" and "OpportunityId" agree.
type column struct {
	field     string
	synonyms  []string
	fallbacks []string // used only when no synonym is in the header; see columns.go
	required  bool
}

// row is one record to import, from a CSV line or a JSON batch item; where
// names it in problems ("line 4" or "deals[3].").
type row struct {
	line   int
	prefix string
	f      map[string]string
}

func (r row) problem(c *fault.Checker, field, format string, args ...any) {
	c.AddLinef(r.line, r.prefix+field, format, args...)
}

func headerKey(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Headers lists, per field, the header names accepted for it.
func Headers(cols []column) map[string][]string {
	out := map[string][]string{}
	for _, c := range cols {
		out[c.field] = slices.Concat([]string{c.field}, c.synonyms, c.fallbacks)
	}
	return out
}

// readCSV reads a whole file into rows keyed by field. Columns it does not
// know are ignored, since CRM exports carry dozens of them.
func readCSV(r io.Reader, what string, cols []column) ([]row, error) {
	var h *header
	lines, err := csvfile.Read(r, csvfile.Spec{What: what, Header: "a header",
		Fields: func(names []string) ([]string, error) {
			h = mapHeader(names, cols, entityPrefixes[what])
			return h.fields, h.problems.Err()
		}})
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(lines))
	for i, l := range lines {
		rows[i] = row{line: l.Line, f: h.merge(l.Fields)}
	}
	return rows, nil
}

// header is what a file's first line says: the field of each column ("" for
// an ignored one), and the fallback columns standing in for a field, by the
// names their cells are read under.
type header struct {
	fields    []string
	fallbacks map[string][]string
	problems  fault.Checker
}

// merge gives each field read from fallback columns the first of them that
// the row fills.
func (h *header) merge(f map[string]string) map[string]string {
	for field, names := range h.fallbacks {
		for _, name := range names {
			if f[field] == "" {
				f[field] = f[name]
			}
			delete(f, name)
		}
	}
	return f
}

func mapHeader(names []string, cols []column, entity string) *header {
	h := &header{fields: make([]string, len(names)), fallbacks: map[string][]string{}}
	known := headerNames(cols)
	given := map[string]string{} // field -> the one main header giving it
	backups := map[string][]int{}
	for i, name := range names {
		name = strings.TrimSpace(name)
		m, ok := known.lookup(name, entity)
		switch {
		case !ok:
		case m.fallback:
			backups[m.field] = append(backups[m.field], i)
		case given[m.field] != "":
			h.problems.AddLinef(1, m.field, "both %q and %q give it; keep one", given[m.field], name)
		default:
			given[m.field], h.fields[i] = name, m.field
		}
	}
	for _, col := range cols {
		idx := backups[col.field]
		if given[col.field] != "" || len(idx) == 0 {
			continue
		}
		for _, i := range idx {
			alias := fmt.Sprintf("%s (from %q)", col.field, strings.TrimSpace(names[i]))
			h.fields[i] = alias
			h.fallbacks[col.field] = append(h.fallbacks[col.field], alias)
		}
		given[col.field] = names[idx[0]]
	}
	for _, col := range cols {
		if col.required && given[col.field] == "" {
			h.problems.AddLinef(1, col.field, "column is required; accepted headers: %s",
				strings.Join(slices.Concat([]string{col.field}, col.synonyms, col.fallbacks), ", "))
		}
	}
	return h
}

// match is what a header name stands for.
type match struct {
	field    string
	fallback bool
}

type headerIndex map[string]match

func headerNames(cols []column) headerIndex {
	known := headerIndex{}
	for _, col := range cols {
		for _, s := range col.fallbacks {
			known[headerKey(s)] = match{col.field, true}
		}
		for _, s := range append([]string{col.field}, col.synonyms...) {
			known[headerKey(s)] = match{col.field, false}
		}
	}
	return known
}

// lookup finds a header as it stands, else without its record's prefix
// ("Deal - Won time" in a deals import is "Won time").
func (known headerIndex) lookup(name, entity string) (match, bool) {
	if m, ok := known[headerKey(name)]; ok {
		return m, true
	}
	record, rest, ok := strings.Cut(name, " - ")
	if !ok || entity == "" || headerKey(record) != entity {
		return match{}, false
	}
	m, ok := known[headerKey(rest)]
	return m, ok
}

// timeLayouts are the ISO 8601 forms accepted. A locale's date such as
// 3/4/2026 is refused: it is the 3rd of April in half the world.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04",
	"2006-01-02 15:04", time.DateOnly}

// parseTime reads a date or time; one without a zone is taken as UTC.
func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fault.Reasonf("must be an ISO 8601 date or time (2026-03-31 or 2026-03-31T14:05:00Z), not %q", s)
}

// parseBool reads the yes/no forms CRMs export.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "y", "1", "t":
		return true, nil
	case "false", "no", "n", "0", "f", "":
		return false, nil
	}
	return false, fault.Reasonf("must be true or false, not %q", s)
}

// parsePeriod reads a quota or spend period: 2026-03 (a month) or 2026-Q2.
func parsePeriod(s string) (kind string, start time.Time, err error) {
	if t, err := time.Parse("2006-01", s); err == nil {
		return PeriodMonth, t, nil
	}
	upper := strings.ToUpper(strings.ReplaceAll(s, " ", "-"))
	if y, q, ok := strings.Cut(upper, "-Q"); ok {
		year, err1 := strconv.Atoi(y)
		n, err2 := strconv.Atoi(q)
		if err1 == nil && err2 == nil && n >= 1 && n <= 4 && year > 1900 {
			return PeriodQuarter, time.Date(year, time.Month(3*n-2), 1, 0, 0, 0, 0, time.UTC), nil
		}
	}
	return "", time.Time{}, fault.Reasonf("must be a month (2026-03) or a quarter (2026-Q2), not %q", s)
}

// periodEnd is the end of a quota or spend period.
func periodEnd(kind string, start time.Time) time.Time {
	if kind == PeriodQuarter {
		return start.AddDate(0, 3, 0)
	}
	return start.AddDate(0, 1, 0)
}
