package oneonone

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
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
			check.Relay(0, invalid)
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

// SeriesPage is one page of MySeries and the cursor of the next ("" on the
// last).
func (s *Service) SeriesPage(ctx context.Context, viewerID int64, p page.Request) ([]Series, string, error) {
	q, err := page.Query(s.db.WithContext(ctx).Where("manager_id = ? OR report_id = ?", viewerID, viewerID), p, page.Order{})
	if err != nil {
		return nil, "", err
	}
	out := []Series{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(sr Series) (any, int64) { return nil, sr.ID })
	ptrs := make([]*Series, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, next, s.decorate(ctx, ptrs)
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

// decorate fills in participant names and the next meeting, in two
// queries however many series there are.
func (s *Service) decorate(ctx context.Context, list []*Series) error {
	if len(list) == 0 {
		return nil
	}
	db := s.db.WithContext(ctx)
	ids, people := make([]int64, 0, len(list)), make([]int64, 0, 2*len(list))
	for _, sr := range list {
		ids = append(ids, sr.ID)
		people = append(people, sr.ManagerID, sr.ReportID)
	}
	var named []directory.Employee
	if err := db.Select("id", "name").Where("id IN ?", people).Find(&named).Error; err != nil {
		return err
	}
	names := make(map[int64]string, len(named))
	for _, p := range named {
		names[p.ID] = p.Name
	}
	next, err := s.nextMeetings(db, ids)
	if err != nil {
		return err
	}
	for _, sr := range list {
		sr.ManagerName, sr.ReportName = names[sr.ManagerID], names[sr.ReportID]
		if m, ok := next[sr.ID]; ok {
			sr.NextMeeting = &m
		}
	}
	return nil
}

// nextMeetings is the earliest scheduled meeting not yet past of each
// series, read in one query: a window ranks each series' coming meetings.
func (s *Service) nextMeetings(db *gorm.DB, seriesIDs []int64) (map[int64]Meeting, error) {
	ranked := db.Model(&Meeting{}).
		Select("*, ROW_NUMBER() OVER (PARTITION BY series_id ORDER BY scheduled_at, id) AS place").
		Where("series_id IN ? AND status = ? AND scheduled_at >= ?", seriesIDs, StatusScheduled, s.now())
	var found []Meeting
	if err := db.Table("(?) AS ranked", ranked).Where("place = 1").Find(&found).Error; err != nil {
		return nil, err
	}
	next := make(map[int64]Meeting, len(found))
	for _, m := range found {
		next[m.SeriesID] = m
	}
	return next, nil
}
