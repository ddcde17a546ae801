package api_test

import (
	"encoding/csv"
	"fmt"
	"maps"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// trendPoint is a results point as a script reads it.
type trendPoint struct {
	PeriodStart       string `json:"period_start"`
	Rounds            int
	N                 *int
	Promoters         *int
	Passives          *int
	Detractors        *int
	ENPS              *float64
	MoE               *float64
	CILow             *float64 `json:"ci_low"`
	CIHigh            *float64 `json:"ci_high"`
	EveryoneAnswered  bool     `json:"everyone_answered"`
	Participation     *float64
	Suppressed        bool
	SignificantChange bool `json:"significant_change"`
}

// trend is one results reply, typed and as raw objects (to see which keys exist).
type trend struct {
	Points    []trendPoint
	RawPoints []map[string]any
	Questions []struct {
		QuestionID int64 `json:"question_id"`
		Kind       string
		Suppressed bool
		Scale      *survey.ScaleSummary
		Shares     *survey.ShareSummary
	}
}

// pointNumericFields are the point fields that must vanish when a point is suppressed.
var pointNumericFields = []string{"n", "promoters", "passives", "detractors", "enps", "moe", "ci_low", "ci_high", "participation"}

func (b *bundle) trend(token string, surveyID int64, query string) trend {
	b.t.Helper()
	res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?%s", surveyID, query), token, nil)
	require.Equal(b.t, 200, res.Status, "%s: %s", query, res.Body)
	var tr trend
	res.data(b.t, &tr)
	var raw struct{ Points []map[string]any }
	res.data(b.t, &raw)
	tr.RawPoints = raw.Points
	for i, p := range tr.RawPoints {
		if tr.Points[i].EveryoneAnswered {
			for _, f := range []string{"moe", "ci_low", "ci_high"} {
				require.NotContains(b.t, p, f, "%s: a point where everyone answered has no margin", query)
			}
			continue
		}
		if tr.Points[i].Suppressed {
			for _, f := range pointNumericFields {
				require.NotContains(b.t, p, f, "%s: a suppressed point carries no %s", query, f)
			}
		} else {
			for _, f := range pointNumericFields {
				require.Contains(b.t, p, f, "%s: a shown point carries %s", query, f)
			}
		}
	}
	return tr
}

// salesTrend is a survey sent to Sales (10 people, two of them in the
// sub-team Sales West) on five dates, answered by the eight reps.
type salesTrend struct {
	b      *bundle
	sv     survey.Survey
	west   directory.Team
	reps   []directory.Employee
	rounds []survey.RoundStatus
}

// The answers of each round; round 4 has only four, below the default k of 5.
var salesAnswers = []struct {
	at     time.Time
	values []int
}{
	{time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), []int{10, 9, 9, 8, 7, 6, 3, 1}},    // Monday
	{time.Date(2026, 1, 7, 9, 0, 0, 0, time.UTC), []int{10, 10, 10, 10, 9, 8, 7, 1}}, // Wednesday, same week
	{time.Date(2026, 1, 19, 9, 0, 0, 0, time.UTC), []int{10, 10, 10, 9, 8, 8, 7, 3}}, // two weeks on
	{time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC), []int{10, 10, 10, 10}},             // February
	{time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC), []int{1, 2, 3, 4, 5, 6, 9, 10}},    // second quarter
}

