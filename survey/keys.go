package survey

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"gorm.io/gorm"
)

// roundKey is the random key a round's respondent hashes are made with. It
// lives only while the round is open: closing deletes it, and with it every
// way to tell whose response is whose, PULSE_SECRET included.
type roundKey struct {
	RoundID int64 `gorm:"primaryKey;autoIncrement:false"`
	Key     []byte
}

func (roundKey) TableName() string { return "round_keys" }

// errKeyLost means an open round has no key: on PostgreSQL the UNLOGGED
// table is emptied by a crash. Nobody can find their response again, so
// the round must close rather than take a second response from anyone.
var errKeyLost = errors.New("the round's answer key is gone")

func createRoundKey(tx *gorm.DB, roundID int64) error {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	return tx.Create(&roundKey{RoundID: roundID, Key: key}).Error
}

func loadRoundKey(tx *gorm.DB, roundID int64) ([]byte, error) {
	keys, err := loadRoundKeys(tx, []int64{roundID})
	if err != nil {
		return nil, err
	}
	if len(keys[roundID]) == 0 {
		return nil, errKeyLost
	}
	return keys[roundID], nil
}

// loadRoundKeys reads the keys of several rounds in one query; a round
// missing from the result is closed, or has lost its key.
func loadRoundKeys(tx *gorm.DB, roundIDs []int64) (map[int64][]byte, error) {
	var rows []roundKey
	ids := append(slices.Clip(roundIDs), 0) // never empty: IN () is not SQL
	if err := tx.Where("round_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[int64][]byte, len(rows))
	for _, k := range rows {
		out[k.RoundID] = k.Key
	}
	return out, nil
}

// respondentHash keys a person's response within a round with the round's
// own key: the hash alone names nobody, and once the key is deleted at
// close nobody can recompute it.
func respondentHash(key []byte, roundID, employeeID int64) string {
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "pulse-response:%d:%d", roundID, employeeID)
	return hex.EncodeToString(mac.Sum(nil))
}

// hashFor loads the round's key and hashes the employee with it.
func hashFor(tx *gorm.DB, roundID, employeeID int64) (string, error) {
	key, err := loadRoundKey(tx, roundID)
	if err != nil {
		return "", err
	}
	return respondentHash(key, roundID, employeeID), nil
}

// closeKeyLost closes an open round whose key is gone, at once and with a
// warning: its responses stay counted once each, and nobody adds another.
func (s *Service) closeKeyLost(ctx context.Context, roundID int64) error {
	warnKeyLost(ctx, roundID)
	_, err := s.CloseRound(ctx, roundID, nil)
	return err
}

func warnKeyLost(ctx context.Context, roundID int64) {
	slog.WarnContext(ctx, "closing a round early: its answer key is gone (on PostgreSQL a crash empties the unlogged round_keys table)",
		"round_id", roundID)
}

// shred makes the deleted keys and erased hashes unrecoverable from the
// database files, after the close has committed. On PostgreSQL the key
// table is copied, live rows only, into a fresh file and the old file
// (with the deleted keys in its dead tuples) is dropped; VACUUM would leave
// the bytes in place. On SQLite secure_delete has zeroed the deleted
// content, and a truncating checkpoint empties the WAL that still holds it.
//
// A caller that closes rounds inside a transaction of its own (the demo
// loader) skips this: the files are rewritten by the next close outside one.
func shred(ctx context.Context, db *gorm.DB) error {
	if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		return nil
	}
	db = db.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		return db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range []string{
				"LOCK TABLE round_keys IN ACCESS EXCLUSIVE MODE",
				"CREATE UNLOGGED TABLE round_keys_next (round_id BIGINT PRIMARY KEY, key BYTEA NOT NULL)",
				"INSERT INTO round_keys_next SELECT round_id, key FROM round_keys",
				"DROP TABLE round_keys",
				"ALTER TABLE round_keys_next RENAME TO round_keys",
				"ALTER INDEX round_keys_next_pkey RENAME TO round_keys_pkey",
			} {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return nil
		})
	}
	var busy, frames, copied int
	if err := db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &frames, &copied); err != nil {
		return err
	}
	if busy != 0 {
		// Another connection was reading; the next close truncates the WAL.
		slog.WarnContext(ctx, "could not truncate the SQLite WAL after closing a round", "frames", frames, "copied", copied)
	}
	return nil
}
