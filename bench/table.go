package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteTable prints the report as a Markdown table, ready for the README.
func WriteTable(w io.Writer, rep Report) error {
	var b strings.Builder
	m := rep.Machine
	fmt.Fprintf(&b, "Machine: %s, %d cores, %s, %s", m.CPU, m.Cores, m.OS, m.Go)
	if m.PostgreSQL != "" {
		fmt.Fprintf(&b, ", PostgreSQL %s", m.PostgreSQL)
	}
	fmt.Fprintf(&b, "; load average %s at the start. Medians of %d rounds; %.0f s in all.\n", m.Load, rep.Rounds, rep.Seconds)
	if rep.Quick {
		b.WriteString("Quick run: tiny data sets, the figures mean nothing.\n")
	}
	b.WriteString("\n| scenario | db | measure | Pulse | ceiling, same run | ratio | target | met |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, r := range rep.Rows {
		ceiling, ratio := "", ""
		if r.Ceiling != nil {
			ceiling = number(*r.Ceiling) + " (" + r.CeilingIs + ")"
			ratio = strconv.FormatFloat(r.Ratio(), 'f', 2, 64)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
			r.Scenario, r.Database, r.Measure, number(r.Pulse), ceiling, ratio, r.Target, met(r.Met))
	}
	for _, f := range rep.Failed {
		fmt.Fprintf(&b, "\nCould not run %s\n", f)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the report as one JSON document.
func WriteJSON(w io.Writer, rep Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// number shows three significant figures, with thousands separated.
func number(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 1000 || v <= -1000:
		return thousands(int64(v + 0.5))
	case v >= 100 || v <= -100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10 || v <= -10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1 || v <= -1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func met(m *bool) string {
	switch {
	case m == nil:
		return ""
	case *m:
		return "yes"
	}
	return "**no**"
}
