// Package demo loads the demo organisation: a believable company for trying
// Pulse on a fresh clone. Each capability adds its own Step; each step runs
// once per database, in its own transaction, so loading twice changes nothing.
package demo

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Step is one capability's part of the demo.
type Step struct {
	Name string
	Load func(ctx context.Context, tx *gorm.DB, now time.Time) error
}

type loadedStep struct {
	Name     string `gorm:"primaryKey"`
	LoadedAt time.Time
}

func (loadedStep) TableName() string { return "demo_steps" }

// Steps is the whole demo, in order.
func Steps(opts Options) []Step {
	return []Step{directoryStep, pulseStep(opts.Secret), oneOnOneStep, salesStep, actionsStep(opts.Secret)}
}

// Load runs every step not yet recorded as loaded and returns the names of
// those it ran. Two loaders racing on one database run each step once: the
// marker row is claimed first, inside the step's transaction.
func Load(ctx context.Context, db *gorm.DB, now time.Time, steps ...Step) ([]string, error) {
	var ran []string
	for _, s := range steps {
		loaded := false
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&loadedStep{Name: s.Name, LoadedAt: now.UTC()})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return errAlreadyLoaded
			}
			loaded = true
			return s.Load(ctx, tx, now)
		})
		if err != nil && !errors.Is(err, errAlreadyLoaded) {
			return ran, err
		}
		if loaded && err == nil {
			ran = append(ran, s.Name)
		}
	}
	return ran, nil
}

var errAlreadyLoaded = errors.New("demo step already loaded")

// HRAdminEmail is the demo's HR admin, who gets the printed token.
const HRAdminEmail = "hr@demo.example"
