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

// Every expected value below is worked out by hand in the comment beside it, with the
// adjusted-Wald formula of PRODUCT.md section 4: n′ = n + 3, p′ = (P + 0.75)/n′,
// d′ = (D + 0.75)/n′, e′ = p′ − d′, SE = sqrt((p′ + d′ − e′²)/n′) × sqrt((N − n)/(N − 1)).
func TestScoreENPS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		counts         survey.ENPSCounts
		headcount      int
		score          float64
		ciLow, ciHigh  float64
		moe, shownMoE  float64
		everyoneAnswer bool
	}{
		{
			// n′ = 15, p′ = 6.75/15 = .45, d′ = .75/15 = .05, e′ = .4;
			// SE = sqrt((.5 − .16)/15) = .150555; 1.96 × 15.0555 = 29.509 → 10.49 .. 69.51.
			name: "6 promoters of 12, headcount unknown", counts: counts(6, 6, 0),
			score: 50, ciLow: 10.491, ciHigh: 69.509, moe: 29.509, shownMoE: 29.5,
		},
		{
			// As above × sqrt(8/19) = .648886 → SE .097694, 1.96 × 9.7694 = 19.148.
			name: "6 promoters of 12, headcount 20", counts: counts(6, 6, 0), headcount: 20,
			score: 50, ciLow: 20.852, ciHigh: 59.148, moe: 19.148, shownMoE: 19.1,
		},
		{
			// n′ = 103, p′ = 50.75/103, d′ = 20.75/103, e′ = .291262;
			// SE = sqrt((.694175 − .084834)/103) = .076915 → 29.126 ± 15.075.
			name: "50/30/20 of 100, headcount unknown", counts: counts(50, 30, 20),
			score: 30, ciLow: 14.051, ciHigh: 44.202, moe: 15.075, shownMoE: 15.1,
		},
		{
			// Headcount below n is stale data: no correction, same margin as unknown.
			name: "headcount below n is ignored", counts: counts(50, 30, 20), headcount: 90,
			score: 30, ciLow: 14.051, ciHigh: 44.202, moe: 15.075, shownMoE: 15.1,
		},
		{
			// Plain Wald gave ±0 here; n′ = 10, p′ = d′ = .075, e′ = 0, SE = sqrt(.15/10) = .122474.
			name: "all passives", counts: counts(0, 7, 0),
			score: 0, ciLow: -24.005, ciHigh: 24.005, moe: 24.005, shownMoE: 24,
		},
		{
			// n′ = 4, p′ = 1.75/4, d′ = .75/4, e′ = .25, SE = sqrt((.625 − .0625)/4) = .375.
			name: "single promoter", counts: counts(1, 0, 0),
			score: 100, ciLow: -48.5, ciHigh: 98.5, moe: 73.5, shownMoE: 73.5,
		},
		{
			// n′ = 13, e′ = 10/13 = .769231, SE = .150100: the upper end 106.3 is clipped to 100.
			name: "interval clipped at 100", counts: counts(10, 0, 0),
			score: 100, ciLow: 47.503, ciHigh: 100, moe: 26.248, shownMoE: 26.2,
		},
		{
			// 0..10 scale, answers 0, 6, 7, 9, 10: 0 and 6 detract, 7 is passive.
			// n′ = 8, p′ = d′ = 2.75/8, e′ = 0, SE = sqrt(.6875/8) = .293151.
			name: "0..10 scale", counts: survey.CountENPS([]int{0, 6, 7, 9, 10}),
			score: 0, ciLow: -57.458, ciHigh: 57.458, moe: 57.458, shownMoE: 57.5,
		},
		{
			// Everyone in the team answered: the score is the team's own, no margin.
			name: "everyone answered", counts: counts(4, 3, 3), headcount: 10,
			score: 10, everyoneAnswer: true,
		},
		{
			name: "no answers", counts: counts(0, 0, 0), headcount: 10,
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
			require.InDelta(t, tt.ciLow, got.CILow, 0.001)
			require.InDelta(t, tt.ciHigh, got.CIHigh, 0.001)
			require.InDelta(t, tt.moe, got.MoE, 0.001)
			require.Equal(t, tt.shownMoE, survey.RoundPoints(got.MoE))
			require.Equal(t, tt.everyoneAnswer, got.EveryoneAnswered)
			require.False(t, math.IsNaN(got.Score) || math.IsNaN(got.SE) || math.IsNaN(got.MoE))
		})
	}
}

