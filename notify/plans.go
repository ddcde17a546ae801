package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// Identifiers of the reaction buttons under a published action plan, in
// its DM and on the Home tab; the value is the plan's id.
const (
	BlockPlanReactions = "pulse_plan_react"
	ActionPlanHelps    = "pulse_plan_helps"
	ActionPlanNotYet   = "pulse_plan_not_yet"
)

// maxHomePlans bounds the Home tab's list of actions.
const maxHomePlans = 5

// ActionPlans is what the Slack side asks of the action plans;
// *action.Service implements it. Reactions go through React, the same call
// the API uses, which keeps them anonymous.
type ActionPlans interface {
	React(ctx context.Context, planID, employeeID int64, value string) error
	OpenFor(ctx context.Context, e directory.Employee, limit int) ([]action.Seen, error)
}

// ActionProgress finds the plan a survey DM reports progress on.
type ActionProgress interface {
	LatestFor(ctx context.Context, teamID *int64) (action.Plan, bool, error)
}

// ActionDM tells a member of a group about an action plan published on its
// results: what they said, what will be done, by whom and when, and two
// buttons to react anonymously.
func ActionDM(m delivery.ActionMessage, locale string) Message {
	c, lc := catalogFor(locale, ""), loopCatalogFor(locale)
	return Message{
		Text: fmt.Sprintf(lc.actionIntro, m.Title),
		Blocks: []slack.Block{
			section(fmt.Sprintf(lc.actionIntro, escapeMrkdwn(m.Title))),
			section(fmt.Sprintf(lc.actionHeard, escapeMrkdwn(m.Heard)) + "\n" + fmt.Sprintf(lc.actionWillDo, escapeMrkdwn(m.WillDo))),
			contextLine(fmt.Sprintf(lc.actionMeta, escapeMrkdwn(m.OwnerName), c.formatDay(m.DueOn), lc.status(m.Status))),
			reactionButtons(lc, m.PlanID, ""),
			contextLine(fmt.Sprintf(lc.actionPrivacy, m.MinReactions)),
		},
	}
}

// reactionButtons are "this helps" and "doesn't help yet"; mine, the
// viewer's own reaction, is highlighted (on the Home tab, which only they
// see).
func reactionButtons(lc *loopCatalog, planID int64, mine string) *slack.ActionBlock {
	value := strconv.FormatInt(planID, 10)
	helps := slack.NewButtonBlockElement(ActionPlanHelps, value, plain(":+1: "+lc.actionHelps))
	notYet := slack.NewButtonBlockElement(ActionPlanNotYet, value, plain(lc.actionNotYet))
	switch mine {
	case action.Helps:
		helps.Style = slack.StylePrimary
	case action.NotYet:
		notYet.Style = slack.StylePrimary
	}
	return slack.NewActionBlock(BlockPlanReactions+"_"+value, helps, notYet)
}

// HomePlan is an open action as the Home tab shows it.
type HomePlan = action.Seen

func planHomeBlocks(locale string, plans []HomePlan) []slack.Block {
	if len(plans) == 0 {
		return nil
	}
	c, lc := catalogFor(locale, ""), loopCatalogFor(locale)
	blocks := []slack.Block{slack.NewDividerBlock(), slack.NewHeaderBlock(plain(lc.homePlans))}
	for _, p := range plans[:min(len(plans), maxHomePlans)] {
		blocks = append(blocks, section(fmt.Sprintf(lc.homePlanLine, escapeMrkdwn(p.Title), escapeMrkdwn(p.WillDo),
			lc.status(p.Status), c.formatDay(p.DueOn))))
		counts := fmt.Sprintf(lc.homeCountsHidden, p.Reactions.MinRespondents)
		if !p.Reactions.Suppressed && p.Reactions.Helps != nil && p.Reactions.NotYet != nil {
			counts = fmt.Sprintf(lc.homeCounts, *p.Reactions.Helps, *p.Reactions.NotYet)
		}
		if p.Mine != "" {
			counts += " · " + fmt.Sprintf(lc.homeYours, reactionName(lc, p.Mine))
		}
		blocks = append(blocks, reactionButtons(lc, p.ID, p.Mine), contextLine(counts))
	}
	return blocks
}

func reactionName(lc *loopCatalog, value string) string {
	if value == action.Helps {
		return lc.actionHelps
	}
	return lc.actionNotYet
}

