package action

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// PlanInput makes a plan on a closed round's results. TeamID nil means the
// organisation (HR only). QuestionID and CommentIDs are optional links;
// DueOn is a date, YYYY-MM-DD, today or later.
type PlanInput struct {
	SurveyID   int64    `json:"survey_id"`
	RoundID    int64    `json:"round_id"`
	TeamID     *int64   `json:"team_id"`
	Title      string   `json:"title"`
	Heard      string   `json:"heard"`
	QuestionID *int64   `json:"question_id"`
	CommentIDs []string `json:"comment_ids"`
	WillDo     string   `json:"will_do"`
	OwnerID    int64    `json:"owner_id"`
	DueOn      string   `json:"due_on"`
}

// Create records a new plan, planned and not yet published. Only HR, or a
// manager of the team, may; only on a closed round whose results show the
// group (at or above k); linked comments must be ones the comment
// threshold lets the group see that round.
func (s *Service) Create(ctx context.Context, a Actor, in PlanInput) (Plan, error) {
	if !a.may(in.TeamID) {
		return Plan{}, forbidden(in.TeamID)
	}
	var c fault.Checker
	checkText(&c, "title", in.Title, MaxTitle)
	checkText(&c, "heard", in.Heard, MaxText)
	checkText(&c, "will_do", in.WillDo, MaxText)
	checkDue(&c, in.DueOn, s.today())
	checkCommentIDs(&c, in.CommentIDs)
	c.Check(in.SurveyID > 0, "survey_id", "is required")
	c.Check(in.RoundID > 0, "round_id", "is required")
	if err := c.Err(); err != nil {
		return Plan{}, err
	}
	if err := s.checkLinks(ctx, a, in); err != nil {
		return Plan{}, err
	}
	now := s.now()
	p := Plan{SurveyID: in.SurveyID, RoundID: in.RoundID, TeamID: in.TeamID, Title: strings.TrimSpace(in.Title),
		Heard: strings.TrimSpace(in.Heard), QuestionID: in.QuestionID, CommentIDs: nonNil(in.CommentIDs),
		WillDo: strings.TrimSpace(in.WillDo), OwnerID: in.OwnerID, DueOn: in.DueOn, Status: StatusPlanned,
		Version: 1, CreatedBy: a.Employee.ID, CreatedAt: now, UpdatedAt: now}
	if err := s.db.WithContext(ctx).Create(&p).Error; err != nil {
		if database.IsUniqueViolation(err) {
			return Plan{}, fault.Conflictf("this group already has an action titled %q on this round", p.Title)
		}
		return Plan{}, err
	}
	return s.withOwnerNames(ctx, []Plan{p})[0], nil
}

func forbidden(teamID *int64) error {
	if teamID == nil {
		return fault.Forbidden("organisation-wide actions are for HR")
	}
	return fault.Forbidden("actions are for HR and the managers of the team")
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func (s *Service) today() string { return s.now().Format(time.DateOnly) }

// checkLinks checks what the plan points at: a closed round of the survey
// whose results show the group, a question of the survey, comments the
// group may see, an active owner the actor may name.
func (s *Service) checkLinks(ctx context.Context, a Actor, in PlanInput) error {
	round, err := s.surveys.Round(ctx, in.RoundID)
	if err != nil || round.SurveyID != in.SurveyID {
		return fault.Invalidf("round_id", "is not a round of survey %d", in.SurveyID)
	}
	if !round.Sealed {
		return fault.Conflictf("round %d is not closed yet: actions are made on a closed round's results", round.ID)
	}
	if in.TeamID != nil {
		if _, err := s.dir.Team(ctx, *in.TeamID); err != nil {
			return fault.Invalidf("team_id", "is not a team")
		}
	}
	shown, err := s.GroupShown(ctx, round, in.TeamID)
	if err != nil {
		return err
	}
	if !shown {
		return fault.Conflictf("this round's results for the group are suppressed (fewer respondents than the anonymity threshold), so no action can be made on them")
	}
	var c fault.Checker
	if in.QuestionID != nil {
		ok, err := s.questionOf(ctx, in.SurveyID, *in.QuestionID)
		if err != nil {
			return err
		}
		c.Check(ok, "question_id", "is not a question of this survey")
	}
	if len(in.CommentIDs) > 0 {
		ok, err := s.commentsShown(ctx, round, in.TeamID, in.CommentIDs)
		if err != nil {
			return err
		}
		c.Check(ok, "comment_ids", "must name comments shown in this round's results for the group")
	}
	if err := s.checkOwner(ctx, &c, a, in.OwnerID); err != nil {
		return err
	}
	return c.Err()
}

// roundQuery is a results query for one round of one group.
func roundQuery(round survey.Round, teamID *int64) survey.ResultsQuery {
	from, to := round.ScheduledAt, round.ScheduledAt.Add(time.Second)
	return survey.ResultsQuery{GroupBy: survey.ByRound, TeamID: teamID, From: &from, To: &to}
}

// GroupShown reports whether a closed round's results show the group (nil:
// the organisation), asking the results themselves, so a plan follows
// exactly the suppression results apply (threshold and subtraction).
func (s *Service) GroupShown(ctx context.Context, round survey.Round, teamID *int64) (bool, error) {
	res, err := s.surveys.Results(ctx, round.SurveyID, roundQuery(round, teamID), directory.EveryoneScope())
	if err != nil {
		return false, err
	}
	for _, pt := range res.Points {
		if pt.RoundID != nil && *pt.RoundID == round.ID {
			return !pt.Suppressed, nil
		}
	}
	return false, nil
}

func (s *Service) questionOf(ctx context.Context, surveyID, questionID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&survey.Question{}).Where("id = ? AND survey_id = ?", questionID, surveyID).Count(&n).Error
	return n > 0, err
}

