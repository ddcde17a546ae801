package action

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/fault"
)

// Reaction values.
const (
	Helps  = "helps"   // "this helps"
	NotYet = "not_yet" // "doesn't help yet"
)

// Reactions are kept the way survey answers are (survey/keys.go, seal.go):
//
//   - a row holds the plan, a keyed hash of the person and the value: no
//     employee id, no time, no serial id, so neither a column nor the order
//     of ids joins it to anyone;
//   - the hash is keyed with the plan's own random key mixed with the
//     server secret, so the database files alone cannot recompute it;
//   - when the plan is done or dropped, reactions freeze: the key is
//     deleted and every hash replaced by a random string, after which
//     nobody, holding the files and the secret or not, can tell who
//     reacted how;
//   - on PostgreSQL the key table is UNLOGGED (no key reaches the WAL) and
//     its file is replaced after a seal (shredKeys); a crash that empties it
//     freezes the reactions that lost their key;
//   - counts are shown only at or above k, and the shown tally moves only
//     once at least k people reacted or changed their reaction since it last
//     moved, so comparing two looks never isolates fewer than k people.
type reaction struct {
	PlanID    int64  `gorm:"primaryKey;autoIncrement:false"`
	VoterHash string `gorm:"primaryKey"`
	Value     string
	Pending   bool
}

func (reaction) TableName() string { return "action_reactions" }

type reactionKey struct {
	PlanID int64 `gorm:"primaryKey;autoIncrement:false"`
	Key    []byte
}

func (reactionKey) TableName() string { return "action_reaction_keys" }

// ReactionCounts is how a plan's group reacted, as shown: nothing but
// Suppressed below k.
type ReactionCounts struct {
	PlanID     int64 `json:"plan_id"`
	Suppressed bool  `json:"suppressed"`
	N          *int  `json:"n,omitempty"`
	Helps      *int  `json:"helps,omitempty"`
	NotYet     *int  `json:"not_yet,omitempty"`
	// MinRespondents is k, the fewest reactions shown.
	MinRespondents int `json:"min_respondents"`
}

// React records (or changes) the employee's reaction to a published, open
// plan of their group. Reacting the same way twice changes nothing.
func (s *Service) React(ctx context.Context, planID, employeeID int64, value string) error {
	if value != Helps && value != NotYet {
		return fault.Invalidf("value", "must be helps or not_yet")
	}
	return s.withTx(ctx, func(tx *gorm.DB) error {
		in := s.in(tx)
		p, err := in.reactable(ctx, planID, employeeID)
		if err != nil {
			return err
		}
		hash, err := in.voterHash(p.ID, employeeID, true)
		if err != nil {
			return err
		}
		// A change of mind moves the row (and marks it pending); the same
		// value again leaves it alone, so a repeated tap moves no tally.
		err = tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "plan_id"}, {Name: "voter_hash"}},
			DoUpdates: clause.AssignmentColumns([]string{"value", "pending"}),
			Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "action_reactions.value <> excluded.value"}}},
		}).Create(&reaction{PlanID: p.ID, VoterHash: hash, Value: value, Pending: true}).Error
		if err != nil {
			return err
		}
		return in.retally(ctx, &p)
	})
}

// reactable loads and locks a plan the employee may react to.
func (s *Service) reactable(ctx context.Context, planID, employeeID int64) (Plan, error) {
	p, err := lockPlan(s.db, planID)
	if err != nil {
		return p, err
	}
	e, err := s.dir.Employee(ctx, employeeID)
	if err != nil {
		return Plan{}, err
	}
	ok, err := s.sees(ctx, Actor{Employee: directory.Employee{ID: e.ID, TeamID: e.TeamID, Role: directory.RoleEmployee}}, p)
	switch {
	case err != nil:
		return Plan{}, err
	case !ok || !e.Active:
		return Plan{}, ErrNotFound
	case !p.Open():
		return Plan{}, fault.Conflictf("this action is %s; reactions are closed", p.Status)
	}
	return p, nil
}

// MyReaction is the employee's current reaction to an open plan ("" for
// none), read back through the keyed hash, for showing their own choice.
func (s *Service) MyReaction(ctx context.Context, planID, employeeID int64) (string, error) {
	hash, err := s.voterHash(planID, employeeID, false)
	if err != nil || hash == "" {
		return "", err
	}
	var rows []reaction
	err = s.db.WithContext(ctx).Where("plan_id = ? AND voter_hash = ?", planID, hash).Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", err
	}
	return rows[0].Value, nil
}

