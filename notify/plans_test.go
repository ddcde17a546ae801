package notify_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

func actionMessage() delivery.ActionMessage {
	return delivery.ActionMessage{PlanID: 17, Title: "Fewer <meetings>", Heard: "Too many meetings & too little focus time",
		WillDo: "No-meeting Wednesdays from January", OwnerName: "Marcus Reed", DueOn: "2027-01-15",
		Status: action.StatusInProgress, MinReactions: 5}
}

func TestActionDMGolden(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en", "ms"} {
		requireGolden(t, "action_dm_"+locale, notify.ActionDM(actionMessage(), locale))
	}
}

func TestHomeListsOpenActionsGolden(t *testing.T) {
	t.Parallel()
	helps, notYet, n := 4, 2, 6
	plans := []notify.HomePlan{
		{Plan: action.Plan{ID: 17, Title: "Fewer meetings", WillDo: "No-meeting Wednesdays", Status: action.StatusInProgress, DueOn: "2027-01-15"},
			Reactions: action.ReactionCounts{PlanID: 17, N: &n, Helps: &helps, NotYet: &notYet, MinRespondents: 5}, Mine: action.Helps},
		{Plan: action.Plan{ID: 18, Title: "A clear career ladder", WillDo: "Publish levels for every role", Status: action.StatusPlanned, DueOn: "2027-03-01"},
			Reactions: action.ReactionCounts{PlanID: 18, Suppressed: true, MinRespondents: 5}},
	}
	for _, locale := range []string{"en", "ms"} {
		requireGolden(t, "home_actions_"+locale, notify.HomeView(notify.Home{Locale: locale, Plans: plans}))
	}
}

func TestDigestWithOverdueActionsGolden(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en", "ms"} {
		h := newHarness(t, dbtest.SQLite(t))
		rep := h.reps[1]
		rep.Locale = locale
		_, err := h.sender.Send(t.Context(), delivery.Message{Kind: delivery.KindDigest, Recipient: rep,
			Overdue: []delivery.OverdueAction{{Title: "Fewer meetings", OwnerName: "Marcus Reed", DueOn: "2026-11-20", Status: action.StatusInProgress}}})
		require.NoError(t, err)
		posts := h.fake.CallsTo("chat.postMessage")
		blocks, err := posts[len(posts)-1].SlackBlocks()
		require.NoError(t, err)
		requireGolden(t, "digest_overdue_"+locale, blocks)
	}
}

// loop is the harness with a closed round everyone in Sales answered and an
// action plan of the manager on it, published; the Slack app and the
// Sender know the action plans.
type loop struct {
	*harness
	actions *action.Service
	plan    action.Plan
}

