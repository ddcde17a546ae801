package oneonone

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// FollowUp says whether participantID should be asked, after a meeting, to
// write down its notes and action items, and what the message needs. ok is
// false when the meeting was cancelled or moved away from at, when
// participantID no longer takes part, or when something the participant can
// read was already added to it: a shared note, their own private note, or an
// action item made at this meeting. The other participant's private notes
// are never looked at, so whether a person is asked reveals nothing of them.
func (s *Service) FollowUp(ctx context.Context, meetingID, participantID int64, at time.Time) (Upcoming, bool, error) {
	var m []Meeting
	db := s.db.WithContext(ctx)
	if err := db.Where("id = ?", meetingID).Limit(1).Find(&m).Error; err != nil || len(m) == 0 {
		return Upcoming{}, false, err
	}
	if m[0].Status == StatusCancelled || !m[0].ScheduledAt.Equal(at.UTC()) {
		return Upcoming{}, false, nil
	}
	u, err := s.upcoming(ctx, m[0], participantID)
	if err != nil || !u.Series.has(participantID) {
		return Upcoming{}, false, err
	}
	var notes, items int64
	if err := db.Model(&Note{}).Where("meeting_id = ? AND (visibility = ? OR author_id = ?)", meetingID, Shared, participantID).
		Count(&notes).Error; err != nil {
		return Upcoming{}, false, err
	}
	if err := db.Model(&ActionItem{}).Where("origin_meeting_id = ?", meetingID).Count(&items).Error; err != nil {
		return Upcoming{}, false, err
	}
	return u, notes == 0 && items == 0, nil
}

// OwnedItem is an open action item with what a digest line needs.
type OwnedItem struct {
	ActionItem
	// With is the other participant of the item's series.
	With string
}

// maxOwnedItems bounds a digest's list: a longer one is no longer read.
const maxOwnedItems = 20

// OpenItemsOwnedBy returns the open action items ownerID owns across their
// series, soonest due first (undated last), at most 20, and how many there
// are in all. Only the owner is ever shown them: the caller passes the
// person who will read the list.
func (s *Service) OpenItemsOwnedBy(ctx context.Context, ownerID int64) ([]OwnedItem, int64, error) {
	db := s.db.WithContext(ctx)
	q := db.Model(&ActionItem{}).Where("owner_id = ? AND NOT done", ownerID).
		Where("series_id IN (?)", db.Model(&Series{}).Select("id").Where("manager_id = ? OR report_id = ?", ownerID, ownerID))
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil || total == 0 {
		return nil, total, err
	}
	var items []ActionItem
	err := q.Order("CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id").Limit(maxOwnedItems).Find(&items).Error
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, 0, len(items))
	for _, item := range items {
		ids = append(ids, item.SeriesID)
	}
	var series []Series
	if err := db.Where("id IN ?", ids).Find(&series).Error; err != nil {
		return nil, 0, err
	}
	list := make([]*Series, len(series))
	with := make(map[int64]*Series, len(series))
	for i := range series {
		list[i], with[series[i].ID] = &series[i], &series[i]
	}
	if err := s.decorate(ctx, list); err != nil {
		return nil, 0, err
	}
	out := make([]OwnedItem, len(items))
	for i, item := range items {
		sr := with[item.SeriesID]
		name := sr.ManagerName
		if ownerID == sr.ManagerID {
			name = sr.ReportName
		}
		out[i] = OwnedItem{ActionItem: item, With: name}
	}
	return out, total, nil
}
