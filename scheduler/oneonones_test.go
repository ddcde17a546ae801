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

func TestAOneOnOneReminderGoesAnHourBeforeUnlessMovedOrCancelled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		logger := slog.New(slog.DiscardHandler)
		manager, report := b.people["berlin@example.com"], b.people["tokyo@example.com"]
		_, err := directory.New(db.Gorm, b.clock.Now).UpdateEmployee(ctx, report.ID, directory.EmployeePatch{ManagerID: &manager.ID})
		require.NoError(t, err)

		meetings := oneonone.New(db.Gorm, b.clock.Now, nil)
		worker := scheduler.NewOneOnOneWorker(db.Gorm, meetings, b.sender, b.clock.Now, logger)
		client, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, b.clock.Now, logger), logger,
			scheduler.With(worker), scheduler.With(scheduler.NewFollowUpWorker(db.Gorm, meetings, b.sender, b.clock.Now, logger)))
		require.NoError(t, err)
		queue := scheduler.NewOneOnOneQueuer(client, b.clock.Now).Queue

		sr, err := meetings.CreateSeries(ctx, manager.ID, oneonone.SeriesInput{ReportID: report.ID})
		require.NoError(t, err)
		at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		m, err := meetings.CreateMeeting(ctx, sr.ID, report.ID, oneonone.MeetingInput{ScheduledAt: &at}, queue)
		require.NoError(t, err)
		// Queuing again (a retry, another replica) adds nothing.
		require.NoError(t, db.Gorm.Transaction(func(tx *gorm.DB) error { return queue(ctx, tx, sr, m) }))

		var jobs []struct{ ScheduledAt time.Time }
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_one_on_one").Select("scheduled_at").Scan(&jobs).Error)
		require.Len(t, jobs, 2, "one per participant")
		require.True(t, jobs[0].ScheduledAt.Equal(at.Add(-time.Hour)), "%s", jobs[0].ScheduledAt)

		work := func(args scheduler.OneOnOneArgs) []delivery.Message {
			b.sender.sent = nil
			require.NoError(t, worker.Work(ctx, &river.Job[scheduler.OneOnOneArgs]{
				JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10}, Args: args}))
			return b.sender.sent
		}
		b.clock.Set(at.Add(-time.Hour))
		sent := work(scheduler.OneOnOneArgs{MeetingID: m.ID, ParticipantID: report.ID, At: at})
		require.Len(t, sent, 1)
		require.Equal(t, delivery.KindOneOnOne, sent[0].Kind)
		require.Equal(t, report.ID, sent[0].Recipient.ID)
		require.Equal(t, manager.Name, sent[0].OneOnOne.With)
		require.Equal(t, sr.ID, sent[0].OneOnOne.SeriesID)

		// Moved: the old reminder is skipped and new ones are queued.
		later := at.Add(2 * time.Hour)
		_, err = meetings.UpdateMeeting(ctx, m.ID, manager.ID, oneonone.MeetingPatch{ScheduledAt: &later}, queue)
		require.NoError(t, err)
		require.Empty(t, work(scheduler.OneOnOneArgs{MeetingID: m.ID, ParticipantID: manager.ID, At: at}))
		var count int64
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_one_on_one").Count(&count).Error)
		require.EqualValues(t, 4, count)

		// Cancelled: nothing goes out.
		cancelled := oneonone.StatusCancelled
		_, err = meetings.UpdateMeeting(ctx, m.ID, manager.ID, oneonone.MeetingPatch{Status: &cancelled}, queue)
		require.NoError(t, err)
		require.Empty(t, work(scheduler.OneOnOneArgs{MeetingID: m.ID, ParticipantID: manager.ID, At: later}))
	})
}