func newLoop(t testing.TB, db *database.DB) *loop {
	h := newHarness(t, db)
	ctx := t.Context()
	clock := func() time.Time { return h.now }
	l := &loop{harness: h, actions: action.New(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"), h.surveys)}
	enps := h.question(survey.KindENPS)
	for i, e := range append([]directory.Employee{h.manager}, h.reps...) {
		_, err := h.surveys.Answer(ctx, h.round.ID, e.ID, []survey.AnswerInput{{QuestionID: enps.ID, Value: 4 + i}})
		require.NoError(t, err)
	}
	closed := h.round
	h.now = h.now.Add(6 * 24 * time.Hour)
	_, err := h.surveys.CloseDue(ctx, nil)
	require.NoError(t, err)
	scope, err := h.dir.ScopeOf(ctx, h.manager)
	require.NoError(t, err)
	boss := action.Actor{Employee: h.manager, Scope: scope}
	l.plan, err = l.actions.Create(ctx, boss, action.PlanInput{SurveyID: h.survey.ID, RoundID: closed.ID, TeamID: &h.team.ID,
		Title: "Fewer meetings", Heard: "Too many meetings", WillDo: "No-meeting Wednesdays", OwnerID: h.manager.ID,
		DueOn: h.now.AddDate(0, 1, 0).Format(time.DateOnly)})
	require.NoError(t, err)
	_, _, err = l.actions.Publish(ctx, l.plan.ID, boss, nil)
	require.NoError(t, err)

	h.app = notify.NewApp(notify.AppConfig{
		Slack: h.fake.Client(), Surveys: h.surveys, People: testPeople{h.dir}, Actions: l.actions,
		SigningSecret: signingSecret, BaseURL: "https://pulse.example.com", Now: clock,
		Logger: slog.New(slog.NewTextHandler(testLog{t}, nil)),
	})
	t.Cleanup(h.app.Wait)
	h.sender = notify.NewSender(h.fake.Client(), h.surveys).WithActions(l.actions)
	return l
}

// dm posts the action's DM to e through the Sender and returns the call.
func (l *loop) dm(e directory.Employee) delivery.Ref {
	l.t.Helper()
	ref, err := l.sender.Send(l.t.Context(), delivery.Message{Kind: delivery.KindAction, Recipient: e, Key: "k-" + e.SlackUserID,
		Action: &delivery.ActionMessage{PlanID: l.plan.ID, Title: l.plan.Title, Heard: l.plan.Heard, WillDo: l.plan.WillDo,
			OwnerName: "boss", DueOn: l.plan.DueOn, Status: l.plan.Status, MinReactions: 5}})
	require.NoError(l.t, err)
	return ref
}

func (l *loop) react(e directory.Employee, ref delivery.Ref, actionID string) []string {
	l.t.Helper()
	posts := l.fake.CallsTo("chat.postMessage")
	blocks, err := posts[len(posts)-1].SlackBlocks()
	require.NoError(l.t, err)
	blockID, btn := button(l.t, blocks, actionID)
	name := l.press(e.SlackUserID, blockID, btn, map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS})
	var texts []string
	for _, c := range l.responses(name) {
		texts = append(texts, c.Get("text"))
	}
	return texts
}

// The attacker holds the database files (and the server secret) after
// someone reacted: nothing written for the reaction names them, and
// nothing but the reaction's own tables changed.
func TestAReactionInSlackCannotBeReadBackAsTheirs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		rep := l.reps[1]
		ref := l.dm(rep)
		before := dbtest.Dump(t, db)
		said := l.react(rep, ref, notify.ActionPlanHelps)
		require.Len(t, said, 1)
		require.Contains(t, said[0], "recorded as “This helps”")
		changed := dbtest.Changed(before, dbtest.Dump(t, db))
		for table, rows := range changed {
			require.Contains(t, []string{"action_reactions", "action_reaction_keys"}, table, "only the reaction is written")
			for _, row := range rows {
				for _, clue := range []string{rep.SlackUserID, rep.Email, rep.Name, "2026-12-06"} {
					require.NotContains(t, row, clue)
				}
			}
		}
		require.NotEmpty(t, changed["action_reactions"])
		rows, err := db.SQL.QueryContext(t.Context(), "SELECT * FROM action_reactions")
		require.NoError(t, err)
		columns, err := rows.Columns()
		require.NoError(t, err)
		require.NoError(t, rows.Close())
		require.ElementsMatch(t, []string{"plan_id", "voter_hash", "value", "pending"}, columns, "no person, no time, no serial id")

		// Changing one's mind moves the same row; it is never counted twice.
		said = l.react(rep, ref, notify.ActionPlanNotYet)
		require.Contains(t, said[0], "recorded as “Doesn't help yet”")
		mine, err := l.actions.MyReaction(t.Context(), l.plan.ID, rep.ID)
		require.NoError(t, err)
		require.Equal(t, action.NotYet, mine)
		var count int64
		require.NoError(t, db.Gorm.Table("action_reactions").Count(&count).Error)
		require.EqualValues(t, 1, count)
	})
}

func TestAnUnsignedReactionChangesNothing(t *testing.T) {
	l := newLoop(t, dbtest.SQLite(t))
	rep := l.reps[1]
	body := `payload={"type":"block_actions","user":{"id":"` + rep.SlackUserID + `"},"actions":[{"action_id":"pulse_plan_helps","value":"` +
		itoa(l.plan.ID) + `"}]}`
	req := httptestRequest("/slack/interactions", []byte(body))
	req.Header.Set(notify.HeaderTimestamp, itoa(l.now.Unix()))
	req.Header.Set(notify.HeaderSignature, "v0=forged")
	require.Equal(t, http.StatusUnauthorized, serve(l.endpoint("/slack/interactions"), req).Code)
	l.app.Wait()
	var count int64
	require.NoError(t, l.db.Gorm.Table("action_reactions").Count(&count).Error)
	require.Zero(t, count)
}

