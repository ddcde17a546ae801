package survey_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/fault"
	"github.com/pulsehq/pulse/survey"
)

func TestThresholdsValidate(t *testing.T) {
	t.Parallel()
	require.Equal(t, survey.Thresholds{MinRespondents: 5, MinCommenters: 5}, survey.DefaultThresholds())
	tests := []struct {
		name       string
		thresholds survey.Thresholds
		badFields  []string
	}{
		{name: "defaults", thresholds: survey.DefaultThresholds()},
		{name: "lowest", thresholds: survey.Thresholds{MinRespondents: 3, MinCommenters: 3}},
		{name: "highest", thresholds: survey.Thresholds{MinRespondents: 20, MinCommenters: 20}},
		{name: "k too low", thresholds: survey.Thresholds{MinRespondents: 2, MinCommenters: 5}, badFields: []string{"min_respondents"}},
		{name: "comments too high", thresholds: survey.Thresholds{MinRespondents: 5, MinCommenters: 21}, badFields: []string{"min_comment_respondents"}},
		{name: "both unset", thresholds: survey.Thresholds{}, badFields: []string{"min_respondents", "min_comment_respondents"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.thresholds.Validate()
			if tt.badFields == nil {
				require.NoError(t, err)
				return
			}
			var invalid *fault.Invalid
			require.ErrorAs(t, err, &invalid)
			var fields []string
			for _, p := range invalid.Problems {
				fields = append(fields, p.Field)
				require.Equal(t, "must be between 3 and 20", p.Reason)
			}
			require.Equal(t, tt.badFields, fields)
		})
	}
}

func TestSuppressTeams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		teams      []survey.TeamCount
		unassigned int
		k          int
		suppressed []int64
		orgShown   bool
	}{
		{
			name:  "team below k",
			teams: []survey.TeamCount{team(1, nil, 4), team(2, nil, 6)},
			// org 10 − team 2 (6) = 4 = team 1, which is already suppressed: 4 < 5, so hide team 2 too.
			k: 5, suppressed: []int64{1, 2}, orgShown: true,
		},
		{
			name: "parent minus children leaves one person",
			// Parent 10 has no direct members; A 6, B 5, C 1. C is below k, and 12 − 6 − 5 = 1
			// would reveal C, so the smallest shown child B goes too: 12 − 6 = 6.
			teams: []survey.TeamCount{team(10, nil, 0), team(11, ptr(10), 6), team(12, ptr(10), 5), team(13, ptr(10), 1)},
			k:     5, suppressed: []int64{12, 13}, orgShown: true,
		},
		{
			name: "parent's direct members are a hidden remainder",
			// Parent 2 direct + A 6 + B 7 = 15; 15 − 6 − 7 = 2, so A goes: 15 − 7 = 8.
			teams: []survey.TeamCount{team(10, nil, 2), team(11, ptr(10), 6), team(12, ptr(10), 7)},
			k:     5, suppressed: []int64{11}, orgShown: true,
		},
		{
			name:  "children cover the parent exactly",
			teams: []survey.TeamCount{team(10, nil, 0), team(11, ptr(10), 5), team(12, ptr(10), 5)},
			k:     5, suppressed: nil, orgShown: true,
		},
		{
			name: "org minus all teams",
			// 3 people in no team: org 21 − 10 − 8 = 3, so the smaller team goes: 21 − 10 = 11.
			teams:      []survey.TeamCount{team(1, nil, 10), team(2, nil, 8)},
			unassigned: 3, k: 5, suppressed: []int64{2}, orgShown: true,
		},
		{
			name:  "whole org below k",
			teams: []survey.TeamCount{team(1, nil, 3)}, unassigned: 1,
			k: 5, suppressed: []int64{1}, orgShown: false,
		},
		{
			name: "suppressing a fully covered child is not enough",
			// P = 1 direct + A (A1 5 + A2 5) + B 11 = 22. P − A − B = 1. A is the smallest (10) but
			// its own remainder is 0, so hiding it leaves 1; then A1 (5, lower id) goes: 1 + 5 = 6.
			teams: []survey.TeamCount{
				team(1, nil, 1), team(2, ptr(1), 0), team(3, ptr(2), 5), team(4, ptr(2), 5), team(5, ptr(1), 11),
			},
			k: 5, suppressed: []int64{2, 3}, orgShown: true,
		},
		{
			name:  "tie breaks on lowest team id",
			teams: []survey.TeamCount{team(7, nil, 6), team(3, nil, 6)}, unassigned: 2,
			k: 5, suppressed: []int64{3}, orgShown: true,
		},
		{
			name:  "empty organisation",
			teams: nil, k: 5, suppressed: nil, orgShown: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := survey.SuppressTeams(tt.teams, tt.unassigned, tt.k)
			require.NoError(t, err)
			require.Equal(t, tt.suppressed, got.SuppressedTeams())
			require.Equal(t, tt.orgShown, got.OrgShown())
			for _, tc := range tt.teams {
				require.Equal(t, !slices.Contains(tt.suppressed, tc.TeamID), got.TeamShown(tc.TeamID))
			}
			requireNothingRevealedBelowK(t, newOrg(tt.teams, tt.unassigned), got, tt.k)
		})
	}
}

