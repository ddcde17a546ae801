package cadence

import "time"

// wallClock is what a clock on the wall shows at t (in t's location), held
// as the same reading in UTC.
func wallClock(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// instantAt returns the first instant at which the wall clock in loc reaches
// wall. That single rule settles both DST cases:
//   - a time skipped by a spring-forward gap goes out when the gap ends
//     (02:30 on the spring-forward day in Berlin is sent at 03:00 CEST), so
//     a survey is never silently skipped;
//   - a time repeated by a fall-back goes out at its first occurrence only.
//
// time.Date cannot be used alone: for a gap it moves forward by the gap's
// length (03:30, not 03:00) and for a repeat it picks the second occurrence.
func instantAt(wall time.Time, loc *time.Location) time.Time {
	t := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), loc)
	if earlier, ok := earlierRepeat(t, wall); ok {
		return earlier
	}
	shown := wallClock(t)
	if shown.Equal(wall) {
		return t
	}
	// wall lies in a gap; the gap's end is the zone transition beside t.
	start, end := t.ZoneBounds()
	if shown.After(wall) {
		return start
	}
	return end
}

// earlierRepeat finds the first occurrence of wall when t is its second one,
// i.e. when the zone in effect before t's period also showed wall.
func earlierRepeat(t, wall time.Time) (time.Time, bool) {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return time.Time{}, false
	}
	_, offset := start.Add(-time.Nanosecond).Zone()
	earlier := wall.Add(-time.Duration(offset) * time.Second).In(t.Location())
	return earlier, earlier.Before(start) && wallClock(earlier).Equal(wall)
}

// latestWallClock is the latest wall-clock reading loc has shown up to and
// including after. It is after's own reading, except during a fall-back
// repeat, when the clock already showed later times once before turning back
// (at 02:15 CET on the fall-back day in Berlin it is 02:59:59.999 CEST).
func latestWallClock(after time.Time, loc *time.Location) time.Time {
	t := after.In(loc)
	latest := wallClock(t)
	if start, _ := t.ZoneBounds(); !start.IsZero() {
		if before := wallClock(start.Add(-time.Nanosecond)); before.After(latest) {
			latest = before
		}
	}
	return latest
}
