package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
)

func member(id, email, tz, locale string) slack.User {
	return slack.User{ID: id, Name: id, RealName: "Member " + id, TZ: tz, Locale: locale, Profile: slack.UserProfile{Email: email}}
}

type syncFixture struct {
	dir   *directory.Directory
	fake  *slackfake.Server
	sync  *notify.DirectorySync
	waits []time.Duration
	team  directory.Team
}

func newSyncFixture(t *testing.T, db *database.DB) *syncFixture {
	t.Helper()
	clock := func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	f := &syncFixture{dir: directory.New(db.Gorm, clock), fake: slackfake.New(t)}
	f.sync = &notify.DirectorySync{Slack: f.fake.Client(), Directory: f.dir,
		Wait: func(_ context.Context, d time.Duration) error { f.waits = append(f.waits, d); return nil }}
	var err error
	f.team, err = f.dir.CreateTeam(t.Context(), directory.TeamInput{Name: "Everyone"})
	require.NoError(t, err)
	for _, e := range []directory.EmployeeInput{
		{Email: "ann@example.com", Name: "Ann"},
		{Email: "siti@example.com", Name: "Siti"},
		{Email: "gone@example.com", Name: "Gone"},
		{Email: "old@example.com", Name: "Old", SlackUserID: "U0OLD"},
		{Email: "frank@example.com", Name: "Frank", Timezone: "Europe/Paris"},
	} {
		_, err := f.dir.CreateEmployee(t.Context(), e)
		require.NoError(t, err)
	}
	deleted := func(u slack.User) slack.User { u.Deleted = true; return u }
	bot := member("U0BOT", "bot@example.com", "", "")
	bot.IsBot = true
	guest := member("U0GUEST", "guest@partner.example", "", "")
	guest.IsRestricted = true
	f.fake.SetUsers(
		member("USLACKBOT", "", "America/Los_Angeles", "en-US"),
		member("U0ANN", "ANN@Example.com", "Europe/Berlin", "en-US"),
		member("U0SITI", "siti@example.com", "Asia/Kuala_Lumpur", "ms-MY"),
		deleted(member("U0GONE", "gone@example.com", "", "")),
		deleted(member("U0OLD", "", "", "")), // Slack keeps no email for some deleted members
		bot,
		member("U0NEW", "new@example.com", "Asia/Kuala_Lumpur", "ms-MY"),
		guest,
		member("U0FRANK", "frank@example.com", "Not/AZone", "fr-FR"),
	)
	f.fake.SetUsersPageSize(2)
	return f
}

func (f *syncFixture) employee(t *testing.T, email string) directory.Employee {
	t.Helper()
	e, err := f.dir.EmployeeByEmail(t.Context(), email)
	require.NoError(t, err)
	return e
}

func TestDirectorySync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newSyncFixture(t, db)
		f.fake.FailNext("users.list", slackfake.RateLimited(7*time.Second))

		report, err := f.sync.Run(t.Context(), notify.SyncOptions{})
		require.NoError(t, err)
		require.Equal(t, 7, report.SlackMembers, "Slackbot and the bot are not members")
		require.Equal(t, 3, report.Updated)
		require.Equal(t, 2, report.Deactivated)
		require.Equal(t, []string{"new@example.com", "guest@partner.example"}, report.Unmatched)
		require.Empty(t, report.Problems)

		ann := f.employee(t, "ann@example.com")
		require.Equal(t, []string{"U0ANN", "Europe/Berlin", "en"}, []string{ann.SlackUserID, ann.Timezone, ann.Locale})
		siti := f.employee(t, "siti@example.com")
		require.Equal(t, []string{"U0SITI", "Asia/Kuala_Lumpur", "ms"}, []string{siti.SlackUserID, siti.Timezone, siti.Locale})
		frank := f.employee(t, "frank@example.com")
		require.Equal(t, []string{"U0FRANK", "Europe/Paris", "en"}, []string{frank.SlackUserID, frank.Timezone, frank.Locale},
			"an unknown zone and an unspoken language leave what was there")
		require.False(t, f.employee(t, "gone@example.com").Active)
		require.False(t, f.employee(t, "old@example.com").Active, "matched by Slack id when the email is gone")

		// Nine users in pages of two: five pages, a pause between each, and
		// the rate limit's own wait before the first page is retried.
		require.Len(t, f.fake.CallsTo("users.list"), 6)
		require.Equal(t, []time.Duration{7 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}, f.waits)

		again, err := f.sync.Run(t.Context(), notify.SyncOptions{})
		require.NoError(t, err)
		require.Zero(t, again.Updated+again.Deactivated, "a second run changes nothing")
		require.Equal(t, 3, again.Unchanged)
	})
}

