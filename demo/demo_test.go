package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/demo"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

var testSecret = []byte("demo-test-secret-0123456789abcdef")

// demoNow is a Wednesday morning in London.
var demoNow = time.Date(2026, 3, 11, 10, 30, 0, 0, time.UTC)

// loaded is a database with the whole demo in it, and what a test needs to
// look at it.
type loaded struct {
	db      *database.DB
	surveys *survey.Service
	survey  survey.Survey
	teams   map[string]int64
}

// loadDemo loads the whole demo into db, as `pulse demo` does.
func loadDemo(db *database.DB) (loaded, error) {
	ctx := context.Background()
	ran, err := demo.Load(ctx, db.Gorm, demoNow, demo.Steps(demo.Options{Secret: testSecret})...)
	if err != nil {
		return loaded{}, err
	}
	if want := []string{"directory", "pulse_survey", "one-on-ones", "sales", "actions"}; !slices.Equal(ran, want) {
		return loaded{}, fmt.Errorf("the demo ran steps %v, want %v", ran, want)
	}
	l := loaded{db: db, surveys: survey.NewService(db.Gorm, func() time.Time { return demoNow }, testSecret), teams: map[string]int64{}}
	all, err := l.surveys.Surveys(ctx)
	if err != nil {
		return l, err
	}
	if len(all) != 1 {
		return l, fmt.Errorf("the demo has %d surveys, want 1", len(all))
	}
	l.survey = all[0]
	teams, err := directory.New(db.Gorm, time.Now).Teams(ctx)
	for _, team := range teams {
		l.teams[team.Name] = team.ID
	}
	return l, err
}

func TestDemoLoadsOnce(t *testing.T) {
	eachLoaded(t, func(t *testing.T, l loaded) {
		before := rowCounts(t, l.db)
		require.NotZero(t, before["responses"])

		ran, err := demo.Load(context.Background(), l.db.Gorm, demoNow.Add(time.Hour), demo.Steps(demo.Options{Secret: testSecret})...)
		require.NoError(t, err)
		require.Empty(t, ran, "no step runs twice")
		require.Equal(t, before, rowCounts(t, l.db))
	})
}

func TestDemoPulseSurvey(t *testing.T) {
	eachLoaded(t, func(t *testing.T, l loaded) {
		t.Run("a year of weekly rounds with the last one open", func(t *testing.T) { checkRounds(t, l) })
		t.Run("one team slides and one climbs", func(t *testing.T) { checkTrends(t, l) })
		t.Run("small groups stay suppressed", func(t *testing.T) { checkAnonymity(t, l) })
		t.Run("no stored cell holds fewer than k people", func(t *testing.T) { checkNoSmallCells(t, l) })
		t.Run("comments in English and Malay", func(t *testing.T) { checkComments(t, l) })
		// The one check that writes: no other test looks at the HR admin's answer.
		t.Run("the visitor can answer the open round", func(t *testing.T) { checkVisitorAnswers(t, l) })
	})
}

func checkRounds(t *testing.T, l loaded) {
	require.Equal(t, "Weekly pulse", l.survey.Title)
	require.Len(t, l.survey.Questions, 7)
	rounds, err := l.surveys.Rounds(context.Background(), l.survey.ID)
	require.NoError(t, err)
	require.Len(t, rounds, 52)

	latest, ok := l.survey.Cadence.Latest(demoNow)
	require.True(t, ok)
	require.True(t, rounds[0].ScheduledAt.Equal(latest), "the newest round is this week's, sent %s", rounds[0].ScheduledAt)
	require.Equal(t, "open", rounds[0].Status)
	require.Nil(t, rounds[0].Answered, "an open round gives no count")
	require.NotNil(t, rounds[0].Participation, "some people have answered this week already, at least k")
	total := 0.0
	for _, r := range rounds[1:] {
		require.Equal(t, "closed", r.Status)
		require.Equal(t, time.Monday, r.ScheduledAt.In(mustZone(t, "Europe/London")).Weekday())
		require.InDelta(t, 0.7, *r.Participation, 0.25, "round of %s (holiday weeks dip)", r.ScheduledAt)
		total += *r.Participation
	}
	require.InDelta(t, 0.75, total/51, 0.1, "participation over the year")

	var hashes int64
	err = l.db.Gorm.Table("responses").Joins("JOIN rounds ON rounds.id = responses.round_id").
		Where("rounds.closed_at IS NOT NULL AND responses.respondent_hash IS NOT NULL").Count(&hashes).Error
	require.NoError(t, err)
	require.Zero(t, hashes, "closing a round erases who answered what")
}

