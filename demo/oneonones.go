package demo

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
)

// oneOnOneStep gives the first few managers a weekly 1:1 with each direct
// report: two past meetings with agenda, shared notes and action items, and
// the next one scheduled, carrying one open item over.
var oneOnOneStep = Step{Name: "one-on-ones", Load: loadOneOnOnes}

const demoOneOnOneManagers, demoOneOnOneReports = 3, 3

// DemoSalesTeam is the sales team whose lead keeps 1:1s in the demo.
const DemoSalesTeam = "Sales Americas"

func loadOneOnOnes(ctx context.Context, tx *gorm.DB, now time.Time) error {
	var managers []directory.Employee
	err := tx.Where("role = ? AND id IN (?)", directory.RoleManager,
		tx.Model(&directory.Employee{}).Select("manager_id").Where("manager_id IS NOT NULL")).
		Order("id").Limit(demoOneOnOneManagers).Find(&managers).Error
	if err != nil {
		return err
	}
	// The lead of a sales team too, so one manager (named in the README) has
	// both 1:1s and sales numbers to look at.
	var salesLead directory.Employee
	err = tx.Where("id = (?)", tx.Model(&directory.Team{}).Select("manager_id").Where("name = ?", DemoSalesTeam)).
		Limit(1).Find(&salesLead).Error
	if err != nil {
		return err
	}
	if salesLead.ID != 0 && !slices.ContainsFunc(managers, func(m directory.Employee) bool { return m.ID == salesLead.ID }) {
		managers = append(managers, salesLead)
	}
	for _, m := range managers {
		var reports []directory.Employee
		if err := tx.Where("manager_id = ?", m.ID).Order("id").Limit(demoOneOnOneReports).Find(&reports).Error; err != nil {
			return err
		}
		for _, r := range reports {
			if err := demoSeries(ctx, tx, now, m, r); err != nil {
				return err
			}
		}
	}
	return nil
}

func demoSeries(ctx context.Context, tx *gorm.DB, now time.Time, manager, report directory.Employee) error {
	zone := manager.Timezone
	if zone == "" {
		zone = "UTC"
	}
	weekly := cadence.Cadence{Kind: cadence.KindWeekly, Weekday: "tuesday", Time: "10:00", Timezone: zone}
	clock := now.Add(-15 * 24 * time.Hour)
	svc := oneonone.New(tx, func() time.Time { return clock }, nil)
	sr, err := svc.CreateSeries(ctx, manager.ID, oneonone.SeriesInput{ReportID: report.ID, Cadence: &weekly})
	if err != nil {
		return err
	}
	script := []struct {
		agenda, note, done, open string
	}{
		{"Pipeline review for the quarter", "Agreed to focus on the three largest open deals.", "Update the forecast sheet", "Share the call recording with the team"},
		{"Training budget", "Booked a negotiation course for next month.", "Send the course invoice to HR", ""},
	}
	for _, step := range script {
		clock = clock.Add(time.Minute)
		m, err := svc.CreateMeeting(ctx, sr.ID, manager.ID, oneonone.MeetingInput{Title: "Weekly 1:1"}, nil)
		if err != nil {
			return err
		}
		clock = m.ScheduledAt
		if err := demoMeeting(ctx, svc, sr, m.ID, step.agenda, step.note, step.done, step.open); err != nil {
			return err
		}
		if _, err := svc.CompleteMeeting(ctx, m.ID, manager.ID); err != nil {
			return err
		}
	}
	clock = now
	_, err = svc.CreateMeeting(ctx, sr.ID, manager.ID, oneonone.MeetingInput{Title: "Weekly 1:1"}, nil)
	return err
}

func demoMeeting(ctx context.Context, svc *oneonone.Service, sr oneonone.Series, meetingID int64, agenda, note, done, open string) error {
	item, err := svc.AddAgendaItem(ctx, meetingID, sr.ReportID, oneonone.AgendaInput{Text: agenda})
	if err != nil {
		return err
	}
	if _, err := svc.UpdateAgendaItem(ctx, item.ID, sr.ManagerID, oneonone.AgendaPatch{Done: ptr(true)}); err != nil {
		return err
	}
	if _, err := svc.AddNote(ctx, meetingID, sr.ManagerID, oneonone.NoteInput{Body: note, Visibility: oneonone.Shared}); err != nil {
		return err
	}
	finished, err := svc.AddActionItem(ctx, meetingID, sr.ManagerID, oneonone.ActionItemInput{Text: done, OwnerID: sr.ReportID})
	if err != nil {
		return err
	}
	if _, err := svc.CompleteActionItem(ctx, finished.ID, sr.ReportID); err != nil {
		return err
	}
	if open == "" {
		return nil
	}
	_, err = svc.AddActionItem(ctx, meetingID, sr.ReportID, oneonone.ActionItemInput{Text: open, OwnerID: sr.ManagerID})
	return err
}
