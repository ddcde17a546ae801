package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// A question's summary says which months it counts and gives the latest
// month beside the one before, so the page can show the change; a round
// below k counts nowhere.
func TestQuestionSummariesSayTheirPeriodsAndTheLatestBesideThePrevious(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newDriverOrg(t, db)
		b := o.b
		sales := append([]directory.Employee{b.manager, b.employee}, o.people("rep", 4, b.team.ID)...)
		scale := o.sv.Questions[2].ID
		answerScale := func(round int64, people []directory.Employee, v int) {
			for _, e := range people {
				res := b.do("POST", fmt.Sprintf("/api/v1/rounds/%d/answers", round), b.token(e), answers(o.sv.Questions[0].ID, 8, scale, v))
				require.Equal(t, 200, res.Status, string(res.Body))
			}
		}
		questionOf := func(query string) survey.QuestionResult {
			res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?%s", o.sv.ID, query), b.managerToken, nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			var r survey.Results
			res.data(t, &r)
			for _, q := range r.Questions {
				if q.QuestionID == scale {
					return q
				}
			}
			t.Fatalf("no scale question in %s", res.Body)
			return survey.QuestionResult{}
		}
		team := fmt.Sprintf("team_id=%d&group_by=month", b.team.ID)

		november := b.sendRound(o.sv.ID) // 27 November
		answerScale(november.ID, sales, 4)
		o.close(november.ID)
		b.now = b.now.Add(7 * 24 * time.Hour)
		december := b.sendRound(o.sv.ID)
		answerScale(december.ID, sales[:3], 2) // three: below k
		o.close(december.ID)

		q := questionOf(team)
		require.Equal(t, "2026-11-01", q.From)
		require.Equal(t, "2026-11-01", q.To)
		require.Equal(t, 1, q.Rounds)
		require.Equal(t, 4.0, q.Scale.Mean, "December's three count nowhere")
		// Sealing folded December's three into the organisation: Sales has
		// no December at all, so November is its latest and has no previous.
		require.Equal(t, "2026-11-01", q.Latest.PeriodStart)
		require.Equal(t, 4.0, q.Latest.Scale.Mean)
		require.Nil(t, q.Previous)

		b.now = b.now.Add(7 * 24 * time.Hour)
		third := b.sendRound(o.sv.ID) // 11 December
		answerScale(third.ID, sales, 1)
		o.close(third.ID)
		q = questionOf(team)
		require.Equal(t, "2026-11-01", q.From)
		require.Equal(t, "2026-12-01", q.To)
		require.Equal(t, 2, q.Rounds)
		require.Equal(t, 2.5, q.Scale.Mean)
		require.False(t, q.Latest.Suppressed)
		require.Equal(t, 1.0, q.Latest.Scale.Mean, "December counts its shown round only")
		require.Equal(t, 6, q.Latest.Scale.N)
		require.Equal(t, "2026-11-01", q.Previous.PeriodStart)
		require.Equal(t, 4.0, q.Previous.Scale.Mean)
	})
}
