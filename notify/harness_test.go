package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/cadence"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/survey"
)

const signingSecret = "test-signing-secret"

// harness is a Slack app over a fresh database, talking to a fake Slack:
// a team "Sales" led by a manager, five reps, an HR admin, and one open
// round of a four-question survey sent to all of them.
type harness struct {
	t       testing.TB
	db      *database.DB
	now     time.Time
	dir     *directory.Directory
	surveys *survey.Service
	signIns *auth.SignIns
	fake    *slackfake.Server
	app     *notify.App
	sender  *notify.Sender
	team    directory.Team
	manager directory.Employee
	reps    []directory.Employee // reps[0] speaks Malay, in Kuala Lumpur
	hr      directory.Employee
	survey  survey.Survey
	round   survey.Round
	taps    int
}

func newHarness(t testing.TB, db *database.DB) *harness {
	t.Helper()
	ctx := t.Context()
	h := &harness{t: t, db: db, now: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return h.now }
	h.dir = directory.New(db.Gorm, clock)
	h.surveys = survey.NewService(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"))
	h.signIns = auth.NewSignIns(db.Gorm, clock)
	h.fake = slackfake.New(t)
	h.app = notify.NewApp(notify.AppConfig{
		Slack: h.fake.Client(), Surveys: h.surveys, People: testPeople{h.dir}, SignIns: h.signIns,
		SigningSecret: signingSecret, BaseURL: "https://pulse.example.com", Now: clock,
		Logger: slog.New(slog.NewTextHandler(testLog{t}, nil)),
	})
	t.Cleanup(h.app.Wait)
	h.sender = notify.NewSender(h.fake.Client(), h.surveys)

	var err error
	h.team, err = h.dir.CreateTeam(ctx, directory.TeamInput{Name: "Sales"})
	require.NoError(t, err)
	h.manager = h.person("boss@example.com", "U0BOSS", directory.RoleManager, "en", "")
	_, err = h.dir.UpdateTeam(ctx, h.team.ID, directory.TeamPatch{ManagerID: &h.manager.ID})
	require.NoError(t, err)
	h.reps = append(h.reps, h.person("aminah@example.com", "U0REP0", directory.RoleEmployee, "ms", "Asia/Kuala_Lumpur"))
	for i := 1; i < 5; i++ {
		h.reps = append(h.reps, h.person(fmt.Sprintf("rep%d@example.com", i), fmt.Sprintf("U0REP%d", i), directory.RoleEmployee, "en", ""))
	}
	hrTeam, err := h.dir.CreateTeam(ctx, directory.TeamInput{Name: "People"})
	require.NoError(t, err)
	h.hr, err = h.dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "hr@example.com", Name: "HR",
		Role: directory.RoleHRAdmin, TeamID: &hrTeam.ID, SlackUserID: "U0HR"})
	require.NoError(t, err)

	title := "Weekly pulse"
	h.survey, err = h.surveys.CreateSurvey(ctx, survey.SurveyInput{
		Title:   &title,
		Cadence: &cadence.Cadence{Kind: "weekly", Weekday: "monday", Time: "09:00", Timezone: "Europe/Berlin"},
		Questions: []survey.QuestionInput{
			{Kind: survey.KindENPS, Prompt: "How likely are you to recommend Acme as a place to work?"},
			{Kind: survey.KindScale, Prompt: "I have what I need to do my job well."},
			{Kind: survey.KindChoice, Prompt: "What slows you down most?", Options: []string{"Meetings", "Tools"}},
			{Kind: survey.KindText, Prompt: "Anything else?"},
		},
	})
	require.NoError(t, err)
	h.round, _, err = h.surveys.SendNow(ctx, h.survey.ID, nil)
	require.NoError(t, err)
	return h
}

func (h *harness) person(email, slackID string, role directory.Role, locale, zone string) directory.Employee {
	e, err := h.dir.CreateEmployee(h.t.Context(), directory.EmployeeInput{Email: email, Name: strings.Split(email, "@")[0],
		Role: role, TeamID: &h.team.ID, SlackUserID: slackID, Locale: locale, Timezone: zone})
	require.NoError(h.t, err)
	return e
}

