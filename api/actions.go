package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/fault"
)

// actionRoutes are the action plans that close the loop on a closed
// round's results. Making and changing them is for HR and the managers of
// the team (the domain checks which team); reading them is for anyone the
// plan speaks to once it is published; reacting is anonymous, like answering.
func (s *Server) actionRoutes() []route {
	const tag = "actions"
	filters := []param{
		{"survey_id", "integer", "only plans on this survey"},
		{"round_id", "integer", "only plans on this round"},
		{"team_id", "integer", "only this team's plans"},
		{"org", "boolean", "only organisation-wide plans"},
		{"status", "string", "planned, in_progress, done or dropped"},
	}
	return []route{
		{method: http.MethodGet, path: "/api/v1/actions", handler: s.listActions, access: signedIn, tag: tag, paged: true,
			summary: "Action plans the viewer may see, newest first: HR all, a manager their teams' and published ones of their group, an employee the published plans of their team (and teams above it) and of the organisation",
			query:   filters, result: []action.Plan{}},
		{method: http.MethodPost, path: "/api/v1/actions", handler: s.createAction, access: leadership, tag: tag, status: http.StatusCreated,
			summary: "Record an action on a closed round's results for a team (its manager or HR) or the organisation (HR); refused (409) when the round is open or its results for the group are suppressed, and (422) when a linked comment is not shown for the group",
			body:    action.PlanInput{}, result: action.Plan{}},
		{method: http.MethodGet, path: "/api/v1/actions/:id", handler: s.getAction, access: signedIn, tag: tag,
			summary: "One action plan (404 to anyone who may not see it)", result: action.Plan{}},
		{method: http.MethodPatch, path: "/api/v1/actions/:id", handler: s.editAction, access: leadership, tag: tag,
			summary: "Change an open plan's words, links, owner or due date; version is required and the edit is refused (409) if the plan changed since",
			body:    action.PlanPatch{}, result: action.Plan{}},
		{method: http.MethodPost, path: "/api/v1/actions/:id/publish", handler: s.publishAction, access: leadership, tag: tag,
			summary: "Publish a plan to its group (a Slack DM to each when Slack is on); publishing again tells nobody twice",
			result:  action.Plan{}},
		{method: http.MethodPost, path: "/api/v1/actions/:id/updates", handler: s.addActionUpdate, access: leadership, tag: tag, status: http.StatusCreated,
			summary: "Add a dated update and optionally move the status forward (planned → in_progress → done, or dropped); done and dropped are final",
			body:    action.UpdateInput{}, result: actionUpdated{}},
		{method: http.MethodGet, path: "/api/v1/actions/:id/updates", handler: s.actionUpdates, access: signedIn, tag: tag, paged: true,
			summary: "A plan's updates, oldest first", result: []action.Update{}},
		{method: http.MethodGet, path: "/api/v1/actions/:id/reactions", handler: s.actionReactions, access: signedIn, tag: tag,
			summary: "How the group reacted (helps / not yet); suppressed below the anonymity threshold, and moving only once at least k people reacted since it last moved",
			result:  action.ReactionCounts{}},
		{method: http.MethodPut, path: "/api/v1/actions/:id/reaction", handler: s.reactToAction, access: signedIn, tag: tag, quiet: true,
			summary: "React to a published, open plan of my group, anonymously; reacting again changes my reaction",
			body:    reactionInput{}, result: reactionInput{}},
		{method: http.MethodGet, path: "/api/v1/actions/:id/effect", handler: s.actionEffect, access: leadership, tag: tag,
			summary: "How the plan's linked question moved for its group since the plan was published, with the 95% margin of the change; suppressed when either round is below the threshold",
			result:  action.Effect{}},
	}
}

type actionUpdated struct {
	Plan   action.Plan   `json:"plan"`
	Update action.Update `json:"update"`
}

type reactionInput struct {
	Value string `json:"value" jsonschema:"enum=helps,enum=not_yet"`
}

// actor is the viewer with what they may see.
func (s *Server) actor(c echo.Context) (action.Actor, error) {
	v := viewer(c)
	scope, err := s.deps.Directory.ScopeOf(c.Request().Context(), v)
	return action.Actor{Employee: v, Scope: scope}, err
}