func newSalesTrend(t *testing.T, db *database.DB) *salesTrend {
	b := setup(t, db)
	s := &salesTrend{b: b}
	var err error
	s.west, err = b.dir.CreateTeam(t.Context(), directory.TeamInput{Name: "Sales West", ParentID: &b.team.ID})
	require.NoError(t, err)
	for i := range 6 {
		s.reps = append(s.reps, b.person(fmt.Sprintf("rep%d@example.com", i), directory.RoleEmployee, &b.team.ID, &b.manager.ID))
	}
	for i := range 2 {
		s.reps = append(s.reps, b.person(fmt.Sprintf("west%d@example.com", i), directory.RoleEmployee, &s.west.ID, &b.manager.ID))
	}
	body := maps.Clone(weeklyPulse)
	body["audience"] = map[string]any{"team_ids": []int64{b.team.ID}}
	s.sv = b.createSurvey(body)
	for _, r := range salesAnswers {
		b.now = r.at
		round := b.sendRound(s.sv.ID)
		require.Equal(t, 10, round.Recipients, "manager, employee, six reps and two in Sales West")
		for i, v := range r.values {
			_, err := b.surveys.Answer(t.Context(), round.ID, s.reps[i].ID,
				[]survey.AnswerInput{{QuestionID: s.sv.Questions[0].ID, Value: v}})
			require.NoError(t, err)
		}
		// Closed before the next is sent: results exist only for closed
		// rounds, and nobody is asked while their previous round is open.
		_, err := b.surveys.CloseRound(t.Context(), round.ID, nil)
		require.NoError(t, err)
		s.rounds = append(s.rounds, round)
	}
	b.now = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	return s
}

// wantPoint is an expected point; n == 0 means suppressed.
type wantPoint struct {
	period           string
	rounds           int
	n, pro, pas, det int
	enps, moe        float64
	participation    float64
	significant      bool
}

func requirePoints(t *testing.T, query string, got []trendPoint, wants []wantPoint) {
	t.Helper()
	require.Len(t, got, len(wants), query)
	for i, w := range wants {
		p := got[i]
		msg := fmt.Sprintf("%s, point %d (%s)", query, i, w.period)
		require.Equal(t, w.period, p.PeriodStart, msg)
		require.Equal(t, w.rounds, p.Rounds, msg)
		require.Equal(t, w.significant, p.SignificantChange, msg)
		if w.n == 0 {
			require.True(t, p.Suppressed, msg)
			continue
		}
		require.False(t, p.Suppressed, msg)
		require.Equal(t, []int{w.n, w.pro, w.pas, w.det}, []int{*p.N, *p.Promoters, *p.Passives, *p.Detractors}, msg)
		require.Equal(t, w.enps, *p.ENPS, msg)
		require.Equal(t, w.moe, *p.MoE, msg)
		require.False(t, p.EveryoneAnswered, msg)
		require.InDelta(t, 2*w.moe, *p.CIHigh-*p.CILow, 0.11, "%s: the interval is twice the margin wide", msg)
		require.InDelta(t, w.participation, *p.Participation, 1e-9, msg)
	}
}

// The expected trends below are worked out by hand from salesAnswers with
// PRODUCT.md section 4, N being the recipients of the rounds in the point.
// Round 1: 3 promoters, 2 passives, 3 detractors of 8, N = 10: eNPS 0; adjusted-Wald
// n′ = 11, p′ = d′ = 3.75/11, e′ = 0, SE = sqrt(0.6818/11) × sqrt(2/9) = 0.1174,
// interval −23.0..23.0, MoE 23.0.
var (
	salesRound1 = wantPoint{"2026-01-05T10:00:00+01:00", 1, 8, 3, 2, 3, 0, 23.0, 0.8, false}
	salesRound2 = wantPoint{"2026-01-07T10:00:00+01:00", 1, 8, 5, 2, 1, 50, 20.7, 0.8, true}    // Δe′ 36.4 > 1.96·√(SE₁²+SE₂²) = 30.9
	salesRound3 = wantPoint{"2026-01-19T10:00:00+01:00", 1, 8, 4, 3, 1, 37.5, 20.0, 0.8, false} // Δe′ −9.1, |−9.1| < 28.8
	salesRound4 = wantPoint{period: "2026-02-02T10:00:00+01:00", rounds: 1}                     // 4 < k
	salesRound5 = wantPoint{"2026-04-06T11:00:00+02:00", 1, 8, 2, 0, 6, -50, 23.8, 0.8, true}   // against round 3: |Δe′| 63.6 > 31.1
)

