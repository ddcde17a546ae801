package survey_test

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/survey"
)

// secrets are the values that, found on disk after close, would let someone
// holding the files (and PULSE_SECRET) tell whose response is whose.
type secrets struct {
	keys   [][]byte // the round keys
	hashes []string // the respondent hashes, as stored
}

// needles are every form a secret could be stored in: raw bytes, hex.
func (s secrets) needles(withHashes bool) map[string][]byte {
	out := map[string][]byte{}
	for _, k := range s.keys {
		out["key "+hex.EncodeToString(k)] = k
		out["key hex "+hex.EncodeToString(k)] = []byte(hex.EncodeToString(k))
		out["key HEX "+hex.EncodeToString(k)] = []byte(strings.ToUpper(hex.EncodeToString(k)))
	}
	if withHashes {
		for _, h := range s.hashes {
			out["hash "+h] = []byte(h)
			raw, err := hex.DecodeString(h)
			if err == nil {
				out["hash raw "+h] = raw
			}
		}
	}
	return out
}

// answeredRound has six people answer one round and returns it with the
// key and hashes it holds while open.
func answeredRound(t *testing.T, db *database.DB) (*world, survey.Round, secrets) {
	o := newWorld(t, db)
	team := o.team("Sales", nil)
	people := o.people("seller", 6, &team.ID)
	sv := o.survey(survey.QuestionInput{Kind: survey.KindENPS, Prompt: "Recommend us?"})
	r := o.round(sv.ID)
	for i, p := range people {
		o.answer(r.ID, p.ID, sv.Questions[0].ID, 4+i)
	}
	var s secrets
	require.NoError(t, db.Gorm.Table("round_keys").Where("round_id = ?", r.ID).Pluck("key", &s.keys).Error)
	require.Len(t, s.keys, 1, "an open round has its key")
	require.NoError(t, db.Gorm.Table("responses").Where("round_id = ?", r.ID).Pluck("respondent_hash", &s.hashes).Error)
	require.Len(t, s.hashes, 6)
	return o, r, s
}

func requireNotIn(t *testing.T, name string, data []byte, needles map[string][]byte) {
	t.Helper()
	for what, needle := range needles {
		require.False(t, bytes.Contains(data, needle), "%s still holds %s", name, what)
	}
}

// On SQLite the whole database is three files: after close none of them
// holds a key or a hash, in live rows, free pages, stale cells or the WAL.
func TestClosingLeavesNoKeyOrHashInTheSQLiteFiles(t *testing.T) {
	t.Parallel()
	db := dbtest.SQLite(t)
	o, r, s := answeredRound(t, db)
	_, err := o.svc.CloseRound(t.Context(), r.ID, nil)
	require.NoError(t, err)

	needles := s.needles(true)
	for _, suffix := range []string{"", "-wal", "-shm"} {
		name := db.Path + suffix
		data, err := os.ReadFile(name)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		requireNotIn(t, filepath.Base(name), data, needles)
	}
	var keys int64
	require.NoError(t, db.Gorm.Table("round_keys").Count(&keys).Error)
	require.Zero(t, keys)
}

// On PostgreSQL the erased hashes stay in the WAL and in dead tuples until
// the pages are reused, which is why they are keyed by a round key that
// never reaches the WAL (round_keys is UNLOGGED) and whose table file is
// replaced after each close. So the key must be nowhere: not in any file of
// the schema's tables, indexes and TOAST, nor in the WAL written meanwhile.
func TestClosingLeavesNoRoundKeyInThePostgreSQLFiles(t *testing.T) {
	t.Parallel()
	db := dbtest.Postgres(t)
	ctx := t.Context()
	var startLSN string
	require.NoError(t, db.Gorm.Raw("SELECT pg_current_wal_lsn()::text").Scan(&startLSN).Error)
	o, r, s := answeredRound(t, db)
	var persistence, keyFile string
	require.NoError(t, db.Gorm.Raw("SELECT relpersistence::text FROM pg_class WHERE oid = 'round_keys'::regclass").Scan(&persistence).Error)
	require.Equal(t, "u", persistence, "round_keys is UNLOGGED: no key is ever written to the WAL")
	require.NoError(t, db.Gorm.Raw("SELECT pg_relation_filepath('round_keys')").Scan(&keyFile).Error)
	_, err := o.svc.CloseRound(ctx, r.ID, nil)
	require.NoError(t, err)
	require.NoError(t, db.Gorm.Exec("CHECKPOINT").Error)
	// A checkpoint does not write an unlogged table's pages, so the deleted
	// key may not have reached the old file yet; it must not be able to: the
	// file that held it is replaced, and gone after the checkpoint.
	var newKeyFile string
	require.NoError(t, db.Gorm.Raw("SELECT pg_relation_filepath('round_keys')").Scan(&newKeyFile).Error)
	require.NotEqual(t, keyFile, newKeyFile, "closing moves the live keys to a fresh file")

	var dataDir, firstWAL, lastWAL string
	require.NoError(t, db.Gorm.Raw("SHOW data_directory").Scan(&dataDir).Error)
	require.NoError(t, db.Gorm.Raw("SELECT pg_walfile_name(?::pg_lsn)", startLSN).Scan(&firstWAL).Error)
	require.NoError(t, db.Gorm.Raw("SELECT pg_walfile_name(pg_current_wal_lsn())").Scan(&lastWAL).Error)
	if _, err := os.ReadDir(filepath.Join(dataDir, "pg_wal")); err != nil {
		t.Skipf("the raw-file scan needs the PostgreSQL data directory on this machine, readable: %v", err)
	}
	if info, err := os.Stat(filepath.Join(dataDir, keyFile)); err == nil {
		require.Zero(t, info.Size(), "the old key file is emptied and unlinked")
	}
	var files []string
	err = db.Gorm.Raw(`SELECT pg_relation_filepath(c.oid) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname IN (current_schema(), 'pg_toast') AND c.relkind IN ('r', 'i', 't')
		AND pg_relation_filepath(c.oid) IS NOT NULL
		AND (n.nspname = current_schema() OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))
		  OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))))`).
		Scan(&files).Error
	require.NoError(t, err)
	require.NotEmpty(t, files)
	needles := s.needles(false)
	scanned := 0
	for _, rel := range files {
		matches, err := filepath.Glob(filepath.Join(dataDir, rel) + "*") // segments and forks
		require.NoError(t, err)
		for _, name := range matches {
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			requireNotIn(t, rel, data, needles)
			scanned++
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
		requireNotIn(t, "WAL segment "+f.Name(), data, needles)
		scanned++
	}
	t.Logf("scanned %d relation files and WAL segments %s..%s", scanned, firstWAL, lastWAL)
}
