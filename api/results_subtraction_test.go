package api_test

import (
	"fmt"
	"maps"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/database"
	"github.com/pulsehq/pulse/database/dbtest"
	"github.com/pulsehq/pulse/directory"
	"github.com/pulsehq/pulse/survey"
)

// opsOrg is an organisation laid out to tempt subtraction: Operations (P)
// has direct members and the sub-teams North (A) and South (B); Finance (Q)
// sits beside it; a few people have no team. The bundle's Sales and
// Engineering never answer.
type opsOrg struct {
	b        *bundle
	sv       survey.Survey
	opsBoss  directory.Employee
	bossTok  string
	teamIDs  map[string]int64 // P, A, B, Q, sales, eng
	members  map[string][]directory.Employee
	rounds   []survey.RoundStatus
	eNPS     map[opsAtom]survey.ENPSCounts // the truth per round and team
	yesNo    map[opsAtom][2]int            // yes, no
	comments map[string]opsAtom            // comment text -> who wrote it
}

// opsAtom is the respondents of one team (or "none": no team) in one round:
// the finest group any figure is made of.
type opsAtom struct {
	round int
	team  string
}

// groups the HR viewer may query; "org" is org-wide.
var opsGroups = []string{"org", "P", "A", "B", "Q", "sales", "eng"}

// opsSubtree lists the team keys inside a group.
func opsSubtree(group string) []string {
	switch group {
	case "org":
		return []string{"P", "A", "B", "Q", "sales", "eng", "none"}
	case "P":
		return []string{"P", "A", "B"}
	}
	return []string{group}
}

// opsRound is who answers one round: eNPS, the yes/no question, and a comment, per team.
type opsRound struct {
	at                   time.Time
	enps, yesNo, comment map[string]int
}

// With k = 5, naive per-team suppression would show P, A and B in round 3
// (P − A − B = 2 people), org and P and Q there (org − P − Q = 1), A in
// January as a month (January − round 1 = round 2's 3 people), and the
// yes/no question of P and B in round 1 (P − B = 1 person).
var opsRounds = []opsRound{
	{time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		map[string]int{"A": 6, "B": 7, "Q": 6}, map[string]int{"A": 1, "B": 7, "Q": 6}, map[string]int{"A": 3, "B": 6, "Q": 5}},
	{time.Date(2026, 1, 19, 9, 0, 0, 0, time.UTC),
		map[string]int{"A": 3, "B": 8, "Q": 7}, map[string]int{"A": 3, "B": 8, "Q": 7}, map[string]int{"A": 2, "B": 2, "Q": 2}},
	{time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC),
		map[string]int{"P": 2, "A": 6, "B": 7, "Q": 6, "none": 1}, map[string]int{"P": 2, "A": 6, "B": 7, "Q": 6, "none": 1},
		map[string]int{"P": 1, "A": 5, "B": 5, "none": 1}},
}

func newOpsOrg(t *testing.T, db *database.DB) *opsOrg {
	b := setup(t, db)
	ctx := t.Context()
	o := &opsOrg{b: b, teamIDs: map[string]int64{"sales": b.team.ID, "eng": b.other.ID}, members: map[string][]directory.Employee{},
		eNPS: map[opsAtom]survey.ENPSCounts{}, yesNo: map[opsAtom][2]int{}, comments: map[string]opsAtom{}}
	team := func(key, name string, parent *int64) {
		tm, err := b.dir.CreateTeam(ctx, directory.TeamInput{Name: name, ParentID: parent})
		require.NoError(t, err)
		o.teamIDs[key] = tm.ID
	}
	team("P", "Operations", nil)
	p := o.teamIDs["P"]
	team("A", "Ops North", &p)
	team("B", "Ops South", &p)
	team("Q", "Finance", nil)
	o.opsBoss = b.person("ops-boss@example.com", directory.RoleManager, &p, nil)
	_, err := b.dir.UpdateTeam(ctx, p, directory.TeamPatch{ManagerID: &o.opsBoss.ID})
	require.NoError(t, err)
	o.bossTok = b.token(o.opsBoss)
	o.members["P"] = []directory.Employee{o.opsBoss}
	o.members["none"] = []directory.Employee{b.hr}
	for key, size := range map[string]int{"P": 1, "A": 6, "B": 8, "Q": 7, "none": 1} {
		var id *int64
		if key != "none" {
			tid := o.teamIDs[key]
			id = &tid
		}
		for i := range size {
			o.members[key] = append(o.members[key], b.person(fmt.Sprintf("%s%d@example.com", strings.ToLower(key), i), directory.RoleEmployee, id, nil))
		}
	}

	o.sv = b.createSurvey(weeklyPulse) // everyone; eNPS, choice, scale, yes/no, text
	qs := o.sv.Questions
	for ri, plan := range opsRounds {
		b.now = plan.at
		round := b.sendRound(o.sv.ID)
		o.rounds = append(o.rounds, round)
		for key, n := range plan.enps {
			require.LessOrEqual(t, n, len(o.members[key]))
			for i, e := range o.members[key][:n] {
				v := 1 + (i*7+ri*3+len(key))%10
				in := []survey.AnswerInput{{QuestionID: qs[0].ID, Value: v}}
				a := opsAtom{ri, key}
				c := o.eNPS[a]
				c.Add(v)
				o.eNPS[a] = c
				if i < plan.yesNo[key] {
					yes := i%3 != 0
					in = append(in, survey.AnswerInput{QuestionID: qs[3].ID, Value: yes})
					yn := o.yesNo[a]
					if yes {
						yn[0]++
					} else {
						yn[1]++
					}
					o.yesNo[a] = yn
				}
				if i < plan.comment[key] {
					text := fmt.Sprintf("remark %d", len(o.comments)+1)
					in = append(in, survey.AnswerInput{QuestionID: qs[4].ID, Value: text})
					o.comments[text] = a
				}
				_, err := b.surveys.Answer(ctx, round.ID, e.ID, in)
				require.NoError(t, err)
			}
		}
		// Results exist only for closed rounds; closing folds every team
		// with fewer than k respondents into its parent, so the truth moves
		// with it.
		_, err := b.surveys.CloseRound(ctx, round.ID, nil)
		require.NoError(t, err)
		o.fold(ri, survey.DefaultMinRespondents)
	}
	b.now = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return o
}

