package sales_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/sales"
	"github.com/pulsehq/pulse/survey"
)

// crmKind is one kind of CRM import, with a file of n rows to feed it; v
// changes the values, not the keys, so a second file overwrites the first.
type crmKind struct {
	table string
	run   func(*sales.Service, context.Context, io.Reader) (sales.ImportResult, error)
	file  func(n, v int) string
}

// month is the i-th month from January 1900, as quotas and spend name it.
func month(i int) string { return fmt.Sprintf("%04d-%02d", 1900+i/12, i%12+1) }

var crmKinds = map[string]crmKind{
	"deals": {"sales_deals", (*sales.Service).ImportDeals, func(n, v int) string {
		var b strings.Builder
		b.WriteString("external_id,owner_email,amount,stage,created_at,closed_at,outcome\n")
		for i := range n {
			fmt.Fprintf(&b, "D%d,ana@example.com,%d.00,won,2026-01-05,2026-02-10,won\n", i, 1000+i%5000+v)
		}
		return b.String()
	}},
	"activities": {"sales_activities", (*sales.Service).ImportActivities, func(n, v int) string {
		var b strings.Builder
		b.WriteString("external_id,owner_email,kind,occurred_at\n")
		for i := range n {
			fmt.Fprintf(&b, "A%d,ana@example.com,%s,2026-01-%02d\n", i, []string{"call", "email"}[(i+v)%2], 1+v%28)
		}
		return b.String()
	}},
	"leads": {"sales_leads", (*sales.Service).ImportLeads, func(n, v int) string {
		var b strings.Builder
		b.WriteString("external_id,owner_email,created_at,converted\n")
		for i := range n {
			fmt.Fprintf(&b, "L%d,ben@example.com,2026-02-%02d,%t\n", i, 1+v%28, (i+v)%2 == 0)
		}
		return b.String()
	}},
	"quotas": {"sales_quotas", (*sales.Service).ImportQuotas, func(n, v int) string {
		var b strings.Builder
		b.WriteString("owner_email,period,amount\n")
		for i := range n {
			fmt.Fprintf(&b, "ana@example.com,%s,%d\n", month(i), 5000+i+v)
		}
		return b.String()
	}},
	"spend": {"sales_spend", (*sales.Service).ImportSpend, func(n, v int) string {
		var b strings.Builder
		b.WriteString("period,sales_cost,marketing_cost\n")
		for i := range n {
			fmt.Fprintf(&b, "%s,%d,%d\n", month(i), 100+i+v, 200+i+v)
		}
		return b.String()
	}},
}

// largeFile takes three write batches; its first rows are already on file.
const (
	largeFile = 1050
	onFile    = 10
)

func importStatuses(t *testing.T, db *database.DB) []string {
	var out []string
	require.NoError(t, db.Gorm.Table("sales_imports").Order("id").Pluck("status", &out).Error)
	return out
}

// The database fails in the third batch of each kind of CRM import: the
// rows the first two batches created are gone and those they overwrote are
// back as they were, so the import leaves nothing behind.
func TestCRMImportFailingInALaterBatchLeavesNothing(t *testing.T) {
	t.Parallel()
	for name, kind := range crmKinds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, db *database.DB) {
				svc := newSales(t, db)
				_, err := kind.run(svc, t.Context(), strings.NewReader(kind.file(onFile, 0)))
				require.NoError(t, err)
				before := dbtest.Dump(t, db)[kind.table]
				var creates atomic.Int32
				err = db.Gorm.Callback().Create().Before("gorm:create").Register("test:fail", func(tx *gorm.DB) {
					if tx.Statement.Table == kind.table && creates.Add(1) == 3 {
						tx.AddError(errors.New("disk I/O error"))
					}
				})
				require.NoError(t, err)
				_, err = kind.run(svc, t.Context(), strings.NewReader(kind.file(largeFile, 7)))
				require.ErrorContains(t, err, "disk I/O error")
				dump := dbtest.Dump(t, db)
				require.Equal(t, before, dump[kind.table], "nothing of the import remains")
				require.Empty(t, dump["sales_import_undo"])
				require.Equal(t, []string{"done", "undone"}, importStatuses(t, db))

				require.NoError(t, db.Gorm.Callback().Create().Remove("test:fail"))
				res, err := kind.run(svc, t.Context(), strings.NewReader(kind.file(largeFile, 7)))
				require.NoError(t, err, "the same file imports once the database is well")
				require.Equal(t, sales.ImportResult{Created: largeFile - onFile, Updated: onFile}, res)
				require.EqualValues(t, largeFile, count(t, db, kind.table))
				require.Equal(t, []string{"done", "undone", "done"}, importStatuses(t, db))
				require.Zero(t, count(t, db, "sales_import_undo"), "a finished import keeps no undo rows")
			})
		})
	}
}