func TestResultsAreHandComputedTrends(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db)
		b, id := s.b, s.sv.ID

		requirePoints(t, "by round", b.trend(b.hrToken, id, "group_by=round").Points,
			[]wantPoint{salesRound1, salesRound2, salesRound3, salesRound4, salesRound5})
		requirePoints(t, "by week", b.trend(b.hrToken, id, "group_by=week").Points, []wantPoint{
			{"2026-01-05", 2, 16, 8, 4, 4, 25, 16.8, 0.8, false},  // rounds 1 and 2, N = 20
			{"2026-01-19", 1, 8, 4, 3, 1, 37.5, 20.0, 0.8, false}, // Δe′ 6.2 < 26.2
			{period: "2026-02-02", rounds: 1},
			{"2026-04-06", 1, 8, 2, 0, 6, -50, 23.8, 0.8, true},
		})
		// The suppressed February round counts nowhere: not in its month, and
		// not in the first quarter either, so no difference reveals it.
		month1 := wantPoint{"2026-01-01", 3, 24, 12, 7, 5, 29.2, 13.5, 0.8, false} // N = 30
		requirePoints(t, "by month", b.trend(b.hrToken, id, "group_by=month").Points, []wantPoint{
			month1, {period: "2026-02-01", rounds: 1}, {"2026-04-01", 1, 8, 2, 0, 6, -50, 23.8, 0.8, true},
		})
		requirePoints(t, "by quarter", b.trend(b.hrToken, id, "group_by=quarter").Points, []wantPoint{
			{"2026-01-01", 4, 24, 12, 7, 5, 29.2, 13.5, 0.8, false}, {"2026-04-01", 1, 8, 2, 0, 6, -50, 23.8, 0.8, true},
		})

		// The manager of Sales sees the same, Sales West's answers included.
		requirePoints(t, "manager, Sales", b.trend(b.managerToken, id, fmt.Sprintf("team_id=%d", b.team.ID)).Points,
			[]wantPoint{salesRound1, salesRound2, salesRound3, salesRound4, salesRound5})
		west := b.trend(b.managerToken, id, fmt.Sprintf("team_id=%d&group_by=month", s.west.ID))
		for _, p := range west.Points {
			require.True(t, p.Suppressed, "Sales West has two respondents")
		}

		// from is inclusive, to exclusive; dates or times.
		first := salesRound2
		first.significant = false // nothing before it in this range
		requirePoints(t, "from/to", b.trend(b.hrToken, id, "from=2026-01-06&to=2026-02-02").Points, []wantPoint{first, salesRound3})
		requirePoints(t, "to a time", b.trend(b.hrToken, id, "to="+url.QueryEscape("2026-01-07T09:00:00Z")).Points, []wantPoint{salesRound1})
		require.Empty(t, b.trend(b.hrToken, id, "from=2027-01-01").Points)
		res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?from=2026-02-01&to=2026-01-01", id), b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		res = b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?group_by=day", id), b.hrToken, nil)
		require.Equal(t, 422, res.Status)
		require.Equal(t, "group_by", res.err(t).Error.Details[0].Field)
	})
}

// When all ten people of Sales answer, the score is Sales' own: the point
// says so and carries no margin, in JSON and in the CSV.
func TestResultsSayWhenEveryoneAnswered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db)
		b, id := s.b, s.sv.ID
		round := b.sendRound(id)
		for i, e := range append([]directory.Employee{b.manager, b.employee}, s.reps...) {
			_, err := b.surveys.Answer(t.Context(), round.ID, e.ID, []survey.AnswerInput{{QuestionID: s.sv.Questions[0].ID, Value: 1 + i%10}})
			require.NoError(t, err)
		}
		b.now = b.now.Add(6 * 24 * time.Hour)
		_, err := b.surveys.CloseDue(t.Context(), nil)
		require.NoError(t, err)

		points := b.trend(b.hrToken, id, "group_by=round").Points
		last := points[len(points)-1]
		require.Equal(t, 10, *last.N)
		require.True(t, last.EveryoneAnswered)
		require.Nil(t, last.MoE)
		require.Nil(t, last.CILow)
		require.Nil(t, last.CIHigh)
		require.False(t, points[0].EveryoneAnswered, "eight of ten is a sample")
		require.NotNil(t, points[0].CILow)

		rec := b.getRecorded(fmt.Sprintf("/api/v1/surveys/%d/results.csv?group_by=round", id), b.hrToken)
		rows, err := csv.NewReader(rec.Body).ReadAll()
		require.NoError(t, err)
		row := map[string]string{}
		for j, col := range rows[0] {
			row[col] = rows[len(rows)-1][j]
		}
		require.Equal(t, "true", row["everyone_answered"])
		require.Equal(t, []string{"", "", ""}, []string{row["moe"], row["ci_low"], row["ci_high"]})
		require.Equal(t, "10", row["n"])
	})
}

