package survey

// Anonymity rules (PRODUCT.md section 1): a group with fewer than k respondents is
// suppressed, and no combination of groups a person may query can reveal a smaller group
// by subtraction. Pure functions over counts; the caller feeds them one result set (one
// round, or one period of a trend) at a time.

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/pulsehq/pulse/fault"
)

// Threshold bounds and defaults.
const (
	DefaultMinRespondents = 5
	DefaultMinCommenters  = 5
	LowestThreshold       = 3  // below 3, a manager can often guess who answered what
	HighestThreshold      = 20 // above 20, most teams would never see a result
)

// Thresholds are an organisation's anonymity settings.
type Thresholds struct {
	MinRespondents int `json:"min_respondents"`         // k for scores and summaries
	MinCommenters  int `json:"min_comment_respondents"` // k for showing free-text comments
}

// DefaultThresholds are the settings of a new organisation.
func DefaultThresholds() Thresholds {
	return Thresholds{MinRespondents: DefaultMinRespondents, MinCommenters: DefaultMinCommenters}
}

// Validate reports every threshold outside LowestThreshold..HighestThreshold.
func (t Thresholds) Validate() error {
	var c fault.Checker
	const reason = "must be between %d and %d"
	c.Checkf(inThresholdRange(t.MinRespondents), "min_respondents", reason, LowestThreshold, HighestThreshold)
	c.Checkf(inThresholdRange(t.MinCommenters), "min_comment_respondents", reason, LowestThreshold, HighestThreshold)
	return c.Err()
}

func inThresholdRange(k int) bool { return k >= LowestThreshold && k <= HighestThreshold }

// TeamCount is one team's respondents in one result set.
type TeamCount struct {
	TeamID   int64
	ParentID *int64 // nil for a top-level team
	Direct   int    // respondents whose own team is this one, not one of its sub-teams
}

// Suppression says which aggregates of one result set may be shown. It is computed once
// for the whole organisation and is the same for every viewer; a viewer sees the
// aggregates they may query AND that are shown here. Unknown teams count as suppressed.
type Suppression struct {
	orgShown bool
	shown    map[int64]bool
}

// OrgShown reports whether the organisation-wide aggregate may be shown.
func (s Suppression) OrgShown() bool { return s.orgShown }

// TeamShown reports whether the aggregate of the team and all its sub-teams may be shown.
func (s Suppression) TeamShown(teamID int64) bool { return s.shown[teamID] }

