package frames

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	order "github.com/framelens/framelens/stages/internal/quantile"
)

// TestRestPoolMatchesExplicitGroups: a group against the rest (restPool:
// the corpus's counts minus the group's, documents read in place) gives
// the numbers of the same comparison with every other group named, bit for
// bit, on each resampling scheme: normal approximation (more than
// ExactDocs documents), documents, and sentences (fewer than MinDocs).
func TestRestPoolMatchesExplicitGroups(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 3))
	frames := []string{"a", "b", "c"}
	for _, tc := range []struct{ groups, docs, exact int }{{40, 3, 50}, {6, 4, 1000}, {2, 3, 1000}, {3, 1, 1000}, {exactRestGroups + 20, 1, 50}} {
		s := NewSummaries(frames)
		var names []string
		for g := 0; g < tc.groups; g++ {
			name := fmt.Sprintf("g%02d", g)
			names = append(names, name)
			for i := 0; i < tc.docs; i++ {
				d := &DocSummary{ID: fmt.Sprintf("%s-%d", name, i), Group: name, Frames: frames}
				for k := 0; k < 2+rng.IntN(6); k++ {
					d.SentTokens = append(d.SentTokens, int32(rng.IntN(30)))
					for f := range frames {
						if rng.IntN(3) == 0 {
							d.Cells = append(d.Cells, Cell{Sentence: int32(k), Frame: int32(f), Hits: int32(1 + rng.IntN(3)), Negated: int32(rng.IntN(2))})
						}
					}
				}
				if err := s.Add(d); err != nil {
					t.Fatal(err)
				}
			}
		}
		bs := Bootstrap{B: 200, Seed: 7, ExactDocs: tc.exact}
		for _, a := range [][]string{{"g00"}, {"g01", "g00"}} {
			if len(a) >= tc.groups {
				continue
			}
			var others []string
			for _, g := range names {
				if !slices.Contains(a, g) {
					others = append(others, g)
				}
			}
			got, want := s.restPool(a), s.pool(others)
			if got.n != want.n || got.tokens != want.tokens || got.sents != want.sents || !slices.Equal(got.hits, want.hits) ||
				!slices.Equal(got.carry, want.carry) || !slices.Equal(got.neg, want.neg) {
				t.Fatalf("%d groups, A %v: rest pool counts %+v, explicit %+v", tc.groups, a, got, want)
			}
			rg, sg := got.replicates("rest", bs, false)
			rw, sw := want.replicates("rest", bs, false)
			if sg != sw || rg == nil || rw == nil {
				t.Fatalf("%d groups, A %v: schemes %q and %q", tc.groups, a, sg, sw)
			}
			// A rest of more than exactRestGroups groups takes its variance
			// from moments: equal up to rounding.
			same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
			if tc.groups-len(a) > exactRestGroups {
				same = func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*max(1, math.Abs(y)) }
			}
			for f := range frames {
				for r := range rg.rate[f] {
					if !same(rg.rate[f][r], rw.rate[f][r]) || !same(rg.share[f][r], rw.share[f][r]) {
						t.Fatalf("%d groups, A %v (%s), frame %d replicate %d: rest %v %v, explicit %v %v", tc.groups, a, sg, f, r,
							rg.rate[f][r], rg.share[f][r], rw.rate[f][r], rw.share[f][r])
					}
				}
			}
			if _, err := s.Difference(a, nil, bs); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestPercentileMatchesSort: quantiles by selection are those of a sorted
// copy, bit for bit, with ties, runs of one value and NaN.
func TestPercentileMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 4))
	for trial := 0; trial < 2000; trial++ {
		x := make([]float64, 1+rng.IntN(60))
		for i := range x {
			switch rng.IntN(4) {
			case 0:
				x[i] = float64(rng.IntN(3))
			case 1:
				x[i] = rng.NormFloat64()
			default:
				x[i] = 0
			}
		}
		if trial%50 == 0 {
			x[rng.IntN(len(x))] = math.NaN()
		}
		q := []float64{0, 0.025, 0.5, 0.975, 1, rng.Float64()}[rng.IntN(6)]
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		want := order.Sorted(sorted, q)
		if got := order.Select(slices.Clone(x), q); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("q %v of %v: %v, sorted gives %v", q, x, got, want)
		}
	}
}

// TestSentenceNormalMatchesBootstrap: the normal approximation used for
// sentence bootstraps of more than exactSentences sentences has the spread
// of the sentence bootstrap itself (compared on 3,000 sentences in two
// documents, where the bootstrap is run: standard deviations within 10%).
func TestSentenceNormalMatchesBootstrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 6))
	frames := []string{"a", "b"}
	var docs []*DocSummary
	for di := 0; di < 2; di++ {
		d := &DocSummary{ID: fmt.Sprint(di), Group: "g", Frames: frames}
		for k := 0; k < 1500; k++ {
			d.SentTokens = append(d.SentTokens, int32(5+rng.IntN(35)))
			for f := range frames {
				if rng.IntN(4+4*f) == 0 {
					d.Cells = append(d.Cells, Cell{Sentence: int32(k), Frame: int32(f), Hits: int32(1 + rng.IntN(2+di))})
				}
			}
		}
		docs = append(docs, d)
	}
	p := newPool(docs, len(frames))
	bs := Bootstrap{B: 4000, Seed: 1}.norm()
	exact, scheme := p.replicates("x", bs, true)
	if scheme != ResampleSentences {
		t.Fatalf("scheme %q", scheme)
	}
	approx := &reps{rate: [][]float64{make([]float64, bs.B), make([]float64, bs.B)}, share: [][]float64{make([]float64, bs.B), make([]float64, bs.B)}}
	sentenceNormalReplicates(p.docList(), p, rand.New(rand.NewPCG(2, 2)), approx, bs.B)
	sd := func(x []float64) float64 {
		var m, v float64
		for _, y := range x {
			m += y
		}
		m /= float64(len(x))
		for _, y := range x {
			v += (y - m) * (y - m)
		}
		return math.Sqrt(v / float64(len(x)))
	}
	for f := range frames {
		for _, c := range []struct {
			what string
			e, a []float64
		}{{"rate", exact.rate[f], approx.rate[f]}, {"share", exact.share[f], approx.share[f]}} {
			se, sa := sd(c.e), sd(c.a)
			if math.Abs(sa-se) > 0.1*se {
				t.Errorf("frame %s %s: normal sd %.5f, bootstrap sd %.5f", frames[f], c.what, sa, se)
			}
		}
	}
}
