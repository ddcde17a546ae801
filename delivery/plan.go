package delivery

import (
	"time"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// Planned is when one recipient gets a round, and their reminders.
type Planned struct {
	EmployeeID int64
	DueAt      time.Time
	Reminders  []time.Time
}

// Zone is where a person's local time is reckoned: their own zone when
// known, else the survey's, else UTC.
func Zone(e directory.Employee, sv survey.Survey) *time.Location {
	for _, name := range []string{e.Timezone, surveyZone(sv)} {
		if name == "" {
			continue
		}
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

func surveyZone(sv survey.Survey) string {
	if sv.Cadence == nil {
		return ""
	}
	return sv.Cadence.Timezone
}

// PlanRound decides when each recipient gets the round: at the cadence's
// wall-clock time in their own zone for a scheduled round, at once for one
// sent by hand. Everyone gets the round's full window (close_after_hours)
// from their own send (survey.OpenFor closes the round when the last window
// ends). Reminders fall on the survey's reminder days inside local working
// hours, and only within the person's window.
func PlanRound(sv survey.Survey, round survey.Round, people []directory.Employee) []Planned {
	window := round.ClosesAt.Sub(round.ScheduledAt)
	out := make([]Planned, 0, len(people))
	for _, e := range people {
		loc := Zone(e, sv)
		due := round.ScheduledAt
		if sv.Cadence != nil {
			if at, ok := sv.Cadence.SendTimeIn(round.ScheduledAt, loc); ok {
				due = at
			}
		}
		p := Planned{EmployeeID: e.ID, DueAt: due}
		for _, at := range cadence.ReminderTimes(due.In(loc), sv.ReminderDays, loc) {
			if at.Before(due.Add(window)) && at.After(due) {
				p.Reminders = append(p.Reminders, at)
			}
		}
		out = append(out, p)
	}
	return out
}
