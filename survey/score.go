package survey

// Scoring for one group of answers (PRODUCT.md section 4): eNPS with its 95% margin of
// error and a significance test between two points, and summaries for the other
// question kinds. Everything here is pure arithmetic over counts and values the caller
// has already validated and, for anything shown to a person, already checked against the
// anonymity threshold (see anonymity.go).

import "math"

// z95 is the two-sided 95% normal quantile used for every margin of error.
const z95 = 1.96

// ENPSBucket is where one answer to the recommend question falls.
type ENPSBucket string

const (
	Promoter  ENPSBucket = "promoter"
	Passive   ENPSBucket = "passive"
	Detractor ENPSBucket = "detractor"
)

// Bucket places an answer on the 1..10 or 0..10 scale: 9–10 promoter, 7–8 passive,
// anything lower detractor (so 0 is a detractor on the 0..10 scale). The caller
// validates the value against the survey's scale; Bucket does not, because the same
// rule serves both scales and a value outside them is a bug upstream, not a score.
func Bucket(value int) ENPSBucket {
	switch {
	case value >= 9:
		return Promoter
	case value >= 7:
		return Passive
	default:
		return Detractor
	}
}

// ENPSCounts is how many answers fell in each bucket.
type ENPSCounts struct {
	Promoters, Passives, Detractors int
}

// Add counts one answer.
func (c *ENPSCounts) Add(value int) { c.AddN(value, 1) }

// AddN counts n answers of one value.
func (c *ENPSCounts) AddN(value, n int) {
	switch Bucket(value) {
	case Promoter:
		c.Promoters += n
	case Passive:
		c.Passives += n
	default:
		c.Detractors += n
	}
}

// Plus is the counts of both groups together.
func (c ENPSCounts) Plus(o ENPSCounts) ENPSCounts {
	return ENPSCounts{Promoters: c.Promoters + o.Promoters, Passives: c.Passives + o.Passives, Detractors: c.Detractors + o.Detractors}
}

// N is the number of answers counted.
func (c ENPSCounts) N() int { return c.Promoters + c.Passives + c.Detractors }

// CountENPS buckets every answer.
func CountENPS(values []int) ENPSCounts {
	var c ENPSCounts
	for _, v := range values {
		c.Add(v)
	}
	return c
}

// ENPS is a scored group. Score, MoE and the interval are raw (unrounded) so that
// trends and significance tests never compound rounding; round with RoundPoints only
// for display.
type ENPS struct {
	N, Promoters, Passives, Detractors int
	Score                              float64 // plain %promoters − %detractors, −100..100
	// EveryoneAnswered says n equals the group's headcount: the score is the group's
	// own, not an estimate, so there is no margin (MoE, CILow, CIHigh and SE are 0).
	EveryoneAnswered bool
	// CILow and CIHigh are the 95% adjusted-Wald interval in points, clipped to
	// −100..100; MoE is its half-width.
	CILow, CIHigh, MoE float64
	// Estimate is e′ = p′ − d′ as a share (−1..1), the centre of the interval, and SE
	// its standard error after the finite-population correction. For a census the
	// estimate is the plain share and SE is 0.
	Estimate, SE float64
}

// ScoreENPS scores c for a group of headcount people with the adjusted-Wald
// interval (PRODUCT.md section 4; Rocks 2016): n′ = n + 3, p′ = (P + 0.75)/n′,
// d′ = (D + 0.75)/n′, e′ = p′ − d′, SE = sqrt((p′ + d′ − e′²)/n′) × sqrt((N − n)/(N − 1)),
// interval e′ ± 1.96 × SE. Unlike the plain Wald formula it never collapses to ±0 for
// a sample (one answer, or everyone in one bucket).
//
// headcount is the group's size at the time of the round. When everyone answered
// (headcount == n) the score is exact and EveryoneAnswered replaces the margin. An
// unknown headcount (0) or one smaller than n (stale directory data) gets no
// correction, which errs on the side of a wider margin. n = 0 gives the zero ENPS.
func ScoreENPS(c ENPSCounts, headcount int) ENPS {
	n := c.N()
	e := ENPS{N: n, Promoters: c.Promoters, Passives: c.Passives, Detractors: c.Detractors}
	if n == 0 {
		return e
	}
	// Score from integers first so that e.g. 30 out of 100 is exactly 30, not 29.999….
	e.Score = 100 * float64(c.Promoters-c.Detractors) / float64(n)
	if headcount == n {
		e.EveryoneAnswered, e.Estimate = true, e.Score/100
		return e
	}
	adjusted := float64(n + 3)
	p := (float64(c.Promoters) + 0.75) / adjusted
	d := (float64(c.Detractors) + 0.75) / adjusted
	e.Estimate = p - d
	// p′ + d′ > e′² always holds here; max guards against a float rounding below zero.
	variance := math.Max(0, p+d-e.Estimate*e.Estimate) / adjusted
	e.SE = math.Sqrt(variance) * finitePopulationCorrection(n, headcount)
	e.CILow = math.Max(-100, 100*(e.Estimate-z95*e.SE))
	e.CIHigh = math.Min(100, 100*(e.Estimate+z95*e.SE))
	e.MoE = (e.CIHigh - e.CILow) / 2
	return e
}

