package survey

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// anonymitySettings is the single row holding the organisation's thresholds.
type anonymitySettings struct {
	ID                    int `gorm:"primaryKey"`
	MinRespondents        int
	MinCommentRespondents int
	UpdatedAt             time.Time
}

func (anonymitySettings) TableName() string { return "anonymity_settings" }

// Thresholds returns the organisation's anonymity thresholds, the defaults
// until HR sets them.
func (s *Service) Thresholds(ctx context.Context) (Thresholds, error) {
	var row anonymitySettings
	if err := s.db.WithContext(ctx).Where("id = 1").Limit(1).Find(&row).Error; err != nil {
		return Thresholds{}, err
	}
	if row.ID == 0 {
		return DefaultThresholds(), nil
	}
	return Thresholds{MinRespondents: row.MinRespondents, MinCommenters: row.MinCommentRespondents}, nil
}

// SetThresholds changes the anonymity thresholds (each 3..20).
func (s *Service) SetThresholds(ctx context.Context, t Thresholds) (Thresholds, error) {
	if err := t.Validate(); err != nil {
		return Thresholds{}, err
	}
	row := anonymitySettings{ID: 1, MinRespondents: t.MinRespondents, MinCommentRespondents: t.MinCommenters, UpdatedAt: s.now()}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
	return t, err
}
