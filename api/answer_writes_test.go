package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// anonymousTables are the only tables answering may write: none of them
// holds anything that names the person.
var anonymousTables = []string{"responses", "answers", "answer_counts"}

// An attacker holding the database's files compares it before and after
// someone answers: every row that changed must be anonymous, or its
// position and time join the answer to the person.
func TestAnsweringWritesNothingThatNamesThePerson(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		sv := b.createSurvey(weeklyPulse)
		round := b.sendRound(sv.ID)
		session, err := auth.NewSessions(db.Gorm, func() time.Time { return b.now }).Start(t.Context(), b.manager.ID)
		require.NoError(t, err)
		// Both credentials were used earlier, as they would be.
		require.Equal(t, 200, b.do("GET", "/api/v1/me", b.employeeToken, nil).Status)
		require.Equal(t, 200, b.do("GET", "/api/v1/me", session, nil).Status)
		b.now = b.now.Add(11 * time.Hour)
		require.Equal(t, 200, b.do("GET", "/api/v1/me", session, nil).Status)
		// The next day, well past any refresh interval, within the idle limit.
		b.now = b.now.Add(4 * time.Hour)

		q := sv.Questions
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
		for _, who := range []struct{ name, credential string }{{"an API token", b.employeeToken}, {"a dashboard session", session}} {
			before := dbtest.Dump(t, db)
			res := b.do("POST", path, who.credential, answers(q[0].ID, 7, q[4].ID, "Fewer meetings"))
			require.Equal(t, 200, res.Status, string(res.Body))
			require.Equal(t, 200, b.do("GET", path, who.credential, nil).Status)
			changed := dbtest.Changed(before, dbtest.Dump(t, db))
			require.NotEmpty(t, changed["responses"], "the answer was stored")
			for table, rows := range changed {
				require.Contains(t, anonymousTables, table, "answering through %s wrote to %s: %v", who.name, table, rows)
				for _, row := range rows {
					require.NotContains(t, row, "employee", "%s row names a person: %s", table, row)
				}
			}
		}
	})
}

// A log line per answer, with the request id the person's other requests
// also carry, joins the answer's time to the person.
func TestAnswerRoutesLogNoRequestIDOrPath(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	sv := b.createSurvey(weeklyPulse)
	round := b.sendRound(sv.ID)
	path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
	require.Equal(t, 200, b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 7)).Status)
	var answerLines []string
	for line := range strings.Lines(b.logs.String()) {
		if strings.Contains(line, "/answers") {
			answerLines = append(answerLines, line)
		}
	}
	require.Len(t, answerLines, 1, b.logs.String())
	require.NotContains(t, answerLines[0], "request_id")
	require.NotContains(t, answerLines[0], "path=")
	require.Contains(t, answerLines[0], "route=/api/v1/rounds/:id/answers")
	require.Contains(t, b.logs.String(), "request_id", "other routes keep theirs")
}

// A Prometheus counter that moves when someone answers, scraped every few
// seconds, dates each answer.
func TestMetricsDoNotDateAnswers(t *testing.T) {
	t.Parallel()
	b := setup(t, dbtest.SQLite(t))
	sv := b.createSurvey(weeklyPulse)
	round := b.sendRound(sv.ID)
	path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)
	require.Equal(t, 200, b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 7)).Status)
	require.Equal(t, 200, b.do("GET", path, b.employeeToken, nil).Status)
	b.do("POST", "/slack/interactions", "", nil) // where Slack taps arrive
	metrics := b.metrics()
	require.NotContains(t, metrics, "answers")
	require.NotContains(t, metrics, "/slack/interactions")
	require.Contains(t, metrics, `route="/api/v1/surveys/:id/rounds"`, "other routes are still counted")
}