// finitePopulationCorrection is sqrt((N − n)/(N − 1)) for a sample of a known group;
// 1 (no correction) when the headcount is unknown or stale (smaller than n).
func finitePopulationCorrection(n, headcount int) float64 {
	if headcount <= n {
		return 1
	}
	return math.Sqrt(float64(headcount-n) / float64(headcount-1))
}

// SignificantChange reports whether cur differs from prev by more than their combined
// 95% margin: |e′₂ − e′₁| > 1.96 × sqrt(SE₁² + SE₂²). Without answers on both sides
// there is nothing to compare, so it is false. Two groups where everyone answered
// have no sampling error, so any difference between them is real.
func SignificantChange(prev, cur ENPS) bool {
	if prev.N == 0 || cur.N == 0 {
		return false
	}
	return math.Abs(cur.Estimate-prev.Estimate) > z95*math.Hypot(prev.SE, cur.SE)
}

// RoundPoints rounds a score or margin to one decimal (half away from zero) for
// display and API output, e.g. 16.666… → 16.7. It never returns −0, which JSON would
// print as "-0".
func RoundPoints(x float64) float64 {
	r := math.Round(x*10) / 10
	if r == 0 {
		return 0
	}
	return r
}

// ScaleSummary is the result of a 1..5 agreement question.
type ScaleSummary struct {
	N            int         `json:"n"`
	Mean         float64     `json:"mean"`         // 0 when N is 0
	Distribution map[int]int `json:"distribution"` // answers per value; 1..5 are always present
}

// SummarizeScale summarizes answers the caller has validated to 1..5.
func SummarizeScale(values []int) ScaleSummary {
	s := ScaleSummary{N: len(values), Distribution: map[int]int{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}}
	sum := 0
	for _, v := range values {
		s.Distribution[v]++
		sum += v
	}
	if s.N > 0 {
		s.Mean = float64(sum) / float64(s.N)
	}
	return s
}

// Answer keys of a yes_no question in ShareSummary.
const (
	AnswerYes = "yes"
	AnswerNo  = "no"
)

// ShareSummary is the result of a yes_no or choice question.
type ShareSummary struct {
	N      int                `json:"n"`
	Counts map[string]int     `json:"counts"` // every option (or yes/no) is present, even with 0
	Shares map[string]float64 `json:"shares"` // Counts / N as 0..1; all 0 when N is 0
}

// SummarizeYesNo summarizes yes_no answers under the keys "yes" and "no".
func SummarizeYesNo(values []bool) ShareSummary {
	keys := make([]string, len(values))
	for i, v := range values {
		keys[i] = AnswerNo
		if v {
			keys[i] = AnswerYes
		}
	}
	return summarizeShares([]string{AnswerYes, AnswerNo}, keys)
}

// SummarizeChoice summarizes choice answers. Every option appears, even with no
// answers. An answer that is not among options (an option renamed after answers came
// in) is still counted under its own key, so N always equals the number of answers
// and the shares add up to 1.
func SummarizeChoice(options, values []string) ShareSummary {
	return summarizeShares(options, values)
}

func summarizeShares(keys, values []string) ShareSummary {
	s := ShareSummary{N: len(values), Counts: make(map[string]int, len(keys)), Shares: make(map[string]float64, len(keys))}
	for _, k := range keys {
		s.Counts[k] = 0
	}
	for _, v := range values {
		s.Counts[v]++
	}
	for k, count := range s.Counts {
		s.Shares[k] = 0
		if s.N > 0 {
			s.Shares[k] = float64(count) / float64(s.N)
		}
	}
	return s
}
