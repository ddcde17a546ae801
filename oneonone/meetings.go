package oneonone

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

const maxTitle = 200

// MeetingInput schedules a meeting. Without scheduled_at, the series'
// cadence picks its next time.
type MeetingInput struct {
	ScheduledAt *time.Time `json:"scheduled_at"`
	Title       string     `json:"title"`
}

// MeetingPatch changes a meeting; nil fields stay. Status may be set to
// cancelled, or back to scheduled; completing is CompleteMeeting.
type MeetingPatch struct {
	ScheduledAt *time.Time `json:"scheduled_at"`
	Title       *string    `json:"title"`
	Status      *string    `json:"status"`
}

// MeetingDetail is a meeting with everything the viewer may read of it.
type MeetingDetail struct {
	Meeting
	Agenda      []AgendaItem `json:"agenda"`
	Notes       []Note       `json:"notes"`
	ActionItems []ActionItem `json:"action_items"`
	// OpenFromEarlier are open items still on earlier meetings that have not
	// been completed yet: shown here so nothing open is forgotten.
	OpenFromEarlier []ActionItem `json:"open_from_earlier"`
}

// CreateMeeting schedules a meeting of a series either participant keeps.
// hook (may be nil) runs in the same transaction.
func (s *Service) CreateMeeting(ctx context.Context, seriesID, viewerID int64, in MeetingInput, hook MeetingHook) (Meeting, error) {
	var m Meeting
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		sr, err := seriesFor(tx, seriesID, viewerID)
		if err != nil {
			return err
		}
		at, err := s.meetingTime(tx, sr, in.ScheduledAt)
		var (
			check fault.Checker
			why   reason
		)
		if errors.As(err, &why) {
			check.Add("scheduled_at", why.Error())
		} else if err != nil {
			return err
		}
		title := strings.TrimSpace(in.Title)
		if title == "" {
			title = "1:1"
		}
		check.Check(utf8.RuneCountInString(title) <= maxTitle, "title", "must be at most 200 characters")
		if err := check.Err(); err != nil {
			return err
		}
		var clash int64
		if err := tx.Model(&Meeting{}).Where("series_id = ? AND scheduled_at = ? AND status <> ?", sr.ID, at, StatusCancelled).
			Count(&clash).Error; err != nil {
			return err
		}
		if clash > 0 {
			return fault.Conflictf("a meeting of this 1:1 is already scheduled at %s", at.Format(time.RFC3339))
		}
		m = Meeting{SeriesID: sr.ID, ScheduledAt: at, Title: title, Status: StatusScheduled,
			CreatedAt: s.now(), UpdatedAt: s.now()}
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		if _, err := s.carryOver(tx, sr.ID); err != nil {
			return err
		}
		return runHook(ctx, tx, hook, sr, m)
	})
	return m, err
}

type reason string

func (r reason) Error() string { return string(r) }

// meetingTime is the given time, or the cadence's next one after both now
// and the latest meeting already scheduled, so asking twice books the next
// two slots rather than the same one twice.
func (s *Service) meetingTime(tx *gorm.DB, sr Series, at *time.Time) (time.Time, error) {
	if at != nil {
		if at.IsZero() {
			return time.Time{}, reason("is required")
		}
		return at.UTC().Truncate(time.Second), nil
	}
	if sr.Cadence == nil {
		return time.Time{}, reason("is required when the series has no cadence")
	}
	after := s.now()
	var latest Meeting
	if err := tx.Where("series_id = ? AND status = ?", sr.ID, StatusScheduled).Order("scheduled_at DESC").
		Limit(1).Find(&latest).Error; err != nil {
		return time.Time{}, err
	}
	if latest.ID != 0 && latest.ScheduledAt.After(after) {
		after = latest.ScheduledAt
	}
	next, ok := sr.Cadence.Next(after)
	if !ok {
		return time.Time{}, reason("is required: the series' cadence has no further date")
	}
	return next.UTC(), nil
}

func runHook(ctx context.Context, tx *gorm.DB, hook MeetingHook, sr Series, m Meeting) error {
	if hook == nil || m.Status != StatusScheduled {
		return nil
	}
	return hook(ctx, tx, sr, m)
}

// MeetingPage is one page of a series' meetings, oldest first, and the
// cursor of the next ("" on the last).
func (s *Service) MeetingPage(ctx context.Context, seriesID, viewerID int64, p page.Request) ([]Meeting, string, error) {
	db := s.db.WithContext(ctx)
	sr, err := seriesFor(db, seriesID, viewerID)
	if err != nil {
		return nil, "", err
	}
	q, err := page.Query(db.Where("series_id = ?", sr.ID), p, page.Order{Column: "scheduled_at", Time: true})
	if err != nil {
		return nil, "", err
	}
	out := []Meeting{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(m Meeting) (any, int64) { return m.ScheduledAt, m.ID })
	return out, next, nil
}

// UpdateMeeting moves, renames, cancels or reinstates a meeting. A move or
// reinstatement runs hook again (reminders for the old time are skipped by
// their worker).
func (s *Service) UpdateMeeting(ctx context.Context, meetingID, viewerID int64, p MeetingPatch, hook MeetingHook) (Meeting, error) {
	var m Meeting
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		cur, sr, err := meetingFor(tx, meetingID, viewerID)
		if err != nil {
			return err
		}
		m = cur
		if err := s.applyMeetingPatch(&m, p); err != nil {
			return err
		}
		m.UpdatedAt = s.now()
		if err := tx.Save(&m).Error; err != nil {
			return err
		}
		if m.Status == StatusCancelled {
			if _, err := s.carryOver(tx, sr.ID); err != nil {
				return err
			}
		}
		if m.Status == StatusScheduled && (!m.ScheduledAt.Equal(cur.ScheduledAt) || cur.Status != StatusScheduled) {
			return runHook(ctx, tx, hook, sr, m)
		}
		return nil
	})
	return m, err
}