func TestHomeListsTheTeamsOpenActionsWithCountsOnlyFromK(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		rep := l.reps[1]
		text := textsOf(t, l.openHome(rep).Blocks)
		require.Contains(t, text, "Actions on your team's results")
		require.Contains(t, text, "*Fewer meetings*: No-meeting Wednesdays")
		require.Contains(t, text, "Reactions are shown once at least 5 people have reacted.")

		// Reacting from Home redraws it with one's own choice; four
		// reactions stay hidden, the fifth shows the counts.
		home := l.openHome(rep)
		blockID, helps := button(t, home.Blocks, notify.ActionPlanHelps)
		l.press(rep.SlackUserID, blockID, helps, map[string]any{"type": "view", "view_id": "V0HOME"})
		text = textsOf(t, l.lastPublished(rep).Blocks)
		require.Contains(t, text, "Your reaction: This helps")
		for _, e := range l.reps[2:] {
			require.NoError(t, l.actions.React(t.Context(), l.plan.ID, e.ID, action.NotYet))
		}
		require.Contains(t, textsOf(t, l.openHome(rep).Blocks), "Reactions are shown once", "four is below k")
		require.NoError(t, l.actions.React(t.Context(), l.plan.ID, l.manager.ID, action.Helps))
		require.Contains(t, textsOf(t, l.openHome(rep).Blocks), "2 say this helps, 3 say it doesn't help yet")

		require.NotContains(t, textsOf(t, l.openHome(l.hr).Blocks), "Fewer meetings", "HR's own team has no such action")
	})
}

func TestTheNextSurveyDMCarriesTheActionsProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		next, _, err := l.surveys.SendNow(t.Context(), l.survey.ID, nil)
		require.NoError(t, err)
		l.round = next
		for _, locale := range []string{"en", "ms"} {
			rep := l.reps[1]
			rep.Locale = locale
			_, dm := l.send(rep)
			blocks, err := dm.SlackBlocks()
			require.NoError(t, err)
			if db.Dialect == database.SQLite {
				requireGolden(t, "survey_dm_progress_"+locale, blocks)
			}
		}
		_, dm := l.send(l.hr)
		require.NotContains(t, string(dm.Blocks), "Fewer meetings", "another team's survey DM says nothing of it")
		require.False(t, strings.Contains(string(dm.Blocks), "arrows_counterclockwise"))
	})
}

func TestAReactionFromOutsideTheGroupOrToAFinishedPlanRecordsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		l := newLoop(t, db)
		ref := l.dm(l.reps[1])
		said := l.react(l.hr, ref, notify.ActionPlanHelps)
		require.Equal(t, []string{"That action is not one for your team, so nothing was recorded."}, said)
		var count int64
		require.NoError(t, db.Gorm.Table("action_reactions").Count(&count).Error)
		require.Zero(t, count)

		scope, err := l.dir.ScopeOf(t.Context(), l.manager)
		require.NoError(t, err)
		_, _, err = l.actions.AddUpdate(t.Context(), l.plan.ID, action.Actor{Employee: l.manager, Scope: scope},
			action.UpdateInput{Text: "Rolled out", Status: action.StatusDone})
		require.NoError(t, err)
		said = l.react(l.reps[1], ref, notify.ActionPlanHelps)
		require.Equal(t, []string{"This action is finished, so reactions are closed."}, said)
		require.NoError(t, db.Gorm.Table("action_reactions").Count(&count).Error)
		require.Zero(t, count)
		require.NotContains(t, textsOf(t, l.openHome(l.reps[1]).Blocks), "Fewer meetings", "Home lists open actions only")
	})
}

func TestReactionRepliesGolden(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en", "ms"} {
		requireGolden(t, "reaction_replies_"+locale, map[string]string{
			"helps":     notify.ReactedText(locale, action.Helps),
			"not_yet":   notify.ReactedText(locale, action.NotYet),
			"closed":    notify.ReactionsClosedText(locale),
			"not_yours": notify.NotYourActionText(locale),
		})
	}
}
