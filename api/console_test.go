package api_test

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/scheduler"
)

func TestPeopleSearchAndWhoSlackDoesNotKnow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		b.person("ana_lim@example.com", directory.RoleEmployee, &b.team.ID, nil)
		_, err := b.dir.BindSlack(t.Context(), b.employee.ID, "U0REP")
		require.NoError(t, err)
		list := func(token, query string) []string {
			var people []directory.Employee
			res := b.do("GET", "/api/v1/employees"+query, token, nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			res.data(t, &people)
			return emails(people)
		}
		require.Equal(t, []string{"rep@example.com"}, list(b.hrToken, "?q=REP"), "case does not matter")
		require.Equal(t, []string{"ana_lim@example.com"}, list(b.hrToken, "?q=a_l"), "_ is a letter, not a wildcard")
		require.Empty(t, list(b.hrToken, "?q=%25"), "% is a letter, not a wildcard")
		require.Equal(t, []string{"dev@example.com"}, list(b.hrToken, "?q=dev"))
		require.Empty(t, list(b.managerToken, "?q=dev"), "a search stays within the manager's scope")

		unmatched := list(b.hrToken, "?slack=unmatched")
		require.NotContains(t, unmatched, "rep@example.com", "bound by the Slack sync")
		require.Contains(t, unmatched, "dev@example.com")
		require.Equal(t, []string{"ana_lim@example.com"}, list(b.hrToken, "?slack=unmatched&q=ana"))

		res := b.do("GET", "/api/v1/employees?slack=maybe", b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "slack", res.err(t).Error.Details[0].Field)
		res = b.do("GET", "/api/v1/employees?q="+strings.Repeat("x", 101), b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "q", res.err(t).Error.Details[0].Field)
	})
}

func TestSessionsAreListedAndRevokedByTheirOwnerOrHR(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		laptop := b.signIn(b.employee.ID)
		phone := b.signIn(b.employee.ID)
		hrSession := b.signIn(b.hr.ID)
		var mine []auth.Session
		b.do("GET", "/api/v1/sessions", phone, nil).data(t, &mine)
		require.Len(t, mine, 2)
		require.True(t, mine[0].Current, "newest first, and it is the one asking")
		require.False(t, mine[1].Current)
		require.NotContains(t, string(b.do("GET", "/api/v1/sessions", phone, nil).Body), "hash")

		// Nobody but HR sees or ends another person's sign-ins.
		for _, token := range []string{b.employeeToken, b.managerToken} {
			res := b.do("GET", fmt.Sprintf("/api/v1/sessions?employee_id=%d", b.hr.ID), token, nil)
			require.Equal(t, 403, res.Status)
			res = b.do("GET", fmt.Sprintf("/api/v1/tokens?employee_id=%d", b.hr.ID), token, nil)
			require.Equal(t, 403, res.Status)
		}
		var hrs []auth.Session
		b.do("GET", "/api/v1/sessions", hrSession, nil).data(t, &hrs)
		require.Len(t, hrs, 1)
		require.Equal(t, 404, b.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", hrs[0].ID), b.employeeToken, nil).Status)
		require.Equal(t, 404, b.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", hrs[0].ID), b.managerToken, nil).Status)
		require.Equal(t, 200, b.do("GET", "/api/v1/me", hrSession, nil).Status)

		// The owner signs out the laptop from the phone.
		res := b.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", mine[1].ID), phone, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 401, b.do("GET", "/api/v1/me", laptop, nil).Status)
		require.Equal(t, 200, b.do("GET", "/api/v1/me", phone, nil).Status)

		// HR ends the phone session and the API token of the employee.
		var theirs []auth.Session
		b.do("GET", fmt.Sprintf("/api/v1/sessions?employee_id=%d", b.employee.ID), b.hrToken, nil).data(t, &theirs)
		require.Len(t, theirs, 1, "a revoked session is no longer listed")
		for _, at := range []time.Time{theirs[0].CreatedAt, theirs[0].IdleUntil, theirs[0].ExpiresAt} {
			require.Equal(t, at.Truncate(24*time.Hour), at, "HR sees another person's sign-in times only to the day")
		}
		require.Equal(t, b.now, mine[0].CreatedAt.UTC(), "one's own are exact")
		require.Equal(t, 200, b.do("DELETE", fmt.Sprintf("/api/v1/sessions/%d", theirs[0].ID), b.hrToken, nil).Status)
		require.Equal(t, 401, b.do("GET", "/api/v1/me", phone, nil).Status)
		var tokens []auth.Token
		b.do("GET", fmt.Sprintf("/api/v1/tokens?employee_id=%d", b.employee.ID), b.hrToken, nil).data(t, &tokens)
		require.Len(t, tokens, 1)
		require.Equal(t, 200, b.do("DELETE", fmt.Sprintf("/api/v1/tokens/%d", tokens[0].ID), b.hrToken, nil).Status)
		require.Equal(t, 401, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status)

		require.Equal(t, 404, b.do("GET", "/api/v1/sessions?employee_id=999999", b.hrToken, nil).Status)
		res = b.do("GET", "/api/v1/sessions?employee_id=x", b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "employee_id", res.err(t).Error.Details[0].Field)
	})
}

