package api

import (
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/i18n"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
)

// The domain writes its messages in English and keeps their format and
// arguments; these write them again in the reader's language just before
// they leave.

// readerLocale is the signed-in person's language, or English for a caller
// not (yet) known.
func readerLocale(c echo.Context) string {
	if v, ok := c.Get(viewerKey).(directory.Employee); ok {
		return v.Locale
	}
	return i18n.English
}

// localText writes a message kept as text only (no format): translated when
// the catalogue holds it as it stands.
func localText(locale, text string) string { return i18n.Phrase(locale, text) }

// localFormat writes a message from its format and arguments when the
// catalogue holds the format; otherwise the English it was written as.
func localFormat(locale string, src fault.Source, english string) string {
	if src.Format == "" || !i18n.Has(locale, src.Format) {
		return localText(locale, english)
	}
	return i18n.Text(locale, src.Format, src.Args...)
}

func localProblems(locale string, inv *fault.Invalid) []fault.Problem {
	out := make([]fault.Problem, len(inv.Problems))
	for i, p := range inv.Problems {
		out[i] = p
		out[i].Reason = localFormat(locale, inv.SourceOf(i), p.Reason)
	}
	return out
}

// invalidSummary is the one-line message of a 422, as fault.Invalid.Error
// words it, in locale.
func invalidSummary(locale string, problems []fault.Problem) string {
	parts := make([]string, len(problems))
	for i, p := range problems {
		switch {
		case p.Line > 0 && p.Field != "":
			parts[i] = i18n.Text(locale, "line %d: %s: %s", p.Line, p.Field, p.Reason)
		case p.Line > 0:
			parts[i] = i18n.Text(locale, "line %d: %s", p.Line, p.Reason)
		case p.Field != "":
			parts[i] = p.Field + ": " + p.Reason
		default:
			parts[i] = p.Reason
		}
	}
	return i18n.Text(locale, "the request has invalid fields: %s", strings.Join(parts, "; "))
}

func localConflict(locale string, c *fault.Conflict) string {
	return localFormat(locale, c.Source, c.Message)
}

// localDrivers words a driver analysis' message and caution in locale.
func localDrivers(locale string, d survey.Drivers) survey.Drivers {
	d.Message = localText(locale, d.Message)
	d.Caution = localText(locale, d.Caution)
	return d
}

func localKPIReport(locale string, r sales.KPIReport) sales.KPIReport {
	rows := make([]sales.KPIRow, len(r.Rows))
	for i, row := range r.Rows {
		row.KPIs = localKPIs(locale, row.KPIs)
		rows[i] = row
	}
	r.Rows = rows
	return r
}

func localAlongside(locale string, a sales.Alongside) sales.Alongside {
	rows := make([]sales.AlongsideRow, len(a.Rows))
	for i, row := range a.Rows {
		row.KPIs = localKPIs(locale, row.KPIs)
		rows[i] = row
	}
	correlations := make([]sales.Correlation, len(a.Correlations))
	for i, c := range a.Correlations {
		if c.Note != sales.NotEnoughData { // a code the dashboard words itself
			c.Note = localText(locale, c.Note)
		}
		correlations[i] = c
	}
	a.Rows, a.Correlations = rows, correlations
	return a
}

var metricType = reflect.TypeFor[sales.Metric]()

// localKPIs words the reason of every KPI that is null. It walks the fields
// by type so a KPI added later is covered without a list to keep.
func localKPIs(locale string, k sales.KPIs) sales.KPIs {
	v := reflect.ValueOf(&k).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Type() == metricType {
			m := f.Addr().Interface().(*sales.Metric)
			m.Reason = localText(locale, m.Reason)
		}
	}
	return k
}
