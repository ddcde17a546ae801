package oneonone

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// SeriesInput starts a series: the manager (the caller) names one of their
// direct reports, and optionally a cadence that suggests meeting times.
type SeriesInput struct {
	ReportID int64            `json:"report_id"`
	Cadence  *cadence.Cadence `json:"cadence"`
}

// SeriesDetail is a series with its meetings, oldest first.
type SeriesDetail struct {
	Series
	Meetings []Meeting `json:"meetings"`
}

// CreateSeries starts a series between managerID and a direct report. Each
// pair has at most one series.
func (s *Service) CreateSeries(ctx context.Context, managerID int64, in SeriesInput) (Series, error) {
	var check fault.Checker
	check.Check(in.ReportID > 0, "report_id", "is required")
	if in.Cadence != nil {
		if err := in.Cadence.Validate(); err != nil {
			var invalid *fault.Invalid
			if !errors.As(err, &invalid) {
				return Series{}, err
			}
			for _, p := range invalid.Problems {
				check.Add(p.Field, p.Reason)
			}
		}
	}
	if err := check.Err(); err != nil {
		return Series{}, err
	}
	sr := Series{ManagerID: managerID, ReportID: in.ReportID, Cadence: in.Cadence}
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		report, err := directory.New(tx, s.now).Employee(ctx, in.ReportID)
		if errors.Is(err, fault.ErrNotFound) || err == nil && (report.ManagerID == nil || *report.ManagerID != managerID) {
			return fault.Invalidf("report_id", "is not one of your direct reports")
		}
		if err != nil {
			return err
		}
		if !report.Active {
			return fault.Invalidf("report_id", "is deactivated")
		}
		var existing int64
		if err := tx.Model(&Series{}).Where("manager_id = ? AND report_id = ?", managerID, in.ReportID).Count(&existing).Error; err != nil {
			return err
		}
		if existing > 0 {
			return fault.Conflictf("you already have a one-on-one series with this person")
		}
		sr.CreatedAt, sr.UpdatedAt = s.now(), s.now()
		return tx.Create(&sr).Error
	})
	if err != nil {
		return Series{}, err
	}
	return sr, s.decorate(ctx, []*Series{&sr})
}

// MySeries lists the series the viewer takes part in, as manager or as
// report. Nobody else's series are ever listed, HR's included.
func (s *Service) MySeries(ctx context.Context, viewerID int64) ([]Series, error) {
	var out []Series
	err := s.db.WithContext(ctx).Where("manager_id = ? OR report_id = ?", viewerID, viewerID).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, err
	}
	ptrs := make([]*Series, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.decorate(ctx, ptrs)
}

// Series returns a series the viewer takes part in, with its meetings.
func (s *Service) Series(ctx context.Context, seriesID, viewerID int64) (SeriesDetail, error) {
	db := s.db.WithContext(ctx)
	sr, err := seriesFor(db, seriesID, viewerID)
	if err != nil {
		return SeriesDetail{}, err
	}
	d := SeriesDetail{Series: sr, Meetings: []Meeting{}}
	if err := db.Where("series_id = ?", sr.ID).Order("scheduled_at, id").Find(&d.Meetings).Error; err != nil {
		return d, err
	}
	return d, s.decorate(ctx, []*Series{&d.Series})
}

// decorate fills in participant names and the next meeting.
func (s *Service) decorate(ctx context.Context, list []*Series) error {
	db := s.db.WithContext(ctx)
	for _, sr := range list {
		var people []directory.Employee
		if err := db.Where("id IN ?", []int64{sr.ManagerID, sr.ReportID}).Find(&people).Error; err != nil {
			return err
		}
		for _, p := range people {
			if p.ID == sr.ManagerID {
				sr.ManagerName = p.Name
			}
			if p.ID == sr.ReportID {
				sr.ReportName = p.Name
			}
		}
		var next []Meeting
		err := db.Where("series_id = ? AND status = ? AND scheduled_at >= ?", sr.ID, StatusScheduled, s.now()).
			Order("scheduled_at, id").Limit(1).Find(&next).Error
		if err != nil {
			return err
		}
		if len(next) == 1 {
			sr.NextMeeting = &next[0]
		}
	}
	return nil
}