// A sample (fewer answers than people) never gets a margin of ±0, whatever the split:
// every promoter/passive/detractor combination up to n = 30, for a group one larger
// than n, twice n, and of unknown size.
func TestScoreENPSNeverZeroMarginForASample(t *testing.T) {
	t.Parallel()
	for n := 1; n <= 30; n++ {
		for _, headcount := range []int{n + 1, 2 * n, 0} {
			for pro := 0; pro <= n; pro++ {
				for det := 0; pro+det <= n; det++ {
					got := survey.ScoreENPS(counts(pro, n-pro-det, det), headcount)
					require.False(t, got.EveryoneAnswered)
					require.Greater(t, survey.RoundPoints(got.MoE), 0.0, "%d/%d/%d of %d", pro, n-pro-det, det, headcount)
					require.Less(t, got.CILow, got.CIHigh)
					require.GreaterOrEqual(t, got.CILow, -100.0)
					require.LessOrEqual(t, got.CIHigh, 100.0)
				}
			}
		}
	}
}

func TestSignificantChange(t *testing.T) {
	t.Parallel()
	base := survey.ScoreENPS(counts(50, 30, 20), 0) // e′ = .291262, SE = .076915
	tests := []struct {
		name      string
		prev, cur survey.ENPS
		want      bool
	}{
		{
			// e′ = (30.75 − 40.75)/103 = −.097087: |Δe′| = .388350 > 1.96 × sqrt(SE₁² + SE₂²) = .219695.
			name: "drop of 40 points", prev: base, cur: survey.ScoreENPS(counts(30, 30, 40), 0), want: true,
		},
		{
			// e′ = (39.75 − 31.75)/103 = .077670: |Δe′| = .213592, just under the limit .219983.
			name: "drop just under the limit", prev: base, cur: survey.ScoreENPS(counts(39, 30, 31), 0), want: false,
		},
		{
			// e′ = (38.75 − 32.75)/103 = .058252: |Δe′| = .233010, just over the limit .220206.
			name: "drop just over the limit", prev: base, cur: survey.ScoreENPS(counts(38, 30, 32), 0), want: true,
		},
		{
			name: "rise is symmetric", prev: survey.ScoreENPS(counts(38, 30, 32), 0), cur: base, want: true,
		},
		{
			name: "no change", prev: base, cur: base, want: false,
		},
		{
			// Two groups where everyone answered have no sampling error: any real difference is significant.
			name: "everyone answered both times, scores differ by 10", prev: survey.ScoreENPS(counts(4, 3, 3), 10),
			cur: survey.ScoreENPS(counts(5, 2, 3), 10), want: true,
		},
		{
			name: "everyone answered both times, same score", prev: survey.ScoreENPS(counts(10, 0, 0), 10),
			cur: survey.ScoreENPS(counts(20, 0, 0), 20), want: false,
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

// The scorer on a team of 40 answers out of 50: counting the values, the
// score with its margin, and the change test against last round.
// Run: go test ./survey -run '^$' -bench Scor -benchmem
func BenchmarkScoring(b *testing.B) {
	values := make([]int, 40)
	for i := range values {
		values[i] = i % 11
	}
	prev := survey.ScoreENPS(survey.CountENPS(values[:30]), 50)
	b.ReportAllocs()
	for b.Loop() {
		cur := survey.ScoreENPS(survey.CountENPS(values), 50)
		if survey.SignificantChange(prev, cur) && cur.N == 0 {
			b.Fatal("no answers counted")
		}
	}
}
