package frames

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// handDoc: sentences of 10, 20, 0 and 10 words. Frame a: 2 hits (weight 3
// in all) in sentence 0; 1 plain + 1 negated hit in sentence 1. Frame b: 1
// hit in sentence 3. Hand values: tokens 40, sentences with words 3;
// a: rate 3/40*1000 = 75, weighted 4/40*1000 = 100, share 2/3, negated 1;
// b: rate 25, share 1/3.
func handDoc(id, group string) *DocSummary {
	return &DocSummary{ID: id, Group: group, Frames: []string{"a", "b"},
		SentTokens: []int32{10, 20, 0, 10},
		Cells: []Cell{
			{Sentence: 0, Frame: 0, Hits: 2, Weighted: 3},
			{Sentence: 1, Frame: 0, Hits: 1, Negated: 1, Weighted: 1},
			{Sentence: 3, Frame: 1, Hits: 1, Weighted: 1},
		}}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestDocumentScoresHandValues(t *testing.T) {
	sc := DocumentScores(handDoc("d", "g"), Bootstrap{Seed: 7})
	a, b := sc[0], sc[1]
	if a.Tokens != 40 || a.Sentences != 3 || a.Hits != 3 || a.Negated != 1 || !near(a.Weighted, 4) {
		t.Fatalf("a counts = %+v", a)
	}
	if !near(a.Rate, 75) || !near(a.WeightedRate, 100) || !near(a.Share, 2.0/3) {
		t.Errorf("a rate/weighted/share = %g %g %g, want 75 100 0.667", a.Rate, a.WeightedRate, a.Share)
	}
	if !near(b.Rate, 25) || !near(b.Share, 1.0/3) {
		t.Errorf("b rate/share = %g %g, want 25 0.333", b.Rate, b.Share)
	}
	for _, s := range sc {
		if s.Resample != ResampleSentences || !(s.RateLo <= s.Rate && s.Rate <= s.RateHi) || s.RateLo == s.RateHi {
			t.Errorf("%s: interval [%g, %g] around %g (%s)", s.Frame, s.RateLo, s.RateHi, s.Rate, s.Resample)
		}
	}
	// A longer document with varied sentences: the seed fixes the interval.
	long := &DocSummary{ID: "long", Frames: []string{"a"}}
	for i := range 50 {
		long.SentTokens = append(long.SentTokens, int32(5+i))
		long.Cells = append(long.Cells, Cell{Sentence: int32(i), Hits: int32(i % 3)})
	}
	x := DocumentScores(long, Bootstrap{Seed: 7})[0]
	again := DocumentScores(long, Bootstrap{Seed: 7})[0]
	other := DocumentScores(long, Bootstrap{Seed: 8})[0]
	if again.RateLo != x.RateLo || again.RateHi != x.RateHi {
		t.Error("same seed, different interval")
	}
	if other.RateLo == x.RateLo && other.RateHi == x.RateHi {
		t.Error("seed has no effect")
	}
	if none := DocumentScores(handDoc("d", "g"), Bootstrap{B: -1}); !math.IsNaN(none[0].RateLo) || none[0].Resample != "" {
		t.Errorf("B<0 should give no interval: %+v", none[0])
	}
}

// uniformDoc has n sentences of 10 words, each with h hits of frame a.
func uniformDoc(id, group string, n int, h int32) *DocSummary {
	d := &DocSummary{ID: id, Group: group, Frames: []string{"a"}}
	for i := range n {
		d.SentTokens = append(d.SentTokens, 10)
		if h > 0 {
			d.Cells = append(d.Cells, Cell{Sentence: int32(i), Frame: 0, Hits: h, Weighted: float64(h)})
		}
	}
	return d
}

func TestGroupBootstrapSchemes(t *testing.T) {
	// Five documents of 100 words; only the last has hits (10). Rate =
	// 10/500*1000 = 20. Resampling documents, the number k of draws of the
	// hit document is Binomial(5, 0.2): P(k=0) = 0.328 > 0.025, so the lower
	// bound is 0; P(k<=2) = 0.942 < 0.975 <= P(k<=3) = 0.993, so the upper
	// bound is k=3: 30 hits / 500 words = 60.
	s := NewSummaries([]string{"a"})
	for i, h := range []int32{0, 0, 0, 0, 1} {
		if err := s.Add(uniformDoc(string(rune('p'+i)), "g", 10, h)); err != nil {
			t.Fatal(err)
		}
	}
	sc, err := s.GroupScores(Bootstrap{B: 4000, Seed: 1}, "g")
	if err != nil {
		t.Fatal(err)
	}
	g := sc[0]
	if g.Resample != ResampleDocuments || g.Docs != 5 || !near(g.Rate, 20) || g.RateLo != 0 || !near(g.RateHi, 60) {
		t.Errorf("group score = %+v, want documents, rate 20 [0, 60]", g)
	}
	// With MinDocs 6 the same group resamples sentences within documents:
	// every sentence of a document is alike, so every replicate is 20: a
	// zero-width interval that estimates nothing, given as none (null).
	sc, _ = s.GroupScores(Bootstrap{B: 200, MinDocs: 6}, "g")
	if sc[0].Resample != ResampleSentences || !near(sc[0].Rate, 20) || !math.IsNaN(sc[0].RateLo) || !math.IsNaN(sc[0].RateHi) {
		t.Errorf("sentence resampling = %+v, want rate 20 without an interval", sc[0])
	}
}

func TestDifferenceAndMerge(t *testing.T) {
	// A: every sentence 10 words, 1 hit (rate 100); B: no hits. Resampling
	// sentences cannot change either rate: the difference is 100 in every
	// replicate, and a zero-width interval is no interval (NaN, null).
	s := NewSummaries([]string{"a"})
	s.Add(uniformDoc("x", "A", 8, 1))
	s.Add(uniformDoc("y", "B", 5, 0))
	d, err := s.Difference([]string{"A"}, nil, Bootstrap{})
	if err != nil {
		t.Fatal(err)
	}
	if d[0].B != "rest" || !near(d[0].RateDiff, 100) || !math.IsNaN(d[0].Lo) || !math.IsNaN(d[0].Hi) || !near(d[0].ShareDiff, 1) {
		t.Errorf("diff = %+v", d[0])
	}

	// Shards merged in any order give the same scores as one collection.
	var docs []*DocSummary
	for i := range 12 {
		group := []string{"A", "B"}[i%2]
		docs = append(docs, uniformDoc(string(rune('a'+i)), group, 3+i%4, int32(i%3)))
	}
	one := NewSummaries([]string{"a"})
	for _, x := range docs {
		one.Add(x)
	}
	s1, s2 := NewSummaries([]string{"a"}), NewSummaries([]string{"a"})
	for i := len(docs) - 1; i >= 0; i-- {
		if i%3 == 0 {
			s1.Add(docs[i])
		} else {
			s2.Add(docs[i])
		}
	}
	s2.Merge(s1)
	want, _ := one.Difference([]string{"A"}, []string{"B"}, Bootstrap{Seed: 3})
	got, _ := s2.Difference([]string{"A"}, []string{"B"}, Bootstrap{Seed: 3})
	if !slices.Equal(got, want) {
		t.Errorf("merged shards: %+v\nsingle: %+v", got, want)
	}
	if err := one.Add(handDoc("z", "A")); err == nil {
		t.Error("adding a summary with other frames should fail")
	}
}

func TestSummarizeFromHits(t *testing.T) {
	m := testMatcher(t, secEmo, Config{})
	doc := tokenized(t, "Visa and security rules, not sanctions. A sense of belonging!")
	m.Process(context.Background(), doc)
	s, err := m.Summarize(doc)
	if err != nil {
		t.Fatal(err)
	}
	// Sentence 0: Visa and security rules , not sanctions . -> 6 words;
	// sentence 1: A sense of belonging ! -> 4 words.
	if !slices.Equal(s.SentTokens, []int32{6, 4}) {
		t.Errorf("sentence tokens = %v", s.SentTokens)
	}
	want := []Cell{{0, 0, 2, 1, 2}, {1, 1, 1, 0, 1}}
	if !slices.Equal(s.Cells, want) {
		t.Errorf("cells = %+v, want %+v", s.Cells, want)
	}
}

// For a large group the normal approximation gives the interval the
// document bootstrap gives, within Monte-Carlo noise.
func TestNormalApproximationMatchesResampling(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := NewSummaries([]string{"f"})
	for i := range 1500 {
		d := &DocSummary{ID: fmt.Sprintf("d%04d", i), Group: "g", Frames: []string{"f"}}
		for k := range 20 {
			d.SentTokens = append(d.SentTokens, int32(10+rng.IntN(30)))
			if rng.Float64() < 0.2+0.2*float64(i%3) {
				d.Cells = append(d.Cells, Cell{Sentence: int32(k), Frame: 0, Hits: int32(1 + rng.IntN(2))})
			}
		}
		if err := s.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	exact, err := s.GroupScores(Bootstrap{Seed: 3, ExactDocs: -1}, "g")
	if err != nil {
		t.Fatal(err)
	}
	normal, err := s.GroupScores(Bootstrap{Seed: 3}, "g")
	if err != nil {
		t.Fatal(err)
	}
	if normal[0].Resample != ResampleNormal || exact[0].Resample != ResampleDocuments {
		t.Fatalf("resample %q and %q", normal[0].Resample, exact[0].Resample)
	}
	we, wn := exact[0].RateHi-exact[0].RateLo, normal[0].RateHi-normal[0].RateLo
	if math.Abs(we-wn) > 0.1*we || math.Abs(exact[0].RateLo-normal[0].RateLo) > 0.1*we {
		t.Errorf("rate interval: resampling [%v, %v], normal [%v, %v]", exact[0].RateLo, exact[0].RateHi, normal[0].RateLo, normal[0].RateHi)
	}
	ws, wns := exact[0].ShareHi-exact[0].ShareLo, normal[0].ShareHi-normal[0].ShareLo
	if math.Abs(ws-wns) > 0.1*ws {
		t.Errorf("share interval width: resampling %v, normal %v", ws, wns)
	}
}