func TestAnonymityThresholdIsSettableAndApplies(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db)
		b, id := s.b, s.sv.ID
		var th survey.Thresholds
		b.do("GET", "/api/v1/settings/anonymity", b.managerToken, nil).data(t, &th)
		require.Equal(t, survey.Thresholds{MinRespondents: 5, MinCommenters: 5}, th)

		for _, bad := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"min_respondents": 2, "min_comment_respondents": 5}, "min_respondents"},
			{map[string]any{"min_respondents": 21, "min_comment_respondents": 5}, "min_respondents"},
			{map[string]any{"min_respondents": 5, "min_comment_respondents": 2}, "min_comment_respondents"},
			{map[string]any{"min_respondents": 5, "min_comment_respondents": 21}, "min_comment_respondents"},
		} {
			res := b.do("PUT", "/api/v1/settings/anonymity", b.hrToken, bad.body)
			require.Equal(t, 422, res.Status, "%v", bad.body)
			require.Equal(t, bad.field, res.err(t).Error.Details[0].Field, "%v", bad.body)
		}
		require.Equal(t, 403, b.do("PUT", "/api/v1/settings/anonymity", b.managerToken,
			map[string]any{"min_respondents": 3, "min_comment_respondents": 3}).Status)
		require.Equal(t, 403, b.do("GET", "/api/v1/settings/anonymity", b.employeeToken, nil).Status)
		b.do("GET", "/api/v1/settings/anonymity", b.hrToken, nil).data(t, &th)
		require.Equal(t, 5, th.MinRespondents, "nothing refused was stored")

		for _, k := range []int{3, 20} {
			res := b.do("PUT", "/api/v1/settings/anonymity", b.hrToken, map[string]any{"min_respondents": k, "min_comment_respondents": 5})
			require.Equal(t, 200, res.Status, string(res.Body))
		}
		require.True(t, b.trend(b.hrToken, id, "").Points[0].Suppressed, "k = 20 hides a round of 8")

		// k = 4: the February round of four is now shown (n = k), with its
		// own margin (all promoters, yet not ±0: 4 of 10 people answered) and
		// the trend around it.
		res := b.do("PUT", "/api/v1/settings/anonymity", b.hrToken, map[string]any{"min_respondents": 4, "min_comment_respondents": 5})
		require.Equal(t, 200, res.Status, string(res.Body))
		b.do("GET", "/api/v1/settings/anonymity", b.managerToken, nil).data(t, &th)
		require.Equal(t, survey.Thresholds{MinRespondents: 4, MinCommenters: 5}, th)
		shown4 := wantPoint{"2026-02-02T10:00:00+01:00", 1, 4, 4, 0, 0, 100, 41.0, 0.4, false} // Δe′ 29.9 < 45.6
		after := salesRound5
		after.significant = true // |Δe′| 93.5 > 47.4 against round 4
		requirePoints(t, "k = 4", b.trend(b.hrToken, id, "group_by=round").Points,
			[]wantPoint{salesRound1, salesRound2, salesRound3, shown4, after})
		requirePoints(t, "k = 4 by quarter", b.trend(b.hrToken, id, "group_by=quarter").Points, []wantPoint{
			{"2026-01-01", 4, 28, 16, 7, 5, 39.3, 15.1, 0.7, false}, {"2026-04-01", 1, 8, 2, 0, 6, -50, 23.8, 0.8, true},
		})
	})
}

