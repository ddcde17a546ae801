package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/scheduler"
	"github.com/pulsehq/pulse/survey"
)

// commentingTeam gives Sales three more people, lowers the comment threshold
// to 3 and has everyone in Sales comment; the employee allows replies. The
// round is then closed.
func commentingTeam(t *testing.T, b *bundle) (survey.Survey, []survey.Comment) {
	for i := range 3 {
		b.person(fmt.Sprintf("seller%d@example.com", i), directory.RoleEmployee, &b.team.ID, &b.manager.ID)
	}
	require.Equal(t, 200, b.do("PUT", "/api/v1/settings/anonymity", b.hrToken,
		map[string]int{"min_respondents": 3, "min_comment_respondents": 3}).Status)
	sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{
		{"kind": "enps", "prompt": "Recommend us?"}, {"kind": "text", "prompt": "Anything else?"}}})
	round := b.sendRound(sv.ID)
	path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
	var people []directory.Employee
	b.do("GET", fmt.Sprintf("/api/v1/employees?team_id=%d", b.team.ID), b.hrToken, nil).data(t, &people)
	for _, p := range people {
		body := answers(sv.Questions[0].ID, 8, sv.Questions[1].ID, "Comment from someone in Sales")
		if p.ID == b.employee.ID {
			body = answers(sv.Questions[0].ID, 4, sv.Questions[1].ID, "Quotas went up again without warning")
			body["allow_replies"] = true
		}
		res := b.do("POST", path, b.token(p), body)
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	// Comments are read, and replied to, once the round has closed.
	require.Equal(t, 200, b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/close", round.ID), b.hrToken, nil).Status)
	var comments []survey.Comment
	b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/comments?team_id=%d", sv.ID, b.team.ID), b.managerToken, nil).data(t, &comments)
	require.Len(t, comments, len(people))
	return sv, comments
}

func replyable(comments []survey.Comment) (survey.Comment, survey.Comment) {
	var yes, no survey.Comment
	for _, c := range comments {
		if c.Replyable {
			yes = c
		} else {
			no = c
		}
	}
	return yes, no
}

func TestAManagerReplyReachesTheAuthorWithoutNamingThem(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv, comments := commentingTeam(t, b)
		open, closed := replyable(comments)
		require.Equal(t, "Quotas went up again without warning", open.Text)

		res := b.do("POST", "/api/v1/comments/"+closed.ID+"/replies", b.managerToken, map[string]string{"body": "Thanks"})
		require.Equal(t, 409, res.Status, "no link, no reply")
		res = b.do("POST", "/api/v1/comments/"+open.ID+"/replies", b.token(b.outsider), map[string]string{"body": "Hi"})
		require.Equal(t, 403, res.Status, "employees cannot reply")
		other := b.person("otherboss@example.com", directory.RoleManager, &b.other.ID, nil)
		_, err := b.dir.UpdateTeam(t.Context(), b.other.ID, directory.TeamPatch{ManagerID: &other.ID})
		require.NoError(t, err)
		res = b.do("POST", "/api/v1/comments/"+open.ID+"/replies", b.token(other), map[string]string{"body": "Hi"})
		require.Equal(t, 404, res.Status, "a manager of another team cannot see the comment")

		// Replies are delivered 2 to 10 minutes late by the test's clock, which
		// is days behind the real one River runs jobs by: they run at once.
		completed, cancel := b.queue.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		require.NoError(t, b.queue.Start(t.Context()))
		defer b.queue.Stop(t.Context())
		res = b.do("POST", "/api/v1/comments/"+open.ID+"/replies", b.managerToken,
			map[string]string{"body": "Fair point. We will explain quota changes before they land."})
		require.Equal(t, 201, res.Status, string(res.Body))
		waitForJob(t, completed, "pulse_reply")

		sent := b.sender.messages(delivery.KindReply)
		require.Len(t, sent, 1)
		require.Equal(t, b.employee.ID, sent[0].Recipient.ID, "the reply reached the author")
		require.Equal(t, "Quotas went up again without warning", sent[0].Thread.Comment)
		require.Equal(t, b.manager.Name, sent[0].Thread.ReplierName)

		// The author answers back (from Slack); managers see it without a name.
		replies := conversation.New(db.Gorm, b.surveys, func() time.Time { return b.now })
		_, err = replies.AuthorReply(t.Context(), open.ID, b.outsider.ID, "not me", nil)
		require.ErrorContains(t, err, "only the comment's author")
		_, err = replies.AuthorReply(t.Context(), open.ID, b.employee.ID, "Thank you, that would help.",
			scheduler.NewReplyQueuer(b.queue, func() time.Time { return b.now }).Queue)
		require.NoError(t, err)
		waitForJob(t, completed, "pulse_reply")
		sent = b.sender.messages(delivery.KindReply)
		require.Len(t, sent, 2)
		require.Equal(t, b.manager.ID, sent[1].Recipient.ID, "the author's answer reaches the manager")
		require.True(t, sent[1].Thread.FromAuthor)

		// The thread shows the answer once it has reached the manager, 2 to 10
		// minutes after it was written.
		var thread []conversation.Reply
		b.do("GET", "/api/v1/comments/"+open.ID+"/replies", b.hrToken, nil).data(t, &thread)
		require.Len(t, thread, 1, "the author's answer is not delivered yet by the test's clock")
		b.now = b.now.Add(scheduler.MaxReplyDelay)
		res = b.do("GET", "/api/v1/comments/"+open.ID+"/replies", b.hrToken, nil)
		require.Equal(t, 200, res.Status)
		res.data(t, &thread)
		require.Len(t, thread, 2)
		require.True(t, thread[1].FromAuthor)
		require.Nil(t, thread[1].ReplierID)

		// Nothing any route shows names the author.
		for _, body := range [][]byte{res.Body,
			b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/comments?team_id=%d", sv.ID, b.team.ID), b.managerToken, nil).Body} {
			require.NotContains(t, string(body), b.employee.Email)
			require.NotContains(t, string(body), `"`+b.employee.Name+`"`)
			require.NotContains(t, string(body), fmt.Sprintf(`"employee_id":%d`, b.employee.ID))
		}
		var jobArgs []string
		require.NoError(t, db.Gorm.Table("river_job").Where("kind = ?", "pulse_reply").Pluck("args", &jobArgs).Error)
		for _, a := range jobArgs {
			require.False(t, strings.Contains(a, fmt.Sprintf(":%d}", b.employee.ID)) && !strings.Contains(a, "manager_id"),
				"the job that reaches the author does not name them: %s", a)
		}
	})
}

