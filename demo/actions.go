package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// demoAction is one plan of the demo's story, dated in weeks before now.
type demoAction struct {
	team       string // "" for the organisation
	weeksAgo   int    // made on the latest round shown for the group this long ago
	question   string // the linked question's kind: enps, or the workload scale
	title      string
	heard      string
	willDo     string
	dueInWeeks int // after it was made
	updates    []demoUpdate
	reactions  []string // from the group's first members, once published
}

type demoUpdate struct {
	weeksAfter int
	text       string
	status     string
}

// demoActions close the loop on the demo's stories: Platform's on-call and
// CI work (done, and its workload score climbed after), Sales Americas'
// review of the new commission plan (in progress), and a company-wide
// change to meetings (just published).
var demoActions = []demoAction{
	{team: "Platform", weeksAgo: 30, question: "workload", title: "Fix on-call load and slow CI",
		heard:  "On-call weeks leave people exhausted and CI takes forty minutes, so workload scores keep dropping.",
		willDo: "Split the on-call rota across both time zones and cut CI to under ten minutes.", dueInWeeks: 12,
		updates: []demoUpdate{
			{2, "New rota agreed: Berlin and Kolkata each cover their own daytime.", action.StatusInProgress},
			{7, "CI down to 12 minutes with the new runners; caching next.", ""},
			{11, "CI at 8 minutes and the rota has run for two months without a weekend page.", action.StatusDone},
		}},
	{team: "Sales Americas", weeksAgo: 8, question: survey.KindENPS, title: "Review the new commission plan together",
		heard:  "The spring commission plan feels unfair on long enterprise deals, and scores fell with it.",
		willDo: "Hold a Q&A with Finance, then propose a cap on clawbacks for deals over 90 days.", dueInWeeks: 10,
		updates: []demoUpdate{
			{1, "Q&A with Finance held; questions and answers shared in the team channel.", action.StatusInProgress},
			{4, "Clawback cap drafted; waiting on Finance's sign-off.", ""},
		},
		reactions: []string{action.Helps, action.Helps, action.NotYet, action.Helps, action.NotYet, action.Helps}},
	{weeksAgo: 2, question: survey.KindENPS, title: "No-meeting Wednesdays",
		heard:  "Fewer meetings is one of the things people most often say would make the biggest difference to their work.",
		willDo: "Keep Wednesdays free of internal meetings for a quarter, then ask again.", dueInWeeks: 12,
		updates: []demoUpdate{{1, "Calendars updated; recurring Wednesday meetings moved.", action.StatusInProgress}}},
}

// actionsStep records the demo's action plans on the pulse survey's closed
// rounds, published with dated updates, as HR would through the API.
func actionsStep(secret []byte) Step {
	return Step{Name: "actions", Load: func(ctx context.Context, tx *gorm.DB, now time.Time) error {
		for _, a := range demoActions {
			if err := loadAction(ctx, tx, now, secret, a); err != nil {
				return fmt.Errorf("demo action %q: %w", a.title, err)
			}
		}
		return nil
	}}
}

func loadAction(ctx context.Context, tx *gorm.DB, now time.Time, secret []byte, a demoAction) error {
	clock := now.AddDate(0, 0, -7*a.weeksAgo)
	tick := func() time.Time { return clock }
	surveys := survey.NewService(tx, tick, secret)
	svc := action.New(tx, tick, secret, surveys)
	dir := directory.New(tx, tick)
	hr, err := dir.EmployeeByEmail(ctx, HRAdminEmail)
	if err != nil {
		return err
	}
	actor := action.Actor{Employee: hr, Scope: directory.EveryoneScope()}
	sv, question, err := pulseQuestion(ctx, surveys, a.question)
	if err != nil {
		return err
	}
	var team *int64
	owner := hr.ID
	if a.team != "" {
		var t directory.Team
		if err := tx.Where("name = ?", a.team).First(&t).Error; err != nil {
			return err
		}
		team = &t.ID
		if t.ManagerID != nil {
			owner = *t.ManagerID
		}
	}
	round, err := shownRoundBefore(ctx, tx, svc, sv.ID, team, clock)
	if err != nil {
		return err
	}
	p, err := svc.Create(ctx, actor, action.PlanInput{SurveyID: sv.ID, RoundID: round, TeamID: team, Title: a.title,
		Heard: a.heard, QuestionID: &question, WillDo: a.willDo, OwnerID: owner,
		DueOn: clock.AddDate(0, 0, 7*a.dueInWeeks).Format(time.DateOnly)})
	if err != nil {
		return err
	}
	if p, _, err = svc.Publish(ctx, p.ID, actor, nil); err != nil {
		return err
	}
	if err := reactToDemoAction(ctx, tx, svc, p, a.reactions); err != nil {
		return err
	}
	start := clock
	for _, u := range a.updates {
		clock = start.AddDate(0, 0, 7*u.weeksAfter)
		if _, _, err := svc.AddUpdate(ctx, p.ID, actor, action.UpdateInput{Text: u.text, Status: u.status}); err != nil {
			return err
		}
	}
	return nil
}

// pulseQuestion finds the demo survey and its question of the given kind
// (enps), or the workload scale question.
func pulseQuestion(ctx context.Context, surveys *survey.Service, which string) (survey.Survey, int64, error) {
	all, err := surveys.Surveys(ctx)
	if err != nil || len(all) == 0 {
		return survey.Survey{}, 0, fmt.Errorf("no pulse survey to act on: %v", err)
	}
	sv := all[0]
	for i, q := range sv.Questions {
		if (which == survey.KindENPS && q.Kind == survey.KindENPS) || (which == "workload" && q.Kind == survey.KindScale && i == 1) {
			return sv, q.ID, nil
		}
	}
	return sv, 0, fmt.Errorf("the pulse survey has no %s question", which)
}

// shownRoundBefore is the latest closed round scheduled before at whose
// results show the group: a plan is only made on results one may see.
func shownRoundBefore(ctx context.Context, tx *gorm.DB, svc *action.Service, surveyID int64, team *int64, at time.Time) (int64, error) {
	var rounds []survey.Round
	err := tx.Where("survey_id = ? AND sealed AND scheduled_at < ?", surveyID, at).Order("scheduled_at DESC").Limit(8).Find(&rounds).Error
	if err != nil {
		return 0, err
	}
	for _, r := range rounds {
		shown, err := svc.GroupShown(ctx, r, team)
		if err != nil || shown {
			return r.ID, err
		}
	}
	return 0, fmt.Errorf("no round shown for the group in the eight weeks before %s", at.Format(time.DateOnly))
}

// reactToDemoAction has the group's first members react, in order.
func reactToDemoAction(ctx context.Context, tx *gorm.DB, svc *action.Service, p action.Plan, values []string) error {
	if len(values) == 0 {
		return nil
	}
	people, err := svc.Audience(ctx, p)
	if err != nil {
		return err
	}
	for i, v := range values {
		if i >= len(people) {
			break
		}
		if err := svc.React(ctx, p.ID, people[i].ID, v); err != nil {
			return err
		}
	}
	return nil
}
