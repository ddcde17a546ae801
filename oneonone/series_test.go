package oneonone_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/oneonone"
)

var now = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

// countQueries counts the statements GORM sends through db from now on.
func countQueries(t *testing.T, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(tx *gorm.DB) {
		if !tx.DryRun { // a subquery is built in a dry run, not sent
			n.Add(1)
		}
	}
	name := "test:count-" + t.Name()
	require.NoError(t, db.Callback().Query().After("gorm:query").Register(name, count))
	require.NoError(t, db.Callback().Row().After("gorm:row").Register(name, count))
	require.NoError(t, db.Callback().Raw().After("gorm:raw").Register(name, count))
	t.Cleanup(func() {
		db.Callback().Query().Remove(name)
		db.Callback().Row().Remove(name)
		db.Callback().Raw().Remove(name)
	})
	return &n
}

// seriesOf gives a manager n direct reports, a series with each, and a past
// and two coming meetings in each.
func seriesOf(t *testing.T, db *database.DB, n int) (*oneonone.Service, directory.Employee) {
	t.Helper()
	ctx := t.Context()
	clock := func() time.Time { return now }
	dir := directory.New(db.Gorm, clock)
	svc := oneonone.New(db.Gorm, clock, nil)
	boss, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: "boss@example.com", Name: "Boss", Role: directory.RoleManager})
	require.NoError(t, err)
	for i := range n {
		rep, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: fmt.Sprintf("rep%d@example.com", i),
			Name: fmt.Sprintf("Rep %d", i), ManagerID: &boss.ID})
		require.NoError(t, err)
		sr, err := svc.CreateSeries(ctx, boss.ID, oneonone.SeriesInput{ReportID: rep.ID})
		require.NoError(t, err)
		for _, at := range []time.Time{now.Add(-48 * time.Hour), now.Add(time.Duration(72+i) * time.Hour), now.Add(24 * time.Hour)} {
			_, err := svc.CreateMeeting(ctx, sr.ID, boss.ID, oneonone.MeetingInput{ScheduledAt: &at}, nil)
			require.NoError(t, err)
		}
	}
	return svc, boss
}

func TestListingSeriesTakesTheSameQueriesForOneOrTen(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		queries := map[int]int64{}
		for _, n := range []int{1, 10} {
			t.Run(fmt.Sprint(n), func(t *testing.T) {
				fresh := db
				if n == 10 { // a database of its own, so the first one's rows do not count
					fresh = map[database.Dialect]func(testing.TB) *database.DB{
						database.SQLite: dbtest.SQLite, database.Postgres: dbtest.Postgres}[db.Dialect](t)
				}
				svc, boss := seriesOf(t, fresh, n)
				counter := countQueries(t, fresh.Gorm)
				list, err := svc.MySeries(t.Context(), boss.ID)
				require.NoError(t, err)
				queries[n] = counter.Load()

				require.Len(t, list, n)
				for i, sr := range list {
					require.Equal(t, "Boss", sr.ManagerName)
					require.Equal(t, fmt.Sprintf("Rep %d", i), sr.ReportName)
					require.NotNil(t, sr.NextMeeting, "each series shows its next meeting")
					require.True(t, sr.NextMeeting.ScheduledAt.Equal(now.Add(24*time.Hour)),
						"the earliest coming meeting, not the latest or a past one: %s", sr.NextMeeting.ScheduledAt)
					require.Equal(t, sr.ID, sr.NextMeeting.SeriesID)
				}
			})
		}
		t.Logf("%s: %d queries for 1 series, %d for 10", db.Dialect, queries[1], queries[10])
		require.Equal(t, queries[1], queries[10], "a fixed number of queries whatever the length of the list")
		require.LessOrEqual(t, queries[10], int64(3))
	})
}