// asActor runs a domain call on the path's plan as the viewer and replies.
func asActor[T any](s *Server, status int, call func(c echo.Context, id int64, a action.Actor) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		a, err := s.actor(c)
		if err != nil {
			return err
		}
		out, err := call(c, id, a)
		if err != nil {
			return err
		}
		return reply(c, status, out)
	}
}

func (s *Server) listActions(c echo.Context) error {
	var (
		f   action.Filter
		err error
	)
	survey, err := queryID(c, "survey_id")
	if err != nil {
		return err
	}
	round, err := queryID(c, "round_id")
	if err != nil {
		return err
	}
	if f.TeamID, err = queryID(c, "team_id"); err != nil {
		return err
	}
	if f.Org, err = queryBool(c, "org"); err != nil {
		return err
	}
	if survey != nil {
		f.SurveyID = *survey
	}
	if round != nil {
		f.RoundID = *round
	}
	f.Status = c.QueryParam("status")
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	a, err := s.actor(c)
	if err != nil {
		return err
	}
	plans, next, err := s.deps.Actions.List(c.Request().Context(), a, f, p)
	if err != nil {
		return err
	}
	return replyPage(c, plans, next)
}

func (s *Server) createAction(c echo.Context) error {
	var in action.PlanInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	a, err := s.actor(c)
	if err != nil {
		return err
	}
	p, err := s.deps.Actions.Create(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	return reply(c, http.StatusCreated, p)
}

func (s *Server) getAction(c echo.Context) error {
	return asActor(s, http.StatusOK, func(c echo.Context, id int64, a action.Actor) (action.Plan, error) {
		return s.deps.Actions.Get(c.Request().Context(), id, a)
	})(c)
}

func (s *Server) editAction(c echo.Context) error {
	var in action.PlanPatch
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	return asActor(s, http.StatusOK, func(c echo.Context, id int64, a action.Actor) (action.Plan, error) {
		return s.deps.Actions.Edit(c.Request().Context(), id, a, in)
	})(c)
}

func (s *Server) publishAction(c echo.Context) error {
	return asActor(s, http.StatusOK, func(c echo.Context, id int64, a action.Actor) (action.Plan, error) {
		p, _, err := s.deps.Actions.Publish(c.Request().Context(), id, a, s.deps.OnActionPublished)
		return p, err
	})(c)
}

func (s *Server) addActionUpdate(c echo.Context) error {
	var in action.UpdateInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	return asActor(s, http.StatusCreated, func(c echo.Context, id int64, a action.Actor) (actionUpdated, error) {
		p, u, err := s.deps.Actions.AddUpdate(c.Request().Context(), id, a, in)
		return actionUpdated{Plan: p, Update: u}, err
	})(c)
}

func (s *Server) actionUpdates(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := pageRequest(c)
	if err != nil {
		return err
	}
	a, err := s.actor(c)
	if err != nil {
		return err
	}
	rows, next, err := s.deps.Actions.Updates(c.Request().Context(), id, a, p)
	if err != nil {
		return err
	}
	return replyPage(c, rows, next)
}

func (s *Server) actionReactions(c echo.Context) error {
	return asActor(s, http.StatusOK, func(c echo.Context, id int64, a action.Actor) (action.ReactionCounts, error) {
		return s.deps.Actions.Reactions(c.Request().Context(), id, a)
	})(c)
}

func (s *Server) reactToAction(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in reactionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if err := s.deps.Actions.React(c.Request().Context(), id, viewer(c).ID, in.Value); err != nil {
		return err
	}
	return reply(c, http.StatusOK, in)
}

func (s *Server) actionEffect(c echo.Context) error {
	return asActor(s, http.StatusOK, func(c echo.Context, id int64, a action.Actor) (action.Effect, error) {
		ctx := c.Request().Context()
		p, err := s.deps.Actions.Get(ctx, id, a)
		if err != nil {
			return action.Effect{}, err
		}
		if err := checkResultsAccess(a, p.TeamID); err != nil {
			return action.Effect{}, err
		}
		return s.deps.Actions.Effect(ctx, p)
	})(c)
}

// checkResultsAccess: the effect is results, so only those who may read the
// group's results see it (a manager who sees a published organisation plan
// does not read organisation results).
func checkResultsAccess(a action.Actor, teamID *int64) error {
	if a.Scope.All || (teamID != nil && a.Scope.HasTeam(*teamID)) {
		return nil
	}
	return fault.Forbidden("the effect is part of the group's results, which you may not read")
}
