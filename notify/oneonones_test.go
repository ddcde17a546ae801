package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/notify"
)

func TestAOneOnOneReminderLinksToTheAgenda(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	sender := notify.NewSender(h.fake.Client(), h.surveys).WithBaseURL("https://pulse.example.com/")
	meeting := &delivery.OneOnOneMessage{SeriesID: 42, MeetingID: 7, Title: "1:1", With: "Marcus Reed",
		ScheduledAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	for _, tc := range []struct{ locale, zone, want, link string }{
		{"en", "Europe/Berlin", "Your 1:1 with *Marcus Reed* starts Tuesday 1 December, 10:00 (Europe/Berlin).", "Open the agenda"},
		{"ms", "Asia/Kuala_Lumpur", "1:1 anda bersama *Marcus Reed* bermula Selasa 1 Disember, 17:00 (Asia/Kuala_Lumpur).", "Buka agenda"},
	} {
		rep := h.reps[0]
		rep.Locale, rep.Timezone = tc.locale, tc.zone
		_, err := sender.Send(t.Context(), delivery.Message{Kind: delivery.KindOneOnOne, Recipient: rep, OneOnOne: meeting})
		require.NoError(t, err)
		posts := h.fake.CallsTo("chat.postMessage")
		blocks, err := posts[len(posts)-1].SlackBlocks()
		require.NoError(t, err)
		text := textsOf(t, blocks)
		require.Contains(t, text, tc.want)
		require.Contains(t, text, `\u003chttps://pulse.example.com/#one-on-ones/42|`+tc.link+`\u003e`)
	}

	_, err := sender.Send(t.Context(), delivery.Message{Kind: delivery.KindOneOnOne, Recipient: h.reps[0]})
	var permanent *delivery.PermanentError
	require.ErrorAs(t, err, &permanent, "a reminder without its meeting is not retried")
}

func TestHomeShowsTheNextOneOnOne(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	view := notify.HomeView(notify.Home{Locale: "en", NextOneOnOne: &notify.HomeOneOnOne{With: "Aisha Rahman",
		At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), Zone: berlin, Link: "https://pulse.example.com/#one-on-ones/3"}})
	text := textsOf(t, view.Blocks)
	require.Contains(t, text, "*Next 1:1:* with Aisha Rahman, Tuesday 1 December, 10:00 (Europe/Berlin)")
	require.Contains(t, text, "#one-on-ones/3|Open the agenda")
	require.NotContains(t, textsOf(t, notify.HomeView(notify.Home{Locale: "en"}).Blocks), "1:1")
}
