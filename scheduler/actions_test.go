package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/notify/slackfake"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// planWorld is two teams of six who answered a closed round, and a plan
// of team A's manager on it, not yet published.
type planWorld struct {
	*bundle
	actions      *action.Service
	bossA        directory.Employee
	teamA, teamB []directory.Employee
	plan         action.Plan
}

func newPlanWorld(t *testing.T, db *database.DB) *planWorld {
	b := setup(t, db)
	ctx := t.Context()
	w := &planWorld{bundle: b, actions: action.New(db.Gorm, b.clock.Now, []byte("scheduler-test-secret-0123456789"), b.surveys)}
	dir := directory.New(db.Gorm, b.clock.Now)
	person := func(name string, team *int64, role directory.Role) directory.Employee {
		e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: name + "@example.com", Name: name, TeamID: team,
			Role: role, SlackUserID: "U0" + strings.ToUpper(name)})
		require.NoError(t, err)
		return e
	}
	w.bossA = person("bossa", nil, directory.RoleManager)
	a, err := dir.CreateTeam(ctx, directory.TeamInput{Name: "A", ManagerID: &w.bossA.ID})
	require.NoError(t, err)
	bTeam, err := dir.CreateTeam(ctx, directory.TeamInput{Name: "B"})
	require.NoError(t, err)
	for i := range 6 {
		w.teamA = append(w.teamA, person(fmt.Sprintf("a%d", i), &a.ID, directory.RoleEmployee))
		w.teamB = append(w.teamB, person(fmt.Sprintf("b%d", i), &bTeam.ID, directory.RoleEmployee))
	}
	sv := b.weeklySurvey(t)
	round, _, err := b.surveys.SendNow(ctx, sv.ID, nil)
	require.NoError(t, err)
	for i, e := range append(append([]directory.Employee{}, w.teamA...), w.teamB...) {
		_, err := b.surveys.Answer(ctx, round.ID, e.ID, []survey.AnswerInput{{QuestionID: sv.Questions[0].ID, Value: 3 + i%8}})
		require.NoError(t, err)
	}
	b.clock.Set(b.clock.Now().Add(6 * 24 * time.Hour))
	_, err = b.surveys.CloseDue(ctx, nil)
	require.NoError(t, err)
	scope, err := dir.ScopeOf(ctx, w.bossA)
	require.NoError(t, err)
	w.plan, err = w.actions.Create(ctx, action.Actor{Employee: w.bossA, Scope: scope}, action.PlanInput{
		SurveyID: sv.ID, RoundID: round.ID, TeamID: &a.ID, Title: "Fewer meetings", Heard: "Too many meetings",
		WillDo: "No-meeting Wednesdays", OwnerID: w.bossA.ID, DueOn: b.clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)})
	require.NoError(t, err)
	return w
}

func (w *planWorld) actor(t *testing.T) action.Actor {
	scope, err := directory.New(w.db.Gorm, w.clock.Now).ScopeOf(t.Context(), w.bossA)
	require.NoError(t, err)
	return action.Actor{Employee: w.bossA, Scope: scope}
}

func noticeJob(planID, employeeID int64) *river.Job[scheduler.ActionNoticeArgs] {
	return &river.Job[scheduler.ActionNoticeArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
		Args: scheduler.ActionNoticeArgs{PlanID: planID, EmployeeID: employeeID}}
}

func TestPublishingAnActionTellsItsGroupOnceAndNobodyElse(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newPlanWorld(t, db)
		ctx := t.Context()
		logger := slog.New(slog.DiscardHandler)
		worker := scheduler.NewActionNoticeWorker(db.Gorm, w.actions, w.sender, w.clock.Now, logger)
		client, err := scheduler.NewRiver(db, scheduler.NewDeliverWorker(db.Gorm, w.surveys, w.sender, w.clock.Now, logger), logger,
			scheduler.With(worker))
		require.NoError(t, err)
		queue := scheduler.NewActionQueuer(client).Queue

		_, audience, err := w.actions.Publish(ctx, w.plan.ID, w.actor(t), queue)
		require.NoError(t, err)
		_, _, err = w.actions.Publish(ctx, w.plan.ID, w.actor(t), queue)
		require.NoError(t, err, "publishing again changes nothing")
		var args []string
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_action_notice").Order("id").Pluck("args", &args).Error)
		require.Len(t, args, len(audience))
		for _, e := range w.teamB {
			for _, a := range args {
				require.NotContains(t, a, fmt.Sprintf(`"employee_id":%d}`, e.ID), "team B is outside the audience")
			}
		}

		for _, e := range append(append([]directory.Employee{}, w.teamA...), w.teamB...) {
			require.NoError(t, worker.Work(ctx, noticeJob(w.plan.ID, e.ID)))
		}
		require.Len(t, w.sender.sent, len(w.teamA), "a forged job for someone outside the group sends nothing")
		for i, m := range w.sender.sent {
			require.Equal(t, delivery.KindAction, m.Kind)
			require.Equal(t, w.teamA[i].ID, m.Recipient.ID)
			require.Equal(t, "Too many meetings", m.Action.Heard)
			require.Equal(t, "No-meeting Wednesdays", m.Action.WillDo)
			require.Equal(t, "bossa", m.Action.OwnerName)
			require.NotEmpty(t, m.Key, "the post carries the key a retry looks for")
		}

		// A second run of the same job (a duplicate, a retry after the
		// post) sends nothing more.
		w.sender.sent = nil
		require.NoError(t, worker.Work(ctx, noticeJob(w.plan.ID, w.teamA[0].ID)))
		require.Empty(t, w.sender.sent)
	})
}

