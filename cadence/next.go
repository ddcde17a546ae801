package cadence

import "time"

// localLayout is RFC 3339 that always writes the offset, so a zone at UTC+0
// (London in winter) reads "+00:00" rather than "Z", which would look like UTC.
const localLayout = "2006-01-02T15:04:05-07:00"

// MaxPreview caps how many occurrences Preview returns.
const MaxPreview = 100

// Occurrence is one send time as shown in a schedule preview.
type Occurrence struct {
	UTC   time.Time `json:"utc"`
	Local string    `json:"local"` // RFC 3339 with the offset of the cadence's zone
}

// Next returns the first send instant strictly after after, at the cadence's
// wall-clock time in its own zone. That instant is a round's scheduled time.
// It reports false when there is none: the cadence is invalid or paused, a
// once has passed, or the end date is behind.
func (c Cadence) Next(after time.Time) (time.Time, bool) {
	return c.NextIn(after, nil)
}

// NextIn is Next for a recipient in loc: the first instant strictly after
// after at which loc's wall clock shows the cadence's time. A 09:00 Monday
// cadence so reaches Tokyo, Berlin and New York at 09:00 Monday local time.
// A nil loc means the cadence's own zone.
func (c Cadence) NextIn(after time.Time, loc *time.Location) (time.Time, bool) {
	p, err := c.compile()
	if err != nil || p.paused {
		return time.Time{}, false
	}
	_, at, ok := p.nextIn(after, loc)
	return at, ok
}

// SendTimeIn returns when the round scheduled at scheduled (an occurrence in
// the cadence's own zone, as returned by Next or Latest) reaches a recipient
// in loc: the same wall-clock time, in loc. It reports false when scheduled
// is not an occurrence of the cadence.
func (c Cadence) SendTimeIn(scheduled time.Time, loc *time.Location) (time.Time, bool) {
	p, err := c.compile()
	if err != nil || p.paused {
		return time.Time{}, false
	}
	wall, at, ok := p.nextIn(scheduled.Add(-time.Nanosecond), p.zone)
	if !ok || !at.Equal(scheduled) {
		return time.Time{}, false
	}
	return instantAt(wall, p.zoneOr(loc)), true
}

// Preview lists up to n (at most MaxPreview) send times after after in the
// cadence's zone, for HR to check before saving. It is empty, never nil, when
// the cadence is invalid, paused or has no further sends.
func (c Cadence) Preview(after time.Time, n int) []Occurrence {
	out := []Occurrence{}
	p, err := c.compile()
	if err != nil || p.paused {
		return out
	}
	for len(out) < min(n, MaxPreview) {
		_, at, ok := p.nextIn(after, p.zone)
		if !ok {
			break
		}
		out = append(out, Occurrence{UTC: at.UTC(), Local: at.In(p.zone).Format(localLayout)})
		after = at
	}
	return out
}

// PreviewIn is Preview as a recipient in loc receives it: each of the next
// n rounds at the cadence's wall-clock time in loc, with Local written in
// loc's offset. A nil loc is the cadence's own zone.
func (c Cadence) PreviewIn(after time.Time, n int, loc *time.Location) []Occurrence {
	out := []Occurrence{}
	p, err := c.compile()
	if err != nil || p.paused {
		return out
	}
	zone := p.zoneOr(loc)
	for len(out) < min(n, MaxPreview) {
		wall, at, ok := p.nextIn(after, p.zone)
		if !ok {
			break
		}
		sent := instantAt(wall, zone)
		out = append(out, Occurrence{UTC: sent.UTC(), Local: sent.In(zone).Format(localLayout)})
		after = at
	}
	return out
}

// Latest returns the most recent occurrence at or before before, in the
// cadence's zone: the one run to catch up after downtime (never every missed
// one). It reports false when there is none, or the cadence is paused.
func (c Cadence) Latest(before time.Time) (time.Time, bool) {
	p, err := c.compile()
	if err != nil || p.paused {
		return time.Time{}, false
	}
	found, ok := p.someOccurrenceUpTo(before)
	if !ok {
		return time.Time{}, false
	}
	return p.lastOccurrenceUpTo(found, before), true
}

// nextIn returns the first occurrence strictly after after in loc, with the
// wall-clock time it was computed from.
func (p *plan) nextIn(after time.Time, loc *time.Location) (wall, at time.Time, ok bool) {
	loc = p.zoneOr(loc)
	// Every wall-clock time up to the latest one already shown resolves to an
	// instant at or before after, so start from there.
	wall = latestWallClock(after, loc)
	// Several wall-clock times in one DST gap resolve to the same instant;
	// step past any that did not move beyond after. Normally one pass.
	for range 1500 {
		wall, ok = p.nextWall(wall)
		if !ok {
			return time.Time{}, time.Time{}, false
		}
		if at = instantAt(wall, loc); at.After(after) {
			return wall, at, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// nextWall is the rule's next wall-clock time, kept within the local dates
// from start_date through end_date.
func (p *plan) nextWall(after time.Time) (time.Time, bool) {
	if !p.first.IsZero() && after.Before(p.first) {
		after = p.first.Add(-time.Nanosecond)
	}
	wall, ok := p.rule.next(after)
	if !ok || (!p.beyond.IsZero() && !wall.Before(p.beyond)) {
		return time.Time{}, false
	}
	return wall, true
}

func (p *plan) zoneOr(loc *time.Location) *time.Location {
	if loc == nil {
		return p.zone
	}
	return loc
}

// lookBackSteps bounds the search behind Latest: windows of one hour doubling
// seventeen times reach back about fifteen years, beyond any real cadence's
// gap (a 29 February cron fires at least every eight years).
const lookBackSteps = 18

// someOccurrenceUpTo finds any occurrence at or before before, looking back
// in doubling windows: a few probes for a daily cadence, about fifteen for a
// yearly one, never a scan from year zero.
func (p *plan) someOccurrenceUpTo(before time.Time) (time.Time, bool) {
	window := time.Hour
	for range lookBackSteps {
		from := before.Add(-window)
		if _, at, ok := p.nextIn(from, p.zone); ok && !at.After(before) {
			return at, true
		}
		if !p.first.IsZero() && wallClock(from.In(p.zone)).Before(p.first) {
			return time.Time{}, false // nothing before start_date to find
		}
		window *= 2
	}
	return time.Time{}, false
}

// lastOccurrenceUpTo narrows (lo, before] by halves to the last occurrence.
// lo is always an occurrence and nothing occurs in (hi, before]; sends are at
// least a minute apart, so once hi is within a second of lo, lo is the last.
// Even a minutely cron searched over years takes about thirty steps.
func (p *plan) lastOccurrenceUpTo(lo, before time.Time) time.Time {
	hi := before
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		if _, at, ok := p.nextIn(mid, p.zone); ok && !at.After(hi) {
			lo = at
		} else {
			hi = mid
		}
	}
	return lo
}
