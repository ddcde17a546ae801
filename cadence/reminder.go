package cadence

import (
	"slices"
	"time"
)

// Working hours in which reminders are placed, as minutes after midnight.
const (
	workdayStart = 9 * 60
	workdayEnd   = 17 * 60
)

// defaultReminderDays apply when a survey names none (PRODUCT.md section 2).
var defaultReminderDays = []int{2, 4}

// ReminderTimes returns when to remind a recipient in loc (nil: sentLocal's
// location) who has not answered a survey sent to them at sentLocal.
//
// The rule, so that reminders reach people at work:
//   - one reminder on calendar day N after the local send date for each N in
//     days (nil or empty means days 2 and 4); N below 1 is ignored;
//   - at the send's local time of day (to the minute) when that lies within
//     09:00–17:00 inclusive, else at 09:00;
//   - one falling on a Saturday or Sunday moves to the following Monday at
//     the same time of day, rather than being dropped;
//   - reminders that land on the same instant are sent once (a Thursday
//     send's day 2 and day 4 both become Monday).
//
// The result is in ascending order. Dropping reminders at or after the
// round's close is the caller's job: the close time is not known here.
func ReminderTimes(sentLocal time.Time, days []int, loc *time.Location) []time.Time {
	if loc == nil {
		loc = sentLocal.Location()
	}
	if len(days) == 0 {
		days = defaultReminderDays
	}
	sent := sentLocal.In(loc)
	hour, minute := reminderClock(sent)
	out := []time.Time{}
	for _, n := range days {
		if n < 1 {
			continue
		}
		day := skipWeekend(time.Date(sent.Year(), sent.Month(), sent.Day()+n, 0, 0, 0, 0, time.UTC))
		wall := time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, time.UTC)
		out = append(out, instantAt(wall, loc))
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, time.Time.Equal)
}

// reminderClock keeps the send's time of day when it is a working hour, so
// reminders echo a time HR chose; otherwise it opens the working day.
func reminderClock(sent time.Time) (hour, minute int) {
	if at := sent.Hour()*60 + sent.Minute(); at >= workdayStart && at <= workdayEnd {
		return sent.Hour(), sent.Minute()
	}
	return workdayStart / 60, workdayStart % 60
}

// skipWeekend moves a Saturday or Sunday to the following Monday.
func skipWeekend(day time.Time) time.Time {
	switch day.Weekday() {
	case time.Saturday:
		return day.AddDate(0, 0, 2)
	case time.Sunday:
		return day.AddDate(0, 0, 1)
	}
	return day
}