func TestSuppressTeamsFailsClosedForUnknownTeam(t *testing.T) {
	t.Parallel()
	got, err := survey.SuppressTeams([]survey.TeamCount{team(1, nil, 50)}, 0, 5)
	require.NoError(t, err)
	require.True(t, got.TeamShown(1))
	require.False(t, got.TeamShown(2))
}

func TestSuppressTeamsIgnoresInputOrder(t *testing.T) {
	t.Parallel()
	teams := []survey.TeamCount{team(1, nil, 1), team(2, ptr(1), 6), team(3, ptr(1), 6), team(4, ptr(1), 6)}
	want, err := survey.SuppressTeams(teams, 0, 5)
	require.NoError(t, err)
	slices.Reverse(teams)
	got, err := survey.SuppressTeams(teams, 0, 5)
	require.NoError(t, err)
	require.Equal(t, []int64{2}, want.SuppressedTeams())
	require.Equal(t, want.SuppressedTeams(), got.SuppressedTeams())
}

func TestSuppressTeamsRejectsInconsistentInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		teams      []survey.TeamCount
		unassigned int
		k          int
		message    string
	}{
		{name: "k zero", teams: nil, k: 0, message: "below 1"},
		{name: "duplicate", teams: []survey.TeamCount{team(1, nil, 5), team(1, nil, 5)}, k: 5, message: "listed twice"},
		{name: "negative", teams: []survey.TeamCount{team(1, nil, -1)}, k: 5, message: "negative"},
		{name: "negative unassigned", unassigned: -1, k: 5, message: "negative"},
		{name: "unknown parent", teams: []survey.TeamCount{team(1, ptr(9), 5)}, k: 5, message: "not in the list"},
		{name: "own parent", teams: []survey.TeamCount{team(1, ptr(1), 5)}, k: 5, message: "cycle"},
		{name: "cycle", teams: []survey.TeamCount{team(1, ptr(2), 5), team(2, ptr(1), 5)}, k: 5, message: "cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := survey.SuppressTeams(tt.teams, tt.unassigned, tt.k)
			require.ErrorContains(t, err, tt.message)
		})
	}
}

// The checks below would pass vacuously if they could not see a leak. Showing every
// group with n ≥ k (no subtraction protection) must be caught.
func TestNaiveSuppressionIsCaught(t *testing.T) {
	t.Parallel()
	teams := []survey.TeamCount{team(10, nil, 0), team(11, ptr(10), 6), team(12, ptr(10), 5), team(13, ptr(10), 1)}
	o := newOrg(teams, 0)
	naive := []group{o.everyone()}
	for _, id := range []int64{10, 11, 12} { // 13 has n = 1 < 5
		naive = append(naive, o.team(id))
	}
	require.Equal(t, 1, smallestSubtraction(naive))
	require.Equal(t, 1, smallestRevealed(naive))
}

// Random organisations: whatever is shown, and any part of it a single viewer sees, no
// subtraction and no combination of sums and differences isolates fewer than k people.
func TestSuppressTeamsRandomOrganisations(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2026, 5))
	for i := range 400 {
		teams, unassigned := randomOrganisation(rng)
		k := []int{3, 5, 7}[rng.IntN(3)]
		t.Run(fmt.Sprintf("org %d k %d", i, k), func(t *testing.T) {
			got, err := survey.SuppressTeams(teams, unassigned, k)
			require.NoError(t, err)
			o := newOrg(teams, unassigned)
			requireNothingRevealedBelowK(t, o, got, k)

			shown := shownGroups(o, got)
			viewer := slices.DeleteFunc(slices.Clone(shown), func(group) bool { return rng.IntN(2) == 0 })
			require.GreaterOrEqual(t, smallestRevealed(viewer), k, "viewer sees %d of %d shown groups", len(viewer), len(shown))
		})
	}
}

func randomOrganisation(rng *rand.Rand) ([]survey.TeamCount, int) {
	teams := make([]survey.TeamCount, 1+rng.IntN(9))
	for i := range teams {
		teams[i] = team(int64(100+i), nil, rng.IntN(9))
		if i > 0 && rng.IntN(4) > 0 {
			teams[i].ParentID = ptr(int64(100 + rng.IntN(i)))
		}
	}
	return teams, rng.IntN(4)
}

