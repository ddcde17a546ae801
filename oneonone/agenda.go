package oneonone

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
)

const maxItemText = 500

// AgendaInput adds a topic to a meeting's agenda.
type AgendaInput struct {
	Text string `json:"text"`
}

// AgendaPatch changes a topic: its text (author only) or whether it was
// covered (either participant).
type AgendaPatch struct {
	Text *string `json:"text"`
	Done *bool   `json:"done"`
}

func checkText(check *fault.Checker, field, text string, limit int) {
	check.Check(strings.TrimSpace(text) != "", field, "must not be empty")
	check.Check(utf8.RuneCountInString(text) <= limit, field, "is too long")
}

// AddAgendaItem puts a topic on a meeting's agenda.
func (s *Service) AddAgendaItem(ctx context.Context, meetingID, viewerID int64, in AgendaInput) (AgendaItem, error) {
	var check fault.Checker
	checkText(&check, "text", in.Text, maxItemText)
	if err := check.Err(); err != nil {
		return AgendaItem{}, err
	}
	item := AgendaItem{MeetingID: meetingID, AuthorID: viewerID, Text: strings.TrimSpace(in.Text),
		CreatedAt: s.now(), UpdatedAt: s.now()}
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		if _, _, err := meetingFor(tx, meetingID, viewerID); err != nil {
			return err
		}
		return tx.Create(&item).Error
	})
	return item, err
}

// UpdateAgendaItem edits or ticks off a topic.
func (s *Service) UpdateAgendaItem(ctx context.Context, itemID, viewerID int64, p AgendaPatch) (AgendaItem, error) {
	var item AgendaItem
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		if err := tx.First(&item, itemID).Error; err != nil {
			return notFound(err)
		}
		if _, _, err := meetingFor(tx, item.MeetingID, viewerID); err != nil {
			return err
		}
		var check fault.Checker
		if p.Text != nil {
			if item.AuthorID != viewerID {
				return fault.Forbidden("only the person who added a topic may reword it")
			}
			checkText(&check, "text", *p.Text, maxItemText)
			item.Text = strings.TrimSpace(*p.Text)
		}
		if err := check.Err(); err != nil {
			return err
		}
		if p.Done != nil {
			item.Done = *p.Done
		}
		item.UpdatedAt = s.now()
		return tx.Save(&item).Error
	})
	return item, err
}
