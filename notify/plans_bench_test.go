package notify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/notify"
)

// BenchmarkSurveyDMProgressLine measures what finding the group's latest
// action adds to rendering and posting one survey DM (to the in-process
// fake Slack, on SQLite).
func BenchmarkSurveyDMProgressLine(b *testing.B) {
	l := newLoop(b, dbtest.SQLite(b))
	next, _, err := l.surveys.SendNow(b.Context(), l.survey.ID, nil)
	require.NoError(b, err)
	rep := l.reps[1]
	round, err := l.surveys.AssignedRound(b.Context(), next.ID, rep.ID)
	require.NoError(b, err)
	msg := delivery.Message{Kind: delivery.KindSurvey, Recipient: rep, Round: round}
	for _, tc := range []struct {
		name   string
		sender *notify.Sender
	}{
		{"without", notify.NewSender(l.fake.Client(), l.surveys)},
		{"with", notify.NewSender(l.fake.Client(), l.surveys).WithActions(l.actions)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := tc.sender.Send(b.Context(), msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
