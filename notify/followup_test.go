package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/notify"
	"github.com/pulsehq/pulse/survey"
)

func followUpMeeting() delivery.OneOnOneMessage {
	return delivery.OneOnOneMessage{SeriesID: 42, MeetingID: 7, Title: "1:1", With: "Marcus <Reed>",
		ScheduledAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
}

func TestOneOnOneFollowUpGolden(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en", "ms"} {
		requireGolden(t, "one_on_one_follow_up_"+locale, notify.OneOnOneFollowUpDM(followUpMeeting(), "https://pulse.example.com/", locale))
	}
}

func digestWithItems(t *testing.T, locale string) any {
	t.Helper()
	h := newHarness(t, dbtest.SQLite(t))
	sender := notify.NewSender(h.fake.Client(), h.surveys)
	rep := h.reps[0]
	rep.Locale = locale
	enps, n, part := 25.0, 8, 0.8
	_, err := sender.Send(t.Context(), delivery.Message{Kind: delivery.KindDigest, Recipient: rep,
		Digest:    []survey.DigestLine{{TeamID: 1, SurveyTitle: "Weekly pulse", Latest: &survey.Point{ENPS: &enps, N: &n, Participation: &part, EveryoneAnswered: true}}},
		TeamNames: map[int64]string{1: "Sales"},
		OpenItems: []delivery.OpenItem{{Text: "Share the <hiring> plan", With: "Aisha Rahman", DueOn: "2026-12-04"},
			{Text: "Book the training", With: "Aisha Rahman"}},
		OpenItemsTotal: 5})
	require.NoError(t, err)
	posts := h.fake.CallsTo("chat.postMessage")
	blocks, err := posts[len(posts)-1].SlackBlocks()
	require.NoError(t, err)
	return blocks
}

func TestDigestWithOpenItemsGolden(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"en", "ms"} {
		requireGolden(t, "digest_open_items_"+locale, digestWithItems(t, locale))
	}
}

func TestAFollowUpIsSentAsADM(t *testing.T) {
	t.Parallel()
	h := newHarness(t, dbtest.SQLite(t))
	sender := notify.NewSender(h.fake.Client(), h.surveys).WithBaseURL("https://pulse.example.com")
	m, rep := followUpMeeting(), h.reps[0]
	rep.Locale = "en"
	_, err := sender.Send(t.Context(), delivery.Message{Kind: delivery.KindOneOnOneFollowUp, Recipient: rep, OneOnOne: &m})
	require.NoError(t, err)
	posts := h.fake.CallsTo("chat.postMessage")
	require.Len(t, posts, 1)
	blocks, err := posts[0].SlackBlocks()
	require.NoError(t, err)
	text := textsOf(t, blocks)
	require.Contains(t, text, `How did your 1:1 with *Marcus \u0026lt;Reed\u0026gt;* go?`)
	require.Contains(t, text, "#one-on-ones/42|Add notes and action items")

	_, err = sender.Send(t.Context(), delivery.Message{Kind: delivery.KindOneOnOneFollowUp, Recipient: h.reps[0]})
	var permanent *delivery.PermanentError
	require.ErrorAs(t, err, &permanent, "a follow-up without its meeting is not retried")
}
