package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// Surveys is what the Slack side asks of the survey package; *survey.Service
// implements it. Answers go through Answer, the same call the API uses.
type Surveys interface {
	SurveyLookup
	Surveys(ctx context.Context) ([]survey.Survey, error)
	AssignedRound(ctx context.Context, roundID, employeeID int64) (survey.AssignedRound, error)
	OpenRoundsFor(ctx context.Context, employeeID int64) ([]survey.AssignedRound, error)
	MyAnswers(ctx context.Context, roundID, employeeID int64) ([]survey.AnswerInput, error)
	MyResponse(ctx context.Context, roundID, employeeID int64) (survey.MyResponse, error)
	Answer(ctx context.Context, roundID, employeeID int64, inputs []survey.AnswerInput) (survey.Receipt, error)
	AnswerWith(ctx context.Context, roundID, employeeID int64, inputs []survey.AnswerInput, opts survey.AnswerOptions) (survey.Receipt, error)
	Results(ctx context.Context, surveyID int64, q survey.ResultsQuery, scope directory.Scope) (survey.Results, error)
}

// People is what the Slack side asks of the people directory.
type People interface {
	// EmployeeBySlackUserID returns fault.ErrNotFound for an unknown user.
	EmployeeBySlackUserID(ctx context.Context, slackUserID string) (directory.Employee, error)
	ScopeOf(ctx context.Context, viewer directory.Employee) (directory.Scope, error)
	Teams(ctx context.Context) ([]directory.Team, error)
}

// SignInIssuer issues one-time dashboard sign-in codes; *auth.SignIns
// implements it.
type SignInIssuer interface {
	Issue(ctx context.Context, employeeID int64) (code string, expiresAt time.Time, err error)
}

// AuthorReplies records an author's anonymous answer in their comment's
// thread (and queues its delivery); it refuses anyone but the author with
// fault.ErrForbidden.
type AuthorReplies func(ctx context.Context, commentID string, employeeID int64, body string) error

// AppConfig is what the Slack app needs.
type AppConfig struct {
	Slack   SlackAPI
	Surveys Surveys
	People  People
	// OneOnOnes finds a person's next 1:1 for the Home tab; nil leaves it out.
	OneOnOnes NextOneOnOnes
	// Actions lists a person's open action plans on the Home tab and takes
	// their reactions; nil leaves both out.
	Actions ActionPlans
	// SignIns backs `/pulse dashboard`; nil answers it with the help text.
	SignIns SignInIssuer
	// SigningSecret verifies HTTPS requests from Slack. Socket Mode does
	// not use it.
	SigningSecret string
	// BaseURL is where people reach Pulse, for the sign-in link.
	BaseURL string
	// AuthorReplies takes answers from the "Answer anonymously" button of
	// a reply DM; nil until the job queue exists (see SetAuthorReplies).
	AuthorReplies AuthorReplies
	// Now is the clock; time.Now when nil.
	Now    func() time.Time
	Logger *slog.Logger
}

// App is Pulse's Slack app: it answers Slack's requests (taps, modal
// submissions, /pulse, App Home), over HTTPS or Socket Mode alike.
//
// Every request is acknowledged at once. The only work done before the
// acknowledgement is what decides the reply: looking the person up and,
// for a tap or a submission, recording the answer in one short transaction.
// Everything that calls Slack back (updating the DM through the
// response_url, views.open, views.publish) runs afterwards in the
// background with a detached context and a timeout, so a slow Slack can
// never push the acknowledgement past Slack's 3 seconds.
type App struct {
	cfg        AppConfig
	background *background
}

// Timeouts: the work before an acknowledgement must leave Slack's 3 s some
// headroom; background calls get longer, since nobody waits on them.
const (
	inlineBudget      = 2500 * time.Millisecond
	backgroundTimeout = 15 * time.Second
)