// lostReply posts, then fails as if Slack's answer were lost, the first
// time; it finds its posts by key, as notify.Sender does.
type lostReply struct {
	posted map[string]bool
	sent   []delivery.Message
	lose   bool
}

func (l *lostReply) Send(_ context.Context, m delivery.Message) (delivery.Ref, error) {
	l.sent = append(l.sent, m)
	l.posted[m.Key] = true
	if l.lose {
		l.lose = false
		return delivery.Ref{}, errors.New("connection reset")
	}
	return delivery.Ref{Channel: "D1", TS: "2.0"}, nil
}

func (l *lostReply) Find(_ context.Context, m delivery.Message) (delivery.Ref, bool, error) {
	if l.posted[m.Key] {
		return delivery.Ref{Channel: "D1", TS: "1.0"}, true, nil
	}
	return delivery.Ref{}, false, nil
}

func TestARetriedActionNoticeFindsTheLostPostInsteadOfPostingAgain(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newPlanWorld(t, db)
		ctx := t.Context()
		_, _, err := w.actions.Publish(ctx, w.plan.ID, w.actor(t), nil)
		require.NoError(t, err)
		sender := &lostReply{posted: map[string]bool{}, lose: true}
		worker := scheduler.NewActionNoticeWorker(db.Gorm, w.actions, sender, w.clock.Now, slog.New(slog.DiscardHandler))
		who := w.teamA[2]
		require.Error(t, worker.Work(ctx, noticeJob(w.plan.ID, who.ID)), "retried by River")
		require.NoError(t, worker.Work(ctx, noticeJob(w.plan.ID, who.ID)))
		require.Len(t, sender.sent, 1, "the retry found the post")
		n, err := w.actions.Notice(ctx, w.plan.ID, who.ID)
		require.NoError(t, err)
		require.Equal(t, action.NoticeSent, n.Status)
		require.Equal(t, "1.0", n.TS)
	})
}

func TestTheDigestListsOverdueActions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newPlanWorld(t, db)
		ctx := t.Context()
		yes := true
		_, err := directory.New(db.Gorm, w.clock.Now).SetPreferences(ctx, w.bossA.ID, directory.Preferences{WeeklyDigest: &yes})
		require.NoError(t, err)
		worker := scheduler.NewDigestWorker(db.Gorm, w.surveys, w.sender, w.clock.Now, slog.New(slog.DiscardHandler)).WithActions(w.actions)
		digest := func() []delivery.OverdueAction {
			w.sender.sent = nil
			require.NoError(t, worker.Work(ctx, &river.Job[scheduler.DigestArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 10},
				Args: scheduler.DigestArgs{ManagerID: w.bossA.ID, Week: "2026-W50"}}))
			require.Len(t, w.sender.sent, 1)
			return w.sender.sent[0].Overdue
		}
		require.Empty(t, digest(), "not due yet")
		w.clock.Set(w.clock.Now().AddDate(0, 1, 2))
		require.Equal(t, []delivery.OverdueAction{{Title: "Fewer meetings", OwnerName: "bossa", DueOn: w.plan.DueOn,
			Status: action.StatusPlanned}}, digest())
	})
}

// Through the real Sender and a fake Slack: the post went through but its
// answer was lost; the retry finds the DM by the key in its metadata.
func TestALostActionNoticeIsFoundInSlackNotPostedTwice(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newPlanWorld(t, db)
		ctx := t.Context()
		_, _, err := w.actions.Publish(ctx, w.plan.ID, w.actor(t), nil)
		require.NoError(t, err)
		fake := slackfake.New(t)
		worker := scheduler.NewActionNoticeWorker(db.Gorm, w.actions, notify.NewSender(fake.Client(), w.surveys),
			w.clock.Now, slog.New(slog.DiscardHandler))
		who := w.teamA[3]
		channel := "D" + who.SlackUserID

		fake.LoseNextPosts(slackfake.HTTPStatus(http.StatusServiceUnavailable))
		require.Error(t, worker.Work(ctx, noticeJob(w.plan.ID, who.ID)), "retried by River")
		require.Len(t, fake.Messages(channel), 1, "Slack has the DM")
		require.NoError(t, worker.Work(ctx, noticeJob(w.plan.ID, who.ID)))
		dm := fake.Messages(channel)
		require.Len(t, dm, 1, "the retry did not post again")
		require.Len(t, fake.CallsTo("chat.postMessage"), 1)
		n, err := w.actions.Notice(ctx, w.plan.ID, who.ID)
		require.NoError(t, err)
		require.Equal(t, action.NoticeSent, n.Status)
		require.Equal(t, dm[0].TS, n.TS)
		key, _ := dm[0].Metadata.EventPayload["key"].(string)
		require.Equal(t, n.SendKey, key)
		require.NotContains(t, key, who.SlackUserID)
	})
}