// fold moves, in the truth of round ri, every team holding 1..k-1
// respondents (its own and those folded into it) into its parent, children
// first, the way closing a round does.
func (o *opsOrg) fold(ri, k int) {
	parent := map[string]string{"A": "P", "B": "P", "P": "none", "Q": "none", "sales": "none", "eng": "none"}
	for _, team := range []string{"A", "B", "P", "Q", "sales", "eng"} {
		from, to := opsAtom{ri, team}, opsAtom{ri, parent[team]}
		n := o.eNPS[from].N()
		if n == 0 || n >= k {
			continue
		}
		var merged survey.ENPSCounts
		for _, c := range []survey.ENPSCounts{o.eNPS[to], o.eNPS[from]} {
			merged.Promoters += c.Promoters
			merged.Passives += c.Passives
			merged.Detractors += c.Detractors
		}
		o.eNPS[to] = merged
		delete(o.eNPS, from)
		o.yesNo[to] = [2]int{o.yesNo[to][0] + o.yesNo[from][0], o.yesNo[to][1] + o.yesNo[from][1]}
		delete(o.yesNo, from)
		for text, a := range o.comments {
			if a == from {
				o.comments[text] = to
			}
		}
	}
}

// query names a group in a results query string.
func (o *opsOrg) query(group string) string {
	if group == "org" {
		return ""
	}
	return fmt.Sprintf("team_id=%d&", o.teamIDs[group])
}

// berlinPeriodOf is the period_start a round belongs to (weeks start on Monday,
// in the survey's zone).
func berlinPeriodOf(groupBy string, at time.Time) string {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	t := at.In(berlin)
	y, m, d := t.Date()
	switch groupBy {
	case "week":
		return time.Date(y, m, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, berlin).Format(time.DateOnly)
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, berlin).Format(time.DateOnly)
	case "quarter":
		return time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, berlin).Format(time.DateOnly)
	}
	return t.Format(time.RFC3339)
}

// shownFigure is one number set a viewer was shown, as the atoms it adds up.
type shownFigure struct {
	label string
	atoms []opsAtom
}

