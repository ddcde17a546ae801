package action_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// reacted is a published plan of team A that all six who answered reacted
// to, with the key and hashes stored while it is open.
func reacted(t *testing.T, db *database.DB) (*world, action.Plan, map[string][]byte) {
	t.Helper()
	w := newWorld(t, db)
	p := w.published()
	for _, e := range w.a {
		require.NoError(t, w.svc.React(t.Context(), p.ID, e.ID, action.Helps))
	}
	var key []byte
	require.NoError(t, db.Gorm.Table("action_reaction_keys").Where("plan_id = ?", p.ID).Select("key").Row().Scan(&key))
	var hashes []string
	require.NoError(t, db.Gorm.Table("action_reactions").Where("plan_id = ?", p.ID).Pluck("voter_hash", &hashes).Error)
	needles := map[string][]byte{"key": key, "key hex": []byte(hex.EncodeToString(key))}
	for _, h := range hashes {
		needles["hash "+h] = []byte(h)
	}
	return w, p, needles
}

func finish(t *testing.T, w *world, p action.Plan) {
	t.Helper()
	_, _, err := w.svc.AddUpdate(t.Context(), p.ID, w.actor(w.bossA), action.UpdateInput{Text: "Done", Status: action.StatusDone})
	require.NoError(t, err)
}

func requireNotIn(t *testing.T, name string, data []byte, needles map[string][]byte) {
	t.Helper()
	for what, needle := range needles {
		require.False(t, bytes.Contains(data, needle), "%s still holds the %s", name, what)
	}
}

// The attacker copies the SQLite files after the plan is done: neither
// the key nor any hash is left in them, free pages and WAL included.
func TestADonePlanLeavesNoKeyOrHashInTheSQLiteFiles(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	w, p, needles := reacted(t, db)
	finish(t, w, p)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		data, err := os.ReadFile(db.Path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		requireNotIn(t, filepath.Base(db.Path+suffix), data, needles)
	}
}

// On PostgreSQL the key never reaches the WAL (the table is UNLOGGED) and
// the file that held it is replaced when the plan is done.
func TestADonePlanLeavesNoKeyInThePostgreSQLFiles(t *testing.T) {
	t.Parallel()
	db := dbtest.Postgres(t)
	var startLSN string
	require.NoError(t, db.Gorm.Raw("SELECT pg_current_wal_lsn()::text").Scan(&startLSN).Error)
	w, p, needles := reacted(t, db)
	var persistence, keyFile string
	require.NoError(t, db.Gorm.Raw("SELECT relpersistence::text FROM pg_class WHERE oid = 'action_reaction_keys'::regclass").Scan(&persistence).Error)
	require.Equal(t, "u", persistence)
	require.NoError(t, db.Gorm.Raw("SELECT pg_relation_filepath('action_reaction_keys')").Scan(&keyFile).Error)
	finish(t, w, p)
	require.NoError(t, db.Gorm.Exec("CHECKPOINT").Error)
	var newKeyFile string
	require.NoError(t, db.Gorm.Raw("SELECT pg_relation_filepath('action_reaction_keys')").Scan(&newKeyFile).Error)
	require.NotEqual(t, keyFile, newKeyFile, "the seal moves the live keys to a fresh file")
	require.NoError(t, db.Gorm.Raw("SELECT relpersistence::text FROM pg_class WHERE oid = 'action_reaction_keys'::regclass").Scan(&persistence).Error)
	require.Equal(t, "u", persistence, "and the fresh table is UNLOGGED too")

	var dataDir, firstWAL, lastWAL string
	require.NoError(t, db.Gorm.Raw("SHOW data_directory").Scan(&dataDir).Error)
	require.NoError(t, db.Gorm.Raw("SELECT pg_walfile_name(?::pg_lsn)", startLSN).Scan(&firstWAL).Error)
	require.NoError(t, db.Gorm.Raw("SELECT pg_walfile_name(pg_current_wal_lsn())").Scan(&lastWAL).Error)
	if _, err := os.ReadDir(filepath.Join(dataDir, "pg_wal")); err != nil {
		t.Skipf("the raw-file scan needs the PostgreSQL data directory on this machine, readable: %v", err)
	}
	keyOnly := map[string][]byte{"key": needles["key"], "key hex": needles["key hex"]}
	var files []string
	require.NoError(t, db.Gorm.Raw(`SELECT pg_relation_filepath(c.oid) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 't') AND pg_relation_filepath(c.oid) IS NOT NULL`).Scan(&files).Error)
	require.NotEmpty(t, files)
	for _, rel := range files {
		matches, err := filepath.Glob(filepath.Join(dataDir, rel) + "*")
		require.NoError(t, err)
		for _, name := range matches {
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			requireNotIn(t, rel, data, keyOnly)
		}
	}
	wal, err := os.ReadDir(filepath.Join(dataDir, "pg_wal"))
	require.NoError(t, err)
	for _, f := range wal {
		if len(f.Name()) != 24 || f.Name() < firstWAL || f.Name() > lastWAL {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dataDir, "pg_wal", f.Name()))
		require.NoError(t, err)
		requireNotIn(t, "WAL segment "+f.Name(), data, keyOnly)
	}
}

// A crash empties PostgreSQL's unlogged key table: the plan's reactions
// can no longer be matched to anyone, so they freeze rather than let a
// person count twice.
func TestAPlanWhoseKeyIsLostFreezesItsReactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		w, p, _ := reacted(t, db)
		require.NoError(t, db.Gorm.Exec("DELETE FROM action_reaction_keys").Error)
		err := w.svc.React(t.Context(), p.ID, w.a[0].ID, action.NotYet)
		require.True(t, isConflict(err), "%v", err)
		c := w.counts(p.ID)
		require.Equal(t, 5, *c.Helps, "the tally stays as last shown (the sixth is one short of k changes)")
		require.Zero(t, *c.NotYet)
	})
}
