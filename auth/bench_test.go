package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/pulsehq/pulse/auth"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// BenchmarkCredentialCheck measures the check on answer routes (Check,
// which writes nothing) against the one elsewhere (Authenticate, which
// writes at most daily per token and hourly per session).
func BenchmarkCredentialCheck(b *testing.B) {
	for _, store := range []struct {
		name string
		open func(testing.TB) *database.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(store.name, func(b *testing.B) {
			db := store.open(b)
			ctx := context.Background()
			clock := func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
			rep, err := directory.New(db.Gorm, clock).CreateEmployee(ctx, directory.EmployeeInput{Email: "rep@example.com", Name: "Rep"})
			if err != nil {
				b.Fatal(err)
			}
			tokens, sessions := auth.NewTokens(db.Gorm, clock), auth.NewSessions(db.Gorm, clock)
			token, _, err := tokens.Create(ctx, rep.ID, "bench")
			if err != nil {
				b.Fatal(err)
			}
			session, err := sessions.Start(ctx, rep.ID)
			if err != nil {
				b.Fatal(err)
			}
			for _, check := range []struct {
				name string
				fn   func(context.Context, string) (directory.Employee, error)
				cred string
			}{
				{"token/Authenticate", tokens.Authenticate, token}, {"token/Check", tokens.Check, token},
				{"session/Authenticate", sessions.Authenticate, session}, {"session/Check", sessions.Check, session},
			} {
				b.Run(check.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := check.fn(ctx, check.cred); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
