// Package cadence decides when a survey is sent. A cadence (weekly, monthly,
// quarterly, once, or a cron spec) names a local wall-clock time in a time
// zone; this package turns it into send instants for any recipient's zone,
// previews them, finds the latest missed one for catch-up, and places
// reminders inside working hours.
//
// It is pure calendar arithmetic. It must never touch a database, HTTP, Slack
// or the real clock: every function is given the time it reasons about, so
// callers and tests control time completely.
package cadence

import (
	"slices"
	"time"
	// Zones are the heart of this package; embedding the IANA database keeps
	// validation and DST rules identical on hosts without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/pulsehq/pulse/fault"
)

// Kinds of cadence, spelled as in the API.
const (
	KindWeekly    = "weekly"
	KindMonthly   = "monthly"
	KindQuarterly = "quarterly"
	KindOnce      = "once"
	KindCron      = "cron"
)

// Cadence is how often, and at what local time, a survey is sent. Its JSON
// shape is part of the API contract (PRODUCT.md section 8).
type Cadence struct {
	// Kind is one of weekly, monthly, quarterly, once, cron.
	Kind string `json:"kind"`
	// Weekday is monday..sunday: the day for weekly and quarterly, and the
	// weekday of nth for monthly ("first Monday").
	Weekday string `json:"weekday,omitempty"`
	// Time is the local send time as HH:MM (weekly, monthly, quarterly).
	Time string `json:"time,omitempty"`
	// Timezone is the survey's IANA zone; a recipient without a known zone of
	// their own receives the survey at the wall-clock time here.
	Timezone string `json:"timezone"`
	// Day is the day of month 1..31 for monthly; months without that day use
	// their last day.
	Day int `json:"day,omitempty"`
	// Nth picks the 1st..4th weekday of the month, or -1 for the last one.
	Nth int `json:"nth,omitempty"`
	// At is the local date-time for once, as 2026-12-01T09:00.
	At string `json:"at,omitempty"`
	// Spec is a standard 5-field cron spec or a descriptor such as @weekly.
	Spec string `json:"spec,omitempty"`
	// StartDate and EndDate (YYYY-MM-DD, inclusive) bound the local dates on
	// which the survey may be sent.
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`
	// Paused stops all sending without losing the rest of the cadence.
	Paused bool `json:"paused"`
}

// Validate reports every problem with the cadence at once as a
// *fault.Invalid whose field names start with "cadence.". A cadence that
// would send more often than once a day is invalid; ValidateAt also lists
// the sends it would make.
func (c Cadence) Validate() error {
	_, err := c.compile()
	return err
}

// plan is a validated cadence, ready to compute with.
type plan struct {
	rule   wallRule
	zone   *time.Location
	first  time.Time // wall-clock midnight of start_date; zero when unbounded
	beyond time.Time // wall-clock midnight after end_date; zero when unbounded
	paused bool
}

func (c Cadence) compile() (*plan, error) {
	return c.compileAt(time.Time{})
}

// compileAt is compile; a refusal of a cadence sending more than once a day
// lists its sends after from (after start_date when from is zero).
func (c Cadence) compileAt(from time.Time) (*plan, error) {
	p, err := c.compileRule()
	if err != nil {
		return nil, err
	}
	if from.IsZero() && !p.first.IsZero() {
		from = instantAt(p.first, p.zone).Add(-time.Nanosecond)
	}
	if err := p.oncePerDay(c.Spec, from); err != nil {
		return nil, err
	}
	return p, nil
}

// compileRule is the calendar arithmetic alone, before the once-a-day limit.
func (c Cadence) compileRule() (*plan, error) {
	var check fault.Checker
	p := &plan{paused: c.Paused}
	p.zone = parseZone(&check, c.Timezone)
	p.first, p.beyond = c.parseBounds(&check)
	p.rule = c.parseRule(&check)
	if err := check.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func (c Cadence) parseRule(check *fault.Checker) wallRule {
	switch c.Kind {
	case KindWeekly:
		return c.weeklyRule(check)
	case KindMonthly:
		return c.monthlyRule(check)
	case KindQuarterly:
		return c.quarterlyRule(check)
	case KindOnce:
		return c.onceRule(check)
	case KindCron:
		return c.cronRule(check)
	case "":
		check.Add("cadence.kind", "required: one of weekly, monthly, quarterly, once, cron")
	default:
		check.Addf("cadence.kind", "unknown kind %q: use one of weekly, monthly, quarterly, once, cron", c.Kind)
	}
	return nil
}

func (c Cadence) parseBounds(check *fault.Checker) (first, beyond time.Time) {
	start, startOK := parseDate(check, "cadence.start_date", c.StartDate)
	end, endOK := parseDate(check, "cadence.end_date", c.EndDate)
	if startOK && endOK && !start.IsZero() && !end.IsZero() && end.Before(start) {
		check.Addf("cadence.end_date", "end_date %s is before start_date %s", c.EndDate, c.StartDate)
	}
	if !end.IsZero() {
		beyond = end.AddDate(0, 0, 1)
	}
	return start, beyond
}

// rejectUnused reports fields the kind does not read: silently ignoring a
// "time" or "day" would send the survey at a moment HR did not choose.
func (c Cadence) rejectUnused(check *fault.Checker, used ...string) {
	fields := []struct {
		name string
		set  bool
	}{
		{"weekday", c.Weekday != ""},
		{"time", c.Time != ""},
		{"day", c.Day != 0},
		{"nth", c.Nth != 0},
		{"at", c.At != ""},
		{"spec", c.Spec != ""},
	}
	for _, f := range fields {
		if f.set && !slices.Contains(used, f.name) {
			check.Addf("cadence."+f.name, "not used with kind %s", c.Kind)
		}
	}
}

func parseZone(check *fault.Checker, name string) *time.Location {
	switch name {
	case "":
		check.Add("cadence.timezone", "required: an IANA time zone such as Europe/Berlin")
		return nil
	case "Local":
		// "Local" means whatever the server runs in, which HR cannot see.
		check.Add("cadence.timezone", "Local is the server's zone; use an IANA time zone such as Europe/Berlin")
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		check.Addf("cadence.timezone", "unknown time zone %q: use an IANA time zone such as Europe/Berlin", name)
		return nil
	}
	return loc
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
}

func parseWeekday(check *fault.Checker, name string) (time.Weekday, bool) {
	if name == "" {
		check.Add("cadence.weekday", "required: monday, tuesday, wednesday, thursday, friday, saturday or sunday")
		return 0, false
	}
	wd, ok := weekdays[name]
	if !ok {
		check.Addf("cadence.weekday", "unknown weekday %q: use monday, tuesday, wednesday, thursday, friday, saturday or sunday", name)
	}
	return wd, ok
}

// clock is a local time of day.
type clock struct{ hour, minute int }

func parseClock(check *fault.Checker, s string) (clock, bool) {
	if s == "" {
		check.Add("cadence.time", "required: a local time as HH:MM, e.g. 09:00")
		return clock{}, false
	}
	// time.Parse alone would accept "9:00"; the contract is two digits each.
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != len("15:04") {
		check.Addf("cadence.time", "time %q is not HH:MM (00:00 to 23:59), e.g. 09:00", s)
		return clock{}, false
	}
	return clock{t.Hour(), t.Minute()}, true
}

// parseDate reads YYYY-MM-DD as a wall-clock midnight; empty is allowed and
// yields the zero time.
func parseDate(check *fault.Checker, field, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		check.Addf(field, "date %q is not YYYY-MM-DD, e.g. 2026-12-01", s)
		return time.Time{}, false
	}
	return d, true
}
