package cadence_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/fault"
)

// span keeps fuzzed instants between 1970 and about 2170, where calendars
// and zones are defined and a yearly cadence still has sends ahead.
const span = 200 * 365 * 24 * 60 * 60

// FuzzCadence: whatever HR types, a cadence is refused with every problem
// named under "cadence.", or it yields sends that only move forward, that
// Preview, Latest and SendTimeIn agree with, in its own zone and in a
// recipient's; and it survives the API's JSON unchanged.
func FuzzCadence(f *testing.F) {
	f.Add("weekly", "monday", "09:00", "Europe/Berlin", 0, 0, "", "", "", "", false, int64(1_780_000_000), "Asia/Tokyo")
	f.Add("monthly", "", "09:00", "Europe/Berlin", 31, 0, "", "", "2026-01-01", "2027-12-31", false, int64(1_790_000_000), "")
	f.Fuzz(func(t *testing.T, kind, weekday, clock, zone string, day, nth int, at, spec, start, end string,
		paused bool, afterSec int64, recipientZone string) {
		c := cadence.Cadence{Kind: kind, Weekday: weekday, Time: clock, Timezone: zone, Day: day, Nth: nth,
			At: at, Spec: spec, StartDate: start, EndDate: end, Paused: paused}
		after := time.Unix(afterSec%span, 0).UTC()
		if afterSec < 0 {
			after = time.Unix(-afterSec%span, 0).UTC()
		}
		checkJSONRoundTrip(t, c)
		if err := c.Validate(); err != nil {
			checkNamesFields(t, err)
			if _, ok := c.Next(after); ok {
				t.Fatalf("an invalid cadence sends: %v", err)
			}
			return
		}
		sends := checkForward(t, c, after, nil)
		if paused {
			if len(sends) > 0 {
				t.Fatalf("a paused cadence sends at %v", sends[0])
			}
			return
		}
		checkPreview(t, c, after, sends)
		for _, s := range sends {
			if latest, ok := c.Latest(s); !ok || !latest.Equal(s) {
				t.Fatalf("Latest(%v) = %v, %v; want the send itself", s, latest, ok)
			}
			if own, ok := c.SendTimeIn(s, nil); !ok || !own.Equal(s) {
				t.Fatalf("SendTimeIn(%v, own zone) = %v, %v", s, own, ok)
			}
		}
		if loc, err := time.LoadLocation(recipientZone); err == nil && recipientZone != "" && recipientZone != "Local" {
			checkForward(t, c, after, loc)
		}
	})
}

func checkJSONRoundTrip(t *testing.T, c cadence.Cadence) {
	for _, s := range []string{c.Kind, c.Weekday, c.Time, c.Timezone, c.At, c.Spec, c.StartDate, c.EndDate} {
		if !utf8.ValidString(s) {
			return // JSON writes U+FFFD for such bytes; the API refuses them earlier
		}
	}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back cadence.Cadence
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back != c {
		t.Fatalf("JSON changed the cadence: %+v became %+v", c, back)
	}
}

func checkNamesFields(t *testing.T, err error) {
	invalid, ok := errors.AsType[*fault.Invalid](err)
	if !ok || len(invalid.Problems) == 0 {
		t.Fatalf("want *fault.Invalid with problems, got %T %v", err, err)
	}
	for _, p := range invalid.Problems {
		if p.Field != "cadence" && !strings.HasPrefix(p.Field, "cadence.") || p.Reason == "" {
			t.Fatalf("problem %+v does not name a cadence field and a reason", p)
		}
	}
}

// checkForward takes up to eight sends after after, in loc (nil: the
// cadence's zone), and fails unless each is strictly later than the last.
func checkForward(t *testing.T, c cadence.Cadence, after time.Time, loc *time.Location) []time.Time {
	var sends []time.Time
	for range 8 {
		next, ok := c.NextIn(after, loc)
		if !ok {
			break
		}
		if !next.After(after) {
			t.Fatalf("NextIn(%v, %v) = %v, not after it", after, loc, next)
		}
		sends = append(sends, next)
		after = next
	}
	return sends
}

func checkPreview(t *testing.T, c cadence.Cadence, after time.Time, sends []time.Time) {
	preview := c.Preview(after, len(sends))
	if len(preview) != len(sends) {
		t.Fatalf("Preview shows %d sends, Next found %d", len(preview), len(sends))
	}
	for i, o := range preview {
		if !o.UTC.Equal(sends[i]) {
			t.Fatalf("Preview[%d] = %v, Next gave %v", i, o.UTC, sends[i])
		}
		if _, err := time.Parse(time.RFC3339, o.Local); err != nil {
			t.Fatalf("Preview[%d].Local %q is not RFC 3339", i, o.Local)
		}
	}
}
