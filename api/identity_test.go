package api_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
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
)

// slackCommands is Pulse's Slack app wired to the bundle's directory and
// surveys, as cmd/pulse wires it, answering signed `/pulse` requests.
func (b *bundle) slackCommands() http.Handler {
	clock := func() time.Time { return b.now }
	app := notify.NewApp(notify.AppConfig{Slack: slack.New("xoxb-unused", slack.OptionAPIURL("http://127.0.0.1:9/api/")),
		Surveys: b.surveys, People: b.dir, SignIns: auth.NewSignIns(b.db.Gorm, clock), SigningSecret: testSigningSecret,
		BaseURL: "https://pulse.example.com", Now: clock, Logger: slog.New(slog.NewTextHandler(testLog{b.t}, nil))})
	for _, e := range app.Endpoints() {
		if e.Path == "/slack/commands" {
			return e.Handler
		}
	}
	b.t.Fatal("no /slack/commands endpoint")
	return nil
}

// pulseCommand types `/pulse text` in Slack as user and returns the reply.
func (b *bundle) pulseCommand(h http.Handler, user, text string) string {
	b.t.Helper()
	body := []byte(url.Values{"command": {"/pulse"}, "text": {text}, "user_id": {user}, "team_id": {"T0PULSE"},
		"channel_id": {"D0" + user}, "trigger_id": {"trigger"}}.Encode())
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(b.now.Unix(), 10))
	req.Header.Set(notify.HeaderSignature, notify.SignRequest(testSigningSecret, b.now.Unix(), body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(b.t, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.String()
}

var signInCode = regexp.MustCompile(`/signin\?code=([a-z0-9]+)`)

// signInAs follows the link `/pulse dashboard` sent and says whose
// dashboard it opens.
func (b *bundle) signInAs(reply string) int64 {
	b.t.Helper()
	var r struct{ Text string }
	require.NoError(b.t, json.Unmarshal([]byte(reply), &r))
	m := signInCode.FindStringSubmatch(r.Text)
	require.NotNil(b.t, m, reply)
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/signin?code="+m[1], nil))
	require.Equal(b.t, http.StatusSeeOther, rec.Code)
	session := strings.TrimPrefix(rec.Header().Get("Location"), "/#token=")
	var me directory.Employee
	b.do("GET", "/api/v1/me", session, nil).data(b.t, &me)
	return me.ID
}

func requireField(t *testing.T, res response, line int, field string) {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, string(res.Body))
	d := res.err(t).Error.Details
	require.Len(t, d, 1, string(res.Body))
	require.Equal(t, field, d[0].Field)
	require.Equal(t, line, d[0].Line)
}

// The attack: HR moves its own Slack id away and points the victim's
// record at it; then `/pulse` in HR's Slack shows the victim's answer and
// `/pulse dashboard` signs HR in as the victim. Every way in is refused.
func TestHRCannotTakeOverSomeonesSlackIdentity(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		ctx := t.Context()
		_, err := b.dir.BindSlack(ctx, b.hr.ID, "U0HR")
		require.NoError(t, err)
		_, err = b.dir.BindSlack(ctx, b.employee.ID, "U0VICTIM")
		require.NoError(t, err)
		sv := b.createSurvey(weeklyPulse)
		round := b.sendRound(sv.ID)
		res := b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID), b.employeeToken, answers(sv.Questions[0].ID, 2))
		require.Equal(t, 200, res.Status, string(res.Body))
		slackApp := b.slackCommands()
		hrSees := b.pulseCommand(slackApp, "U0HR", "")
		require.NotEqual(t, hrSees, b.pulseCommand(slackApp, "U0VICTIM", ""), "the victim's list shows their answer")

		requireField(t, b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.hr.ID), b.hrToken,
			map[string]any{"slack_user_id": "U0PARKED"}), 0, "slack_user_id")
		requireField(t, b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.employee.ID), b.hrToken,
			map[string]any{"slack_user_id": "U0HR"}), 0, "slack_user_id")
		requireField(t, b.do("POST", "/api/v1/employees", b.hrToken,
			map[string]any{"email": "twin@example.com", "name": "Twin", "slack_user_id": "U0VICTIM"}), 0, "slack_user_id")
		requireField(t, b.do("POST", "/api/v1/employees/import", b.hrToken,
			"email,name,slack_user_id\nrep@example.com,Rep,U0HR\nhr@example.com,HR,U0PARKED\n"), 1, "slack_user_id")

		for id, slackID := range map[int64]string{b.hr.ID: "U0HR", b.employee.ID: "U0VICTIM"} {
			var e directory.Employee
			b.do("GET", fmt.Sprintf("/api/v1/employees/%d", id), b.hrToken, nil).data(t, &e)
			require.Equal(t, slackID, e.SlackUserID)
		}
		require.Equal(t, hrSees, b.pulseCommand(slackApp, "U0HR", ""), "HR's Slack still shows HR's own round")
		require.Equal(t, b.hr.ID, b.signInAs(b.pulseCommand(slackApp, "U0HR", "dashboard")))
		require.Equal(t, b.employee.ID, b.signInAs(b.pulseCommand(slackApp, "U0VICTIM", "dashboard")))
	})
}

