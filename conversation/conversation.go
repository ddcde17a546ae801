// Package conversation lets a manager (or HR) reply to an anonymous comment
// and the author answer back, without anyone learning who the author is. It
// works only through the sealed link the author consented to, and never
// returns the author's identity to a caller.
package conversation

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/page"
	"github.com/pulsehq/pulse/survey"
)

// MaxReplyLength bounds one reply.
const MaxReplyLength = 2000

// Reply is one message in a comment's thread. A reply from the author
// carries no name.
type Reply struct {
	ID          int64     `json:"id"`
	CommentID   string    `json:"comment_id"`
	FromAuthor  bool      `json:"from_author"`
	ReplierID   *int64    `json:"replier_id"`
	ReplierName string    `json:"replier_name,omitempty" gorm:"-"`
	Body        string    `json:"body"`
	CreatedAt   time.Time `json:"created_at"`
}

// TableName names the replies table.
func (Reply) TableName() string { return "comment_replies" }

// Hook runs in the transaction that stores a reply, to queue its delivery.
type Hook func(ctx context.Context, tx *gorm.DB, r Reply) error

// Service stores and reads comment threads.
type Service struct {
	db      *gorm.DB
	surveys *survey.Service
	now     func() time.Time
}

// New returns the conversation service.
func New(db *gorm.DB, surveys *survey.Service, now func() time.Time) *Service {
	return &Service{db: db, surveys: surveys, now: func() time.Time { return now().UTC() }}
}

// Reply adds a reply from a manager of the comment's team, or HR, and
// queues its delivery to the author through hook.
func (s *Service) Reply(ctx context.Context, commentID string, replier directory.Employee, scope directory.Scope, body string, hook Hook) (Reply, error) {
	body, err := checkBody(body)
	if err != nil {
		return Reply{}, err
	}
	target, err := s.visible(ctx, commentID, scope)
	if err != nil {
		return Reply{}, err
	}
	if !target.Replyable {
		return Reply{}, fault.Conflictf("%v", survey.ErrNoLink)
	}
	r := Reply{CommentID: commentID, ReplierID: &replier.ID, ReplierName: replier.Name, Body: body, CreatedAt: s.now()}
	return r, s.store(ctx, &r, hook)
}

// AuthorReply adds the author's answer to their comment's thread. Only the
// person the sealed link names may post it; nobody is told who that is.
func (s *Service) AuthorReply(ctx context.Context, commentID string, employeeID int64, body string, hook Hook) (Reply, error) {
	body, err := checkBody(body)
	if err != nil {
		return Reply{}, err
	}
	author, err := s.surveys.CommentAuthor(ctx, commentID)
	switch {
	case errors.Is(err, survey.ErrNoLink):
		return Reply{}, fault.Conflictf("this conversation is closed: %v", survey.ErrNoLink)
	case err != nil:
		return Reply{}, err
	case author != employeeID:
		return Reply{}, fault.Forbidden("only the comment's author can answer here")
	}
	r := Reply{CommentID: commentID, FromAuthor: true, Body: body, CreatedAt: s.now()}
	return r, s.store(ctx, &r, hook)
}

// Thread lists a comment's replies, oldest first, for those who may see
// the comment.
func (s *Service) Thread(ctx context.Context, commentID string, scope directory.Scope) ([]Reply, error) {
	if _, err := s.visible(ctx, commentID, scope); err != nil {
		return nil, err
	}
	// An author's answer is stamped with the moment it reaches the managers
	// (see scheduler.ReplyQueuer) and shown from then on, in that order.
	var out []Reply
	err := s.db.WithContext(ctx).Where("comment_id = ? AND (NOT from_author OR created_at <= ?)", commentID, s.now()).
		Order("created_at, id").Find(&out).Error
	if err != nil {
		return nil, err
	}
	return out, s.nameRepliers(ctx, out)
}

// ThreadPage is one page of Thread and the cursor of the next ("" on the
// last).
func (s *Service) ThreadPage(ctx context.Context, commentID string, scope directory.Scope, p page.Request) ([]Reply, string, error) {
	if _, err := s.visible(ctx, commentID, scope); err != nil {
		return nil, "", err
	}
	q, err := page.Query(s.db.WithContext(ctx).Where("comment_id = ? AND (NOT from_author OR created_at <= ?)", commentID, s.now()),
		p, page.Order{Column: "created_at", Time: true})
	if err != nil {
		return nil, "", err
	}
	out := []Reply{}
	if err := q.Find(&out).Error; err != nil {
		return nil, "", err
	}
	out, next := page.Cut(out, p, func(r Reply) (any, int64) { return r.CreatedAt, r.ID })
	return out, next, s.nameRepliers(ctx, out)
}

// Get returns one reply, for delivery.
func (s *Service) Get(ctx context.Context, id int64) (Reply, error) {
	var r Reply
	err := s.db.WithContext(ctx).First(&r, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, fault.NotFound("reply")
	}
	if err != nil {
		return r, err
	}
	replies := []Reply{r}
	err = s.nameRepliers(ctx, replies)
	return replies[0], err
}

// visible finds the comment if the viewer may see its team's comments;
// otherwise it does not exist for them.
func (s *Service) visible(ctx context.Context, commentID string, scope directory.Scope) (survey.CommentTarget, error) {
	target, err := s.surveys.Comment(ctx, commentID)
	if err != nil {
		return target, err
	}
	if !scope.All && (target.TeamID == nil || !scope.HasTeam(*target.TeamID)) {
		return target, fault.NotFound("comment")
	}
	return target, nil
}

func (s *Service) store(ctx context.Context, r *Reply, hook Hook) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		if hook == nil {
			return nil
		}
		return hook(ctx, tx, *r)
	})
}

func (s *Service) nameRepliers(ctx context.Context, replies []Reply) error {
	dir := directory.New(s.db, s.now)
	for i, r := range replies {
		if r.ReplierID == nil {
			continue
		}
		e, err := dir.Employee(ctx, *r.ReplierID)
		if err != nil {
			return err
		}
		replies[i].ReplierName = e.Name
	}
	return nil
}

func checkBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > MaxReplyLength {
		return body, fault.Invalidf("body", "must be 1 to %d characters", MaxReplyLength)
	}
	if why := fault.TextProblem(body); why != "" {
		return body, fault.Invalidf("body", "%s", why)
	}
	return body, nil
}