func (h *harness) question(kind string) survey.Question {
	for _, q := range h.survey.Questions {
		if q.Kind == kind {
			return q
		}
	}
	h.t.Fatalf("no %s question", kind)
	return survey.Question{}
}

// send delivers the survey DM to e through the Sender, as the scheduler would.
func (h *harness) send(e directory.Employee) (delivery.Ref, slackfake.Call) {
	h.t.Helper()
	round, err := h.surveys.AssignedRound(h.t.Context(), h.round.ID, e.ID)
	require.NoError(h.t, err)
	ref, err := h.sender.Send(h.t.Context(), delivery.Message{Kind: delivery.KindSurvey, Recipient: e, Round: round})
	require.NoError(h.t, err)
	posted := h.fake.CallsTo("chat.postMessage")
	return ref, posted[len(posted)-1]
}

// post sends body to one of the app's endpoints, signed like Slack signs.
func (h *harness) post(path, contentType string, body []byte) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set(notify.HeaderTimestamp, strconv.FormatInt(h.now.Unix(), 10))
	req.Header.Set(notify.HeaderSignature, notify.SignRequest(signingSecret, h.now.Unix(), body))
	rec := httptest.NewRecorder()
	h.endpoint(path).ServeHTTP(rec, req)
	h.app.Wait()
	return rec
}

func (h *harness) endpoint(path string) http.Handler {
	for _, e := range h.app.Endpoints() {
		if e.Path == path {
			return e.Handler
		}
	}
	h.t.Fatalf("no endpoint %s", path)
	return nil
}

// interact posts an interaction payload as Slack does: form-encoded, in the
// payload field.
func (h *harness) interact(payload map[string]any) *httptest.ResponseRecorder {
	h.t.Helper()
	raw, err := json.Marshal(payload)
	require.NoError(h.t, err)
	return h.post("/slack/interactions", "application/x-www-form-urlencoded", []byte("payload="+url.QueryEscape(string(raw))))
}

// button finds the button with actionID in a message or view's blocks.
func button(t testing.TB, blocks slack.Blocks, actionID string) (blockID string, b *slack.ButtonBlockElement) {
	t.Helper()
	for _, block := range blocks.BlockSet {
		actions, ok := block.(*slack.ActionBlock)
		if !ok {
			continue
		}
		for _, el := range actions.Elements.ElementSet {
			if btn, ok := el.(*slack.ButtonBlockElement); ok && btn.ActionID == actionID {
				return actions.BlockID, btn
			}
		}
	}
	t.Fatalf("no button %s", actionID)
	return "", nil
}

// tap presses the button of the eNPS value in a posted DM, building the
// block_actions payload from the message's own button, as Slack would. It
// returns the response_url name the app was given.
func (h *harness) tap(dm slackfake.Call, user string, ref delivery.Ref, value int) string {
	h.t.Helper()
	blocks, err := dm.SlackBlocks()
	require.NoError(h.t, err)
	blockID, btn := button(h.t, blocks, "pulse_enps_"+strconv.Itoa(value))
	return h.press(user, blockID, btn, map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS})
}

func (h *harness) press(user, blockID string, btn *slack.ButtonBlockElement, container map[string]any) string {
	h.t.Helper()
	h.taps++
	responseURL := ""
	name := fmt.Sprintf("tap-%d", h.taps)
	if container["type"] == "message" {
		responseURL = h.fake.ResponseURL(name)
	}
	h.interact(map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": "trigger-" + name,
		"response_url": responseURL, "container": container,
		"actions": []map[string]any{{"type": "button", "block_id": blockID, "action_id": btn.ActionID,
			"value": btn.Value, "action_ts": "1764493200.000100"}},
	})
	return name
}

// responses are the posts the app made to one response_url.
func (h *harness) responses(name string) []slackfake.Call {
	var out []slackfake.Call
	for _, c := range h.fake.CallsTo(slackfake.ResponseURLMethod) {
		if c.Get("url") == name {
			out = append(out, c)
		}
	}
	return out
}