// SuppressedTeams lists, in ascending order, the teams that must show as suppressed.
func (s Suppression) SuppressedTeams() []int64 {
	var ids []int64
	for id, shown := range s.shown {
		if !shown {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// SuppressTeams decides which team aggregates (each team with all its sub-teams) and
// whether the organisation-wide aggregate may be shown, for respondents counted in teams
// plus unassigned respondents who belong to no team, with threshold k.
//
// The shown aggregates are nested sets of people (a tree). Adding and subtracting them
// can reveal exactly the unions of their "remainders": for a shown group, its people
// minus the people of its nearest shown sub-groups — the team's direct members plus
// everyone in its suppressed sub-teams (for the organisation: unassigned people plus
// suppressed teams). So nothing smaller than k can be revealed by any combination iff
// every shown group has n ≥ k and every remainder is 0 or ≥ k. A subset of shown groups
// has remainders that are unions of these, so the guarantee holds for every viewer, and
// for viewers who pool what they saw, as long as everyone uses this one result.
//
// Algorithm: suppress every group with n < k. Then walk the tree top-down (organisation
// first); for each shown group whose remainder r has 0 < r < k, suppress its smallest
// nearest shown sub-group (ties: lowest team id), which moves that group's own remainder
// into r, and repeat until r is 0 or ≥ k. It always ends: with no shown sub-groups left,
// r = n ≥ k. Suppressing a nearest sub-group changes no other shown group's remainder,
// and the walk never revisits an ancestor, so one pass leaves every remainder safe. The
// parent itself is never suppressed for a remainder, so the widest figures — the
// organisation and departments — stay visible. Suppression is safe, not minimal.
//
// It returns an error for inconsistent input: a duplicate team, a negative count, a
// parent that is not in teams, a parent cycle, or k < 1.
func SuppressTeams(teams []TeamCount, unassigned, k int) (Suppression, error) {
	if k < 1 {
		return Suppression{}, fmt.Errorf("anonymity threshold %d is below 1", k)
	}
	tree, err := newTeamTree(teams, unassigned)
	if err != nil {
		return Suppression{}, err
	}
	hidden := make([]bool, len(tree.n))
	for v, n := range tree.n {
		hidden[v] = n < k
	}
	for _, v := range tree.preorder {
		if !hidden[v] {
			tree.hideUntilRemainderSafe(v, hidden, k)
		}
	}
	s := Suppression{orgShown: !hidden[orgNode], shown: make(map[int64]bool, len(teams))}
	for v := orgNode + 1; v < len(tree.ids); v++ {
		s.shown[tree.ids[v]] = !hidden[v]
	}
	return s, nil
}

// orgNode is the tree's root: the whole organisation, whose direct members are the
// respondents who belong to no team.
const orgNode = 0

// teamTree is the organisation as nodes 0..len-1, node 0 being orgNode and the rest
// teams in ascending id order, so that ties break the same way on every call.
type teamTree struct {
	ids      []int64 // team id per node (0 for orgNode)
	children [][]int
	n        []int // respondents in the node and all nodes below it
	preorder []int // every node after its parent
}

func newTeamTree(teams []TeamCount, unassigned int) (*teamTree, error) {
	if unassigned < 0 {
		return nil, fmt.Errorf("negative count %d of unassigned respondents", unassigned)
	}
	sorted := slices.SortedFunc(slices.Values(teams), func(a, b TeamCount) int { return cmp.Compare(a.TeamID, b.TeamID) })
	t := &teamTree{ids: []int64{0}, children: make([][]int, len(sorted)+1), n: []int{unassigned}}
	node := make(map[int64]int, len(sorted))
	for _, tc := range sorted {
		if _, dup := node[tc.TeamID]; dup {
			return nil, fmt.Errorf("team %d is listed twice", tc.TeamID)
		}
		if tc.Direct < 0 {
			return nil, fmt.Errorf("team %d has a negative count %d", tc.TeamID, tc.Direct)
		}
		node[tc.TeamID] = len(t.ids)
		t.ids = append(t.ids, tc.TeamID)
		t.n = append(t.n, tc.Direct)
	}
	for i, tc := range sorted {
		parent := orgNode
		if tc.ParentID != nil {
			p, ok := node[*tc.ParentID]
			if !ok {
				return nil, fmt.Errorf("team %d has parent %d, which is not in the list", tc.TeamID, *tc.ParentID)
			}
			parent = p
		}
		t.children[parent] = append(t.children[parent], i+1)
	}
	return t, t.sumSubtrees()
}

// sumSubtrees fills preorder and turns each node's direct count into its subtree count.
// A team unreachable from the root sits on a parent cycle.
func (t *teamTree) sumSubtrees() error {
	stack := []int{orgNode}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		t.preorder = append(t.preorder, v)
		stack = append(stack, t.children[v]...)
	}
	if len(t.preorder) != len(t.ids) {
		for v, id := range t.ids {
			if !slices.Contains(t.preorder, v) {
				return fmt.Errorf("team %d is on a parent cycle", id)
			}
		}
	}
	for _, v := range slices.Backward(t.preorder) {
		for _, c := range t.children[v] {
			t.n[v] += t.n[c]
		}
	}
	return nil
}

// hideUntilRemainderSafe suppresses nearest shown sub-groups of v until v's remainder
// can no longer single out fewer than k people.
func (t *teamTree) hideUntilRemainderSafe(v int, hidden []bool, k int) {
	for {
		nearest := t.nearestShownBelow(v, hidden)
		remainder := t.n[v]
		for _, u := range nearest {
			remainder -= t.n[u]
		}
		if remainder == 0 || remainder >= k || len(nearest) == 0 {
			return
		}
		hidden[t.smallest(nearest)] = true
	}
}

// nearestShownBelow returns the shown nodes under v with no shown node between them and v.
func (t *teamTree) nearestShownBelow(v int, hidden []bool) []int {
	var nearest []int
	stack := slices.Clone(t.children[v])
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if hidden[u] {
			stack = append(stack, t.children[u]...)
			continue
		}
		nearest = append(nearest, u)
	}
	return nearest
}

// smallest returns the node with the fewest respondents, the lowest team id on a tie.
func (t *teamTree) smallest(nodes []int) int {
	return slices.MinFunc(nodes, func(a, b int) int {
		if t.n[a] != t.n[b] {
			return t.n[a] - t.n[b]
		}
		return a - b // nodes are numbered in team id order
	})
}
