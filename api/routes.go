package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/batchimport"
	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/survey"
)

// route is one entry of the API: how it is served and how it is described in
// the OpenAPI document, kept side by side so the two cannot drift apart.
type route struct {
	method, path string
	handler      echo.HandlerFunc
	access       access
	tag, summary string
	query        []param
	body         any  // request body type, nil for none
	csvBody      bool // request body is a CSV file
	result       any  // what "data" holds in the reply
	status       int  // success status
	raw          bool // the reply is not a JSON envelope (the document itself)
	// paged marks a list that pages: limit and cursor in, next_cursor out.
	paged bool
	// quiet marks an answer route: its credential check writes nothing,
	// and it is neither counted in metrics nor logged with a request id.
	quiet bool
}

type param struct {
	name, kind, doc string
}

func (s *Server) routeTable() []route {
	var pages []route
	for _, p := range s.deps.Pages {
		pages = append(pages, route{method: p.Method, path: p.Path, handler: p.Handler, access: public,
			tag: "web", summary: p.Summary, raw: true})
	}
	for _, e := range s.deps.Slack {
		pages = append(pages, route{method: http.MethodPost, path: e.Path, handler: echo.WrapHandler(e.Handler),
			access: public, tag: "slack", summary: e.Summary + " (verified with Slack's request signature; 401 otherwise)", raw: true,
			quiet: e.Answers})
	}
	pages = append(pages, s.oneOnOneRoutes()...)
	pages = append(pages, s.salesRoutes()...)
	pages = append(pages, s.actionRoutes()...)
	return append(pages, s.apiRoutes()...)
}

// ownerParam names whose sign-ins or tokens to list (HR only for others).
var ownerParam = param{"employee_id", "integer", "another person's (HR only; 403 for anyone else); the viewer's own when absent"}

