package api_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// A web answer that meets the database down (checking the credential, then
// saving) is saved once it is back; a longer outage is reported as a
// failure, never as a success.
func TestWebAnswerRidesOutADatabaseBlip(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		blipping, pool := dbtest.WithBlips(db)
		b := setup(t, blipping)
		sv := b.createSurvey(map[string]any{"title": "Pulse", "questions": []map[string]any{{"kind": "enps", "prompt": "Recommend us?"}}})
		round := b.sendRound(sv.ID)
		path := fmt.Sprintf("/api/v1/rounds/%d/answers", round.ID)

		pool.Down.Store(4)
		res := b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 9))
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Less(t, pool.Down.Load(), int32(0), "the outage was met and outlasted")
		var mine survey.MyResponse
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.EqualValues(t, 9, mine.Answers[0].Value)

		pool.Down.Store(1 << 20)
		res = b.do("POST", path, b.employeeToken, answers(sv.Questions[0].ID, 3))
		require.Equal(t, 500, res.Status, "an outage past the budget is not a success")
		pool.Down.Store(0)
		b.do("GET", path, b.employeeToken, nil).data(t, &mine)
		require.EqualValues(t, 9, mine.Answers[0].Value)
	})
}
