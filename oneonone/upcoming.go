package oneonone

import (
	"context"
	"time"
)

// Upcoming is someone's next one-on-one, for reminders and Slack's App Home.
type Upcoming struct {
	Meeting Meeting
	Series  Series
	// With is the other participant's name.
	With string
}

// NextFor returns employeeID's next scheduled meeting from now on, across
// all their series; ok is false when there is none.
func (s *Service) NextFor(ctx context.Context, employeeID int64) (Upcoming, bool, error) {
	var m []Meeting
	err := s.db.WithContext(ctx).
		Where("status = ? AND scheduled_at >= ?", StatusScheduled, s.now()).
		Where("series_id IN (?)", s.db.Model(&Series{}).Select("id").
			Where("manager_id = ? OR report_id = ?", employeeID, employeeID)).
		Order("scheduled_at, id").Limit(1).Find(&m).Error
	if err != nil || len(m) == 0 {
		return Upcoming{}, false, err
	}
	u, err := s.upcoming(ctx, m[0], employeeID)
	return u, err == nil, err
}

// Reminder returns what a reminder to participantID needs about a meeting.
// It is for the reminder job only; nothing here reaches anyone but the
// participant. ok is false when the meeting is gone, no longer scheduled,
// has moved away from at, or participantID no longer takes part.
func (s *Service) Reminder(ctx context.Context, meetingID, participantID int64, at time.Time) (Upcoming, bool, error) {
	var m []Meeting
	if err := s.db.WithContext(ctx).Where("id = ?", meetingID).Limit(1).Find(&m).Error; err != nil || len(m) == 0 {
		return Upcoming{}, false, err
	}
	if m[0].Status != StatusScheduled || !m[0].ScheduledAt.Equal(at.UTC()) {
		return Upcoming{}, false, nil
	}
	u, err := s.upcoming(ctx, m[0], participantID)
	if err != nil || !u.Series.has(participantID) {
		return Upcoming{}, false, err
	}
	return u, true, nil
}

func (s *Service) upcoming(ctx context.Context, m Meeting, viewerID int64) (Upcoming, error) {
	var sr Series
	if err := s.db.WithContext(ctx).First(&sr, m.SeriesID).Error; err != nil {
		return Upcoming{}, err
	}
	if err := s.decorate(ctx, []*Series{&sr}); err != nil {
		return Upcoming{}, err
	}
	with := sr.ManagerName
	if viewerID == sr.ManagerID {
		with = sr.ReportName
	}
	return Upcoming{Meeting: m, Series: sr, With: with}, nil
}
