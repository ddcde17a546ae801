package oneonone

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// ActionItemInput makes an action item at a meeting. OwnerID is one of the
// two participants; DueOn is an optional date, YYYY-MM-DD.
type ActionItemInput struct {
	Text    string `json:"text"`
	OwnerID int64  `json:"owner_id"`
	DueOn   string `json:"due_on"`
}

// ActionItemPatch changes an item; nil fields stay, a due_on of "" clears it.
type ActionItemPatch struct {
	Text    *string `json:"text"`
	OwnerID *int64  `json:"owner_id"`
	DueOn   *string `json:"due_on"`
	Done    *bool   `json:"done"`
}

func checkItem(check *fault.Checker, sr Series, text string, ownerID int64, dueOn string) {
	checkText(check, "text", text, maxItemText)
	check.Check(sr.has(ownerID), "owner_id", "must be one of the two participants")
	if dueOn != "" {
		_, err := time.Parse(time.DateOnly, dueOn)
		check.Check(err == nil, "due_on", "must be a date such as 2026-12-01")
	}
}

func dueOn(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// AddActionItem makes an action item at a meeting.
func (s *Service) AddActionItem(ctx context.Context, meetingID, viewerID int64, in ActionItemInput) (ActionItem, error) {
	var item ActionItem
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		m, sr, err := meetingFor(tx, meetingID, viewerID)
		if err != nil {
			return err
		}
		var check fault.Checker
		checkItem(&check, sr, in.Text, in.OwnerID, in.DueOn)
		if err := check.Err(); err != nil {
			return err
		}
		item = ActionItem{SeriesID: sr.ID, MeetingID: m.ID, OriginMeetingID: m.ID, OwnerID: in.OwnerID,
			Text: strings.TrimSpace(in.Text), DueOn: dueOn(in.DueOn), CreatedAt: s.now(), UpdatedAt: s.now()}
		return tx.Create(&item).Error
	})
	return item, err
}

// ActionItemPage is one page of a series' action items, oldest first
// (openOnly leaves out the done ones), and the cursor of the next ("" on
// the last).
func (s *Service) ActionItemPage(ctx context.Context, seriesID, viewerID int64, openOnly bool, p page.Request) ([]ActionItem, string, error) {
	db := s.db.WithContext(ctx)
	sr, err := seriesFor(db, seriesID, viewerID)
	if err != nil {
		return nil, "", err
	}
	q := db.Where("series_id = ?", sr.ID)
	if openOnly {
		q = q.Where("NOT done")
	}
	if q, err = page.Query(q, p, page.Order{}); err != nil {
		return nil, "", err
	}
	out := []ActionItem{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	markCarried(out)
	out, next := page.Cut(out, p, func(item ActionItem) (any, int64) { return nil, item.ID })
	return out, next, nil
}

func itemFor(tx *gorm.DB, itemID, viewerID int64) (ActionItem, Series, error) {
	var item ActionItem
	if err := tx.First(&item, itemID).Error; err != nil {
		return item, Series{}, notFound(err)
	}
	sr, err := seriesFor(tx, item.SeriesID, viewerID)
	if err != nil {
		return ActionItem{}, Series{}, err
	}
	return item, sr, nil
}

// UpdateActionItem changes an item, or marks it done or open again.
func (s *Service) UpdateActionItem(ctx context.Context, itemID, viewerID int64, p ActionItemPatch) (ActionItem, error) {
	var item ActionItem
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		cur, sr, err := itemFor(tx, itemID, viewerID)
		if err != nil {
			return err
		}
		item = cur
		if p.Text != nil {
			item.Text = strings.TrimSpace(*p.Text)
		}
		if p.OwnerID != nil {
			item.OwnerID = *p.OwnerID
		}
		due := ""
		if p.DueOn != nil {
			due, item.DueOn = *p.DueOn, dueOn(*p.DueOn)
		}
		var check fault.Checker
		checkItem(&check, sr, item.Text, item.OwnerID, due)
		if err := check.Err(); err != nil {
			return err
		}
		if p.Done != nil && *p.Done != item.Done {
			s.setDone(&item, *p.Done)
		}
		item.UpdatedAt = s.now()
		return tx.Save(&item).Error
	})
	item.CarriedOver = item.OriginMeetingID != item.MeetingID
	return item, err
}

func (s *Service) setDone(item *ActionItem, done bool) {
	item.Done, item.DoneAt = done, nil
	if done {
		now := s.now()
		item.DoneAt = &now
	}
}

// CompleteActionItem marks an item done; doing so twice keeps the first time.
func (s *Service) CompleteActionItem(ctx context.Context, itemID, viewerID int64) (ActionItem, error) {
	done := true
	return s.UpdateActionItem(ctx, itemID, viewerID, ActionItemPatch{Done: &done})
}

// DeleteActionItem removes an item.
func (s *Service) DeleteActionItem(ctx context.Context, itemID, viewerID int64) (ActionItem, error) {
	var item ActionItem
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var err error
		if item, _, err = itemFor(tx, itemID, viewerID); err != nil {
			return err
		}
		return tx.Delete(&ActionItem{}, item.ID).Error
	})
	return item, err
}