// Answers given while a large CRM file is imported are committed, and so
// is the whole file.
func TestAnswersAreSavedWhileALargeCRMFileIsImported(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		a := newAnswering(t, db, 5)
		done := make(chan struct{})
		var latencies []time.Duration
		var wg sync.WaitGroup
		wg.Go(func() { latencies = a.tapUntil(t, done) })
		res, err := a.sales.ImportDeals(t.Context(), strings.NewReader(crmKinds["deals"].file(3000, 0)))
		close(done)
		wg.Wait()
		require.NoError(t, err)
		require.Equal(t, sales.ImportResult{Created: 3000}, res)
		require.EqualValues(t, 3000, count(t, db, "sales_deals"))
		require.NotEmpty(t, latencies, "answers were given during the import")
		st, err := a.surveys.RoundStatus(t.Context(), a.round.ID)
		require.NoError(t, err)
		require.Equal(t, 1.0, *st.Participation, "each answer was saved")
	})
}

// answering is an open one-question round, people to answer it, and the
// sales service beside it.
type answering struct {
	surveys  *survey.Service
	sales    *sales.Service
	round    survey.Round
	question int64
	people   []directory.Employee
}

func newAnswering(tb testing.TB, db *database.DB, n int) *answering {
	ctx := tb.Context()
	clock := func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
	dir := directory.New(db.Gorm, clock)
	a := &answering{surveys: survey.NewService(db.Gorm, clock, []byte("test-secret-test-secret-test-secret"))}
	a.sales = sales.New(db.Gorm, clock, a.surveys)
	for i := range n {
		email := fmt.Sprintf("rep%d@example.com", i)
		if i == 0 {
			email = "ana@example.com"
		}
		e, err := dir.CreateEmployee(ctx, directory.EmployeeInput{Email: email, Name: fmt.Sprintf("Rep %d", i)})
		require.NoError(tb, err)
		a.people = append(a.people, e)
	}
	title := "Pulse"
	sv, err := a.surveys.CreateSurvey(ctx, survey.SurveyInput{Title: &title,
		Questions: []survey.QuestionInput{{Kind: survey.KindENPS, Prompt: "Recommend us?"}}})
	require.NoError(tb, err)
	a.round, _, err = a.surveys.SendNow(ctx, sv.ID, nil)
	require.NoError(tb, err)
	a.question = sv.Questions[0].ID
	return a
}

// tapUntil answers again and again until done is closed, and returns each
// answer's latency.
func (a *answering) tapUntil(tb testing.TB, done <-chan struct{}) []time.Duration {
	var out []time.Duration
	for i := 0; ; i++ {
		select {
		case <-done:
			return out
		default:
		}
		start := time.Now()
		_, err := a.surveys.Answer(tb.Context(), a.round.ID, a.people[i%len(a.people)].ID,
			[]survey.AnswerInput{{QuestionID: a.question, Value: 1 + i%10}})
		out = append(out, time.Since(start))
		require.NoError(tb, err)
	}
}
