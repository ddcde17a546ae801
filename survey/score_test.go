package survey_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/survey"
)

func TestBucket(t *testing.T) {
	t.Parallel()
	want := map[int]survey.ENPSBucket{
		0: survey.Detractor, 1: survey.Detractor, 6: survey.Detractor,
		7: survey.Passive, 8: survey.Passive,
		9: survey.Promoter, 10: survey.Promoter,
	}
	for value, bucket := range want {
		require.Equal(t, bucket, survey.Bucket(value), "value %d", value)
	}
}

func TestCountENPS(t *testing.T) {
	t.Parallel()
	c := survey.CountENPS([]int{0, 6, 7, 8, 9, 10, 10})
	require.Equal(t, survey.ENPSCounts{Promoters: 3, Passives: 2, Detractors: 2}, c)
	require.Equal(t, 7, c.N())
	require.Zero(t, survey.CountENPS(nil).N())
}

// Every expected value below is worked out by hand in the comment beside it.
func TestScoreENPS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		counts    survey.ENPSCounts
		headcount int
		score     float64
		se        float64
		moe       float64
		shownMoE  float64
	}{
		{
			// p=.5, d=.2: SE = sqrt((0.7 − 0.09)/100) = sqrt(0.0061) = 0.07810; MoE = 1.96 × 7.810 = 15.308.
			name: "50/30/20 of 100, headcount unknown", counts: counts(50, 30, 20),
			score: 30, se: 0.07810, moe: 15.308, shownMoE: 15.3,
		},
		{
			// Same answers out of 200 people: × sqrt(100/199) = 0.70888 → SE 0.05537, MoE 10.852.
			name: "50/30/20 of 100, headcount 200", counts: counts(50, 30, 20), headcount: 200,
			score: 30, se: 0.05537, moe: 10.852, shownMoE: 10.9,
		},
		{
			// Headcount below n is stale data: no correction, same margin as unknown.
			name: "headcount below n is ignored", counts: counts(50, 30, 20), headcount: 90,
			score: 30, se: 0.07810, moe: 15.308, shownMoE: 15.3,
		},
		{
			// p=5/12, d=3/12: (0.66667 − 0.02778)/12 = 0.05324 → SE 0.23074, MoE 45.225.
			name: "5/4/3 of 12", counts: counts(5, 4, 3),
			score: 16.667, se: 0.23074, moe: 45.225, shownMoE: 45.2,
		},
		{
			// As above out of 15 people: × sqrt(3/14) = 0.46291 → SE 0.10681, MoE 20.935.
			name: "5/4/3 of 12, headcount 15", counts: counts(5, 4, 3), headcount: 15,
			score: 16.667, se: 0.10681, moe: 20.935, shownMoE: 20.9,
		},
		{
			// Everyone in the team answered: a census has no sampling error.
			name: "headcount equals n", counts: counts(4, 3, 3), headcount: 10,
			score: 10, se: 0, moe: 0, shownMoE: 0,
		},
		{
			// p=d=0: SE = sqrt(0/n) = 0.
			name: "all passives", counts: counts(0, 7, 0),
			score: 0, se: 0, moe: 0, shownMoE: 0,
		},
		{
			// p=1, d=0: 1 − 1 = 0.
			name: "single promoter", counts: counts(1, 0, 0),
			score: 100, se: 0, moe: 0, shownMoE: 0,
		},
		{
			name: "single detractor", counts: counts(0, 0, 1),
			score: -100, se: 0, moe: 0, shownMoE: 0,
		},
		{
			// 0..10 scale, answers 0, 6, 7, 9, 10: 0 and 6 detract, 7 is passive.
			// p=d=.4: SE = sqrt(0.8/5) = 0.4, MoE = 1.96 × 40 = 78.4.
			name: "0..10 scale", counts: survey.CountENPS([]int{0, 6, 7, 9, 10}),
			score: 0, se: 0.4, moe: 78.4, shownMoE: 78.4,
		},
		{
			name: "no answers", counts: counts(0, 0, 0), headcount: 10,
			score: 0, se: 0, moe: 0, shownMoE: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := survey.ScoreENPS(tt.counts, tt.headcount)
			require.Equal(t, tt.counts.N(), got.N)
			require.Equal(t, tt.counts.Promoters, got.Promoters)
			require.Equal(t, tt.counts.Passives, got.Passives)
			require.Equal(t, tt.counts.Detractors, got.Detractors)
			require.InDelta(t, tt.score, got.Score, 0.001)
			require.InDelta(t, tt.se, got.SE, 0.00001)
			require.InDelta(t, tt.moe, got.MoE, 0.001)
			require.Equal(t, tt.shownMoE, survey.RoundPoints(got.MoE))
			require.False(t, math.IsNaN(got.Score) || math.IsNaN(got.SE) || math.IsNaN(got.MoE))
		})
	}
}