func checkTrends(t *testing.T, l loaded) {
	americas := l.monthlyENPS(t, l.teams["Sales Americas"])
	platform := l.monthlyENPS(t, l.teams["Platform"])
	t.Logf("Sales Americas by month: %v", americas)
	t.Logf("Platform by month: %v", platform)
	require.Greater(t, mean(americas[:3])-mean(americas[len(americas)-3:]), 25.0, "Sales Americas slides")
	require.Greater(t, mean(platform[len(platform)-3:])-mean(platform[:3]), 25.0, "Platform climbs")

	org := l.results(t, nil, survey.ByMonth)
	require.GreaterOrEqual(t, len(org.Points), 12)
	for _, p := range org.Points {
		require.False(t, p.Suppressed, "org-wide %s", p.PeriodStart)
		require.InDelta(t, 0.75, *p.Participation, 0.15, "org-wide participation in %s", p.PeriodStart)
	}
}

func checkAnonymity(t *testing.T, l loaded) {
	for name, id := range l.teams {
		res := l.results(t, &id, survey.ByRound)
		require.Len(t, res.Points, 51, "%s: the open round has no results", name)
		for _, p := range res.Points {
			if !p.Suppressed {
				require.GreaterOrEqual(t, *p.N, res.MinRespondents, "%s on %s", name, p.PeriodStart)
			}
		}
	}
	people := l.results(t, ptr(l.teams["People"]), survey.ByMonth)
	for _, p := range people.Points {
		require.True(t, p.Suppressed, "People has four members, always below k")
	}
}

// checkNoSmallCells reads the closed rounds' rows the way someone holding
// the database would: no (round, team) cell of responses, answer_counts or
// round_team_counts may hold 1..k-1 people (answering, or asked), or it
// names them.
func checkNoSmallCells(t *testing.T, l loaded) {
	k := survey.DefaultMinRespondents
	closed := "round_id IN (SELECT id FROM rounds WHERE closed_at IS NOT NULL)"
	var cells []struct {
		RoundID int64
		TeamID  *int64
		N       int
	}
	for what, q := range map[string]string{
		"responses": "SELECT round_id, team_id, COUNT(*) AS n FROM responses WHERE " + closed + " GROUP BY round_id, team_id",
		"answer_counts": "SELECT round_id, team_id, MAX(n) AS n FROM (SELECT round_id, team_id, question_id, SUM(n) AS n FROM answer_counts WHERE " +
			closed + " GROUP BY round_id, team_id, question_id) AS q GROUP BY round_id, team_id",
		"round_team_counts":            "SELECT round_id, team_id, respondents AS n FROM round_team_counts WHERE " + closed,
		"round_team_counts recipients": "SELECT round_id, team_id, recipients AS n FROM round_team_counts WHERE " + closed,
	} {
		require.NoError(t, l.db.Gorm.Raw(q).Scan(&cells).Error)
		require.NotEmpty(t, cells, what)
		for _, c := range cells {
			require.False(t, c.N > 0 && c.N < k, "%s: round %d team %v holds %d people", what, c.RoundID, c.TeamID, c.N)
		}
	}
}

func checkComments(t *testing.T, l loaded) {
	comments, err := l.surveys.Comments(context.Background(), l.survey.ID, survey.ResultsQuery{}, directory.EveryoneScope())
	require.NoError(t, err)
	require.Greater(t, len(comments), 150)
	malay, replyable := 0, 0
	for _, c := range comments {
		if strings.Contains(strings.ToLower(c.Text), "kerja") || strings.Contains(c.Text, "Saya") {
			malay++
		}
		if c.Replyable {
			replyable++
		}
	}
	times := map[string]int{}
	for _, c := range comments {
		times[c.Text]++
	}
	most, top := 0, ""
	for text, n := range times {
		if n > most {
			most, top = n, text
		}
	}
	require.LessOrEqual(t, most, 6, "%q is written %d times", top, most)
	require.Greater(t, len(times), len(comments)/2, "most comments read differently")
	require.Positive(t, malay, "some comments are in Malay")
	require.Positive(t, replyable, "some authors allow replies")
	require.Less(t, replyable, len(comments)/2, "most do not")
}