// Changing someone's email is how HR could still redirect who they are;
// it ends every credential the person held and is written down.
func TestEmailChangeEndsCredentialsAndIsAudited(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		clock := func() time.Time { return b.now }
		session, err := auth.NewSessions(db.Gorm, clock).Start(t.Context(), b.employee.ID)
		require.NoError(t, err)
		signIns := auth.NewSignIns(db.Gorm, clock)
		code, _, err := signIns.Issue(t.Context(), b.employee.ID)
		require.NoError(t, err)

		res := b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.employee.ID), b.hrToken, map[string]any{"email": "rep.new@example.com"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 401, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status, "API token ended")
		require.Equal(t, 401, b.do("GET", "/api/v1/me", session, nil).Status, "dashboard session ended")
		_, _, err = signIns.Redeem(t.Context(), code)
		require.ErrorIs(t, err, fault.ErrUnauthenticated, "open sign-in code ended")
		require.Equal(t, 200, b.do("GET", "/api/v1/me", b.managerToken, nil).Status, "nobody else's")

		// A name change is no identity change: nothing ends, nothing is logged.
		res = b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.manager.ID), b.hrToken, map[string]any{"name": "The Boss"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 200, b.do("GET", "/api/v1/me", b.managerToken, nil).Status)

		var page struct {
			Data       []directory.AuditEntry
			NextCursor *string `json:"next_cursor"`
		}
		res = b.do("GET", "/api/v1/audit", b.hrToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.NoError(t, json.Unmarshal(res.Body, &page))
		require.Len(t, page.Data, 1)
		entry := page.Data[0]
		require.Equal(t, directory.ActorEmployee(b.hr.ID), entry.Actor)
		require.Equal(t, directory.ActionEmailChanged, entry.Action)
		require.Equal(t, b.employee.ID, entry.EmployeeID)
		require.Equal(t, "rep@example.com -> rep.new@example.com", entry.Detail)
		require.True(t, entry.At.Equal(b.now))
		require.Nil(t, page.NextCursor)
		require.Equal(t, 403, b.do("GET", "/api/v1/audit", b.managerToken, nil).Status)
	})
}

func TestAuditLogPages(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	for i := range 3 {
		res := b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.outsider.ID), b.hrToken,
			map[string]any{"email": fmt.Sprintf("dev%d@example.com", i)})
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	var seen []string
	path := "/api/v1/audit?limit=2"
	for range 3 {
		var page struct {
			Data       []directory.AuditEntry
			NextCursor *string `json:"next_cursor"`
		}
		require.NoError(t, json.Unmarshal(b.do("GET", path, b.hrToken, nil).Body, &page))
		for _, e := range page.Data {
			seen = append(seen, e.Detail)
		}
		if page.NextCursor == nil {
			break
		}
		path = "/api/v1/audit?limit=2&cursor=" + *page.NextCursor
	}
	require.Equal(t, []string{"dev1@example.com -> dev2@example.com", "dev0@example.com -> dev1@example.com",
		"dev@example.com -> dev0@example.com"}, seen, "newest first, each once")
	requireField(t, b.do("GET", "/api/v1/audit?limit=0", b.hrToken, nil), 0, "limit")
	requireField(t, b.do("GET", "/api/v1/audit?cursor=abc", b.hrToken, nil), 0, "cursor")
}

// Whoever can run SQL as the application cannot rewrite or erase the log.
func TestAuditLogCannotBeEdited(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		res := b.do("PATCH", fmt.Sprintf("/api/v1/employees/%d", b.employee.ID), b.hrToken, map[string]any{"email": "x@example.com"})
		require.Equal(t, 200, res.Status, string(res.Body))
		attacks := []string{
			"UPDATE audit_log SET actor = 'nobody'",
			"UPDATE audit_log SET detail = ''",
			"DELETE FROM audit_log",
		}
		if db.Dialect == database.Postgres {
			attacks = append(attacks, "TRUNCATE audit_log")
		}
		for _, sql := range attacks {
			require.ErrorContains(t, db.Gorm.Exec(sql).Error, "append-only", sql)
		}
		var entries []directory.AuditEntry
		require.NoError(t, db.Gorm.Find(&entries).Error)
		require.Len(t, entries, 1)
		require.Equal(t, directory.ActorEmployee(b.hr.ID), entries[0].Actor)
	})
}

// A first Slack binding keeps the person's credentials (they were issued to
// this person before Slack knew them); a change of binding ends them.
func TestSlackRebindingEndsCredentialsFirstBindingDoesNot(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		_, err := b.dir.BindSlack(t.Context(), b.employee.ID, "U0FIRST")
		require.NoError(t, err)
		require.Equal(t, 200, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status, "first binding keeps the token")
		_, err = b.dir.BindSlack(t.Context(), b.employee.ID, "U0SECOND")
		require.NoError(t, err)
		require.Equal(t, 401, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status, "rebinding ends the token")
		require.Equal(t, 200, b.do("GET", "/api/v1/me", b.managerToken, nil).Status, "nobody else's")

		var page struct{ Data []directory.AuditEntry }
		res := b.do("GET", "/api/v1/audit", b.hrToken, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.NoError(t, json.Unmarshal(res.Body, &page))
		require.Len(t, page.Data, 2)
		require.Equal(t, "U0FIRST -> U0SECOND", page.Data[0].Detail)
		require.Equal(t, "(none) -> U0FIRST", page.Data[1].Detail)
	})
}
