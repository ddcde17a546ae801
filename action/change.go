package action

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// PlanPatch changes a plan's words, links, owner or due date; nil fields
// stay. Version is the version the change was made on: when the plan has
// changed since, the edit is refused rather than overwrite that change.
// A QuestionID of 0 removes the link.
type PlanPatch struct {
	Version    int       `json:"version"`
	Title      *string   `json:"title"`
	Heard      *string   `json:"heard"`
	QuestionID *int64    `json:"question_id"`
	CommentIDs *[]string `json:"comment_ids"`
	WillDo     *string   `json:"will_do"`
	OwnerID    *int64    `json:"owner_id"`
	DueOn      *string   `json:"due_on"`
}

// Edit applies a patch to an open plan (planned or in progress).
func (s *Service) Edit(ctx context.Context, id int64, a Actor, patch PlanPatch) (Plan, error) {
	if patch.Version <= 0 {
		return Plan{}, fault.Invalidf("version", "is required: the version of the plan the edit was made on")
	}
	var p Plan
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var err error
		if p, err = s.forChange(ctx, tx, id, a); err != nil {
			return err
		}
		if !p.Open() {
			return fault.Conflictf("this action is %s; a finished action is no longer edited", p.Status)
		}
		if p.Version != patch.Version {
			return staleVersion(p)
		}
		in, err := s.patched(p, patch)
		if err != nil {
			return err
		}
		if err := s.in(tx).checkLinks(ctx, a, in); err != nil {
			return err
		}
		return s.in(tx).save(&p, in)
	})
	if err != nil {
		return Plan{}, err
	}
	return s.withOwnerNames(ctx, []Plan{p})[0], nil
}

func staleVersion(p Plan) error {
	return fault.Conflictf("this action changed since it was loaded (now version %d); load it again and redo the edit", p.Version)
}

// patched is the plan's input with the patch applied, checked.
func (s *Service) patched(p Plan, patch PlanPatch) (PlanInput, error) {
	in := PlanInput{SurveyID: p.SurveyID, RoundID: p.RoundID, TeamID: p.TeamID, Title: p.Title, Heard: p.Heard,
		QuestionID: p.QuestionID, CommentIDs: p.CommentIDs, WillDo: p.WillDo, OwnerID: p.OwnerID, DueOn: p.DueOn}
	set(&in.Title, patch.Title)
	set(&in.Heard, patch.Heard)
	set(&in.WillDo, patch.WillDo)
	set(&in.OwnerID, patch.OwnerID)
	set(&in.DueOn, patch.DueOn)
	if patch.QuestionID != nil {
		in.QuestionID = patch.QuestionID
		if *patch.QuestionID == 0 {
			in.QuestionID = nil
		}
	}
	if patch.CommentIDs != nil {
		in.CommentIDs = nonNil(*patch.CommentIDs)
	}
	var c fault.Checker
	checkText(&c, "title", in.Title, MaxTitle)
	checkText(&c, "heard", in.Heard, MaxText)
	checkText(&c, "will_do", in.WillDo, MaxText)
	if in.DueOn != p.DueOn { // a date already past may stay, not be newly set
		checkDue(&c, in.DueOn, s.today())
	}
	checkCommentIDs(&c, in.CommentIDs)
	return in, c.Err()
}

// jsonIDs is ids as their column holds them (a map update skips the
// field's serializer).
func jsonIDs(ids []string) string {
	b, _ := json.Marshal(nonNil(ids))
	return string(b)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// save writes in over p, only if p is still at the version it was read at.
func (s *Service) save(p *Plan, in PlanInput) error {
	p.Title, p.Heard, p.WillDo = strings.TrimSpace(in.Title), strings.TrimSpace(in.Heard), strings.TrimSpace(in.WillDo)
	p.QuestionID, p.CommentIDs, p.OwnerID, p.DueOn = in.QuestionID, nonNil(in.CommentIDs), in.OwnerID, in.DueOn
	return s.bump(p, map[string]any{"title": p.Title, "heard": p.Heard, "will_do": p.WillDo,
		"question_id": p.QuestionID, "comment_ids": jsonIDs(p.CommentIDs), "owner_id": p.OwnerID, "due_on": p.DueOn})
}

// bump writes cols and moves the plan to its next version, on the
// condition that nobody moved it first (a conditional update, so two
// edits made on the same version never both land).
func (s *Service) bump(p *Plan, cols map[string]any) error {
	now := s.now()
	cols["version"], cols["updated_at"] = p.Version+1, now
	res := s.db.Model(&Plan{}).Where("id = ? AND version = ?", p.ID, p.Version).Updates(cols)
	if res.Error != nil && database.IsUniqueViolation(res.Error) {
		return fault.Conflictf("this group already has an action titled %q on this round", p.Title)
	}
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return staleVersion(*p)
	}
	p.Version++
	p.UpdatedAt = now
	return nil
}

// PublishHook runs inside the transaction that publishes a plan, with the
// people to tell, so the messages are queued exactly when the plan is
// published (and never twice).
type PublishHook func(ctx context.Context, tx *gorm.DB, p Plan, audience []directory.Employee) error

// Publish tells the plan's group about it: it stamps published_at and hands
// the audience to hook. Publishing an already published plan changes
// nothing and tells nobody again: it returns the plan with no audience.
// A dropped plan is not published.
func (s *Service) Publish(ctx context.Context, id int64, a Actor, hook PublishHook) (Plan, []directory.Employee, error) {
	var (
		p        Plan
		audience []directory.Employee
	)
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var err error
		if p, err = s.forChange(ctx, tx, id, a); err != nil || p.PublishedAt != nil {
			return err
		}
		if p.Status == StatusDropped {
			return fault.Conflictf("this action was dropped; it is not published")
		}
		now := s.now()
		// Conditional on still being unpublished: of two publishes at
		// once, one tells the group and the other finds it done.
		res := tx.Model(&Plan{}).Where("id = ? AND published_at IS NULL", p.ID).
			Updates(map[string]any{"published_at": now, "version": p.Version + 1, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			p, err = loadPlan(tx, id)
			return errors.Join(res.Error, err)
		}
		p.PublishedAt, p.Version, p.UpdatedAt = &now, p.Version+1, now
		if audience, err = s.in(tx).Audience(ctx, p); err != nil {
			return err
		}
		if hook != nil {
			return hook(ctx, tx, p, audience)
		}
		return nil
	})
	if err != nil {
		return Plan{}, nil, err
	}
	return s.withOwnerNames(ctx, []Plan{p})[0], audience, nil
}
