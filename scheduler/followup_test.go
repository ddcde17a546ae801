package scheduler_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/scheduler"
)

type oneOnOneBundle struct {
	*bundle
	manager, report directory.Employee
	meetings        *oneonone.Service
	series          oneonone.Series
}

func oneOnOneSetup(t *testing.T, db *database.DB) oneOnOneBundle {
	b := setup(t, db)
	manager, report := b.people["berlin@example.com"], b.people["tokyo@example.com"]
	_, err := directory.New(db.Gorm, b.clock.Now).UpdateEmployee(t.Context(), report.ID, directory.EmployeePatch{ManagerID: &manager.ID})
	require.NoError(t, err)
	meetings := oneonone.New(db.Gorm, b.clock.Now, []byte("follow-up-test-notes-key-0123456789"))
	sr, err := meetings.CreateSeries(t.Context(), manager.ID, oneonone.SeriesInput{ReportID: report.ID})
	require.NoError(t, err)
	return oneOnOneBundle{bundle: b, manager: manager, report: report, meetings: meetings, series: sr}
}

func TestAFollowUpAsksForNotesOnceAndOnlyWhoCannotReadAny(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := oneOnOneSetup(t, db)
		ctx := t.Context()
		worker := scheduler.NewFollowUpWorker(db.Gorm, b.meetings, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))
		client, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.DiscardHandler)),
			slog.New(slog.DiscardHandler), scheduler.With(worker),
			scheduler.With(scheduler.NewOneOnOneWorker(db.Gorm, b.meetings, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))))
		require.NoError(t, err)
		queue := scheduler.NewOneOnOneQueuer(client, b.clock.Now).WithFollowUpAfter(90 * time.Minute).Queue

		at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		m, err := b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &at}, queue)
		require.NoError(t, err)
		require.NoError(t, db.Gorm.Transaction(func(tx *gorm.DB) error { return queue(ctx, tx, b.series, m) }))
		var jobs []struct{ ScheduledAt time.Time }
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_one_on_one_follow_up").
			Select("scheduled_at").Scan(&jobs).Error)
		require.Len(t, jobs, 2, "one per participant, however often queued")
		require.True(t, jobs[0].ScheduledAt.Equal(at.Add(90*time.Minute)), "%s", jobs[0].ScheduledAt)

		work := func(who directory.Employee, when time.Time) []delivery.Message {
			b.sender.sent = nil
			require.NoError(t, worker.Work(ctx, &river.Job[scheduler.FollowUpArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
				Args: scheduler.FollowUpArgs{MeetingID: m.ID, ParticipantID: who.ID, At: when}}))
			return b.sender.sent
		}
		b.clock.Set(at.Add(90 * time.Minute))

		// The manager's private note: the manager need not be asked, and
		// the report, who cannot read it, is asked all the same, so the
		// follow-up does not tell them a private note exists.
		_, err = b.meetings.AddNote(ctx, m.ID, b.manager.ID, oneonone.NoteInput{Body: "Worried about burnout", Visibility: oneonone.Private})
		require.NoError(t, err)
		require.Empty(t, work(b.manager, at))
		sent := work(b.report, at)
		require.Len(t, sent, 1)
		require.Equal(t, delivery.KindOneOnOneFollowUp, sent[0].Kind)
		require.Equal(t, b.report.ID, sent[0].Recipient.ID)
		require.Equal(t, b.manager.Name, sent[0].OneOnOne.With)
		require.Equal(t, b.series.ID, sent[0].OneOnOne.SeriesID)

		// A shared note is read by both: nobody is asked any more.
		_, err = b.meetings.AddNote(ctx, m.ID, b.report.ID, oneonone.NoteInput{Body: "Agreed on a plan", Visibility: oneonone.Shared})
		require.NoError(t, err)
		require.Empty(t, work(b.report, at))

		// A moved meeting's old follow-up finds nothing to do.
		later := at.Add(24 * time.Hour)
		m2, err := b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &later}, queue)
		require.NoError(t, err)
		m = m2
		require.Len(t, work(b.manager, later), 1, "nothing written at the second meeting yet")
		_, err = b.meetings.AddActionItem(ctx, m.ID, b.manager.ID, oneonone.ActionItemInput{Text: "Book the training", OwnerID: b.report.ID})
		require.NoError(t, err)
		require.Empty(t, work(b.manager, later), "an action item counts for both")
		require.Empty(t, work(b.report, later))
		require.Empty(t, work(b.report, later.Add(time.Hour)), "moved away from this time")

		cancelled := oneonone.StatusCancelled
		third := later.Add(24 * time.Hour)
		m, err = b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &third}, queue)
		require.NoError(t, err)
		_, err = b.meetings.UpdateMeeting(ctx, m.ID, b.manager.ID, oneonone.MeetingPatch{Status: &cancelled}, queue)
		require.NoError(t, err)
		require.Empty(t, work(b.report, third), "a cancelled meeting asks nobody")
	})
}

