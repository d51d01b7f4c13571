package quantile

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelectIsSorted: selection gives the value sorting gives, for runs
// of ties (all zeros: a frame no replicate sees) and for any q.
func TestSelectIsSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 300; n += 7 {
		for _, ties := range []int{0, 1, 3} {
			x := make([]float64, n)
			for i := range x {
				if ties > 0 {
					x[i] = float64(rng.IntN(ties + 1))
				} else {
					x[i] = rng.NormFloat64()
				}
			}
			sorted := slices.Sorted(slices.Values(x))
			for _, q := range []float64{0, 0.025, 0.5, 0.975, 1} {
				y := slices.Clone(x)
				if got, want := Select(y, q), Sorted(sorted, q); got != want {
					t.Fatalf("n %d ties %d q %g: Select %g, Sorted %g", n, ties, q, got, want)
				}
			}
		}
	}
}
