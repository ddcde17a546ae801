package survey

import (
	"cmp"
	"math"
	"slices"
)

// Spearman is the rank correlation of xs and ys: Pearson's r over their
// ranks, ties taking the mean of the ranks they span. ok is false when the
// lengths differ, there are fewer than two pairs, or either side has no
// variation.
func Spearman(xs, ys []float64) (rho float64, ok bool) {
	if len(xs) != len(ys) || len(xs) < 2 {
		return 0, false
	}
	rx, ry := ranks(xs), ranks(ys)
	mx, my := mean(rx), mean(ry)
	var sxy, sxx, syy float64
	for i := range rx {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// SpearmanInterval is the 95% interval of a Spearman rho over n pairs by
// Fisher's z, with the variance 1.06/(n−3) Fieller, Hartley and Pearson
// (1957) give for rank correlations. ok is false for n ≤ 3.
func SpearmanInterval(rho float64, n int) (low, high float64, ok bool) {
	if n <= 3 {
		return 0, 0, false
	}
	// atanh(±1) is infinite; nudging keeps a perfect rho's interval finite.
	r := math.Max(-0.999999, math.Min(0.999999, rho))
	z, se := math.Atanh(r), math.Sqrt(1.06/float64(n-3))
	return math.Tanh(z - 1.96*se), math.Tanh(z + 1.96*se), true
}

func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(xs[a], xs[b]) })
	out := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			out[idx[k]] = avg
		}
		i = j + 1
	}
	return out
}

func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// poolSparseLevels merges the levels of an ordered answer that fewer than k
// people gave into a neighbouring level until every level holds at least k,
// and returns each value's pooled level (0, 1, …, in order) and how many
// levels are left. Pooling neighbours keeps the order a rank correlation
// uses, while no level — and so no rank — stands for fewer than k people.
// The sparsest level goes first (ties: the lowest), into its smaller
// neighbour (ties: the lower one).
func poolSparseLevels(values []float64, k int) (map[float64]int, int) {
	type level struct {
		values []float64
		n      int
	}
	var levels []level
	distinct := slices.Sorted(func(yield func(float64) bool) {
		seen := map[float64]bool{}
		for _, v := range values {
			if !seen[v] && !yield(v) {
				return
			}
			seen[v] = true
		}
	})
	counts := map[float64]int{}
	for _, v := range values {
		counts[v]++
	}
	for _, v := range distinct {
		levels = append(levels, level{values: []float64{v}, n: counts[v]})
	}
	for len(levels) > 1 {
		i := slices.IndexFunc(levels, func(l level) bool { return l.n < k })
		if i < 0 {
			break
		}
		for j := range levels {
			if levels[j].n < levels[i].n {
				i = j
			}
		}
		into := i - 1
		if i == 0 || (i+1 < len(levels) && levels[i+1].n < levels[i-1].n) {
			into = i + 1
		}
		lo, hi := min(i, into), max(i, into)
		merged := level{values: append(slices.Clone(levels[lo].values), levels[hi].values...), n: levels[lo].n + levels[hi].n}
		levels = slices.Replace(levels, lo, hi+1, merged)
	}
	pooled := map[float64]int{}
	for i, l := range levels {
		for _, v := range l.values {
			pooled[v] = i
		}
	}
	return pooled, len(levels)
}