// deliveryList is HR's per-recipient view of a round, as raw JSON objects,
// so a field added later is seen by the test below.
func (b *bundle) deliveryList(roundID int64, query string) []map[string]any {
	b.t.Helper()
	res := b.do("GET", fmt.Sprintf("/api/v1/rounds/%d/deliveries%s", roundID, query), b.hrToken, nil)
	require.Equal(b.t, 200, res.Status, string(res.Body))
	var rows []map[string]any
	res.data(b.t, &rows)
	return rows
}

// HR, the attacker here, may read every recipient's delivery before and
// after people answer, and could compare the two lists (or the raw rows) to
// learn who answered. Nothing in them may move when someone answers.
func TestDeliveriesNeverTellWhoAnswered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(weeklyPulse)
		round := b.sendRound(sv.ID)
		// Every survey DM goes out through the real delivery worker.
		worker := scheduler.NewDeliverWorker(db.Gorm, b.surveys, b.sender, func() time.Time { return b.now }, slog.New(slog.DiscardHandler))
		deliver := func(kind delivery.Kind, reminder int) {
			for _, e := range []directory.Employee{b.hr, b.manager, b.employee, b.outsider} {
				job := &river.Job[scheduler.DeliverArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
					Args: scheduler.DeliverArgs{RoundID: round.ID, EmployeeID: e.ID, Message: kind, Reminder: reminder}}
				require.NoError(t, worker.Work(t.Context(), job))
			}
		}
		deliver(delivery.KindSurvey, 0)
		before := b.deliveryList(round.ID, "")
		require.Len(t, before, 4)
		for _, row := range before {
			require.Equal(t, "sent", row["status"])
		}
		rawBefore := dbtest.Dump(t, db)["deliveries"]

		b.now = b.now.Add(time.Hour)
		res := b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), b.employeeToken, answers(sv.Questions[0].ID, 9))
		require.Equal(t, 200, res.Status, string(res.Body))
		res = b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), b.employeeToken, answers(sv.Questions[0].ID, 3))
		require.Equal(t, 200, res.Status, string(res.Body))
		// The reminders go to the three who have not answered, not to rep.
		b.now = b.now.Add(24 * time.Hour)
		sentBefore := len(b.sender.sent)
		deliver(delivery.KindReminder, 1)
		require.Len(t, b.sender.sent, sentBefore+3, "the reminders went out to those who had not answered")

		require.Equal(t, before, b.deliveryList(round.ID, ""), "the list HR sees does not move")
		require.Equal(t, before, b.deliveryList(round.ID, "?status=sent"), "nor does any status filter")
		require.Equal(t, rawBefore, dbtest.Dump(t, db)["deliveries"], "nor do the rows under it")
		for _, row := range before {
			keys := slices.Sorted(func(yield func(string) bool) {
				for k := range row {
					if !yield(k) {
						return
					}
				}
			})
			require.Equal(t, []string{"due_at", "email", "employee_id", "local_due", "name", "reason", "status", "team_id", "timezone"}, keys,
				"nothing about answers, attempts or last change")
		}
	})
}

