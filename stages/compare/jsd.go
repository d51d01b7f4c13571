package compare

import (
	"errors"
	"fmt"
	"math"
)

// ErrEmptyDistribution is returned by JSD when a side has no weight at
// all: the divergence is undefined (a tiny corpus whose terms all fall
// below the minimum count, say), which callers report as unknown.
var ErrEmptyDistribution = errors.New("compare: JSD of an empty distribution")

// JSD is the Jensen–Shannon divergence, base 2 (so 0 ≤ JSD ≤ 1), of two
// distributions given as non-negative weights over the same outcomes (each
// is normalised to sum to 1; Lin 1991):
//
//	JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),  M = ½ (P + Q)
func JSD(p, q []float64) (float64, error) {
	if len(p) != len(q) {
		return 0, fmt.Errorf("compare: JSD of distributions of lengths %d and %d", len(p), len(q))
	}
	var sp, sq float64
	for i := range p {
		if p[i] < 0 || q[i] < 0 || math.IsNaN(p[i]) || math.IsNaN(q[i]) {
			return 0, fmt.Errorf("compare: JSD: negative or NaN weight at %d", i)
		}
		sp += p[i]
		sq += q[i]
	}
	if sp == 0 || sq == 0 {
		return 0, ErrEmptyDistribution
	}
	var d float64
	for i := range p {
		a, b := p[i]/sp, q[i]/sq
		m := (a + b) / 2
		if a > 0 {
			d += a / 2 * math.Log2(a/m)
		}
		if b > 0 {
			d += b / 2 * math.Log2(b/m)
		}
	}
	return max(0, min(1, d)), nil
}

// CountsJSD is the JSD of the feature distributions of two sides of a
// comparison (an empty B is the rest of the groups).
func CountsJSD(c *Counts, cmpn Comparison) (float64, error) {
	rest := c.NumGroups() // groups outside A: side B when B is empty
	for _, g := range cmpn.A {
		if c.HasGroup(g) {
			rest--
		}
	}
	if len(cmpn.A) == 0 || len(cmpn.B) == 0 && rest == 0 {
		return 0, fmt.Errorf("compare: JSD %s: a side has no groups", cmpn.Label())
	}
	if len(cmpn.B) == 0 {
		return restJSD(c, cmpn.A)
	}
	s := indexSides(c, cmpn)
	// Features in sorted order make the floating-point sum reproducible.
	var p, q []float64
	for i := range s.feats {
		if s.ya[i]+s.yb[i] != 0 {
			p = append(p, float64(s.ya[i]))
			q = append(q, float64(s.yb[i]))
		}
	}
	return JSD(p, q)
}
