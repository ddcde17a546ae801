package notify

import (
	"context"
	"slices"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// scoreWindow bounds the rounds a leader's Home tab reads: the latest point
// is all it shows, and older rounds would only make opening Home slower.
const scoreWindow = 180 * 24 * time.Hour

// Event handles one Events API event, from HTTPS or Socket Mode alike. It
// only queues work, so the acknowledgement goes out at once.
func (a *App) Event(ctx context.Context, event slackevents.EventsAPIEvent) {
	if event.Type != slackevents.CallbackEvent {
		return
	}
	if opened, ok := event.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok && opened.Tab != "messages" {
		a.publishHomeLater(ctx, opened.User)
	}
}

// publishHomeLater redraws a person's Home tab in the background; of several
// redraws queued for one person, only the latest runs.
func (a *App) publishHomeLater(ctx context.Context, slackUserID string) {
	if slackUserID == "" {
		return
	}
	a.background.Go(ctx, "home:"+slackUserID, func(ctx context.Context) {
		if err := a.publishHome(ctx, slackUserID); err != nil {
			a.cfg.Logger.Error("could not publish the Home tab", "user", slackUserID, "err", err)
		}
	})
}

func (a *App) publishHome(ctx context.Context, slackUserID string) error {
	view, err := a.homeView(ctx, slackUserID)
	if err != nil {
		return err
	}
	_, err = a.cfg.Slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: slackUserID, View: view})
	return err
}

func (a *App) homeView(ctx context.Context, slackUserID string) (slack.HomeTabViewRequest, error) {
	me, found, err := a.employee(ctx, slackUserID)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	if !found {
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab,
			Blocks: slack.Blocks{BlockSet: []slack.Block{section(NotInDirectoryText(""))}}}, nil
	}
	rounds, err := a.listedRounds(ctx, me)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	scores, err := a.scores(ctx, me)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	next, err := a.nextOneOnOne(ctx, me)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	plans, err := a.openPlans(ctx, me)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	return HomeView(Home{Locale: me.Locale, Rounds: rounds, Scores: scores, NextOneOnOne: next, Plans: plans}), nil
}

// scores are the latest eNPS of each survey for the groups a leader looks
// after: HR the whole organisation, a manager each team they lead (its
// sub-teams included). The survey package applies the anonymity rules, so a
// group below the threshold comes back suppressed. nil for everyone else.
func (a *App) scores(ctx context.Context, me directory.Employee) ([]Score, error) {
	groups, err := a.ledGroups(ctx, me)
	if groups == nil || err != nil {
		return nil, err
	}
	scope, err := a.cfg.People.ScopeOf(ctx, me)
	if err != nil {
		return nil, err
	}
	surveys, err := a.cfg.Surveys.Surveys(ctx)
	if err != nil {
		return nil, err
	}
	from := a.cfg.Now().Add(-scoreWindow)
	out := []Score{}
	for _, sv := range surveys {
		if sv.Archived || !slices.ContainsFunc(sv.Questions, func(q survey.Question) bool { return q.Kind == survey.KindENPS }) {
			continue
		}
		for _, g := range groups {
			res, err := a.cfg.Surveys.Results(ctx, sv.ID, survey.ResultsQuery{GroupBy: survey.ByRound, TeamID: g.id, From: &from}, scope)
			if err != nil {
				return nil, err
			}
			if len(res.Points) > 0 {
				out = append(out, scoreOf(g.name, sv.Title, res.Points[len(res.Points)-1]))
			}
		}
	}
	return out, nil
}

type group struct {
	id   *int64 // nil: the whole organisation
	name string
}

// ledGroups is nil for people who lead nobody.
func (a *App) ledGroups(ctx context.Context, me directory.Employee) ([]group, error) {
	switch me.Role {
	case directory.RoleHRAdmin:
		return []group{{}}, nil
	case directory.RoleManager:
	default:
		return nil, nil
	}
	teams, err := a.cfg.People.Teams(ctx)
	if err != nil {
		return nil, err
	}
	led := []group{}
	for _, t := range teams {
		if t.Active && t.ManagerID != nil && *t.ManagerID == me.ID {
			led = append(led, group{id: &t.ID, name: t.Name})
		}
	}
	return led, nil
}

func scoreOf(group, title string, p survey.Point) Score {
	s := Score{Group: group, Survey: title, Suppressed: p.Suppressed || p.ENPS == nil}
	if !s.Suppressed {
		s.ENPS = *p.ENPS
		s.EveryoneAnswered = p.EveryoneAnswered
		if p.MoE != nil && p.CILow != nil && p.CIHigh != nil {
			s.MoE, s.CILow, s.CIHigh = *p.MoE, *p.CILow, *p.CIHigh
		}
		if p.N != nil {
			s.N = *p.N
		}
	}
	return s
}
