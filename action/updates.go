package action

import (
	"context"
	"log/slog"
	"strings"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
)

// UpdateInput is a dated note on a plan's progress; Status, when set, moves
// the plan to that status at the same time. Version, when set, is the
// version the update was written on, refused if the plan moved since.
type UpdateInput struct {
	Text    string `json:"text"`
	Status  string `json:"status"`
	Version int    `json:"version"`
}

// AddUpdate records an update and, if it names one, the change of status:
// forward only (planned, in progress, then done or dropped). Done stamps
// done_at; done and dropped are final and seal the plan's reactions.
func (s *Service) AddUpdate(ctx context.Context, id int64, a Actor, in UpdateInput) (Plan, Update, error) {
	var c fault.Checker
	checkText(&c, "text", in.Text, MaxText)
	c.Check(in.Status == "" || validStatus(in.Status), "status", "must be planned, in_progress, done or dropped")
	if err := c.Err(); err != nil {
		return Plan{}, Update{}, err
	}
	var (
		p Plan
		u Update
	)
	err := s.withTx(ctx, func(tx *gorm.DB) error {
		var err error
		if p, err = s.forChange(ctx, tx, id, a); err != nil {
			return err
		}
		if in.Version > 0 && in.Version != p.Version {
			return staleVersion(p)
		}
		u = Update{PlanID: p.ID, AuthorID: a.Employee.ID, Text: strings.TrimSpace(in.Text), At: s.now()}
		if in.Status != "" && in.Status != p.Status {
			from, to := p.Status, in.Status
			if err := s.in(tx).move(ctx, &p, to); err != nil {
				return err
			}
			u.FromStatus, u.ToStatus = &from, &to
		} else if !p.Open() {
			return fault.Conflictf("this action is %s; a finished action takes no more updates", p.Status)
		} else if err := s.in(tx).bump(&p, map[string]any{}); err != nil {
			return err
		}
		return tx.Create(&u).Error
	})
	if err != nil {
		return Plan{}, Update{}, err
	}
	if !p.Open() && u.ToStatus != nil {
		// The seal has committed; a failure here leaves the deleted key
		// only in free space, which the next seal clears.
		if err := shredKeys(ctx, s.db); err != nil {
			slog.WarnContext(ctx, "could not clear deleted reaction keys from the database files", "err", err)
		}
	}
	return s.withOwnerNames(ctx, []Plan{p})[0], u, nil
}

// move changes the plan's status, forward only; done stamps done_at, and
// done or dropped seals the plan's reactions.
func (s *Service) move(ctx context.Context, p *Plan, to string) error {
	if !CanMove(p.Status, to) {
		return fault.Invalidf("status", "an action that is %s cannot become %s", p.Status, to)
	}
	cols := map[string]any{"status": to}
	if to == StatusDone {
		now := s.now()
		cols["done_at"] = now
		p.DoneAt = &now
	}
	if err := s.bump(p, cols); err != nil {
		return err
	}
	p.Status = to
	if p.Open() {
		return nil
	}
	return s.sealReactions(ctx, p)
}

// Updates returns one page of a plan's updates, oldest first, to anyone
// who may see the plan.
func (s *Service) Updates(ctx context.Context, id int64, a Actor, r page.Request) ([]Update, string, error) {
	if _, err := s.Get(ctx, id, a); err != nil {
		return nil, "", err
	}
	q, err := page.Query(s.db.WithContext(ctx).Where("plan_id = ?", id), r, page.Order{})
	if err != nil {
		return nil, "", err
	}
	out := []Update{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, r, func(u Update) (any, int64) { return nil, u.ID })
	return out, next, nil
}