func (s *Service) applyMeetingPatch(m *Meeting, p MeetingPatch) error {
	var check fault.Checker
	if m.Status == StatusCompleted {
		return fault.Conflictf("this meeting is completed and can no longer be changed")
	}
	if p.ScheduledAt != nil {
		check.Check(!p.ScheduledAt.IsZero(), "scheduled_at", "must be a date-time")
		m.ScheduledAt = p.ScheduledAt.UTC().Truncate(time.Second)
	}
	if p.Title != nil {
		m.Title = strings.TrimSpace(*p.Title)
		check.Check(m.Title != "", "title", "must not be empty")
		check.Check(utf8.RuneCountInString(m.Title) <= maxTitle, "title", "must be at most 200 characters")
	}
	if p.Status != nil {
		ok := *p.Status == StatusScheduled || *p.Status == StatusCancelled
		check.Check(ok, "status", "must be scheduled or cancelled (complete a meeting with its complete action)")
		m.Status = *p.Status
	}
	return check.Err()
}

// Meeting returns a meeting with its agenda, the viewer's readable notes
// (shared ones and their own private ones) and its action items.
func (s *Service) Meeting(ctx context.Context, meetingID, viewerID int64) (MeetingDetail, error) {
	db := s.db.WithContext(ctx)
	m, sr, err := meetingFor(db, meetingID, viewerID)
	if err != nil {
		return MeetingDetail{}, err
	}
	d := MeetingDetail{Meeting: m, Agenda: []AgendaItem{}, Notes: []Note{}, ActionItems: []ActionItem{}, OpenFromEarlier: []ActionItem{}}
	if err := db.Where("meeting_id = ?", m.ID).Order("id").Find(&d.Agenda).Error; err != nil {
		return d, err
	}
	err = db.Where("meeting_id = ? AND (visibility = ? OR author_id = ?)", m.ID, Shared, viewerID).Order("id").Find(&d.Notes).Error
	if err != nil {
		return d, err
	}
	for i := range d.Notes {
		s.open(&d.Notes[i])
	}
	if err := db.Where("meeting_id = ?", m.ID).Order("id").Find(&d.ActionItems).Error; err != nil {
		return d, err
	}
	err = db.Where("series_id = ? AND NOT done AND meeting_id IN (?)", sr.ID,
		db.Model(&Meeting{}).Select("id").Where("series_id = ? AND scheduled_at < ? AND id <> ?", sr.ID, m.ScheduledAt, m.ID)).
		Order("id").Find(&d.OpenFromEarlier).Error
	markCarried(d.ActionItems)
	markCarried(d.OpenFromEarlier)
	return d, err
}

func markCarried(items []ActionItem) {
	for i := range items {
		items[i].CarriedOver = items[i].OriginMeetingID != items[i].MeetingID
	}
}

// CompleteMeeting marks a meeting held and carries its open action items
// over to the next scheduled meeting. Completing twice changes nothing.
func (s *Service) CompleteMeeting(ctx context.Context, meetingID, viewerID int64) (Meeting, error) {
	var m Meeting
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var (
			sr  Series
			err error
		)
		if m, sr, err = meetingFor(tx, meetingID, viewerID); err != nil {
			return err
		}
		if m.Status == StatusCancelled {
			return fault.Conflictf("this meeting was cancelled")
		}
		if m.Status != StatusCompleted {
			m.Status, m.UpdatedAt = StatusCompleted, s.now()
			if err := tx.Save(&m).Error; err != nil {
				return err
			}
		}
		_, err = s.carryOver(tx, sr.ID)
		return err
	})
	return m, err
}

// CarryOver moves every open action item of the series' completed or
// cancelled meetings to the next scheduled meeting after them, and says
// how many moved. It is idempotent: items already moved stay where they are.
func (s *Service) CarryOver(ctx context.Context, seriesID, viewerID int64) (int64, error) {
	var moved int64
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		sr, err := seriesFor(tx, seriesID, viewerID)
		if err != nil {
			return err
		}
		moved, err = s.carryOver(tx, sr.ID)
		return err
	})
	return moved, err
}

func (s *Service) carryOver(tx *gorm.DB, seriesID int64) (int64, error) {
	var over []Meeting
	err := tx.Where("series_id = ? AND status IN ?", seriesID, []string{StatusCompleted, StatusCancelled}).
		Where("id IN (?)", tx.Model(&ActionItem{}).Select("meeting_id").Where("series_id = ? AND NOT done", seriesID)).
		Find(&over).Error
	if err != nil {
		return 0, err
	}
	var moved int64
	for _, m := range over {
		var next []Meeting
		err := tx.Where("series_id = ? AND status = ? AND scheduled_at > ?", seriesID, StatusScheduled, m.ScheduledAt).
			Order("scheduled_at, id").Limit(1).Find(&next).Error
		if err != nil || len(next) == 0 {
			if err != nil {
				return moved, err
			}
			continue
		}
		res := tx.Model(&ActionItem{}).Where("meeting_id = ? AND NOT done", m.ID).
			Updates(map[string]any{"meeting_id": next[0].ID, "updated_at": s.now()})
		if res.Error != nil {
			return moved, res.Error
		}
		moved += res.RowsAffected
	}
	return moved, nil
}