// voterHash hashes the employee with the plan's key, made on first use
// when create is set; "" when there is no key (nobody reacted yet, or the
// plan's reactions are sealed).
func (s *Service) voterHash(planID, employeeID int64, create bool) (string, error) {
	var keys []reactionKey
	if err := s.db.Where("plan_id = ?", planID).Limit(1).Find(&keys).Error; err != nil {
		return "", err
	}
	if len(keys) == 0 && !create {
		return "", nil
	}
	if len(keys) == 0 {
		// Reactions without a key: a crash emptied the unlogged key table.
		// Nobody's reaction can be found again, so they stay as they are.
		var n int64
		if err := s.db.Model(&reaction{}).Where("plan_id = ?", planID).Count(&n).Error; err != nil {
			return "", err
		}
		if n > 0 {
			return "", fault.Conflictf("reactions to this action are closed: they can no longer be told apart safely")
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return "", err
		}
		keys = append(keys, reactionKey{PlanID: planID, Key: key})
		if err := s.db.Create(&keys[0]).Error; err != nil {
			return "", err
		}
	}
	mac := hmac.New(sha256.New, s.hashKey(keys[0].Key))
	fmt.Fprintf(mac, "pulse-reaction:%d:%d", planID, employeeID)
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// hashKey mixes the server secret into the plan's key: the database alone
// never holds all it takes to recompute a hash.
func (s *Service) hashKey(planKey []byte) []byte {
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte("pulse-action-reactions"))
	mac.Write(planKey)
	return mac.Sum(nil)
}

// retally moves the shown tally to the current counts once at least k
// reactions are pending, and clears the pending marks.
func (s *Service) retally(ctx context.Context, p *Plan) error {
	k, err := s.surveys.Thresholds(ctx)
	if err != nil {
		return err
	}
	var pending int64
	if err := s.db.Model(&reaction{}).Where("plan_id = ? AND pending", p.ID).Count(&pending).Error; err != nil {
		return err
	}
	if pending == 0 || pending < int64(k.MinRespondents) {
		return nil
	}
	var rows []struct {
		Value string
		N     int
	}
	if err := s.db.Model(&reaction{}).Where("plan_id = ?", p.ID).Group("value").Select("value, COUNT(*) AS n").Scan(&rows).Error; err != nil {
		return err
	}
	p.ShownHelps, p.ShownNotYet = 0, 0
	for _, r := range rows {
		switch r.Value {
		case Helps:
			p.ShownHelps = r.N
		case NotYet:
			p.ShownNotYet = r.N
		}
	}
	if err := s.db.Model(&reaction{}).Where("plan_id = ? AND pending", p.ID).Update("pending", false).Error; err != nil {
		return err
	}
	return s.db.Model(&Plan{}).Where("id = ?", p.ID).
		Updates(map[string]any{"shown_helps": p.ShownHelps, "shown_not_yet": p.ShownNotYet}).Error
}

// sealReactions freezes a finished plan's reactions: a last tally (if k
// or more are pending; fewer stay unshown, as ever), then the key goes and every
// hash becomes a random string, so no reaction leads back to anyone.
func (s *Service) sealReactions(ctx context.Context, p *Plan) error {
	if err := s.retally(ctx, p); err != nil {
		return err
	}
	if err := s.db.Where("plan_id = ?", p.ID).Delete(&reactionKey{}).Error; err != nil {
		return err
	}
	random := "hex(randomblob(32))"
	if s.db.Dialector.Name() == "postgres" {
		random = "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')"
	}
	return s.db.Exec("UPDATE action_reactions SET voter_hash = "+random+", pending = FALSE WHERE plan_id = ?", p.ID).Error
}

// Reactions returns a plan's reaction counts as shown to anyone who may see
// the plan: suppressed unless at least k reacted.
func (s *Service) Reactions(ctx context.Context, planID int64, a Actor) (ReactionCounts, error) {
	p, err := s.Get(ctx, planID, a)
	if err != nil {
		return ReactionCounts{}, err
	}
	k, err := s.surveys.Thresholds(ctx)
	if err != nil {
		return ReactionCounts{}, err
	}
	return countsOf(p, k.MinRespondents), nil
}

func countsOf(p Plan, k int) ReactionCounts {
	out := ReactionCounts{PlanID: p.ID, MinRespondents: k, Suppressed: true}
	n := p.ShownHelps + p.ShownNotYet
	if n < k {
		return out
	}
	helps, notYet := p.ShownHelps, p.ShownNotYet
	out.Suppressed, out.N, out.Helps, out.NotYet = false, &n, &helps, &notYet
	return out
}

// shredKeys makes deleted plan keys unrecoverable from the database files
// once the seal has committed, as survey does for round keys: on
// PostgreSQL the key table is copied, live rows only, into a fresh file and
// the old one (with the deleted keys in its dead tuples) dropped; on SQLite
// secure_delete has zeroed them and a truncating checkpoint empties the
// WAL that still holds them.
func shredKeys(ctx context.Context, db *gorm.DB) error {
	if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		return nil // a caller's own transaction (the demo loader): the next seal outside one clears them
	}
	db = db.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		return db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range []string{
				"LOCK TABLE action_reaction_keys IN ACCESS EXCLUSIVE MODE",
				"CREATE UNLOGGED TABLE action_reaction_keys_next (plan_id BIGINT PRIMARY KEY, key BYTEA NOT NULL)",
				"INSERT INTO action_reaction_keys_next SELECT plan_id, key FROM action_reaction_keys",
				"DROP TABLE action_reaction_keys",
				"ALTER TABLE action_reaction_keys_next RENAME TO action_reaction_keys",
				"ALTER INDEX action_reaction_keys_next_pkey RENAME TO action_reaction_keys_pkey",
			} {
				if err := tx.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return nil
		})
	}
	var busy, frames, copied int
	return db.Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&busy, &frames, &copied)
}