func waitForJob(t *testing.T, events <-chan *river.Event, kind string) {
	t.Helper()
	for {
		select {
		case e := <-events:
			if e.Job.Kind == kind {
				return
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("no %s job completed", kind)
		}
	}
}

func (r *recordingSender) messages(kind delivery.Kind) []delivery.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []delivery.Message
	for _, m := range r.sent {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

func TestMyAnswersSayWhetherIAllowedReplies(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{
			{"kind": "enps", "prompt": "?"}, {"kind": "text", "prompt": "Anything else?"}}})
		round := b.sendRound(sv.ID)
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
		body := answers(sv.Questions[0].ID, 9, sv.Questions[1].ID, "More demos")
		body["allow_replies"] = true
		require.Equal(t, 200, b.do("POST", path, b.employeeToken, body).Status)
		var mine survey.MyResponse
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.True(t, mine.AllowReplies)
		require.Len(t, mine.Answers, 2)

		require.Equal(t, 200, b.do("POST", path, b.employeeToken, answers(sv.Questions[1].ID, "More demos, please")).Status)
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.False(t, mine.AllowReplies, "answering the comment again without the tick withdraws it")
	})
}

// An author who answers on the web reads and answers replies there too, and
// nobody else can: the list is empty for everyone else, the answer refused.
// With Slack off, both sides are told the reply waits on the dashboard.
func TestTheAuthorReadsAndAnswersRepliesOnTheWeb(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		_, comments := commentingTeam(t, b)
		open, _ := replyable(comments)
		var threads []conversation.AuthorThread
		b.do("GET", "/api/v1/me/conversations", b.employeeToken, nil).data(t, &threads)
		require.Empty(t, threads, "no reply yet, nothing to read")

		res := b.do("POST", "/api/v1/comments/"+open.ID+"/replies", b.managerToken, map[string]string{"body": "Which quotas?"})
		require.Equal(t, 201, res.Status, string(res.Body))
		var sent struct {
			Delivery string `json:"delivery"`
		}
		res.data(t, &sent)
		require.Equal(t, "dashboard", sent.Delivery, "Slack is off: the manager is told where the reply waits")

		b.do("GET", "/api/v1/me/conversations", b.employeeToken, nil).data(t, &threads)
		require.Len(t, threads, 1)
		require.Equal(t, open.ID, threads[0].CommentID)
		require.Equal(t, "Quotas went up again without warning", threads[0].Text)
		require.Equal(t, "Anything else?", threads[0].Prompt)
		require.Equal(t, "Pulse", threads[0].SurveyTitle)
		require.Len(t, threads[0].Replies, 1)
		require.Equal(t, "Which quotas?", threads[0].Replies[0].Body)
		require.Equal(t, b.manager.Name, threads[0].Replies[0].ReplierName, "as the Slack DM says who replied")

		// Everyone else, the manager who replied and HR included, finds nothing.
		var people []directory.Employee
		b.do("GET", fmt.Sprintf("/api/v1/employees?team_id=%d", b.team.ID), b.hrToken, nil).data(t, &people)
		people = append(people, b.hr, b.outsider)
		for _, p := range people {
			if p.ID == b.employee.ID {
				continue
			}
			var theirs []conversation.AuthorThread
			b.do("GET", "/api/v1/me/conversations", b.token(p), nil).data(t, &theirs)
			require.Empty(t, theirs, p.Email)
			res := b.do("POST", "/api/v1/me/conversations", b.token(p), map[string]string{"comment_id": open.ID, "body": "me?"})
			require.Equal(t, 403, res.Status, "%s: %s", p.Email, res.Body)
		}

		res = b.do("POST", "/api/v1/me/conversations", b.employeeToken, map[string]string{"body": "Sales quotas"})
		require.Equal(t, 422, res.Status)
		require.Equal(t, "comment_id", res.err(t).Error.Details[0].Field)
		res = b.do("POST", "/api/v1/me/conversations", b.employeeToken, map[string]string{"comment_id": open.ID, "body": "Sales quotas, in March."})
		require.Equal(t, 201, res.Status, string(res.Body))
		res.data(t, &sent)
		require.Equal(t, "dashboard", sent.Delivery)

		b.do("GET", "/api/v1/me/conversations", b.employeeToken, nil).data(t, &threads)
		require.Len(t, threads[0].Replies, 2, "the author sees their own answer at once")
		require.True(t, threads[0].Replies[1].FromAuthor)
		require.Nil(t, threads[0].Replies[1].ReplierID)

		// No log line pairs the author with the comment: the id is logged only
		// with the manager's reply.
		for _, line := range strings.Split(b.logs.String(), "\n") {
			if strings.Contains(line, open.ID) {
				require.Contains(t, line, "route=/api/v1/comments/:id/replies", line)
			}
		}
	})
}
