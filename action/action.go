// Package action keeps the action plans that close the loop on a survey:
// on a closed round's results, HR or a manager of the team records what the
// group said ("what we heard"), what will be done, who owns it and by when,
// then dated updates as its status moves from planned to done (or dropped).
// Once published, the people of the group see it and may react "this helps"
// or "doesn't help yet" anonymously.
//
// Anonymity rules of survey results hold here too: a plan is only made for a
// group whose results that round were shown (at or above k), linked comments
// must be ones the comment threshold lets the group see, and reaction counts
// are shown only at or above k. Reactions are kept like answers (see
// reactions.go): nothing stored says who reacted how. The package never
// imports HTTP or Slack.
package action

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// Plan statuses. A plan starts planned; done and dropped are final.
const (
	StatusPlanned    = "planned"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
	StatusDropped    = "dropped"
)

// Statuses lists every plan status in the order a plan moves through them.
var Statuses = []string{StatusPlanned, StatusInProgress, StatusDone, StatusDropped}

// Plan is one action a team (or, with no TeamID, the organisation) takes on
// what a closed round told it.
type Plan struct {
	ID       int64 `json:"id"`
	SurveyID int64 `json:"survey_id"`
	// RoundID is the closed round whose results the plan answers.
	RoundID int64 `json:"round_id"`
	// TeamID is the group: a team (with its sub-teams), or nil for the
	// whole organisation.
	TeamID *int64 `json:"team_id"`
	// Title is a short name, used in lists and on trend markers.
	Title string `json:"title"`
	// Heard is "what we heard", in the plan author's own words.
	Heard string `json:"heard"`
	// QuestionID optionally links the question the plan answers; the
	// results page shows how it moved since the plan was published.
	QuestionID *int64 `json:"question_id"`
	// CommentIDs optionally link comments of the round's group, by their
	// opaque ids; their text is never copied here.
	CommentIDs []string `json:"comment_ids" gorm:"serializer:json"`
	// WillDo is "what we will do".
	WillDo  string `json:"will_do"`
	OwnerID int64  `json:"owner_id"`
	// DueOn is the due date, YYYY-MM-DD.
	DueOn  string `json:"due_on"`
	Status string `json:"status"`
	// Version counts the plan's changes; an edit names the version it was
	// made on and is refused when the plan has moved on since.
	Version     int        `json:"version"`
	CreatedBy   int64      `json:"created_by"`
	PublishedAt *time.Time `json:"published_at"`
	DoneAt      *time.Time `json:"done_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// ShownHelps and ShownNotYet are the reaction tally as last shown;
	// read them through Reactions, which suppresses them below k.
	ShownHelps  int `json:"-"`
	ShownNotYet int `json:"-"`
	// OwnerName is filled in for display.
	OwnerName string `json:"owner_name" gorm:"-"`
}

// TableName names the plans table.
func (Plan) TableName() string { return "action_plans" }

// Open reports whether the plan is still being worked on (planned or in
// progress).
func (p Plan) Open() bool { return p.Status == StatusPlanned || p.Status == StatusInProgress }

// Published reports whether the group has been told about the plan.
func (p Plan) Published() bool { return p.PublishedAt != nil }

// Update is one dated entry in a plan's history: a note on progress, a
// change of status, or both.
type Update struct {
	ID       int64  `json:"id"`
	PlanID   int64  `json:"plan_id"`
	AuthorID int64  `json:"author_id"`
	Text     string `json:"text"`
	// FromStatus and ToStatus are set when the update changed the status.
	FromStatus *string   `json:"from_status"`
	ToStatus   *string   `json:"to_status"`
	At         time.Time `json:"at"`
}

// TableName names the updates table.
func (Update) TableName() string { return "action_updates" }

// Actor is who asks: the employee and what they may see. HR sees every
// group; a manager the teams they lead and their sub-teams.
type Actor struct {
	Employee directory.Employee
	Scope    directory.Scope
}

// may reports whether the actor may make and change plans for the group:
// HR any, a manager only teams in their scope, nobody else.
func (a Actor) may(teamID *int64) bool {
	switch a.Employee.Role {
	case directory.RoleHRAdmin:
		return true
	case directory.RoleManager:
		return teamID != nil && a.Scope.HasTeam(*teamID)
	}
	return false
}

// Service keeps action plans.
type Service struct {
	db      *gorm.DB
	now     func() time.Time
	secret  []byte
	surveys *survey.Service
	dir     *directory.Directory
}

// New returns the action service over db. secret is the server secret
// (PULSE_SECRET) that, with each plan's random key, hashes who reacted;
// surveys is asked whether a round's results show a group.
func New(db *gorm.DB, now func() time.Time, secret []byte, surveys *survey.Service) *Service {
	clock := func() time.Time { return now().UTC() }
	return &Service{db: db, now: clock, secret: secret, surveys: surveys, dir: directory.New(db, clock)}
}

// ErrNotFound is returned for a plan that does not exist or that the
// caller may not see.
var ErrNotFound = fault.NotFound("action plan")

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

func (s *Service) withTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
}

// in returns the service working inside tx: on SQLite a transaction holds
// the only connection, so nothing inside it may read around it.
func (s *Service) in(tx *gorm.DB) *Service {
	return &Service{db: tx, now: s.now, secret: s.secret, surveys: s.surveys.WithTx(tx), dir: directory.New(tx, s.now)}
}

func loadPlan(tx *gorm.DB, id int64) (Plan, error) {
	var p Plan
	if err := tx.First(&p, id).Error; err != nil {
		return p, notFound(err)
	}
	return p, nil
}

// Get returns one plan the actor may see: HR any, a manager those of
// their teams, an employee the published plans of their own group.
func (s *Service) Get(ctx context.Context, id int64, a Actor) (Plan, error) {
	p, err := loadPlan(s.db.WithContext(ctx), id)
	if err != nil {
		return p, err
	}
	ok, err := s.sees(ctx, a, p)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		return Plan{}, ErrNotFound
	}
	return s.withOwnerNames(ctx, []Plan{p})[0], nil
}
