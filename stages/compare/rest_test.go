package compare

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRestMatchesDense checks the each-vs-rest computation (rest.go, in
// time of side A's features) against the dense one over every feature, bit
// for bit: the same comparison with side B spelt out as every other group.
// Random counts from a small range make many ties in z and in p.
func TestRestMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 2))
	for trial := 0; trial < 400; trial++ {
		var c Counts
		groups := 2 + rng.IntN(7)
		feats := 1 + rng.IntN(80)
		for g := 0; g < groups; g++ {
			name := fmt.Sprintf("g%d", g)
			c.AddGroup(name)
			for f := 0; f < feats; f++ {
				if rng.IntN(3) == 0 {
					c.Add(name, fmt.Sprintf("f%03d", f), int64(1+rng.IntN(4)))
				}
			}
		}
		c.Freeze()
		a := []string{"g0"}
		if rng.IntN(3) == 0 {
			a = append(a, "g1")
		}
		var others []string
		for _, g := range c.Groups() {
			if !slices.Contains(a, g) {
				others = append(others, g)
			}
		}
		j1, e1 := CountsJSD(&c, Comparison{A: a})
		j2, e2 := CountsJSD(&c, Comparison{A: a, B: others})
		if math.Float64bits(j1) != math.Float64bits(j2) || (e1 == nil) != (e2 == nil) {
			t.Fatalf("trial %d: JSD with the rest %v (%v), dense %v (%v)", trial, j1, e1, j2, e2)
		}
		cfg := Config{MinCount: int64(rng.IntN(4)), Keep: []int{0, 1, 2, 4, 10, 1000}[rng.IntN(6)]}
		got, err1 := Compare(&c, Comparison{A: a}, cfg)
		want, err2 := Compare(&c, Comparison{A: a, B: others}, cfg)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("trial %d: rest err %v, dense err %v", trial, err1, err2)
		}
		if len(got) != len(want) {
			t.Fatalf("trial %d (keep %d, min %d): %d rows, dense %d", trial, cfg.Keep, cfg.MinCount, len(got), len(want))
		}
		same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
		for i := range got {
			g, w := got[i], want[i]
			if g.Feature != w.Feature || g.CountA != w.CountA || g.CountB != w.CountB || !same(g.Z, w.Z) || !same(g.P, w.P) ||
				!same(g.PAdj, w.PAdj) || !same(g.G2, w.G2) || !same(g.LogOdds, w.LogOdds) || !same(g.LogRatio, w.LogRatio) ||
				!same(g.Alpha, w.Alpha) || !same(g.RateA, w.RateA) || !same(g.RateB, w.RateB) {
				t.Fatalf("trial %d (keep %d, min %d) row %d:\nrest  %+v\ndense %+v", trial, cfg.Keep, cfg.MinCount, i, g, w)
			}
		}
	}
}

// TestTopicIndexPrevalence: the indexed prevalence is TopicPrevalence, bit
// for bit, for a rest of up to exactRestGroups groups; beyond, the rest's
// means and variances come from corpus sums less side A's: equal up to
// rounding.
func TestTopicIndexPrevalence(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 5))
	for _, groups := range []int{30, exactRestGroups + 30} {
		var docs []DocTopics
		for i := 0; i < 2*groups; i++ {
			w := []float64{rng.Float64(), rng.Float64(), rng.Float64()}
			docs = append(docs, DocTopics{ID: fmt.Sprintf("d%05d", (i*7919)%(2*groups)), Group: fmt.Sprintf("g%04d", i%groups), Weights: w})
		}
		ix, err := NewTopicIndex(docs)
		if err != nil {
			t.Fatal(err)
		}
		bs := Bootstrap{B: 300, Seed: 3, ExactDocs: 50}
		for _, a := range [][]string{{"g0001"}, {"g0002", "g0003"}} {
			got, err1 := ix.Prevalence(Comparison{A: a}, bs)
			want, err2 := TopicPrevalence(docs, Comparison{A: a}, bs)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
			if groups > exactRestGroups {
				same = func(x, y float64) bool { return math.Abs(x-y) <= 1e-9 }
			}
			for k := range want {
				g, w := got[k], want[k]
				if g.DocsA != w.DocsA || g.DocsB != w.DocsB || !same(g.MeanA, w.MeanA) || !same(g.MeanB, w.MeanB) ||
					!same(g.Diff, w.Diff) || !same(g.Lo, w.Lo) || !same(g.Hi, w.Hi) {
					t.Fatalf("%d groups, A %v, topic %d:\nindexed %+v\nplain   %+v", groups, a, k, g, w)
				}
			}
		}
	}
}
