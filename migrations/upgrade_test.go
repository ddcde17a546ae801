package migrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/migrations"
	"github.com/pulsehq/pulse/survey"
)

// A round open when Pulse is upgraded to per-round keys was hashed with
// PULSE_SECRET, which cannot be re-keyed: the upgrade closes it and erases
// its hashes, and the next closing pass seals it.
func TestUpgradeClosesOpenRoundsAndTheNextPassSealsThem(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		for {
			st, err := migrations.CurrentStatus(ctx, db)
			require.NoError(t, err)
			if st.Current <= 10 {
				break
			}
			_, err = migrations.Down(ctx, db, nil)
			require.NoError(t, err)
		}
		now := time.Now().UTC().Truncate(time.Second)
		g := db.Gorm
		require.NoError(t, g.Exec("INSERT INTO teams (id, name, created_at, updated_at) VALUES (1, 'Sales', ?, ?)", now, now).Error)
		for id := int64(1); id <= 6; id++ {
			require.NoError(t, g.Exec(`INSERT INTO employees (id, email, name, team_id, role, active, created_at, updated_at)
				VALUES (?, ?, 'P', 1, 'employee', true, ?, ?)`, id, string(rune('a'+id))+"@example.com", now, now).Error)
		}
		require.NoError(t, g.Exec(`INSERT INTO surveys (id, title, locale, created_at, updated_at) VALUES (1, 'Pulse', 'en', ?, ?)`, now, now).Error)
		require.NoError(t, g.Exec(`INSERT INTO questions (id, survey_id, version, position, kind, prompt) VALUES (1, 1, 1, 1, 'enps', '?')`).Error)
		require.NoError(t, g.Exec(`INSERT INTO rounds (id, survey_id, survey_version, scheduled_at, closes_at, created_at) VALUES (1, 1, 1, ?, ?, ?)`,
			now.Add(-time.Hour), now.Add(48*time.Hour), now).Error)
		for id := int64(1); id <= 6; id++ {
			require.NoError(t, g.Exec(`INSERT INTO round_recipients (round_id, employee_id, team_id, opens_at) VALUES (1, ?, 1, ?)`, id, now).Error)
			require.NoError(t, g.Exec(`INSERT INTO responses (id, round_id, team_id, answer_day, respondent_hash) VALUES (?, 1, 1, ?, ?)`,
				string(rune('a'+id)), now.Format(time.DateOnly), "old-hash-"+string(rune('a'+id))).Error)
			require.NoError(t, g.Exec(`INSERT INTO answer_counts (survey_id, round_id, team_id, question_id, value, n) VALUES (1, 1, 1, 1, ?, 1)`,
				string(rune('0'+id))).Error)
		}

		require.NoError(t, migrations.Up(ctx, db, nil))
		svc := survey.NewService(g, func() time.Time { return now }, []byte("upgrade-secret-upgrade-secret-upgrade"))
		r, err := svc.Round(ctx, 1)
		require.NoError(t, err)
		require.NotNil(t, r.ClosedAt, "the open round is closed by the upgrade")
		var hashes int64
		require.NoError(t, g.Table("responses").Where("respondent_hash IS NOT NULL").Count(&hashes).Error)
		require.Zero(t, hashes)

		sealed, err := svc.CloseDue(ctx, nil)
		require.NoError(t, err)
		require.Len(t, sealed, 1)
		st, err := svc.RoundStatus(ctx, 1)
		require.NoError(t, err)
		require.Equal(t, "closed", st.Status)
		require.Equal(t, 6, *st.Answered)
		again, err := svc.CloseDue(ctx, nil)
		require.NoError(t, err)
		require.Empty(t, again, "sealed once")
	})
}
