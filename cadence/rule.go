package cadence

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pulsehq/pulse/fault"
)

// A wallRule lists wall-clock times, not instants. Wall-clock times are held
// as time.Time in UTC, a zone without DST, so the arithmetic (and robfig/cron)
// never meets a skipped or repeated hour; turning a wall-clock time into an
// instant in a real zone happens once, in instantAt.
type wallRule interface {
	// next returns the first wall-clock time of the rule strictly after after.
	next(after time.Time) (time.Time, bool)
}

// cronRule runs a robfig/cron schedule over wall-clock times.
type cronRule struct{ schedule cron.Schedule }

func (r cronRule) next(after time.Time) (time.Time, bool) {
	at := r.schedule.Next(after)
	return at, !at.IsZero() // robfig returns zero when nothing matches within five years
}

// monthRule picks one day in every step-th month (1 monthly, 3 quarterly,
// counting from January) at a fixed time of day.
type monthRule struct {
	step  int
	clock clock
	pick  func(year int, month time.Month) int
}

func (r monthRule) next(after time.Time) (time.Time, bool) {
	month := after.Year()*12 + int(after.Month()) - 1
	month += (r.step - month%r.step) % r.step
	// The pick in the first eligible month may already be past; the one in
	// the month after cannot be, so two tries always suffice.
	for range 2 {
		year, m := month/12, time.Month(month%12+1)
		at := time.Date(year, m, r.pick(year, m), r.clock.hour, r.clock.minute, 0, 0, time.UTC)
		if at.After(after) {
			return at, true
		}
		month += r.step
	}
	return time.Time{}, false
}

// onceRule is a single wall-clock time.
type onceRule struct{ at time.Time }

func (r onceRule) next(after time.Time) (time.Time, bool) {
	return r.at, r.at.After(after)
}

func (c Cadence) weeklyRule(check *fault.Checker) wallRule {
	c.rejectUnused(check, "weekday", "time")
	weekday, weekdayOK := parseWeekday(check, c.Weekday)
	at, timeOK := parseClock(check, c.Time)
	if !weekdayOK || !timeOK {
		return nil
	}
	// A weekly cadence is exactly a cron line; let robfig do the stepping.
	spec := fmt.Sprintf("%d %d * * %d", at.minute, at.hour, int(weekday))
	schedule, err := cron.ParseStandard(spec)
	if err != nil {
		check.Addf("cadence.weekday", "cannot build schedule: %v", err)
		return nil
	}
	return cronRule{inUTC(schedule)}
}

// monthlyRule covers "day 31" (clamped to the month's last day) and
// "first Monday" / "last Friday", neither of which robfig/cron can express.
func (c Cadence) monthlyRule(check *fault.Checker) wallRule {
	c.rejectUnused(check, "day", "nth", "weekday", "time")
	at, timeOK := parseClock(check, c.Time)
	pick, pickOK := c.monthlyPick(check)
	if !timeOK || !pickOK {
		return nil
	}
	return monthRule{step: 1, clock: at, pick: pick}
}

func (c Cadence) monthlyPick(check *fault.Checker) (func(int, time.Month) int, bool) {
	switch {
	case c.Day != 0 && c.Nth != 0:
		check.Add("cadence.nth", "give either day, or nth with weekday, not both")
	case c.Day != 0:
		if c.Weekday != "" {
			check.Add("cadence.weekday", "only used with nth (e.g. first monday), not with day")
		}
		if c.Day < 1 || c.Day > 31 {
			check.Addf("cadence.day", "day %d is out of range 1..31", c.Day)
			return nil, false
		}
		return dayOfMonth(c.Day), c.Weekday == ""
	case c.Nth != 0:
		weekday, ok := parseWeekday(check, c.Weekday)
		if c.Nth < -1 || c.Nth > 4 {
			check.Addf("cadence.nth", "nth %d is out of range: use 1..4, or -1 for the last", c.Nth)
			return nil, false
		}
		return nthWeekday(c.Nth, weekday), ok
	default:
		check.Add("cadence.day", "required: a day of month 1..31, or nth (1..4, -1 for last) with weekday")
	}
	return nil, false
}

func (c Cadence) quarterlyRule(check *fault.Checker) wallRule {
	c.rejectUnused(check, "weekday", "time")
	weekday, weekdayOK := parseWeekday(check, c.Weekday)
	at, timeOK := parseClock(check, c.Time)
	if !weekdayOK || !timeOK {
		return nil
	}
	return monthRule{step: 3, clock: at, pick: nthWeekday(1, weekday)}
}

func (c Cadence) onceRule(check *fault.Checker) wallRule {
	c.rejectUnused(check, "at")
	if c.At == "" {
		check.Add("cadence.at", "required for kind once: a local date-time such as 2026-12-01T09:00")
		return nil
	}
	at, err := time.Parse("2006-01-02T15:04", c.At)
	if err != nil {
		check.Addf("cadence.at", "at %q is not a local date-time YYYY-MM-DDTHH:MM, e.g. 2026-12-01T09:00", c.At)
		return nil
	}
	return onceRule{at}
}

func (c Cadence) cronRule(check *fault.Checker) wallRule {
	c.rejectUnused(check, "spec")
	spec := strings.TrimSpace(c.Spec)
	switch {
	case spec == "":
		check.Add("cadence.spec", "required for kind cron: a 5-field spec such as \"0 9 * * MON\", or @weekly")
		return nil
	case strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ="):
		// Also keeps robfig v3.0.1 away from its panic on "TZ=Europe/Berlin".
		check.Add("cadence.spec", "a time zone in the spec is not allowed; set cadence.timezone instead")
		return nil
	}
	schedule, err := cron.ParseStandard(spec)
	if err != nil {
		check.Addf("cadence.spec", "cannot parse cron spec %q: %v", spec, err)
		return nil
	}
	if _, ok := schedule.(*cron.SpecSchedule); !ok {
		// @every counts from whenever it is asked, so a round's scheduled time
		// would depend on when the service started.
		check.Add("cadence.spec", "@every is not tied to the clock; use a 5-field spec such as \"0 9 * * MON\"")
		return nil
	}
	rule := cronRule{inUTC(schedule)}
	if _, ok := rule.next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); !ok {
		check.Addf("cadence.spec", "cron spec %q never matches a real date (e.g. 30 February)", spec)
		return nil
	}
	return rule
}

// inUTC pins a parsed schedule to UTC. robfig already computes a schedule
// parsed without TZ= in the zone of the time it is given (UTC wall-clock
// times here); pinning says so outright, so its own DST handling, which skips
// times in a spring-forward gap and fires twice in a fall-back repeat, can
// never come into play.
func inUTC(schedule cron.Schedule) cron.Schedule {
	if spec, ok := schedule.(*cron.SpecSchedule); ok {
		spec.Location = time.UTC
	}
	return schedule
}

// dayOfMonth picks day, or the month's last day when it is shorter.
func dayOfMonth(day int) func(int, time.Month) int {
	return func(year int, month time.Month) int {
		return min(day, daysIn(year, month))
	}
}

// nthWeekday picks the nth weekday of the month; nth -1 is the last one.
func nthWeekday(nth int, weekday time.Weekday) func(int, time.Month) int {
	return func(year int, month time.Month) int {
		if nth == -1 {
			last := daysIn(year, month)
			lastWeekday := time.Date(year, month, last, 0, 0, 0, 0, time.UTC).Weekday()
			return last - (int(lastWeekday)-int(weekday)+7)%7
		}
		firstWeekday := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Weekday()
		return 1 + (int(weekday)-int(firstWeekday)+7)%7 + 7*(nth-1)
	}
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