// NewApp returns the Slack app.
func NewApp(cfg AppConfig) *App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &App{cfg: cfg, background: newBackground(backgroundTimeout, cfg.Logger)}
}

// SetAuthorReplies connects the anonymous-answer flow once the job queue
// that delivers the answers exists. Call it before serving.
func (a *App) SetAuthorReplies(fn AuthorReplies) { a.cfg.AuthorReplies = fn }

// Wait blocks until the background work started so far has finished: for a
// graceful shutdown, after the HTTP server and the socket have stopped, and
// for tests.
func (a *App) Wait() { a.background.Wait() }

// Endpoint is one URL Slack calls over HTTPS. Its handler verifies Slack's
// signature on the raw body before anything parses it and refuses with 401
// otherwise.
type Endpoint struct {
	Path, Summary string
	Handler       http.Handler
	// Answers marks the endpoint answers arrive at (taps, the modal): the
	// server must neither count nor log its requests in a way that dates
	// an answer.
	Answers bool
}

// Endpoints are the request URLs to give Slack (see the app manifest).
func (a *App) Endpoints() []Endpoint {
	signed := func(h http.HandlerFunc) http.Handler { return RequireSignature(a.cfg.SigningSecret, a.cfg.Now, h) }
	return []Endpoint{
		{Path: "/slack/interactions", Summary: "Slack interactivity: eNPS taps, the survey modal", Handler: signed(a.serveInteraction),
			Answers: true},
		{Path: "/slack/commands", Summary: "Slack slash command /pulse", Handler: signed(a.serveCommand)},
		{Path: "/slack/events", Summary: "Slack Events API: url_verification, app_home_opened", Handler: signed(a.serveEvent)},
	}
}

// employee finds who a Slack user is. found is false (with a nil error) for
// someone the directory does not list.
func (a *App) employee(ctx context.Context, slackUserID string) (e directory.Employee, found bool, err error) {
	if slackUserID == "" {
		return e, false, nil
	}
	err = database.Retry(ctx, func() (err error) {
		e, err = a.cfg.People.EmployeeBySlackUserID(ctx, slackUserID)
		return err
	})
	if errors.Is(err, fault.ErrNotFound) {
		return e, false, nil
	}
	return e, err == nil, err
}

// listedRounds are the person's open rounds with their current eNPS answers.
func (a *App) listedRounds(ctx context.Context, me directory.Employee) ([]ListedRound, error) {
	rounds, err := a.cfg.Surveys.OpenRoundsFor(ctx, me.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ListedRound, 0, len(rounds))
	for _, r := range rounds {
		p, err := promptFor(ctx, a.cfg.Surveys, r, me)
		if err != nil {
			return nil, err
		}
		listed := ListedRound{Prompt: p}
		if r.Answered && p.ENPSQuestionID != "" {
			if listed.Recorded, err = a.recordedENPS(ctx, r.ID, me.ID, p.ENPSQuestionID); err != nil {
				return nil, err
			}
		}
		out = append(out, listed)
	}
	return out, nil
}

// recordedENPS is the person's stored eNPS answer, nil if there is none.
func (a *App) recordedENPS(ctx context.Context, roundID, employeeID int64, questionID string) (*int, error) {
	answers, err := a.cfg.Surveys.MyAnswers(ctx, roundID, employeeID)
	if err != nil {
		return nil, err
	}
	for _, ans := range answers {
		if n, ok := ans.Value.(int); ok && questionIDString(ans.QuestionID) == questionID {
			return &n, nil
		}
	}
	return nil, nil
}

func (a *App) inline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, inlineBudget)
}

// isDomainRefusal tells a refusal by a domain package (a conflict, invalid
// input, something missing) from a storage or transport failure.
func isDomainRefusal(err error) bool {
	_, conflict := errors.AsType[*fault.Conflict](err)
	_, invalid := errors.AsType[*fault.Invalid](err)
	return conflict || invalid || errors.Is(err, fault.ErrNotFound)
}
