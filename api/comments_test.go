package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// comments fetches a group's comments and checks that no field of any of
// them names a person or a team.
func (o *opsOrg) commentsOf(token, group string) []map[string]any {
	o.b.t.Helper()
	t := o.b.t
	res := o.b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/comments?%s", o.sv.ID, o.query(group)), token, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var env struct{ Data json.RawMessage }
	require.NoError(t, json.Unmarshal(res.Body, &env))
	require.NotEqual(t, "null", string(env.Data), "no comments is an empty list")
	var list []map[string]any
	require.NoError(t, json.Unmarshal(env.Data, &list))
	var people []directory.Employee
	for _, m := range o.members {
		people = append(people, m...)
	}
	teams, err := o.b.dir.Teams(t.Context())
	require.NoError(t, err)
	for _, c := range list {
		for key, value := range c {
			for _, word := range []string{"employee", "author", "respondent", "team", "email", "name", "user", "slack", "response"} {
				require.NotContains(t, key, word, "a comment field names who wrote it")
			}
			s, isText := value.(string)
			if !isText {
				continue
			}
			for _, p := range people {
				require.NotContains(t, s, p.Email)
				require.NotEqual(t, p.Name, s)
			}
			for _, tm := range teams {
				require.NotContains(t, s, tm.Name)
			}
		}
	}
	return list
}

func TestCommentsOnlyAboveTheThresholdAndWithoutAuthor(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newOpsOrg(t, db)
		b := o.b
		day := func(ri int) string { return opsRounds[ri].at.Format("2006-01-02") }

		// Worked out by hand with the comment threshold of 5 and the same
		// subtraction protection as scores:
		// round 1: A 3, B 6, Q 5: A is too small, so B hides too (else
		//   P − B = A); P (9), Q and the org show.
		// round 2: 2 in each of A, B and Q: only the org (6) shows.
		// round 3: P 1, A 5, B 5, one without a team: P − A − B = 1, so A
		//   hides; org − P = 1, so P hides too; the org (12) and B show.
		want := map[string]map[int]int{ // group -> round -> comments
			"org": {0: 14, 1: 6, 2: 12},
			"P":   {0: 9},
			"B":   {2: 5},
			"Q":   {0: 5},
		}
		seen := map[string][]string{} // comment text -> groups showing it
		for _, g := range opsGroups {
			got := map[int]int{}
			for _, c := range o.commentsOf(b.hrToken, g) {
				text := c["text"].(string)
				a, ok := o.comments[text]
				require.True(t, ok, "%q is a comment someone wrote", text)
				require.Contains(t, opsSubtree(g), a.team, "%s shows only its own people's comments", g)
				require.Equal(t, day(a.round), c["round_day"])
				require.Equal(t, "Anything else?", c["prompt"])
				got[a.round]++
				seen[text] = append(seen[text], g)
			}
			if want[g] == nil {
				want[g] = map[int]int{}
			}
			require.Equal(t, want[g], got, g)
		}

		// Whatever the groups' lists are intersected or subtracted, each
		// piece (per round) holds at least the threshold of commenters.
		pieces := map[string]int{}
		for text, groups := range seen {
			slices.Sort(groups)
			pieces[fmt.Sprint(o.comments[text].round, groups)]++
		}
		for piece, n := range pieces {
			require.GreaterOrEqual(t, n, 5, "round and groups %s single out %d commenters", piece, n)
		}

		// Managers see their teams, the same as HR; nobody else.
		for _, g := range []string{"P", "A", "B"} {
			require.Equal(t, o.commentsOf(b.hrToken, g), o.commentsOf(o.bossTok, g), g)
		}
		path := fmt.Sprintf("/api/v1/surveys/%d/comments?", o.sv.ID)
		require.Equal(t, 403, b.do("GET", path+o.query("Q"), o.bossTok, nil).Status)
		require.Equal(t, 403, b.do("GET", path, o.bossTok, nil).Status, "org-wide is for HR")
		require.Equal(t, 403, b.do("GET", path+o.query("sales"), b.employeeToken, nil).Status)
		require.Equal(t, 403, b.do("GET", path, b.employeeToken, nil).Status)

		// The comment threshold is its own setting: at 3, North's three
		// comments of round 1 show, even while k hides every score.
		res := b.do("PUT", "/api/v1/settings/anonymity", b.hrToken, map[string]any{"min_respondents": 20, "min_comment_respondents": 3})
		require.Equal(t, 200, res.Status, string(res.Body))
		north := o.commentsOf(b.hrToken, "A")
		require.Len(t, north, 3)
		for _, c := range north {
			require.Equal(t, day(0), c["round_day"])
		}
		for _, p := range b.trend(b.hrToken, o.sv.ID, o.query("A")).Points {
			require.True(t, p.Suppressed)
		}
	})
}

// A blank comment is no comment: it must not help four real ones over a
// threshold of five, where they would stand in a crowd of four.
func TestBlankCommentsDoNotCountTowardsTheThreshold(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		b := setup(t, db)
		var people []directory.Employee
		for i := range 6 {
			people = append(people, b.person(fmt.Sprintf("c%d@example.com", i), directory.RoleEmployee, &b.team.ID, nil))
		}
		sv := b.createSurvey(weeklyPulse)
		text := sv.Questions[4].ID
		// Comments exist only for closed rounds: one round with four real
		// comments and a blank one, then one where a fifth person writes.
		answerAndClose := func(bodies ...string) {
			round := b.sendRound(sv.ID)
			for i, body := range bodies {
				_, err := b.surveys.Answer(t.Context(), round.ID, people[i].ID, []survey.AnswerInput{{QuestionID: text, Value: body}})
				require.NoError(t, err)
			}
			_, err := b.surveys.CloseRound(t.Context(), round.ID, nil)
			require.NoError(t, err)
			b.now = b.now.Add(7 * 24 * time.Hour)
		}
		bodies := []string{"Too many meetings", "More demos", "Fine", "Better laptops", " \t\n "}
		answerAndClose(bodies...)
		path := fmt.Sprintf("/api/v1/surveys/%d/comments", sv.ID)
		var list []map[string]any
		b.do("GET", path, b.hrToken, nil).data(t, &list)
		require.Empty(t, list, "four commenters are below five")

		answerAndClose(append(bodies, "Good quarter")...)
		b.do("GET", path, b.hrToken, nil).data(t, &list)
		require.Len(t, list, 5, "five real comments, and no blank one")
		for _, c := range list {
			require.NotEmpty(t, c["text"])
		}
	})
}