func (s *Server) apiRoutes() []route {
	resultParams := []param{
		{"group_by", "string", "round (default), week, month or quarter"},
		{"team_id", "integer", "a team and its sub-teams; org-wide (HR only) when absent"},
		{"from", "string", "rounds scheduled at or after this date or time"},
		{"to", "string", "rounds scheduled before this date or time"},
	}
	heatmapParams := []param{
		{"group_by", "string", "week (default), month or quarter"},
		resultParams[2], resultParams[3],
	}
	teamFilter := []param{
		{"team_id", "integer", "only this team"},
		{"active", "boolean", "only active employees when true"},
		{"q", "string", "only people whose name or email contains this (ignoring case; up to 100 characters)"},
		{"slack", "string", "unmatched: only people the Slack directory sync found no Slack user for"},
	}
	return []route{
		{method: http.MethodGet, path: "/healthz", handler: s.healthz, access: public, tag: "ops",
			summary: "The process is alive", result: healthStatus{}},
		{method: http.MethodGet, path: "/readyz", handler: s.readyz, access: public, tag: "ops",
			summary: "The database answers, takes writes, has room on its disk and every migration is applied; otherwise 503 with one error detail per failing check", result: healthStatus{}},
		{method: http.MethodGet, path: "/api/v1/openapi.json", handler: s.openAPI, access: public, tag: "ops",
			summary: "This document", raw: true},

		{method: http.MethodGet, path: "/api/v1/me", handler: s.me, access: signedIn, tag: "people",
			summary: "The signed-in employee", result: directory.Employee{}},
		{method: http.MethodPatch, path: "/api/v1/me/preferences", handler: s.setPreferences, access: signedIn, tag: "people",
			summary: "My own settings: weekly_digest for a Monday Slack digest of my teams (managers and HR), my open 1:1 action items and overdue action plans I own; locale (en or ms), the language of the web dashboard and of Slack messages to me",
			body:    directory.Preferences{}, result: directory.Employee{}},

		{method: http.MethodGet, path: "/api/v1/me/teams", handler: s.myTeams, access: signedIn, paged: true, tag: "people",
			summary: "Teams whose results I may query: HR every team, a manager the teams they lead with their sub-teams, an employee none",
			result:  []directory.Team{}},

		{method: http.MethodGet, path: "/api/v1/teams", handler: s.listTeams, access: signedIn, paged: true, tag: "people",
			summary: "Every team (the organisation tree)", result: []directory.Team{}},
		{method: http.MethodGet, path: "/api/v1/teams/:id", handler: s.getTeam, access: signedIn, tag: "people",
			summary: "One team", result: directory.Team{}},
		{method: http.MethodPost, path: "/api/v1/teams", handler: s.createTeam, access: hrOnly, tag: "people",
			summary: "Create a team", body: directory.TeamInput{}, result: directory.Team{}, status: http.StatusCreated},
		{method: http.MethodPatch, path: "/api/v1/teams/:id", handler: s.updateTeam, access: hrOnly, tag: "people",
			summary: "Change a team (a parent_id or manager_id of 0 clears it)", body: directory.TeamPatch{}, result: directory.Team{}},
		{method: http.MethodPost, path: "/api/v1/teams/:id/deactivate", handler: s.deactivateTeam, access: hrOnly, tag: "people",
			summary: "Deactivate a team that has no active members or sub-teams", result: directory.Team{}},

		{method: http.MethodGet, path: "/api/v1/employees", handler: s.listEmployees, access: signedIn, paged: true, tag: "people",
			summary: "Employees the viewer may see: HR everyone, managers their teams and reports, employees themselves",
			query:   teamFilter, result: []directory.Employee{}},
		{method: http.MethodGet, path: "/api/v1/employees/:id", handler: s.getEmployee, access: signedIn, tag: "people",
			summary: "One employee (404 when outside the viewer's scope)", result: directory.Employee{}},
		{method: http.MethodPost, path: "/api/v1/employees", handler: s.createEmployee, access: hrOnly, tag: "people",
			summary: "Create an employee", body: directory.EmployeeInput{}, result: directory.Employee{}, status: http.StatusCreated},
		{method: http.MethodPatch, path: "/api/v1/employees/:id", handler: s.updateEmployee, access: hrOnly, tag: "people",
			summary: "Change an employee (a team_id or manager_id of 0 clears it)", body: directory.EmployeePatch{}, result: directory.Employee{}},
		{method: http.MethodPost, path: "/api/v1/employees/:id/deactivate", handler: s.deactivateEmployee, access: hrOnly, tag: "people",
			summary: "Deactivate an employee: no more surveys, tokens stop working", result: directory.Employee{}},
		{method: http.MethodPost, path: "/api/v1/employees/import", handler: s.importEmployees, access: hrOnly, tag: "people",
			summary: "Upsert employees from CSV (email,name,team,manager_email,role,timezone,locale) by email; all-or-nothing: every row is checked before anything is written, then it is written in short batches that are undone if one fails (409 while another import is applied, or if a listed person changed meanwhile)",
			csvBody: true, result: directory.ImportResult{}},
		{method: http.MethodGet, path: "/api/v1/employees/imports", handler: s.employeeImportHistory, access: hrOnly, paged: true, tag: "people",
			summary: "What was imported when: every employee import, newest first, with its status (applying, done, undone), start and end, and how many people it created and updated",
			result:  []batchimport.Record{}},

		{method: http.MethodGet, path: "/api/v1/settings/anonymity", handler: s.getAnonymity, access: leadership, tag: "surveys",
			summary: "Anonymity thresholds: min_respondents (k) and min_comment_respondents", result: survey.Thresholds{}},
		{method: http.MethodPut, path: "/api/v1/settings/anonymity", handler: s.setAnonymity, access: hrOnly, tag: "surveys",
			summary: "Set the anonymity thresholds (each 3..20)", body: survey.Thresholds{}, result: survey.Thresholds{}},
		{method: http.MethodGet, path: "/api/v1/survey-templates", handler: s.surveyTemplates, access: leadership, tag: "surveys",
			summary: "Built-in questions to start a survey from", query: []param{{"locale", "string", "en (default) or ms"}},
			result: []survey.Template{}},
		{method: http.MethodGet, path: "/api/v1/surveys", handler: s.listSurveys, access: leadership, paged: true, tag: "surveys",
			summary: "Every survey, newest first", result: []survey.Survey{}},
		{method: http.MethodPost, path: "/api/v1/surveys", handler: s.createSurvey, access: hrOnly, tag: "surveys",
			summary: "Create a survey: 1..10 questions, audience, cadence", body: survey.SurveyInput{}, result: survey.Survey{},
			status: http.StatusCreated},
		{method: http.MethodGet, path: "/api/v1/surveys/:id", handler: s.getSurvey, access: leadership, tag: "surveys",
			summary: "One survey with its current questions", result: survey.Survey{}},
		{method: http.MethodPatch, path: "/api/v1/surveys/:id", handler: s.updateSurvey, access: hrOnly, tag: "surveys",
			summary: "Change a survey; changed questions become a new version once a round has used the old ones",
			body:    survey.SurveyInput{}, result: survey.Survey{}},
		{method: http.MethodPost, path: "/api/v1/surveys/:id/archive", handler: s.archiveSurvey, access: hrOnly, tag: "surveys",
			summary: "Archive a survey: no more rounds, results stay", result: survey.Survey{}},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/schedule", handler: s.surveySchedule, access: leadership, tag: "surveys",
			summary: "The next send times of the survey's cadence, in UTC and in its zone",
			query:   []param{{"count", "integer", "how many (1..100, default 5)"}}, result: schedulePreview{}},
		{method: http.MethodPost, path: "/api/v1/schedule/preview", handler: s.previewCadence, access: hrOnly, tag: "surveys",
			summary: "The next send times of a cadence that is not saved yet, in its zone and in up to 5 recipients' zones (a recipient gets each round at the cadence's wall-clock time in their own zone)", body: previewRequest{}, result: schedulePreview{}},
		{method: http.MethodPost, path: "/api/v1/audience/preview", handler: s.previewAudience, access: hrOnly, tag: "surveys",
			summary: "How many active people an audience (team_ids and their sub-teams; everyone when empty) reaches now, and their time zones, most common first",
			body:    survey.Audience{}, result: survey.AudienceSummary{}},
		{method: http.MethodPost, path: "/api/v1/surveys/:id/rounds", handler: s.sendRound, access: hrOnly, tag: "rounds",
			summary: "Send a round now (201; a retry in the same minute returns the same round with 200)",
			result:  survey.RoundStatus{}, status: http.StatusCreated},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/rounds", handler: s.listRounds, access: hrOnly, paged: true, tag: "rounds",
			summary: "A survey's rounds with participation and status (scheduled until its first send, then open, then closed), newest first",
			result:  []survey.RoundStatus{}},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/results", handler: s.surveyResults, access: leadership, tag: "results",
			summary: "eNPS trend points with margin of error and participation; groups below the threshold are suppressed; actions are the plans published for exactly this group, to mark on the trend",
			query:   resultParams, result: resultsWithActions{}},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/heatmap", handler: s.surveyHeatmap, access: leadership, tag: "results",
			summary: "eNPS of every team the viewer may see (HR: the organisation first) by week (default), month or quarter, in one call; each cell is the results point for that team and period, suppressed alike; actions are the plans published for the rows' groups, to mark on them",
			query:   heatmapParams, result: heatmapWithActions{}},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/drivers", handler: s.surveyDrivers, access: leadership, tag: "results",
			summary: "Driver analysis: Spearman's rho (n, 95% Fisher-z interval) between each scale, yes/no and choice answer and the eNPS answer, strongest first; only for a group with at least 25 answers, on rounds where the group is shown, with answers fewer than k gave pooled",
			query:   resultParams[1:], result: survey.Drivers{}},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/results.csv", handler: s.surveyResultsCSV, access: leadership, tag: "results",
			summary: "The same aggregates as CSV (never single answers)", query: resultParams, raw: true},
		{method: http.MethodGet, path: "/api/v1/surveys/:id/comments", handler: s.surveyComments, access: leadership, paged: true, tag: "results",
			summary: "Free-text answers without author, only for groups at or above the comment threshold",
			query:   resultParams[1:], result: []survey.Comment{}},
		{method: http.MethodPost, path: "/api/v1/comments/:id/replies", handler: s.replyToComment, access: leadership, tag: "results",
			summary: "Reply to a comment whose author allowed anonymous replies; the bot delivers it without revealing the author. delivery says how it reaches them: slack, or dashboard when Slack is off (the author reads it under My surveys)",
			body:    replyRequest{}, result: sentReply{}, status: http.StatusCreated},
		{method: http.MethodGet, path: "/api/v1/me/conversations", handler: s.myConversations, access: signedIn, tag: "results",
			summary: "Replies to my own comments (those I allowed replies to), with what I wrote, as my Slack DMs show them; newest reply first. Until 30 days after the round closed",
			result:  []conversation.AuthorThread{}, quiet: true},
		{method: http.MethodPost, path: "/api/v1/me/conversations", handler: s.answerAsAuthor, access: signedIn, tag: "results",
			summary: "Answer a reply to my own comment, anonymously (comment_id and body); 403 for anyone but the author, 409 once the conversation closed",
			body:    authorReplyRequest{}, result: sentReply{}, status: http.StatusCreated, quiet: true},
		{method: http.MethodGet, path: "/api/v1/comments/:id/replies", handler: s.commentThread, access: leadership, paged: true, tag: "results",
			summary: "A comment's thread: replies and the author's answers (never the author's name)", result: []conversation.Reply{}},
		{method: http.MethodGet, path: "/api/v1/me/rounds", handler: s.myRounds, access: signedIn, tag: "rounds",
			summary: "The open rounds I was asked in", result: []survey.AssignedRound{}},
		{method: http.MethodGet, path: "/api/v1/rounds/:id", handler: s.getRound, access: signedIn, tag: "rounds",
			summary: "HR: the round's participation. A recipient: the round and its questions. Anyone else: 404",
			result:  survey.RoundStatus{}},
		{method: http.MethodGet, path: "/api/v1/rounds/:id/deliveries", handler: s.roundDeliveries, access: hrOnly, paged: true, tag: "rounds",
			summary: "Each recipient's survey DM by name: status (scheduled before their local send time, pending, sent, failed, not_sent), due time in UTC and on their own clock, and why it failed; never whether they answered (no reminder or answer changes it)",
			query:   []param{{"status", "string", "only this status: scheduled, pending, sent, failed or not_sent"}},
			result:  []delivery.Recipient{}},
		{method: http.MethodPost, path: "/api/v1/rounds/:id/close", handler: s.closeRound, access: hrOnly, tag: "rounds",
			summary: "Close a round early; answer hashes are erased", result: roundReport{}},
		{method: http.MethodPost, path: "/api/v1/rounds/:id/answers", handler: s.answerRound, access: signedIn, tag: "rounds",
			summary: "Answer (or change my answers to) an open round I was asked in; stored without my identity. 409 before it reaches me (naming when, in my zone) or after it closed; 403 if not asked or deactivated",
			body:    answersRequest{}, result: survey.Receipt{}, quiet: true},
		{method: http.MethodGet, path: "/api/v1/rounds/:id/answers", handler: s.myAnswers, access: signedIn, tag: "rounds",
			summary: "My answers to an open round, and whether I allowed anonymous replies (no longer findable once it closes)",
			result:  survey.MyResponse{}, quiet: true},

		{method: http.MethodGet, path: "/api/v1/tokens", handler: s.listTokens, access: signedIn, paged: true, tag: "tokens",
			summary: "The viewer's API tokens (never their secrets), revoked ones included; HR may name another person",
			query:   []param{ownerParam}, result: []auth.Token{}},
		{method: http.MethodPost, path: "/api/v1/tokens", handler: s.createToken, access: signedIn, tag: "tokens",
			summary: "Create an API token for the viewer; the secret is in the reply only this once",
			body:    tokenRequest{}, result: createdToken{}, status: http.StatusCreated},
		{method: http.MethodDelete, path: "/api/v1/tokens/:id", handler: s.revokeToken, access: signedIn, tag: "tokens",
			summary: "Revoke one of the viewer's tokens; HR may revoke anyone's (404 for someone else's token otherwise)", result: auth.Token{}},
		{method: http.MethodGet, path: "/api/v1/sessions", handler: s.listSessions, access: signedIn, paged: true, tag: "tokens",
			summary: "The viewer's live dashboard sign-ins, newest first, current marking the one this request uses; HR may name another person, whose sign-ins show only the day of each time",
			query:   []param{ownerParam}, result: []auth.Session{}},
		{method: http.MethodDelete, path: "/api/v1/sessions/:id", handler: s.revokeSession, access: signedIn, tag: "tokens",
			summary: "Sign a dashboard session out at once: one's own, or anyone's for HR (404 for someone else's session otherwise)",
			result:  auth.Session{}},
		{method: http.MethodDelete, path: "/api/v1/session", handler: s.signOut, access: signedIn, tag: "tokens",
			summary: "Sign out: end the dashboard session this request carries (an API token is left alone)",
			result:  signOutResult{}},
		{method: http.MethodGet, path: "/api/v1/audit", handler: s.auditLog, access: hrOnly, tag: "people",
			summary: "The audit log of changes to people's email and Slack binding, newest first (append-only); " +
				"next_cursor beside data fetches the next page (null on the last)",
			query:  []param{{"limit", "integer", "1..500, default 50"}, {"cursor", "string", "next_cursor of the page before"}},
			result: []directory.AuditEntry{}},
	}
}