// commentsShown reports whether every id is a comment the group's results
// show for the round: a comment of a group under the comment threshold is
// never returned by Comments, so it can never be linked.
func (s *Service) commentsShown(ctx context.Context, round survey.Round, teamID *int64, ids []string) (bool, error) {
	comments, err := s.surveys.Comments(ctx, round.SurveyID, roundQuery(round, teamID), directory.EveryoneScope())
	if err != nil {
		return false, err
	}
	shown := map[string]bool{}
	for _, cm := range comments {
		shown[cm.ID] = true
	}
	return !slices.ContainsFunc(ids, func(id string) bool { return !shown[id] }), nil
}

// checkOwner: an active employee, and for a manager one they may see (a
// member of their teams, a report, or themselves).
func (s *Service) checkOwner(ctx context.Context, c *fault.Checker, a Actor, ownerID int64) error {
	if ownerID <= 0 {
		c.Add("owner_id", "is required")
		return nil
	}
	owner, err := s.dir.Employee(ctx, ownerID)
	if err != nil {
		c.Add("owner_id", "is not an employee")
		return nil
	}
	c.Check(owner.Active, "owner_id", "is no longer active")
	c.Check(a.Scope.HasEmployee(ownerID), "owner_id", "must be someone in your teams")
	return nil
}

func (s *Service) withOwnerNames(ctx context.Context, plans []Plan) []Plan {
	ids := make([]int64, 0, len(plans))
	for _, p := range plans {
		ids = append(ids, p.OwnerID)
	}
	var people []directory.Employee
	if err := s.db.WithContext(ctx).Select("id, name").Where("id IN ?", append(ids, 0)).Find(&people).Error; err != nil {
		return plans
	}
	names := map[int64]string{}
	for _, e := range people {
		names[e.ID] = e.Name
	}
	for i := range plans {
		plans[i].OwnerName = names[plans[i].OwnerID]
	}
	return plans
}

// lockPlan reads a plan inside tx and, on PostgreSQL, holds its row until
// the transaction ends, so edits, updates, publishing and reactions to one
// plan take turns (SQLite lets one writer in at a time anyway).
func lockPlan(tx *gorm.DB, id int64) (Plan, error) {
	if tx.Dialector.Name() == "postgres" {
		tx = tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return loadPlan(tx, id)
}

// forChange loads a plan inside tx for an actor who means to change it: one
// who may not even see it is told it does not exist, one who may see it
// but not change it (an employee of the group) is told so.
func (s *Service) forChange(ctx context.Context, tx *gorm.DB, id int64, a Actor) (Plan, error) {
	p, err := lockPlan(tx, id)
	if err != nil || a.may(p.TeamID) {
		return p, err
	}
	ok, err := s.in(tx).sees(ctx, a, p)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		return Plan{}, ErrNotFound
	}
	return Plan{}, forbidden(p.TeamID)
}
