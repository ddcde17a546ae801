package survey_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

// Whoever calls Answer (the API, Slack, a script), a comment no database
// can keep is refused, and the limit is in characters.
func TestACommentIsTextADatabaseCanKeep(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		person := w.people("p", 1, nil)[0]
		sv := w.survey(survey.QuestionInput{Kind: survey.KindText, Prompt: "Anything else?"})
		round := w.round(sv.ID)
		q := sv.Questions[0].ID
		for _, comment := range []string{"More\x00demos", "More\xffdemos", strings.Repeat("é", survey.MaxCommentLength+1)} {
			_, err := w.svc.Answer(t.Context(), round.ID, person.ID, answerInputs(q, comment))
			var invalid *fault.Invalid
			require.ErrorAs(t, err, &invalid, "%q", comment)
		}
		require.Zero(t, w.countRows("responses", "1 = 1"))
		w.answer(round.ID, person.ID, q, strings.Repeat("é", survey.MaxCommentLength))
	})
}