// oneOnOneRoutes are the one-on-ones (PRODUCT.md section 5). Every signed-in
// role may call them; only a series' two participants ever get past 404.
func (s *Server) oneOnOneRoutes() []route {
	const tag, series, meeting = "one-on-ones", "/api/v1/one-on-ones/:id", "/api/v1/one-on-ones/meetings/:id"
	get, post, patch, del := http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete
	return []route{
		{method: get, path: "/api/v1/one-on-ones", handler: s.mySeries, access: signedIn, paged: true, tag: tag,
			summary: "The one-on-one series I take part in, as manager or report (never anyone else's, HR included)",
			result:  []oneonone.Series{}},
		{method: post, path: "/api/v1/one-on-ones", handler: s.createSeries, access: signedIn, tag: tag,
			summary: "Start a series with one of my direct reports (optional cadence suggests meeting times); 409 if it exists",
			body:    oneonone.SeriesInput{}, result: oneonone.Series{}, status: http.StatusCreated},
		{method: get, path: series, handler: s.getSeries, access: signedIn, tag: tag,
			summary: "A series I take part in, with its meetings (404 for anyone else)", result: oneonone.SeriesDetail{}},
		{method: get, path: series + "/meetings", handler: s.listMeetings, access: signedIn, paged: true, tag: tag,
			summary: "A series' meetings, oldest first", result: []oneonone.Meeting{}},
		{method: post, path: series + "/meetings", handler: s.createMeeting, access: signedIn, tag: tag,
			summary: "Schedule a meeting (scheduled_at defaults to the cadence's next time); both get a Slack reminder an hour before",
			body:    oneonone.MeetingInput{}, result: oneonone.Meeting{}, status: http.StatusCreated},
		{method: get, path: series + "/action-items", handler: s.seriesActionItems, access: signedIn, paged: true, tag: tag,
			summary: "Every action item of a series", query: []param{{"open", "boolean", "only open items when true"}},
			result: []oneonone.ActionItem{}},
		{method: post, path: series + "/carry-over", handler: s.carryOver, access: signedIn, tag: tag,
			summary: "Move open action items of completed or cancelled meetings to the next scheduled one (idempotent)",
			result:  carryOverResult{}},
		{method: get, path: meeting, handler: s.getMeeting, access: signedIn, tag: tag,
			summary: "A meeting: agenda, shared notes and my private notes, action items, and open items from earlier meetings",
			result:  oneonone.MeetingDetail{}},
		{method: patch, path: meeting, handler: s.updateMeeting, access: signedIn, tag: tag,
			summary: "Move, rename, cancel (status cancelled) or reinstate a meeting", body: oneonone.MeetingPatch{},
			result: oneonone.Meeting{}},
		{method: post, path: meeting + "/complete", handler: s.completeMeeting, access: signedIn, tag: tag,
			summary: "Mark a meeting held; its open action items carry over to the next meeting (idempotent)",
			result:  oneonone.Meeting{}},
		{method: post, path: meeting + "/agenda", handler: s.addAgendaItem, access: signedIn, tag: tag,
			summary: "Add a topic to a meeting's agenda", body: oneonone.AgendaInput{}, result: oneonone.AgendaItem{},
			status: http.StatusCreated},
		{method: patch, path: "/api/v1/one-on-ones/agenda/:id", handler: s.updateAgendaItem, access: signedIn, tag: tag,
			summary: "Tick off a topic (either participant) or reword it (its author)", body: oneonone.AgendaPatch{},
			result: oneonone.AgendaItem{}},
		{method: post, path: meeting + "/notes", handler: s.addNote, access: signedIn, tag: tag,
			summary: "Write a note: visibility shared (both see it) or private (default; only me)", body: oneonone.NoteInput{},
			result: oneonone.Note{}, status: http.StatusCreated},
		{method: patch, path: "/api/v1/one-on-ones/notes/:id", handler: s.updateNote, access: signedIn, tag: tag,
			summary: "Change one of my notes", body: oneonone.NotePatch{}, result: oneonone.Note{}},
		{method: del, path: "/api/v1/one-on-ones/notes/:id", handler: s.deleteNote, access: signedIn, tag: tag,
			summary: "Delete one of my notes", result: oneonone.Note{}},
		{method: post, path: meeting + "/action-items", handler: s.addActionItem, access: signedIn, tag: tag,
			summary: "Add an action item owned by either participant, with an optional due_on date", body: oneonone.ActionItemInput{},
			result: oneonone.ActionItem{}, status: http.StatusCreated},
		{method: patch, path: "/api/v1/one-on-ones/action-items/:id", handler: s.updateActionItem, access: signedIn, tag: tag,
			summary: "Change an action item (a due_on of \"\" clears it; done true/false)", body: oneonone.ActionItemPatch{},
			result: oneonone.ActionItem{}},
		{method: post, path: "/api/v1/one-on-ones/action-items/:id/done", handler: s.completeActionItem, access: signedIn, tag: tag,
			summary: "Mark an action item done", result: oneonone.ActionItem{}},
		{method: del, path: "/api/v1/one-on-ones/action-items/:id", handler: s.deleteActionItem, access: signedIn, tag: tag,
			summary: "Delete an action item", result: oneonone.ActionItem{}},
	}
}