// requireNothingRevealedBelowK attacks the shown groups two ways: literal subtraction of
// disjoint shown sub-groups from each shown group, and the general case of any sum and
// difference (see smallestRevealed).
func requireNothingRevealedBelowK(t *testing.T, o org, s survey.Suppression, k int) {
	t.Helper()
	shown := shownGroups(o, s)
	for _, g := range shown {
		require.GreaterOrEqual(t, g.size(), k, "a shown group is below k")
	}
	require.GreaterOrEqual(t, smallestSubtraction(shown), k, "subtraction reveals a group below k")
	require.GreaterOrEqual(t, smallestRevealed(shown), k, "a combination reveals a group below k")
}

// group is a set of respondents, as member flags indexed by respondent.
type group []bool

func (g group) size() int {
	n := 0
	for _, in := range g {
		if in {
			n++
		}
	}
	return n
}

func (g group) contains(h group) bool {
	for i := range h {
		if h[i] && !g[i] {
			return false
		}
	}
	return true
}

// org is the people behind a []TeamCount: respondent i sits in team home[i] (0: no team).
type org struct {
	home   []int64
	parent map[int64]*int64
	teams  []survey.TeamCount
}

func newOrg(teams []survey.TeamCount, unassigned int) org {
	o := org{home: make([]int64, unassigned), parent: map[int64]*int64{}, teams: teams}
	for _, tc := range teams {
		o.parent[tc.TeamID] = tc.ParentID
		for range tc.Direct {
			o.home = append(o.home, tc.TeamID)
		}
	}
	return o
}

func (o org) everyone() group {
	g := make(group, len(o.home))
	for i := range g {
		g[i] = true
	}
	return g
}

// team is everyone in id or any team below it, found by walking up from each person.
func (o org) team(id int64) group {
	g := make(group, len(o.home))
	for i, home := range o.home {
		for at := &home; at != nil && *at != 0; at = o.parent[*at] {
			if *at == id {
				g[i] = true
				break
			}
		}
	}
	return g
}

func shownGroups(o org, s survey.Suppression) []group {
	var shown []group
	if s.OrgShown() {
		shown = append(shown, o.everyone())
	}
	for _, tc := range o.teams {
		if s.TeamShown(tc.TeamID) {
			shown = append(shown, o.team(tc.TeamID))
		}
	}
	return shown
}

// smallestSubtraction is the smallest non-zero count an attacker gets from one shown
// group minus any set of pairwise disjoint shown groups inside it (parent minus some or
// all children, org minus all teams). It returns a large number when nothing is revealed.
func smallestSubtraction(shown []group) int {
	smallest := 1 << 30
	for gi, g := range shown {
		var inside []group
		for hi, h := range shown {
			if hi != gi && g.contains(h) && h.size() < g.size() {
				inside = append(inside, h)
			}
		}
		for mask := 1; mask < 1<<len(inside); mask++ {
			if rest, ok := subtract(g, inside, mask); ok && rest > 0 {
				smallest = min(smallest, rest)
			}
		}
	}
	return smallest
}

// subtract returns |g| minus the groups picked by mask, if those groups are disjoint.
func subtract(g group, inside []group, mask int) (int, bool) {
	taken := make(group, len(g))
	rest := g.size()
	for i, h := range inside {
		if mask&(1<<i) == 0 {
			continue
		}
		for p, in := range h {
			if in && taken[p] {
				return 0, false
			}
			taken[p] = taken[p] || in
		}
		rest -= h.size()
	}
	return rest, true
}

// smallestRevealed is the size of the smallest group of people that some sum and
// difference of the shown counts isolates. Two people that every shown group either
// contains together or leaves out together can never be told apart, so the smallest
// isolatable groups are the classes of people with the same membership pattern (people
// in no shown group are never counted at all). It returns a large number for none.
func smallestRevealed(shown []group) int {
	if len(shown) == 0 {
		return 1 << 30
	}
	classes := map[string]int{}
	for p := range shown[0] {
		var pattern strings.Builder
		for _, g := range shown {
			pattern.WriteString(map[bool]string{true: "1", false: "0"}[g[p]])
		}
		if strings.Contains(pattern.String(), "1") {
			classes[pattern.String()]++
		}
	}
	smallest := 1 << 30
	for _, n := range classes {
		smallest = min(smallest, n)
	}
	return smallest
}

func team(id int64, parent *int64, direct int) survey.TeamCount {
	return survey.TeamCount{TeamID: id, ParentID: parent, Direct: direct}
}

func ptr(id int64) *int64 { return &id }