func (h *harness) myENPS(e directory.Employee) any {
	h.t.Helper()
	answers, err := h.surveys.MyAnswers(h.t.Context(), h.round.ID, e.ID)
	require.NoError(h.t, err)
	for _, a := range answers {
		if a.QuestionID == h.question(survey.KindENPS).ID {
			return a.Value
		}
	}
	return nil
}

// orgENPS closes the round (results exist only for closed rounds) and
// reads its org-wide point.
func (h *harness) orgENPS() survey.Point {
	h.t.Helper()
	_, err := h.surveys.CloseRound(h.t.Context(), h.round.ID, nil)
	require.NoError(h.t, err)
	res, err := h.surveys.Results(h.t.Context(), h.survey.ID, survey.ResultsQuery{GroupBy: survey.ByRound}, directory.EveryoneScope())
	require.NoError(h.t, err)
	require.Len(h.t, res.Points, 1)
	return res.Points[0]
}

// testPeople adds the lookup by Slack user id that the directory does not
// offer yet; a scan is plenty for a handful of test people.
type testPeople struct{ *directory.Directory }

func (p testPeople) EmployeeBySlackUserID(ctx context.Context, slackUserID string) (directory.Employee, error) {
	people, err := p.Employees(ctx, directory.EmployeeFilter{Scope: directory.EveryoneScope()})
	if err != nil {
		return directory.Employee{}, err
	}
	for _, e := range people {
		if e.SlackUserID == slackUserID {
			return e, nil
		}
	}
	return directory.Employee{}, fault.NotFound("employee")
}

// testLog sends the app's log to the test's output, shown when it fails.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func textsOf(t *testing.T, blocks slack.Blocks) string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	require.NoError(t, err)
	return string(raw)
}

// openModal presses "Answer the whole survey" in e's DM and returns the
// view Slack was asked to open, as JSON fields.
func (h *harness) openModal(e directory.Employee) map[string]any {
	h.t.Helper()
	ref, dm := h.send(e)
	blocks, err := dm.SlackBlocks()
	require.NoError(h.t, err)
	blockID, open := button(h.t, blocks, notify.ActionOpenSurvey)
	h.press(e.SlackUserID, blockID, open, map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS})
	opened := h.fake.CallsTo("views.open")
	require.NotEmpty(h.t, opened)
	var view map[string]any
	require.NoError(h.t, json.Unmarshal(opened[len(opened)-1].View, &view))
	return view
}

// submit posts the view_submission Slack would send for view with the
// given input state (block id -> the "answer" element's state).
func (h *harness) submit(e directory.Employee, view map[string]any, state map[string]any) *httptest.ResponseRecorder {
	h.t.Helper()
	values := map[string]any{}
	for block, element := range state {
		values[block] = map[string]any{"answer": element}
	}
	submitted := map[string]any{}
	for k, v := range view {
		submitted[k] = v
	}
	submitted["id"], submitted["state"] = "V0MODAL", map[string]any{"values": values}
	return h.interact(map[string]any{"type": "view_submission", "user": map[string]any{"id": e.SlackUserID},
		"trigger_id": "trigger-submit", "view": submitted})
}

func pick(value string) map[string]any {
	return map[string]any{"type": "static_select", "selected_option": map[string]any{"value": value}}
}

func inputOf(t *testing.T, view slack.View, blockID string) *slack.InputBlock {
	t.Helper()
	for _, b := range view.Blocks.BlockSet {
		if input, ok := b.(*slack.InputBlock); ok && input.BlockID == blockID {
			return input
		}
	}
	t.Fatalf("no input block %s", blockID)
	return nil
}

func httptestRequest(path string, body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func jsonUnmarshal(raw []byte, v any) error { return json.Unmarshal(raw, v) }

func httptestGet(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }

func authSessions(h *harness) *auth.Sessions {
	return auth.NewSessions(h.db.Gorm, func() time.Time { return h.now })
}