// openPlans are the open actions the person's group sees; nil when the
// Slack side has no action plans.
func (a *App) openPlans(ctx context.Context, me directory.Employee) ([]HomePlan, error) {
	if a.cfg.Actions == nil {
		return nil, nil
	}
	return a.cfg.Actions.OpenFor(ctx, me, maxHomePlans)
}

// IsPlanReaction reports whether an action id is a reaction button.
func IsPlanReaction(actionID string) bool {
	return actionID == ActionPlanHelps || actionID == ActionPlanNotYet
}

// reactToPlan records a reaction at once, tells the person privately what
// was recorded, and redraws their Home tab when the tap came from there.
func (a *App) reactToPlan(ctx context.Context, cb slack.InteractionCallback, act *slack.BlockAction) {
	planID, ok := parseID(act.Value)
	if !ok || a.cfg.Actions == nil {
		a.cfg.Logger.Warn("malformed action-plan reaction", "action_id", act.ActionID)
		return
	}
	me, ok := a.actor(ctx, cb)
	if !ok {
		return
	}
	value := action.Helps
	if act.ActionID == ActionPlanNotYet {
		value = action.NotYet
	}
	err := a.cfg.Actions.React(ctx, planID, me.ID, value)
	_, finished := errors.AsType[*fault.Conflict](err)
	switch {
	case err == nil:
		a.tell(ctx, cb, ReactedText(me.Locale, value))
	case finished:
		a.tell(ctx, cb, ReactionsClosedText(me.Locale))
	case errors.Is(err, fault.ErrNotFound), errors.Is(err, fault.ErrForbidden):
		a.tell(ctx, cb, NotYourActionText(me.Locale))
	default:
		a.fail(ctx, cb, me.Locale, err)
	}
	if isHomeTap(cb) {
		a.publishHomeLater(ctx, me.SlackUserID)
	}
}

// withProgress adds a line on the group's latest action to a survey DM,
// under its introduction.
func withProgress(msg Message, p *action.Plan, locale string) Message {
	if p == nil || len(msg.Blocks) < 2 {
		return msg
	}
	c, lc := catalogFor(locale, ""), loopCatalogFor(locale)
	line := contextLine(fmt.Sprintf(lc.progressLine, escapeMrkdwn(p.Title), lc.status(p.Status), c.formatDay(p.DueOn)))
	blocks := append([]slack.Block{}, msg.Blocks[:2]...)
	msg.Blocks = append(append(blocks, line), msg.Blocks[2:]...)
	return msg
}

// progressFor is the plan a survey DM to e reports on, or nil.
func (s *Sender) progressFor(ctx context.Context, e directory.Employee) (*action.Plan, error) {
	if s.actions == nil {
		return nil, nil
	}
	p, ok, err := s.actions.LatestFor(ctx, e.TeamID)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

// withOverdue adds the overdue actions to a digest.
func withOverdue(msg Message, overdue []delivery.OverdueAction, locale string) Message {
	if len(overdue) == 0 {
		return msg
	}
	c, lc := catalogFor(locale, ""), loopCatalogFor(locale)
	text := lc.digestOverdue
	for _, o := range overdue {
		text += "\n" + fmt.Sprintf(lc.digestOverdueRow, escapeMrkdwn(o.Title), lc.status(o.Status), escapeMrkdwn(o.OwnerName), c.formatDay(o.DueOn))
	}
	msg.Blocks = append(msg.Blocks, slack.NewDividerBlock(), section(text))
	return msg
}

// postSurvey posts the survey DM, with the line on the group's latest
// action when there is one.
func (s *Sender) postSurvey(ctx context.Context, m delivery.Message, p SurveyPrompt) (delivery.Ref, error) {
	progress, err := s.progressFor(ctx, m.Recipient)
	if err != nil {
		return delivery.Ref{}, err
	}
	return s.post(ctx, m, withProgress(SurveyDM(p), progress, ResolveLocale(p.EmployeeLocale, p.SurveyLocale)))
}

// ReactedText is the private confirmation of a reaction (value is
// action.Helps or action.NotYet).
func ReactedText(locale, value string) string {
	lc := loopCatalogFor(locale)
	return fmt.Sprintf(lc.reacted, reactionName(lc, value))
}

// ReactionsClosedText answers a reaction to a finished plan.
func ReactionsClosedText(locale string) string { return loopCatalogFor(locale).reactionsClosed }

// NotYourActionText answers a reaction from outside the plan's group.
func NotYourActionText(locale string) string { return loopCatalogFor(locale).notYourAction }
