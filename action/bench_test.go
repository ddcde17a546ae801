package action_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/action"
	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
)

// BenchmarkReact is one person's reaction, as a Slack tap records it: the
// plan locked, the key read, the hash made, the row upserted and the tally
// looked at. People take turns among a team of 200, changing their minds.
func BenchmarkReact(b *testing.B) {
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			db := dbtest.SQLite(b)
			if d == database.Postgres {
				db = dbtest.Postgres(b)
			}
			w := newBenchWorld(b, db)
			values := []string{action.Helps, action.NotYet}
			for i := 0; b.Loop(); i++ {
				require.NoError(b, w.svc.React(b.Context(), w.plan.ID, w.people[i%len(w.people)].ID, values[(i/len(w.people))%2]))
			}
		})
	}
}

type benchWorld struct {
	svc    *action.Service
	plan   action.Plan
	people []directory.Employee
}

// newBenchWorld is the fixture's world with 200 more people in team A and
// its plan published.
func newBenchWorld(b *testing.B, db *database.DB) benchWorld {
	w := newWorld(b, db)
	for i := range 200 {
		w.a = append(w.a, w.person(fmt.Sprintf("bench%d", i), &w.teamA.ID, directory.RoleEmployee))
	}
	return benchWorld{svc: w.svc, plan: w.published(), people: w.a}
}