func TestNoCombinationOfShownResultsRevealsASmallGroup(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newOpsOrg(t, db)
		b, k := o.b, survey.DefaultMinRespondents
		respondents := func(a opsAtom) int { return o.eNPS[a].N() }

		// The trap is real: showing every group of at least k, per round
		// and per period, would reveal a group below k.
		var naive []shownFigure
		for _, g := range opsGroups {
			for _, groupBy := range []string{"round", "month"} {
				byPeriod := map[string][]opsAtom{}
				for ri, r := range opsRounds {
					for _, team := range opsSubtree(g) {
						if a := (opsAtom{ri, team}); respondents(a) > 0 {
							byPeriod[berlinPeriodOf(groupBy, r.at)] = append(byPeriod[berlinPeriodOf(groupBy, r.at)], a)
						}
					}
				}
				for period, atoms := range byPeriod {
					if atomsTotal(atoms, respondents) >= k {
						naive = append(naive, shownFigure{g + " " + period, atoms})
					}
				}
			}
		}
		require.NotEmpty(t, revealedGroups(naive, respondents, k), "naive suppression would leak here")

		// What Pulse shows, to HR, for every group and grouping.
		var shown []shownFigure
		roundShown := map[string]map[int]bool{}
		for _, g := range opsGroups {
			roundShown[g] = map[int]bool{}
			for _, groupBy := range []string{"round", "week", "month", "quarter"} {
				tr := b.trend(b.hrToken, o.sv.ID, o.query(g)+"group_by="+groupBy)
				for _, p := range tr.Points {
					var in []int
					for ri, r := range opsRounds {
						if berlinPeriodOf(groupBy, r.at) == p.PeriodStart {
							in = append(in, ri)
						}
					}
					require.Len(t, in, p.Rounds, "%s %s %s", g, groupBy, p.PeriodStart)
					if groupBy == "round" {
						roundShown[g][in[0]] = !p.Suppressed
					}
					if p.Suppressed {
						continue
					}
					// A period adds up exactly the rounds shown on their own:
					// nothing a round point hides comes back in its month.
					var atoms []opsAtom
					var want survey.ENPSCounts
					for _, ri := range in {
						if !roundShown[g][ri] {
							continue
						}
						for _, team := range opsSubtree(g) {
							a := opsAtom{ri, team}
							if respondents(a) > 0 {
								atoms = append(atoms, a)
								c := o.eNPS[a]
								want.Promoters, want.Passives, want.Detractors = want.Promoters+c.Promoters, want.Passives+c.Passives, want.Detractors+c.Detractors
							}
						}
					}
					label := fmt.Sprintf("%s by %s %s", g, groupBy, p.PeriodStart)
					require.Equal(t, []int{want.N(), want.Promoters, want.Passives, want.Detractors},
						[]int{*p.N, *p.Promoters, *p.Passives, *p.Detractors}, label)
					require.GreaterOrEqual(t, *p.N, k, label)
					shown = append(shown, shownFigure{label, atoms})
				}
			}
		}
		require.Empty(t, revealedGroups(shown, respondents, k), "no sum or difference of shown eNPS figures isolates fewer than k")
		require.True(t, roundShown["org"][2] && roundShown["P"][2], "the widest figures stay visible")

		// The operations manager sees exactly what HR sees of their teams.
		for _, g := range []string{"P", "A", "B"} {
			q := fmt.Sprintf("/api/v1/surveys/%d/results?%sgroup_by=month", o.sv.ID, o.query(g))
			require.JSONEq(t, string(b.do("GET", q, b.hrToken, nil).Body), string(b.do("GET", q, o.bossTok, nil).Body), g)
		}
		for _, g := range []string{"org", "Q", "sales"} {
			res := b.do("GET", fmt.Sprintf("/api/v1/surveys/%d/results?%s", o.sv.ID, o.query(g)), o.bossTok, nil)
			require.Equal(t, 403, res.Status, g)
		}
	})
}