func TestRoundPoints(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want float64 }{
		{100.0 * 2 / 12, 16.7},
		{-100.0 * 2 / 12, -16.7},
		{15.308089, 15.3},
		{12.25, 12.3}, // half away from zero
		{-12.25, -12.3},
		{30, 30},
		{-0.04, 0},
	}
	for _, tt := range tests {
		got := survey.RoundPoints(tt.in)
		require.Equal(t, tt.want, got, "RoundPoints(%v)", tt.in)
		require.False(t, math.Signbit(got) && got == 0, "RoundPoints(%v) is -0", tt.in)
	}
}

func TestSignificantChange(t *testing.T) {
	t.Parallel()
	base := survey.ScoreENPS(counts(50, 30, 20), 0) // +30, SE² = 0.0061
	tests := []struct {
		name      string
		prev, cur survey.ENPS
		want      bool
	}{
		{
			// −10, SE² = (0.7 − 0.01)/100 = 0.0069; limit 1.96 × sqrt(0.013) × 100 = 22.35 < 40.
			name: "drop of 40 points", prev: base, cur: survey.ScoreENPS(counts(30, 30, 40), 0), want: true,
		},
		{
			// +20, SE² = (0.7 − 0.04)/100 = 0.0066; limit 1.96 × sqrt(0.0127) × 100 = 22.09 > 10.
			name: "drop of 10 points", prev: base, cur: survey.ScoreENPS(counts(45, 30, 25), 0), want: false,
		},
		{
			name: "rise is symmetric", prev: survey.ScoreENPS(counts(30, 30, 40), 0), cur: base, want: true,
		},
		{
			name: "no change", prev: base, cur: base, want: false,
		},
		{
			// Two censuses have no sampling error: any real difference is significant.
			name: "censuses differ by 10", prev: survey.ScoreENPS(counts(4, 3, 3), 10),
			cur: survey.ScoreENPS(counts(5, 2, 3), 10), want: true,
		},
		{
			name: "previous point empty", prev: survey.ScoreENPS(counts(0, 0, 0), 0), cur: base, want: false,
		},
		{
			name: "current point empty", prev: base, cur: survey.ScoreENPS(counts(0, 0, 0), 0), want: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, survey.SignificantChange(tt.prev, tt.cur))
		})
	}
}

func TestSummarizeScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values []int
		want   survey.ScaleSummary
	}{
		{
			// (1 + 4 + 4 + 5) / 4 = 3.5
			name: "answers", values: []int{4, 1, 5, 4},
			want: survey.ScaleSummary{N: 4, Mean: 3.5, Distribution: map[int]int{1: 1, 2: 0, 3: 0, 4: 2, 5: 1}},
		},
		{
			name: "no answers", values: nil,
			want: survey.ScaleSummary{N: 0, Mean: 0, Distribution: map[int]int{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, survey.SummarizeScale(tt.values))
		})
	}
}

func TestSummarizeYesNo(t *testing.T) {
	t.Parallel()
	got := survey.SummarizeYesNo([]bool{true, false, true, true})
	require.Equal(t, survey.ShareSummary{
		N:      4,
		Counts: map[string]int{"yes": 3, "no": 1},
		Shares: map[string]float64{"yes": 0.75, "no": 0.25},
	}, got)

	empty := survey.SummarizeYesNo(nil)
	require.Equal(t, map[string]int{"yes": 0, "no": 0}, empty.Counts)
	require.Equal(t, map[string]float64{"yes": 0, "no": 0}, empty.Shares)
}

func TestSummarizeChoice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		options []string
		values  []string
		want    survey.ShareSummary
	}{
		{
			name: "unpicked option still present", options: []string{"office", "remote", "hybrid"},
			values: []string{"remote", "hybrid", "remote", "remote", "hybrid"},
			want: survey.ShareSummary{
				N:      5,
				Counts: map[string]int{"office": 0, "remote": 3, "hybrid": 2},
				Shares: map[string]float64{"office": 0, "remote": 0.6, "hybrid": 0.4},
			},
		},
		{
			name: "no answers", options: []string{"a", "b"},
			want: survey.ShareSummary{
				N: 0, Counts: map[string]int{"a": 0, "b": 0}, Shares: map[string]float64{"a": 0, "b": 0},
			},
		},
		{
			name: "answer outside options is kept", options: []string{"a", "b"}, values: []string{"a", "old"},
			want: survey.ShareSummary{
				N:      2,
				Counts: map[string]int{"a": 1, "b": 0, "old": 1},
				Shares: map[string]float64{"a": 0.5, "b": 0, "old": 0.5},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, survey.SummarizeChoice(tt.options, tt.values))
		})
	}
}

func counts(promoters, passives, detractors int) survey.ENPSCounts {
	return survey.ENPSCounts{Promoters: promoters, Passives: passives, Detractors: detractors}
}
