package demo_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
)

// The demo holds a year of answers: loading it takes seconds on SQLite and
// many more on PostgreSQL, and several times that under -race. So the tests
// here share one loaded demo per database, loaded on first use, and only
// read it (but for the visitor's answer, which no other test looks at).
var fixtures = map[database.Dialect]*fixture{database.SQLite: {}, database.Postgres: {}}

type fixture struct {
	once    sync.Once
	demo    loaded
	took    time.Duration
	err     error
	release func()
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range fixtures {
		if f.release != nil {
			f.release()
		}
	}
	os.Exit(code)
}

// eachLoaded runs fn against the loaded demo on every available database.
func eachLoaded(t *testing.T, fn func(t *testing.T, l loaded)) {
	for _, d := range []database.Dialect{database.SQLite, database.Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, demoOn(t, d)) })
	}
}

// demoOn is the shared demo on one database.
func demoOn(t *testing.T, d database.Dialect) loaded {
	t.Helper()
	f := fixtures[d]
	f.once.Do(func() {
		start := time.Now()
		var db *database.DB
		if db, f.release, f.err = dbtest.Shared(d); f.err == nil && db != nil {
			f.demo, f.err = loadDemo(db)
		}
		f.took = time.Since(start)
		t.Logf("%s: demo loaded in %s", d, f.took.Round(time.Millisecond))
	})
	require.NoError(t, f.err)
	if f.demo.db == nil {
		dbtest.Postgres(t) // skips, or fails under CI=true
	}
	return f.demo
}
