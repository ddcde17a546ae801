package demo

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// threadScript is a conversation on one of the newest replyable comments:
// the team's manager replies, and the first author answers back.
var threadScript = []struct{ reply, answer string }{
	{"Thank you for saying this so plainly. Can you tell me a bit more about what would help most?",
		"Mostly hearing about changes before they land, not after. Thanks for asking."},
	{"Fair point. I'll bring it up at Thursday's leadership meeting and report back here.", ""},
	{"Thanks for the kind words, I'll pass them on to the team.", ""},
}

// seedThreads replies to the newest comments whose authors allow replies, a
// day or two before now, so the dashboard shows the feature at work. It goes
// through the same services as the API: no author is named anywhere.
func seedThreads(ctx context.Context, tx *gorm.DB, svc *survey.Service, surveyID int64, now time.Time, secret []byte) error {
	comments, err := svc.Comments(ctx, surveyID, survey.ResultsQuery{}, directory.EveryoneScope())
	if err != nil {
		return err
	}
	clock := now.Add(-48 * time.Hour)
	at := func() time.Time { return clock }
	dir := directory.New(tx, at)
	talks := conversation.New(tx, survey.NewService(tx, at, secret), at)
	seeded := 0
	for i := len(comments) - 1; i >= 0 && seeded < len(threadScript); i-- {
		c := comments[i]
		if !c.Replyable {
			continue
		}
		target, err := svc.Comment(ctx, c.ID)
		if err != nil || target.TeamID == nil {
			continue
		}
		team, err := dir.Team(ctx, *target.TeamID)
		if err != nil || team.ManagerID == nil {
			continue
		}
		manager, err := dir.Employee(ctx, *team.ManagerID)
		if err != nil {
			return err
		}
		scope, err := dir.ScopeOf(ctx, manager)
		if err != nil {
			return err
		}
		script := threadScript[seeded]
		clock = now.Add(-48*time.Hour + time.Duration(seeded)*time.Hour)
		if _, err := talks.Reply(ctx, c.ID, manager, scope, script.reply, nil); err != nil {
			return err
		}
		if script.answer != "" {
			author, err := svc.CommentAuthor(ctx, c.ID)
			if err != nil {
				return err
			}
			clock = now.Add(-20 * time.Hour)
			if _, err := talks.AuthorReply(ctx, c.ID, author, script.answer, nil); err != nil {
				return err
			}
		}
		seeded++
	}
	return nil
}
