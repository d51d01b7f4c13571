package compare

import (
	"math"
	"slices"
)

// BH returns Benjamini–Hochberg adjusted p-values (the step-up false
// discovery rate procedure, Benjamini & Hochberg 1995), in the order of p:
//
//	q_(i) = min over k ≥ i of min(1, m/k · p_(k))
//
// for p sorted ascending, m = len(p). It matches R's p.adjust(p, "BH").
// NaN p-values are left NaN and not counted in m.
func BH(p []float64) []float64 {
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	// Order among equal p-values does not change the result (they get the
	// same adjusted value), so an unstable sort will do.
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	out := make([]float64, len(p))
	for i := range out {
		out[i] = math.NaN()
	}
	m := float64(len(idx))
	running := 1.0
	for k := len(idx) - 1; k >= 0; k-- {
		q := p[idx[k]] * m / float64(k+1)
		running = math.Min(running, q)
		out[idx[k]] = running
	}
	return out
}

// bhAt returns the Benjamini–Hochberg adjusted values of p[i] for each i in
// at: the same numbers as BH(p) at those positions, from one sort of the
// p-values, without building the adjusted value of every feature.
func bhAt(p []float64, at []int32) []float64 {
	sorted := make([]float64, 0, len(p))
	for _, v := range p {
		if !math.IsNaN(v) {
			sorted = append(sorted, v)
		}
	}
	slices.Sort(sorted)
	// suffix[k] is the running minimum of BH's step-up pass at rank k.
	m := float64(len(sorted))
	suffix := make([]float64, len(sorted))
	running := 1.0
	for k := len(sorted) - 1; k >= 0; k-- {
		running = math.Min(running, sorted[k]*m/float64(k+1))
		suffix[k] = running
	}
	out := make([]float64, len(at))
	for k, i := range at {
		v := p[i]
		if math.IsNaN(v) {
			out[k] = math.NaN()
			continue
		}
		// Equal p-values share the value at the last of their ranks.
		r, _ := slices.BinarySearch(sorted, math.Nextafter(v, math.Inf(1)))
		out[k] = suffix[r-1]
	}
	return out
}