func TestNoFollowUpWhenSwitchedOffOrTooLate(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := oneOnOneSetup(t, db)
		ctx := t.Context()
		client, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.DiscardHandler)),
			slog.New(slog.DiscardHandler),
			scheduler.With(scheduler.NewOneOnOneWorker(db.Gorm, b.meetings, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))),
			scheduler.With(scheduler.NewFollowUpWorker(db.Gorm, b.meetings, b.sender, b.clock.Now, slog.New(slog.DiscardHandler))))
		require.NoError(t, err)
		off := scheduler.NewOneOnOneQueuer(client, b.clock.Now).WithFollowUpAfter(0).Queue
		soon := b.clock.Now().Add(3 * time.Hour)
		_, err = b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &soon}, off)
		require.NoError(t, err)
		// Recorded afterwards, long past: its follow-up time is gone too.
		past := b.clock.Now().Add(-5 * time.Hour)
		_, err = b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &past},
			scheduler.NewOneOnOneQueuer(client, b.clock.Now).Queue)
		require.NoError(t, err)
		var count int64
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_one_on_one_follow_up").Count(&count).Error)
		require.Zero(t, count)
	})
}

func TestTheDigestListsOnlyTheReadersOwnOpenOneOnOneItems(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := oneOnOneSetup(t, db)
		ctx := t.Context()
		yes, role := true, directory.RoleManager
		dir := directory.New(db.Gorm, b.clock.Now)
		_, err := dir.UpdateEmployee(ctx, b.manager.ID, directory.EmployeePatch{Role: &role})
		require.NoError(t, err)
		_, err = dir.SetPreferences(ctx, b.manager.ID, directory.Preferences{WeeklyDigest: &yes})
		require.NoError(t, err)
		at := b.clock.Now().Add(time.Hour)
		m, err := b.meetings.CreateMeeting(ctx, b.series.ID, b.manager.ID, oneonone.MeetingInput{ScheduledAt: &at}, nil)
		require.NoError(t, err)
		add := func(text string, owner int64, due string) oneonone.ActionItem {
			item, err := b.meetings.AddActionItem(ctx, m.ID, b.manager.ID, oneonone.ActionItemInput{Text: text, OwnerID: owner, DueOn: due})
			require.NoError(t, err)
			return item
		}
		add("Undated", b.manager.ID, "")
		add("Due first", b.manager.ID, "2026-12-01")
		add("The report's own", b.report.ID, "2026-11-30")
		done := add("Done already", b.manager.ID, "2026-11-29")
		_, err = b.meetings.CompleteActionItem(ctx, done.ID, b.manager.ID)
		require.NoError(t, err)

		worker := scheduler.NewDigestWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, slog.New(slog.DiscardHandler)).WithOneOnOnes(b.meetings)
		b.sender.sent = nil
		require.NoError(t, worker.Work(ctx, &river.Job[scheduler.DigestArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
			Args: scheduler.DigestArgs{ManagerID: b.manager.ID, Week: "2026-W48"}}))
		require.Len(t, b.sender.sent, 1, "open items alone make a digest worth sending")
		msg := b.sender.sent[0]
		require.Equal(t, []delivery.OpenItem{
			{Text: "Due first", With: b.report.Name, DueOn: "2026-12-01"},
			{Text: "Undated", With: b.report.Name},
		}, msg.OpenItems)
		require.EqualValues(t, 2, msg.OpenItemsTotal)

		// The report leads no team: their digest is their own item alone.
		_, err = dir.SetPreferences(ctx, b.report.ID, directory.Preferences{WeeklyDigest: &yes})
		require.NoError(t, err)
		b.sender.sent = nil
		require.NoError(t, worker.Work(ctx, &river.Job[scheduler.DigestArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
			Args: scheduler.DigestArgs{ManagerID: b.report.ID, Week: "2026-W48"}}))
		require.Len(t, b.sender.sent, 1)
		require.Empty(t, b.sender.sent[0].Digest)
		require.Equal(t, []delivery.OpenItem{{Text: "The report's own", With: b.manager.Name, DueOn: "2026-11-30"}}, b.sender.sent[0].OpenItems)
	})
}