func TestDeliveriesShowScheduledFailedAndInterrupted(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		_, err := b.dir.UpdateEmployee(t.Context(), b.outsider.ID, directory.EmployeePatch{Timezone: ptr("Asia/Tokyo")})
		require.NoError(t, err)
		sv := b.createSurvey(weeklyPulse)
		round := b.sendRound(sv.ID)
		store := delivery.NewStore(db.Gorm, func() time.Time { return b.now })
		require.NoError(t, store.MarkFailed(t.Context(), round.ID, b.employee.ID, "user_not_found"))
		_, err = store.MarkSending(t.Context(), round.ID, b.manager.ID, "k")
		require.NoError(t, err)
		later := b.now.Add(24 * time.Hour)
		require.NoError(t, db.Gorm.Table("deliveries").Where("round_id = ? AND employee_id = ?", round.ID, b.outsider.ID).
			Update("due_at", later).Error)
		b.now = b.now.Add(2 * time.Minute)

		byEmail := map[string]map[string]any{}
		for _, row := range b.deliveryList(round.ID, "") {
			byEmail[row["email"].(string)] = row
		}
		require.Equal(t, "failed", byEmail["rep@example.com"]["status"])
		require.Equal(t, "user_not_found", byEmail["rep@example.com"]["reason"])
		require.Equal(t, "pending", byEmail["boss@example.com"]["status"])
		require.Equal(t, delivery.ReasonInterrupted, byEmail["boss@example.com"]["reason"])
		require.Equal(t, "scheduled", byEmail["dev@example.com"]["status"], "its local send time has not come")
		require.Equal(t, "2026-11-28T19:00:00+09:00", byEmail["dev@example.com"]["local_due"])
		require.Equal(t, "Asia/Tokyo", byEmail["dev@example.com"]["timezone"])
		require.Equal(t, "Europe/Berlin", byEmail["hr@example.com"]["timezone"], "no zone of their own: the survey's")

		only := b.deliveryList(round.ID, "?status=scheduled")
		require.Len(t, only, 1)
		require.Equal(t, "dev@example.com", only[0]["email"])
		require.Len(t, b.deliveryList(round.ID, "?status=pending"), 2, "the interrupted one and the one due now")
		res := b.do("GET", fmt.Sprintf("/api/v1/rounds/%d/deliveries?status=answered", round.ID), b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "status", res.err(t).Error.Details[0].Field)

		// Paging by name walks every recipient once.
		ids, pages := b.walk(t, fmt.Sprintf("/api/v1/rounds/%d/deliveries", round.ID), b.hrToken, 1)
		require.Len(t, ids, 4)
		require.Equal(t, 4, pages)
	})
}

func ptr[T any](v T) *T { return &v }

func TestImportHistorySaysWhatWasImportedWhen(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("POST", "/api/v1/employees/import", b.hrToken, "email,name,team\nnew@example.com,New Person,Sales\nrep@example.com,Rep Renamed,Sales\n")
		require.Equal(t, 200, res.Status, string(res.Body))
		res = b.do("POST", "/api/v1/employees/import", b.hrToken, "email,name\nbad-address,Someone\n")
		require.Equal(t, 422, res.Status, "refused before anything was recorded")

		var people []batchimport.Record
		b.do("GET", "/api/v1/employees/imports", b.hrToken, nil).data(t, &people)
		require.Len(t, people, 1)
		require.Equal(t, "employees", people[0].Kind)
		require.Equal(t, batchimport.Done, people[0].Status)
		require.Equal(t, 1, people[0].Created)
		require.Equal(t, 1, people[0].Updated)
		require.NotNil(t, people[0].FinishedAt)

		deals := "external_id,owner_email,amount,created_at,closed_at,outcome\n" +
			"D-1,rep@example.com,1000,2026-10-01,2026-10-20,won\n"
		res = b.do("POST", "/api/v1/sales/deals/import", b.hrToken, deals)
		require.Equal(t, 200, res.Status, string(res.Body))
		b.now = b.now.Add(time.Minute)
		res = b.do("POST", "/api/v1/sales/deals/import", b.hrToken, deals)
		require.Equal(t, 200, res.Status, string(res.Body))
		var sales []batchimport.Record
		b.do("GET", "/api/v1/sales/imports", b.hrToken, nil).data(t, &sales)
		require.Len(t, sales, 2)
		require.Equal(t, "deals", sales[0].Kind)
		require.Equal(t, [2]int{0, 1}, [2]int{sales[0].Created, sales[0].Updated}, "newest first: the re-import updated the deal")
		require.Equal(t, [2]int{1, 0}, [2]int{sales[1].Created, sales[1].Updated})
		b.do("GET", "/api/v1/sales/imports?kind=quotas", b.hrToken, nil).data(t, &sales)
		require.Empty(t, sales)
		res = b.do("GET", "/api/v1/sales/imports?kind=orders", b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "kind", res.err(t).Error.Details[0].Field)
	})
}