func TestResultsAccess(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db)
		b, id := s.b, s.sv.ID
		team := func(id int64) string { return fmt.Sprintf("?team_id=%d", id) }
		cases := []struct {
			name, token, query string
			survey             int64
			status             int
		}{
			{"HR, org-wide", b.hrToken, "", id, 200},
			{"HR, any team", b.hrToken, team(b.other.ID), id, 200},
			{"HR, no such team", b.hrToken, team(987654), id, 404},
			{"HR, no such survey", b.hrToken, "", id + 1000, 404},
			{"manager, own team", b.managerToken, team(b.team.ID), id, 200},
			{"manager, own sub-team", b.managerToken, team(s.west.ID), id, 200},
			{"manager, someone else's team", b.managerToken, team(b.other.ID), id, 403},
			{"manager, a team that does not exist", b.managerToken, team(987654), id, 403},
			{"manager, org-wide", b.managerToken, "", id, 403},
			{"manager, bad team_id", b.managerToken, "?team_id=abc", id, 422},
			{"employee, own team", b.employeeToken, team(b.team.ID), id, 403},
			{"employee, org-wide", b.employeeToken, "", id, 403},
			{"nobody signed in", "", "", id, 401},
		}
		for _, route := range []string{"results", "results.csv", "comments"} {
			for _, tc := range cases {
				res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/%s%s", tc.survey, route, tc.query), tc.token, nil)
				require.Equal(t, tc.status, res.Status, "%s, %s: %s", route, tc.name, res.Body)
				if tc.status >= 400 {
					require.NotEmpty(t, res.err(t).Error.Code, "%s, %s", route, tc.name)
				}
			}
		}
	})
}

func TestResultsCSVHoldsTheSameAggregates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		s := newSalesTrend(t, db)
		b, id := s.b, s.sv.ID
		for _, query := range []string{"group_by=round", "group_by=month", fmt.Sprintf("group_by=week&team_id=%d", b.team.ID)} {
			path := fmt.Sprintf("/api/v1/surveys/%d/results.csv?%s", id, query)
			token := b.managerToken
			if !strings.Contains(query, "team_id") {
				require.Equal(t, 403, b.do("GET", path, token, nil).Status, "managers cannot export org-wide either")
				token = b.hrToken
			}
			rec := b.getRecorded(path, token)
			require.Equal(t, 200, rec.Code, rec.Body.String())
			require.True(t, strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv"), rec.Header().Get("Content-Type"))

			rows, err := csv.NewReader(rec.Body).ReadAll()
			require.NoError(t, err)
			header := rows[0]
			for _, col := range []string{"period_start", "n", "promoters", "passives", "detractors", "enps", "moe",
				"participation", "suppressed", "significant_change"} {
				require.Contains(t, header, col)
			}
			points := b.trend(b.hrToken, id, query).Points
			require.Len(t, rows, 1+len(points), "one row per point, never one per answer")
			for i, p := range points {
				row := map[string]string{}
				for j, col := range header {
					row[col] = rows[i+1][j]
				}
				require.Equal(t, p.PeriodStart, row["period_start"])
				require.Equal(t, strconv.FormatBool(p.Suppressed), row["suppressed"])
				require.Equal(t, strconv.FormatBool(p.SignificantChange), row["significant_change"])
				if p.Suppressed {
					for _, col := range pointNumericFields {
						require.Empty(t, row[col], "%s: a suppressed row has no %s", query, col)
					}
					continue
				}
				require.Equal(t, []string{strconv.Itoa(*p.N), strconv.Itoa(*p.Promoters), strconv.Itoa(*p.Passives), strconv.Itoa(*p.Detractors)},
					[]string{row["n"], row["promoters"], row["passives"], row["detractors"]})
				for col, v := range map[string]float64{"enps": *p.ENPS, "moe": *p.MoE, "participation": *p.Participation} {
					got, err := strconv.ParseFloat(row[col], 64)
					require.NoError(t, err, col)
					require.InDelta(t, v, got, 1e-9, "%s %s", query, col)
				}
			}
		}
	})
}

// getRecorded serves a GET and returns the recorder, headers and all.
func (b *bundle) getRecorded(path, token string) *httptest.ResponseRecorder {
	b.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	b.server.ServeHTTP(rec, req)
	return rec
}