// The other questions' summaries are shown numbers too: the yes/no counts
// of a group, for any range of rounds, must not subtract down to fewer
// than k people either, even where fewer people answered them than eNPS.
func TestQuestionSummariesRevealNoSmallGroup(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *database.DB) {
		o := newOpsOrg(t, db)
		b, k := o.b, survey.DefaultMinRespondents
		yesNoQ := o.sv.Questions[3].ID
		answered := func(a opsAtom) int { return o.yesNo[a][0] + o.yesNo[a][1] }
		summary := func(g, rng string) (bool, *survey.ShareSummary) {
			tr := b.trend(b.hrToken, o.sv.ID, o.query(g)+rng)
			for _, q := range tr.Questions {
				if q.QuestionID == yesNoQ {
					return q.Suppressed, q.Shares
				}
			}
			t.Fatalf("%s %s: no yes/no summary", g, rng)
			return false, nil
		}
		day := func(t time.Time) string { return t.Format(time.DateOnly) }

		var shown []shownFigure
		for _, g := range opsGroups {
			shownIn := map[int]bool{}
			ranges := map[string][]int{"": {0, 1, 2}, "from=2026-01-01&to=2026-02-01&": {0, 1}, "from=2026-02-01&": {2}}
			for ri, r := range opsRounds {
				ranges[fmt.Sprintf("from=%s&to=%s&", day(r.at), url.QueryEscape(r.at.Add(time.Hour).Format(time.RFC3339)))] = []int{ri}
			}
			// Single rounds first, so wider ranges can be checked against them.
			keys := slices.SortedFunc(maps.Keys(ranges), func(a, b string) int { return len(ranges[a]) - len(ranges[b]) })
			for _, rng := range keys {
				rounds := ranges[rng]
				suppressed, sum := summary(g, rng)
				var atoms []opsAtom
				var yes, no int
				for _, ri := range rounds {
					if len(rounds) > 1 && !shownIn[ri] {
						continue
					}
					for _, team := range opsSubtree(g) {
						if a := (opsAtom{ri, team}); answered(a) > 0 {
							atoms = append(atoms, a)
							yes, no = yes+o.yesNo[a][0], no+o.yesNo[a][1]
						}
					}
				}
				label := fmt.Sprintf("%s %s", g, rng)
				if len(rounds) == 1 {
					shownIn[rounds[0]] = !suppressed
				}
				if suppressed {
					continue
				}
				require.NotNil(t, sum, label)
				require.Equal(t, []int{yes + no, yes, no}, []int{sum.N, sum.Counts[survey.AnswerYes], sum.Counts[survey.AnswerNo]},
					"%s: a shown summary counts every answer of its rounds", label)
				if sum.N > 0 {
					require.GreaterOrEqual(t, sum.N, k, label)
					shown = append(shown, shownFigure{label, atoms})
				}
			}
		}
		require.Empty(t, revealedGroups(shown, answered, k), "no sum or difference of shown yes/no counts isolates fewer than k")
	})
}

func atomsTotal(atoms []opsAtom, size func(opsAtom) int) int {
	n := 0
	for _, a := range atoms {
		n += size(a)
	}
	return n
}

// revealedGroups lists the groups of fewer than k (and more than 0) people whose
// figures some sum or difference of the shown figures gives exactly: any
// set of atoms whose indicator lies in the span of the figures' indicators.
func revealedGroups(figures []shownFigure, size func(opsAtom) int, k int) []string {
	var atoms []opsAtom
	index := map[opsAtom]int{}
	for _, f := range figures {
		for _, a := range f.atoms {
			if _, ok := index[a]; !ok {
				index[a] = len(atoms)
				atoms = append(atoms, a)
			}
		}
	}
	var sp rowSpace
	for _, f := range figures {
		v := make([]int, len(atoms))
		for _, a := range f.atoms {
			v[index[a]] = 1
		}
		sp.add(v)
	}
	var small []int // only atoms below k can be part of a group below k
	for i, a := range atoms {
		if size(a) < k {
			small = append(small, i)
		}
	}
	var out []string
	for mask := 1; mask < 1<<len(small); mask++ {
		v := make([]int, len(atoms))
		n := 0
		var names []string
		for bit, i := range small {
			if mask&(1<<bit) != 0 {
				v[i], n = 1, n+size(atoms[i])
				names = append(names, fmt.Sprintf("round %d %s (%d)", atoms[i].round+1, atoms[i].team, size(atoms[i])))
			}
		}
		if n > 0 && n < k && sp.contains(v) {
			out = append(out, strings.Join(names, " + "))
		}
	}
	return out
}

// rowSpace is a set of vectors in reduced row echelon form, over the rationals.
type rowSpace struct {
	rows   [][]*big.Rat
	pivots []int
}

func (s *rowSpace) reduce(v []int) []*big.Rat {
	r := make([]*big.Rat, len(v))
	for i, x := range v {
		r[i] = big.NewRat(int64(x), 1)
	}
	for j, row := range s.rows {
		f := new(big.Rat).Set(r[s.pivots[j]])
		if f.Sign() == 0 {
			continue
		}
		for i := range r {
			r[i].Sub(r[i], new(big.Rat).Mul(f, row[i]))
		}
	}
	return r
}

func (s *rowSpace) add(v []int) {
	r := s.reduce(v)
	pivot := slices.IndexFunc(r, func(x *big.Rat) bool { return x.Sign() != 0 })
	if pivot < 0 {
		return
	}
	inv := new(big.Rat).Inv(r[pivot])
	for i := range r {
		r[i].Mul(r[i], inv)
	}
	for _, row := range s.rows {
		f := new(big.Rat).Set(row[pivot])
		for i := range row {
			row[i].Sub(row[i], new(big.Rat).Mul(f, r[i]))
		}
	}
	s.rows, s.pivots = append(s.rows, r), append(s.pivots, pivot)
}

func (s *rowSpace) contains(v []int) bool {
	return !slices.ContainsFunc(s.reduce(v), func(x *big.Rat) bool { return x.Sign() != 0 })
}
