package survey_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/survey"
)

func TestFoldSmallTeams(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name                    string
		parents                 map[int64]int64
		respondents, recipients map[int64]int
		want                    map[int64]int64
	}{
		{"a chain gathers until it reaches k",
			map[int64]int64{1: 2, 2: 3, 3: 0},
			map[int64]int{1: 2, 2: 2, 3: 2}, map[int64]int{1: 6, 2: 6, 3: 6},
			map[int64]int64{1: 3, 2: 3}},
		{"a team of k stays, its small sibling goes up",
			map[int64]int64{1: 0, 2: 1, 3: 1},
			map[int64]int{1: 0, 2: 5, 3: 1}, map[int64]int{1: 1, 2: 5, 3: 5},
			map[int64]int64{3: 0, 1: 0}},
		{"few asked and none answering is a small cell too",
			map[int64]int64{1: 0, 2: 1},
			map[int64]int{1: 7, 2: 0}, map[int64]int{1: 8, 2: 2},
			map[int64]int64{2: 1}},
		{"empty teams stay where they are",
			map[int64]int64{1: 0, 2: 1},
			map[int64]int{1: 7}, map[int64]int{1: 8},
			map[int64]int64{}},
		{"a team missing from the tree hangs off the organisation",
			map[int64]int64{},
			map[int64]int{9: 3}, map[int64]int{9: 3},
			map[int64]int64{9: 0}},
		{"teams on a parent cycle go to the organisation",
			map[int64]int64{1: 2, 2: 1},
			map[int64]int{1: 6, 2: 6}, map[int64]int{1: 6, 2: 6},
			map[int64]int64{1: 0, 2: 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := survey.FoldSmallTeams(tt.parents, tt.respondents, tt.recipients, 5)
			require.Equal(t, tt.want, got)
		})
	}
}
