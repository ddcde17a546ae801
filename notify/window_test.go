package notify_test

import (
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

func (h *harness) ephemerals(name string) []string {
	var out []string
	for _, c := range h.responses(name) {
		if c.Get("response_type") == slack.ResponseTypeEphemeral {
			out = append(out, c.Get("text"))
		}
	}
	return out
}

func (h *harness) responsesStored() int64 {
	var n int64
	require.NoError(h.t, h.db.Gorm.Table("responses").Where("round_id = ?", h.round.ID).Count(&n).Error)
	return n
}

// A DM's buttons work only from the person's own send time: a tap before it
// (on a DM from an earlier send, or replayed) records nothing and says when
// the round opens for them, in their zone.
func TestTapBeforeTheRoundReachesThePersonIsRefusedPolitely(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[1] // no zone of their own: the survey's, Berlin
		ref, dm := h.send(rep)
		opens := h.now.Add(2 * time.Hour)
		require.NoError(t, survey.SetOpensAt(t.Context(), db.Gorm, h.round.ID, map[int64]time.Time{rep.ID: opens}))

		early := h.tap(dm, rep.SlackUserID, ref, 9)
		require.Equal(t, []string{notify.NotOpenYetText("en", opens, berlin(t))}, h.ephemerals(early))
		require.Contains(t, h.ephemerals(early)[0], "Monday 30 November, 12:00 (Europe/Berlin)")
		require.Zero(t, h.responsesStored())

		h.now = opens
		h.tap(dm, rep.SlackUserID, ref, 9)
		require.Equal(t, 9, h.myENPS(rep))
	})
}

// Deactivated people keep their old DMs; a tap on one records nothing and
// says why, politely.
func TestTapFromADeactivatedEmployeeIsRefusedPolitely(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		h := newHarness(t, db)
		rep := h.reps[2]
		ref, dm := h.send(rep)
		_, err := h.dir.DeactivateEmployee(t.Context(), rep.ID)
		require.NoError(t, err)

		tapped := h.tap(dm, rep.SlackUserID, ref, 9)
		require.Equal(t, []string{notify.DeactivatedText("en")}, h.ephemerals(tapped))
		blocks, err := dm.SlackBlocks()
		require.NoError(t, err)
		blockID, open := button(t, blocks, notify.ActionOpenSurvey)
		opened := h.press(rep.SlackUserID, blockID, open, map[string]any{"type": "message", "channel_id": ref.Channel, "message_ts": ref.TS})
		h.app.Wait()
		require.Equal(t, []string{notify.DeactivatedText("en")}, h.ephemerals(opened))
		require.Empty(t, h.fake.CallsTo("views.open"), "no survey modal")
		require.Zero(t, h.responsesStored())

		// The refusal is the domain's, so the API and the web refuse alike.
		_, err = h.surveys.Answer(t.Context(), h.round.ID, rep.ID,
			[]survey.AnswerInput{{QuestionID: h.question(survey.KindENPS).ID, Value: 9}})
		require.True(t, errors.Is(err, survey.ErrDeactivated), "got %v", err)
		require.Zero(t, h.responsesStored())
	})
}

func berlin(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	return loc
}