func checkVisitorAnswers(t *testing.T, l loaded) {
	ctx := context.Background()
	hr, err := directory.New(l.db.Gorm, time.Now).EmployeeByEmail(ctx, demo.HRAdminEmail)
	require.NoError(t, err)
	open, err := l.surveys.OpenRoundsFor(ctx, hr.ID)
	require.NoError(t, err)
	require.Len(t, open, 1)
	require.False(t, open[0].Answered, "the demo leaves the HR admin's answer to the visitor")
	_, err = l.surveys.Answer(ctx, open[0].ID, hr.ID, []survey.AnswerInput{{QuestionID: open[0].Questions[0].ID, Value: 9}})
	require.NoError(t, err)
}

func (l loaded) results(t *testing.T, team *int64, groupBy string) survey.Results {
	t.Helper()
	res, err := l.surveys.Results(context.Background(), l.survey.ID, survey.ResultsQuery{GroupBy: groupBy, TeamID: team},
		directory.EveryoneScope())
	require.NoError(t, err)
	require.NotEmpty(t, res.Points)
	return res
}

// monthlyENPS is a team's eNPS per month, leaving out suppressed months.
func (l loaded) monthlyENPS(t *testing.T, team int64) []float64 {
	t.Helper()
	var out []float64
	for _, p := range l.results(t, &team, survey.ByMonth).Points {
		if !p.Suppressed {
			out = append(out, *p.ENPS)
		}
	}
	require.GreaterOrEqual(t, len(out), 9, "most months are shown")
	return out
}

func rowCounts(t *testing.T, db *database.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range []string{"teams", "employees", "surveys", "questions", "rounds", "round_recipients", "responses", "answers", "answer_counts"} {
		var n int64
		require.NoError(t, db.Gorm.Table(table).Count(&n).Error)
		out[table] = n
	}
	return out
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func ptr[T any](v T) *T { return &v }

// The sales step gives Sales Americas a win rate that slides after the
// spring commission change, while Sales APAC holds steady.
func TestDemoSalesAmericasWinRateSlides(t *testing.T) {
	db := demoOn(t, database.SQLite).db
	winRate := func(team string, from, to time.Time) float64 {
		var rows []struct {
			Outcome string
			N       int
		}
		require.NoError(t, db.Gorm.Table("sales_deals").Select("sales_deals.outcome, COUNT(*) AS n").
			Joins("JOIN employees ON employees.id = sales_deals.owner_id").Joins("JOIN teams ON teams.id = employees.team_id").
			Where("teams.name = ? AND sales_deals.outcome <> 'open' AND sales_deals.closed >= ? AND sales_deals.closed < ?", team, from, to).
			Group("sales_deals.outcome").Scan(&rows).Error)
		won, all := 0, 0
		for _, r := range rows {
			all += r.N
			if r.Outcome == "won" {
				won = r.N
			}
		}
		require.Positive(t, all, team)
		return float64(won) / float64(all)
	}
	early, late := demoNow.AddDate(-1, 0, 0), demoNow.AddDate(0, -3, 0)
	before, after := winRate("Sales Americas", early, early.AddDate(0, 3, 0)), winRate("Sales Americas", late, demoNow)
	t.Logf("Sales Americas win rate: %.2f in the first quarter, %.2f in the last", before, after)
	require.Greater(t, before-after, 0.08)
	apacBefore, apacAfter := winRate("Sales APAC", early, early.AddDate(0, 3, 0)), winRate("Sales APAC", late, demoNow)
	t.Logf("Sales APAC win rate: %.2f, then %.2f", apacBefore, apacAfter)
	require.Less(t, apacBefore-apacAfter, 0.12)
}