func TestDirectorySyncCanCreateMissingEmployees(t *testing.T) {
	f := newSyncFixture(t, dbtest.SQLite(t))
	report, err := f.sync.Run(t.Context(), notify.SyncOptions{CreateMissing: true, DefaultTeam: &f.team.ID})
	require.NoError(t, err)
	require.Equal(t, 1, report.Created, "guests are not added")
	require.Equal(t, []string{"guest@partner.example"}, report.Unmatched)
	created := f.employee(t, "new@example.com")
	require.Equal(t, "Member U0NEW", created.Name)
	require.Equal(t, "U0NEW", created.SlackUserID)
	require.Equal(t, "ms", created.Locale)
	require.Equal(t, &f.team.ID, created.TeamID)
	require.Equal(t, directory.RoleEmployee, created.Role)
	_, err = f.dir.EmployeeByEmail(t.Context(), "bot@example.com")
	require.Error(t, err, "bots are never employees")
}

func TestDirectorySyncReportsConflictsAndGoesOn(t *testing.T) {
	f := newSyncFixture(t, dbtest.SQLite(t))
	// Ann's Slack id is already on someone else's record.
	_, err := f.dir.CreateEmployee(t.Context(), directory.EmployeeInput{Email: "impostor@example.com", Name: "Impostor", SlackUserID: "U0ANN"})
	require.NoError(t, err)
	report, err := f.sync.Run(t.Context(), notify.SyncOptions{})
	require.NoError(t, err)
	require.Len(t, report.Problems, 1)
	require.Contains(t, report.Problems[0], "U0ANN")
	require.Equal(t, "U0SITI", f.employee(t, "siti@example.com").SlackUserID, "the others were still synced")
}

// The sync binds by the email Slack reports, never takes an id from another
// active person, takes one left on a deactivated person, and a change of
// binding ends the person's credentials and is audited as the sync's.
func TestDirectorySyncBindsByEmailOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		f := newSyncFixture(t, db)
		ctx := t.Context()
		_, err := f.sync.Run(ctx, notify.SyncOptions{})
		require.NoError(t, err)
		ann, siti := f.employee(t, "ann@example.com"), f.employee(t, "siti@example.com")
		clock := func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
		token, _, err := auth.NewTokens(db.Gorm, clock).Create(ctx, siti.ID, "laptop")
		require.NoError(t, err)

		// Slack now reports Ann's id with Siti's email: Ann is active, so
		// Siti does not get it.
		f.fake.SetUsers(member("U0ANN", "siti@example.com", "", ""))
		report, err := f.sync.Run(ctx, notify.SyncOptions{})
		require.NoError(t, err)
		require.Len(t, report.Problems, 1)
		require.Contains(t, report.Problems[0], "bound to another active employee")
		require.Equal(t, "U0SITI", f.employee(t, "siti@example.com").SlackUserID)
		_, err = auth.NewTokens(db.Gorm, clock).Authenticate(ctx, token)
		require.NoError(t, err, "a refused binding changes nothing")

		// Once Ann is deactivated, her id may move to whom Slack says.
		inactive := false
		_, err = f.dir.UpdateEmployee(ctx, ann.ID, directory.EmployeePatch{Active: &inactive})
		require.NoError(t, err)
		report, err = f.sync.Run(ctx, notify.SyncOptions{})
		require.NoError(t, err)
		require.Empty(t, report.Problems)
		require.Equal(t, "U0ANN", f.employee(t, "siti@example.com").SlackUserID)
		require.Empty(t, f.employee(t, "ann@example.com").SlackUserID)
		_, err = auth.NewTokens(db.Gorm, clock).Authenticate(ctx, token)
		require.ErrorIs(t, err, fault.ErrUnauthenticated, "a new binding ends the person's tokens")

		entries, _, err := f.dir.AuditLog(ctx, directory.AuditPage{})
		require.NoError(t, err)
		require.Equal(t, directory.ActionSlackBound, entries[0].Action)
		require.Equal(t, siti.ID, entries[0].EmployeeID)
		require.Equal(t, "U0SITI -> U0ANN", entries[0].Detail)
		require.Equal(t, directory.ActionSlackUnbound, entries[1].Action)
		require.Equal(t, ann.ID, entries[1].EmployeeID)
		for _, e := range entries {
			require.Equal(t, directory.ActorSlackSync, e.Actor)
		}
	})
}
