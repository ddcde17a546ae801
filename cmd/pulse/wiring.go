package main

import (
	"context"
	"time"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/conversation"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/delivery"
	"github.com/pulsehq/pulse/demo"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
)

// services is the one place where the domain packages are built over the
// database: config -> store -> services -> servers.
type services struct {
	db            *database.DB
	cfg           config
	now           func() time.Time
	directory     *directory.Directory
	tokens        *auth.Tokens
	signIns       *auth.SignIns // one-time dashboard links: /pulse dashboard, serve --demo
	surveys       *survey.Service
	deliveries    *delivery.Store
	conversations *conversation.Service
	oneOnOnes     *oneonone.Service
	sales         *sales.Service
	actions       *action.Service
}

func newServices(db *database.DB, cfg config) *services {
	now := time.Now
	s := &services{
		db: db, cfg: cfg, now: now,
		directory:  directory.New(db.Gorm, now),
		tokens:     auth.NewTokens(db.Gorm, now),
		signIns:    auth.NewSignIns(db.Gorm, now),
		surveys:    survey.NewService(db.Gorm, now, []byte(cfg.Secret)),
		deliveries: delivery.NewStore(db.Gorm, now),
		oneOnOnes:  oneonone.New(db.Gorm, now, []byte(cfg.NotesKey)),
	}
	s.conversations = conversation.New(db.Gorm, s.surveys, now)
	s.sales = sales.New(db.Gorm, now, s.surveys)
	s.actions = action.New(db.Gorm, now, []byte(cfg.Secret), s.surveys)
	return s
}

func (s *services) loadDemo(ctx context.Context) ([]string, error) {
	return demo.Load(ctx, s.db.Gorm, s.now(), demo.Steps(demo.Options{Secret: []byte(s.cfg.Secret)})...)
}
