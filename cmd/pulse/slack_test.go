package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/cluster"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/notify/slackfake"
)

func TestSlackSyncCommand(t *testing.T) {
	fake := slackfake.New(t)
	fake.SetUsers(
		slack.User{ID: "U0PAT", TZ: "Asia/Kuala_Lumpur", Locale: "ms-MY", Profile: slack.UserProfile{Email: "Pat@Example.com"}},
		slack.User{ID: "U0NEW", RealName: "New Person", Profile: slack.UserProfile{Email: "new@example.com"}},
		slack.User{ID: "U0BOT", IsBot: true, Profile: slack.UserProfile{Email: "bot@example.com"}},
	)
	env := map[string]string{
		"PULSE_DATABASE_URL": filepath.Join(t.TempDir(), "pulse.db"), "PULSE_SECRET": strings.Repeat("k", 40),
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "signing", "SLACK_API_URL": fake.URL,
	}
	newInstall(t, env)
	_, err := pulse(t, env, "admin", "create", "--email", "pat@example.com", "--name", "Pat")
	require.NoError(t, err)

	out, err := pulse(t, env, "slack", "sync")
	require.NoError(t, err)
	require.Contains(t, out, "Slack members: 2")
	require.Contains(t, out, "updated: 1, unchanged: 0, deactivated: 0, created: 0")
	require.Contains(t, out, "not in the directory (1): new@example.com")

	_, err = pulse(t, env, "slack", "sync", "--create-missing", "--team", "Nowhere")
	require.ErrorContains(t, err, `no active team named "Nowhere"`)
	_, err = pulse(t, env, "slack", "sync", "--team", "Sales")
	require.ErrorContains(t, err, "--team only applies with --create-missing")
	out, err = pulse(t, env, "slack", "sync", "--create-missing")
	require.NoError(t, err)
	require.Contains(t, out, "updated: 0, unchanged: 1, deactivated: 0, created: 1")

	delete(env, "SLACK_BOT_TOKEN")
	delete(env, "SLACK_SIGNING_SECRET")
	_, err = pulse(t, env, "slack", "sync")
	require.ErrorContains(t, err, "SLACK_BOT_TOKEN is not set")
	_, err = pulse(t, env, "slack")
	require.ErrorContains(t, err, "pulse slack sync")
}

func TestNewSlackModes(t *testing.T) {
	db := dbtest.SQLite(t)
	logger := slog.New(slog.DiscardHandler)
	fake := slackfake.New(t)
	base := config{BaseURL: "https://pulse.example.com", SlackAPIURL: fake.URL, Secret: strings.Repeat("k", 40)}

	off, err := newSlack(base, newServices(db, base), logger, prometheus.NewRegistry())
	require.NoError(t, err)
	_, err = off.Sender.Send(context.Background(), delivery.Message{Kind: delivery.KindSurvey})
	require.ErrorIs(t, err, delivery.ErrNotConfigured)
	require.Empty(t, off.Endpoints)
	require.Nil(t, off.Run)
	require.Nil(t, off.SyncDaily)
	off.Wait()

	https := base
	https.SlackBotToken, https.SlackSigningSecret = "xoxb-test", "signing"
	side, err := newSlack(https, newServices(db, https), logger, prometheus.NewRegistry())
	require.NoError(t, err)
	var paths []string
	for _, e := range side.Endpoints {
		paths = append(paths, e.Path)
	}
	require.Equal(t, []string{"/slack/interactions", "/slack/commands", "/slack/events"}, paths)
	require.Empty(t, side.Pages, "the sign-in page is served with Slack on or off (signInPage)")
	require.Nil(t, side.Run, "HTTPS mode needs no socket")
	require.NotNil(t, side.Sync)
	require.NoError(t, side.SyncDaily(t.Context()), "an empty workspace syncs nothing")
	require.Len(t, fake.CallsTo("users.list"), 1)

	socket := https
	socket.SlackSigningSecret, socket.SlackAppToken = "", "xapp-test"
	side, err = newSlack(socket, newServices(db, socket), logger, prometheus.NewRegistry())
	require.NoError(t, err)
	require.Empty(t, side.Endpoints, "no signing secret: Slack reaches Pulse only over the socket")
	require.NotNil(t, side.Run)
}

// The Slack calls that deliver messages are measured on the registry
// served at /metrics.
func TestDeliverySlackCallsAreMeasured(t *testing.T) {
	db := dbtest.SQLite(t)
	fake := slackfake.New(t)
	cfg := config{BaseURL: "https://pulse.example.com", SlackAPIURL: fake.URL, Secret: strings.Repeat("k", 40), SlackBotToken: "xoxb-test"}
	reg := prometheus.NewRegistry()
	side, err := newSlack(cfg, newServices(db, cfg), slog.New(slog.DiscardHandler), reg)
	require.NoError(t, err)

	fake.FailNext("chat.postMessage", slackfake.SlackError("invalid_auth"))
	_, err = side.Sender.Send(t.Context(), delivery.Message{Kind: delivery.KindDigest, Recipient: directory.Employee{SlackUserID: "U0MGR"}})
	require.Error(t, err)

	families, err := reg.Gather()
	require.NoError(t, err)
	var names []string
	for _, f := range families {
		names = append(names, f.GetName())
	}
	require.ElementsMatch(t, []string{"pulse_slack_request_duration_seconds", "pulse_slack_errors_total"}, names)
}

// A sync run by hand while another holds the sync lease (the daily one, on
// any replica) is refused with a reason and changes nothing; once that one
// is done, it runs.
func TestSlackSyncWaitsItsTurnAcrossReplicas(t *testing.T) {
	for name, url := range databases(t) {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" {
				url = freshPostgresURL(t, url)
			}
			fake := slackfake.New(t)
			fake.SetUsers(slack.User{ID: "U0PAT", TZ: "Asia/Kuala_Lumpur", Profile: slack.UserProfile{Email: "pat@example.com"}})
			env := map[string]string{"PULSE_DATABASE_URL": url, "PULSE_SECRET": strings.Repeat("k", 40),
				"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "signing", "SLACK_API_URL": fake.URL}
			newInstall(t, env)
			_, err := pulse(t, env, "admin", "create", "--email", "pat@example.com", "--name", "Pat")
			require.NoError(t, err)
			db, err := database.Open(t.Context(), mustLocation(t, url))
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })
			replica := cluster.NewRuns(db.Gorm, time.Now, cluster.NewHolder())

			require.NoError(t, replica.Exclusive(t.Context(), syncLease, func(context.Context) error {
				_, err := pulse(t, env, "slack", "sync")
				require.ErrorContains(t, err, "a directory sync is already running")
				return nil
			}))
			require.Empty(t, fake.CallsTo("users.list"), "refused before asking Slack")
			var bound int64
			require.NoError(t, db.Gorm.Table("employees").Where("slack_user_id <> ''").Count(&bound).Error)
			require.Zero(t, bound)

			out, err := pulse(t, env, "slack", "sync")
			require.NoError(t, err)
			require.Contains(t, out, "updated: 1")
		})
	}
}
