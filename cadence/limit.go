package cadence

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/pulsehq/pulse/fault"
)

// Every send is a DM to everyone in the audience, so a cadence that fires
// more than once a day is a typo ("* * * * *", or "* 9 * * MON" meant as
// 09:00), never a plan. It is refused when saved, and a stored one never
// sends: Next, Latest and Preview treat it as invalid.

// gapSample is how many upcoming sends ValidateAt checks for two on one day.
const gapSample = 50

// shownSends is how many upcoming sends a refusal lists.
const shownSends = 4

// ValidateAt is Validate, and also checks the next 50 sends after now for
// two on the same local day; a refusal lists the next sends after now, so
// HR sees what the cadence would have done.
func (c Cadence) ValidateAt(now time.Time) error {
	p, err := c.compileAt(now)
	if err != nil {
		return err
	}
	sends := p.upcoming(now, gapSample)
	for i := 1; i < len(sends); i++ {
		if sameDay(sends[i-1], sends[i], p.zone) {
			return fault.Invalidf("cadence", "sends twice on %s (%s); a survey may go out at most once a day",
				sends[i].In(p.zone).Format(time.DateOnly), listSends(sends[:min(len(sends), shownSends)], p.zone))
		}
	}
	return nil
}

// oncePerDay checks a cron schedule's fields: one second, one minute and one
// hour means at most one send on any day it matches, whatever the zone.
func (p *plan) oncePerDay(spec string, from time.Time) error {
	rule, ok := p.rule.(cronRule)
	if !ok {
		return nil // weekly, monthly, quarterly and once send at most daily by construction
	}
	fields, ok := rule.schedule.(*cron.SpecSchedule)
	if !ok {
		return nil
	}
	perDay := count(fields.Second) * count(fields.Minute) * count(fields.Hour)
	if perDay <= 1 {
		return nil
	}
	reason := fmt.Sprintf("cron spec %s would send the survey %d times on each day it matches", strconv.Quote(spec), perDay)
	if sends := p.upcoming(from, shownSends); !from.IsZero() && len(sends) > 0 {
		reason += " (next sends: " + listSends(sends, p.zone) + ")"
	}
	return fault.Invalidf("cadence.spec", "%s; a survey may go out at most once a day: give one minute and one hour, e.g. \"0 9 * * MON\"", reason)
}

// count is how many values a robfig field matches; its top bit only marks
// that the field was written as "*".
func count(field uint64) int {
	return bits.OnesCount64(field &^ (1 << 63))
}

// upcoming lists up to n sends strictly after from in the cadence's zone,
// paused or not: it describes what the cadence says, not what is sent.
func (p *plan) upcoming(from time.Time, n int) []time.Time {
	var out []time.Time
	for len(out) < n {
		_, at, ok := p.nextIn(from, p.zone)
		if !ok {
			break
		}
		out = append(out, at)
		from = at
	}
	return out
}

func sameDay(a, b time.Time, loc *time.Location) bool {
	return a.In(loc).Format(time.DateOnly) == b.In(loc).Format(time.DateOnly)
}

// listSends writes sends as local date-times, the date only when it changes:
// "2026-12-07 09:00, 09:01, 09:02 (Europe/Berlin)".
func listSends(sends []time.Time, loc *time.Location) string {
	parts := make([]string, len(sends))
	for i, at := range sends {
		local := at.In(loc)
		parts[i] = local.Format("15:04")
		if i == 0 || !sameDay(sends[i-1], at, loc) {
			parts[i] = local.Format("Mon 2006-01-02 15:04")
		}
	}
	return strings.Join(parts, ", ") + " (" + loc.String() + ")"
}
