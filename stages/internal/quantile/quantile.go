// Package quantile holds the order statistics the comparison and frame
// stages share: the quantile of sorted values (R's type 7) and the same
// value found by selection, for bootstrap intervals over thousands of
// comparisons.
package quantile

import (
	"math"
	"slices"
)

// Sorted is the quantile q of sorted values, linear interpolation between order statistics
// (R's type 7).
func Sorted(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

// Select is Sorted(sorted x, q) without sorting x: the two order
// statistics it needs are selected (quickselect, O(len x) against a sort's
// O(n log n): 1,000 replicates, per frame and comparison, thousands of
// comparisons). The same values as sorting. x is reordered.
func Select(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	if slices.ContainsFunc(x, math.IsNaN) {
		slices.Sort(x)
		return Sorted(x, q)
	}
	h := q * float64(len(x)-1)
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return slices.Max(x)
	}
	selectNth(x, i)
	a, b := x[i], slices.Min(x[i+1:])
	return a + (h-float64(i))*(b-a)
}

// selectNth reorders x so that x[k] is the value a sort would put there,
// with no larger value before it and no smaller one after.
func selectNth(x []float64, k int) {
	lo, hi := 0, len(x) // the k-th is in x[lo:hi]
	for hi-lo > 1 {
		// Median of three as pivot; three-way partition, so that runs of
		// equal values (a frame no replicate ever sees: all zeros) end it.
		a, b, c := x[lo], x[lo+(hi-lo)/2], x[hi-1]
		p := max(min(a, b), min(max(a, b), c))
		lt, i, gt := lo, lo, hi
		for i < gt {
			switch {
			case x[i] < p:
				x[lt], x[i] = x[i], x[lt]
				lt++
				i++
			case x[i] > p:
				gt--
				x[gt], x[i] = x[i], x[gt]
			default:
				i++
			}
		}
		switch {
		case k < lt:
			hi = lt
		case k >= gt:
			lo = gt
		default:
			return
		}
	}
}
