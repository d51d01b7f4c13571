package compare

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func approx(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Hand-worked example: a feature occurs 10 times in 1,000 tokens of A and 2
// times in 2,000 tokens of B; prior α0 = 1000 from the pooled shares
// (10+2)/(1000+2000) = 0.004, so α_w = 4.
//
//	δ = ln((10+4)/(1000+1000−10−4)) − ln((2+4)/(2000+1000−2−4))
//	  = ln(14/1986) − ln(6/2994) = −4.954821 − (−6.212606) = 1.257786
//	Var = 1/14 + 1/6 = 0.238095;  z = 1.257786 / 0.487950 = 2.577693
//
// G², four cells (O, E = row·col/N, N = 3000):
//
//	10 vs 12·1000/3000 = 4:      10 ln(10/4)     =  9.162907
//	2 vs 12·2000/3000 = 8:       2 ln(2/8)       = −2.772589
//	990 vs 2988·1000/3000 = 996: 990 ln(990/996) = −5.981891
//	1998 vs 2988·2000/3000=1992: 1998 ln(1998/1992) = 6.009027
//	G² = 2 · 6.417454 = 12.834909;  p = P(χ²₁ > G²) = erfc(sqrt(G²/2)) = 0.000340
//
// Log ratio: log2((10/1000)/(2/2000)) = log2(10) = 3.321928.
func TestHandWorkedKeyness(t *testing.T) {
	d, z := LogOddsZ(10, 1000, 2, 2000, 4, 1000)
	if !approx(d, 1.257786, 1e-6) || !approx(z, 2.577693, 1e-6) {
		t.Errorf("log-odds δ, z = %.6f, %.6f; want 1.257786, 2.577693", d, z)
	}
	g2, p := SignedG2(10, 1000, 2, 2000)
	if !approx(g2, 12.834909, 1e-6) || !approx(p, 0.00034021, 1e-8) {
		t.Errorf("G2, p = %.6f, %.8f; want 12.834909, 0.00034021", g2, p)
	}
	if lr := LogRatio(10, 1000, 2, 2000); !approx(lr, 3.321928, 1e-6) {
		t.Errorf("log ratio = %.6f, want 3.321928", lr)
	}
	// Swapping the sides flips every sign and keeps the magnitudes.
	d2, z2 := LogOddsZ(2, 2000, 10, 1000, 4, 1000)
	g2b, pb := SignedG2(2, 2000, 10, 1000)
	if !approx(d2, -d, 1e-12) || !approx(z2, -z, 1e-12) || !approx(g2b, -g2, 1e-9) || !approx(pb, p, 1e-12) {
		t.Errorf("swapped: %g %g %g %g", d2, z2, g2b, pb)
	}
	// Zero correction: 5/1000 vs 0/1000 adds ε = 0.5/2000 = 0.00025 to both
	// rates: log2((0.005+0.00025)/(0+0.00025)) = log2(21) = 4.392317.
	if lr := LogRatio(5, 1000, 0, 1000); !approx(lr, 4.392317, 1e-6) {
		t.Errorf("log ratio with zero = %.6f, want 4.392317", lr)
	}
	// A zero in a tiny corpus stays on the side of the smaller rate:
	// 0/167 vs 8/5742, ε = 0.5/5909: log2(ε/(8/5742+ε)) = −4.126423
	if lr := LogRatio(0, 167, 8, 5742); !approx(lr, -4.126423, 1e-6) {
		t.Errorf("log ratio 0/167 vs 8/5742 = %.6f, want about -4.13", lr)
	}
	// Equal rates: G² = 0, p = 1, log ratio 0.
	if g, p := SignedG2(5, 1000, 10, 2000); !approx(g, 0, 1e-9) || !approx(p, 1, 1e-9) || LogRatio(5, 1000, 10, 2000) != 0 {
		t.Errorf("equal rates: G2 %g p %g", g, p)
	}
}

func TestCompareUsesThePooledPrior(t *testing.T) {
	var c Counts
	c.Add("A", "visa", 10)
	c.Add("A", "other", 990)
	c.Add("B", "visa", 2)
	c.Add("B", "other", 1998)
	ks, err := Compare(&c, Pair("A", "B"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 2 || ks[0].Feature != "visa" {
		t.Fatalf("keyness = %+v", ks)
	}
	k := ks[0]
	// Same numbers as the hand-worked example: α_w = 1000 · 12/3000 = 4.
	if k.CountA != 10 || k.CountB != 2 || !approx(k.RateA, 10, 1e-12) || !approx(k.RateB, 1, 1e-12) ||
		!approx(k.Alpha, 4, 1e-12) || !approx(k.Z, 2.577693, 1e-6) || !approx(k.G2, 12.834909, 1e-6) ||
		!approx(k.LogRatio, 3.321928, 1e-6) || k.Comparison != "A vs B" {
		t.Errorf("visa = %+v", k)
	}
	// BH over the two features: p sorted (p_visa, p_other), m = 2; G² is the
	// same for both features (the table is the same with rows swapped), so
	// both adjusted values equal min(2·p/1, 2·p/2) = p.
	if !approx(ks[1].G2, -12.834909, 1e-6) || !approx(k.PAdj, k.P, 1e-12) {
		t.Errorf("other = %+v, visa PAdj %g", ks[1], k.PAdj)
	}
	// A stronger prior shrinks z towards 0.
	strong, _ := Compare(&c, Pair("A", "B"), Config{Alpha0: 100000})
	if !(strong[0].Z < k.Z && strong[0].Z > 0) {
		t.Errorf("alpha0 = 1e5: z = %g, want in (0, %g)", strong[0].Z, k.Z)
	}
}

func TestBHKnownExample(t *testing.T) {
	// The fifteen p-values of Benjamini & Hochberg (1995, §4.1). At q = 0.05
	// their procedure rejects the four smallest; adjusted values by
	// q_(i) = min_{k>=i} m/k p_(k) (as R's p.adjust(..., "BH")).
	p := []float64{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000}
	want := []float64{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857, 0.063857, 0.0645, 0.0765, 0.486, 0.581182, 0.714875, 0.753231, 0.813214, 1}
	// Shuffle the input: adjusted values follow their p-values.
	perm := []int{7, 3, 14, 0, 9, 1, 12, 5, 2, 11, 8, 4, 13, 6, 10}
	in := make([]float64, len(p))
	for i, j := range perm {
		in[i] = p[j]
	}
	got := BH(in)
	rejected := 0
	for i, j := range perm {
		if !approx(got[i], want[j], 1e-6) {
			t.Errorf("p = %g: adjusted %g, want %g", p[j], got[i], want[j])
		}
		if got[i] <= 0.05 {
			rejected++
		}
	}
	if rejected != 4 {
		t.Errorf("rejected at 0.05: %d, want 4", rejected)
	}
}

func TestJSDHandValues(t *testing.T) {
	// P = (½, ½, 0), Q = (0, ½, ½), M = (¼, ½, ¼):
	// KL(P‖M) = ½ log2(½/¼) + ½ log2(½/½) = ½; likewise KL(Q‖M) = ½;
	// JSD = ½·½ + ½·½ = 0.5.
	if d, err := JSD([]float64{1, 1, 0}, []float64{0, 2, 2}); err != nil || !approx(d, 0.5, 1e-12) {
		t.Errorf("JSD = %g, %v; want 0.5", d, err)
	}
	if d, _ := JSD([]float64{1, 0}, []float64{0, 3}); !approx(d, 1, 1e-12) {
		t.Errorf("disjoint JSD = %g, want 1", d)
	}
	if d, _ := JSD([]float64{2, 6}, []float64{1, 3}); !approx(d, 0, 1e-12) {
		t.Errorf("identical JSD = %g, want 0", d)
	}
	if _, err := JSD([]float64{1}, []float64{1, 2}); err == nil {
		t.Error("length mismatch accepted")
	}
	var c Counts
	c.Add("x", "a", 1)
	c.Add("x", "b", 1)
	c.Add("y", "b", 2)
	c.Add("y", "c", 2)
	if d, err := CountsJSD(&c, Pair("x", "y")); err != nil || !approx(d, 0.5, 1e-12) {
		t.Errorf("CountsJSD = %g %v", d, err)
	}
}

func TestCountsMergeAndPlans(t *testing.T) {
	var a, b, all Counts
	for i, w := range strings.Fields("a b c a b a d e f a") {
		g := []string{"g1", "g2", "g3"}[i%3]
		all.Add(g, w, 1)
		if i < 5 {
			a.Add(g, w, 1)
		} else {
			b.Add(g, w, 1)
		}
	}
	b.Merge(&a)
	for _, g := range all.Groups() {
		if b.Total(g) != all.Total(g) || strings.Join(b.Features(g), ",") != strings.Join(all.Features(g), ",") {
			t.Errorf("group %s differs after merge", g)
		}
		for _, f := range all.Features(g) {
			if b.Count(g, f) != all.Count(g, f) {
				t.Errorf("%s/%s: %d vs %d", g, f, b.Count(g, f), all.Count(g, f))
			}
		}
	}
	if all.Total("g1") != 4 || all.Count("g1", "a") != 3 {
		t.Errorf("g1 total %d, a %d", all.Total("g1"), all.Count("g1", "a"))
	}

	p, err := BuildPlan("", []string{"r", "d", "d"})
	if err != nil || len(p) != 1 || p[0].Label() != "d vs r" || p[0].A[0] != "d" {
		t.Errorf("default two-group plan = %+v %v", p, err)
	}
	if _, err := DefaultPair([]string{"a", "b", "c"}); err == nil {
		t.Error("DefaultPair with three groups accepted")
	}
	p, _ = BuildPlan("", []string{"c", "a", "b"})
	if len(p) != 3 || p[0].Label() != "a vs rest" || len(p[0].B) != 0 {
		t.Errorf("default three-group plan = %+v", p)
	}
	p, _ = BuildPlan(PlanAllPairs, []string{"c", "a", "b"})
	var labels []string
	for _, c := range p {
		labels = append(labels, c.Label())
	}
	if strings.Join(labels, ";") != "a vs b;a vs c;b vs c" {
		t.Errorf("all pairs = %v", labels)
	}
	if _, err := BuildPlan("everything", []string{"a", "b"}); err == nil {
		t.Error("unknown plan accepted")
	}
	if _, err := Compare(&all, Comparison{A: []string{"g1"}, B: []string{"g1"}}, Config{}); err == nil {
		t.Error("a group on both sides accepted")
	}
	if _, err := Compare(&all, Pair("g1", "nope"), Config{}); err == nil {
		t.Error("unknown group accepted")
	}
}

func TestReferenceCorpus(t *testing.T) {
	var c, ref Counts
	c.Add("A", "visa", 10)
	c.Add("A", "other", 990)
	c.Add("B", "visa", 500)
	c.Add("B", "other", 500)
	ref.Add("news", "visa", 2)
	ref.Add("web", "other", 1998)
	// A vs rest would be A vs B (visa under-used in A); against the
	// reference it is the hand-worked example, with the pooled prior.
	ks, err := Compare(&c, Comparison{A: []string{"A"}}, Config{Reference: &ref})
	if err != nil {
		t.Fatal(err)
	}
	if ks[0].Feature != "visa" || ks[0].CountB != 2 || !approx(ks[0].Z, 2.577693, 1e-6) || ks[0].Comparison != "A vs rest" {
		t.Errorf("against reference: %+v", ks[0])
	}
	// Prior from the reference (counts + 0.5 over the union vocabulary of
	// 2 features): π_visa = 2.5 / (2000 + 1) , α = 1000 · π = 1.249375.
	ks, err = Compare(&c, Comparison{A: []string{"A"}}, Config{Reference: &ref, Prior: PriorReference})
	if err != nil {
		t.Fatal(err)
	}
	if !approx(ks[0].Alpha, 1000*2.5/2001, 1e-9) {
		t.Errorf("reference prior α = %g", ks[0].Alpha)
	}
	if _, err := Compare(&c, Pair("A", "B"), Config{Prior: PriorReference}); err == nil {
		t.Error("reference prior without a reference accepted")
	}
}

func TestTopicPrevalence(t *testing.T) {
	// Group A's documents put weight 0.6 / 0.8 on topic 0, B's 0.2 / 0.2:
	// means 0.7 vs 0.2, difference 0.5. Topic 1 is 1 − topic 0.
	docs := []DocTopics{
		{ID: "a1", Group: "A", Weights: []float64{0.6, 0.4}},
		{ID: "a2", Group: "A", Weights: []float64{0.8, 0.2}},
		{ID: "b1", Group: "B", Weights: []float64{0.2, 0.8}},
		{ID: "b2", Group: "B", Weights: []float64{0.2, 0.8}},
		{ID: "c1", Group: "C", Weights: []float64{0.5, 0.5}},
	}
	pr, err := TopicPrevalence(docs, Pair("A", "B"), Bootstrap{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !approx(pr[0].MeanA, 0.7, 1e-12) || !approx(pr[0].MeanB, 0.2, 1e-12) || !approx(pr[0].Diff, 0.5, 1e-12) || pr[0].DocsB != 2 {
		t.Errorf("topic 0 = %+v", pr[0])
	}
	// Resampled A means are 0.6, 0.7 or 0.8 and B's are always 0.2, so the
	// interval lies within [0.4, 0.6] and (P(0.6) = P(0.8) = ¼) reaches both ends.
	if !approx(pr[0].Lo, 0.4, 1e-12) || !approx(pr[0].Hi, 0.6, 1e-12) {
		t.Errorf("topic 0 interval [%g, %g], want [0.4, 0.6]", pr[0].Lo, pr[0].Hi)
	}
	if !approx(pr[1].Diff, -0.5, 1e-12) {
		t.Errorf("topic 1 diff = %g", pr[1].Diff)
	}
	rest, _ := TopicPrevalence(docs, Comparison{A: []string{"A"}}, Bootstrap{B: -1})
	if rest[0].DocsB != 3 || !approx(rest[0].MeanB, 0.3, 1e-12) || !math.IsNaN(rest[0].Lo) {
		t.Errorf("A vs rest = %+v", rest[0])
	}
}

// A feature recorded with a zero count on side A is compared once.
func TestZeroCountFeatureIsComparedOnce(t *testing.T) {
	var c Counts
	c.Add("a", "visa", 0)
	c.Add("a", "belonging", 5)
	c.Add("b", "visa", 7)
	c.Add("b", "belonging", 1)
	rows, err := Compare(&c, Pair("a", "b"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range rows {
		seen[r.Feature]++
	}
	if len(rows) != 2 || seen["visa"] != 1 || seen["belonging"] != 1 {
		t.Fatalf("rows %+v", rows)
	}
}

// The closed form of the χ²(1) survival function used for G²'s p-value
// agrees with gonum's incomplete-gamma implementation.
func TestG2PValueMatchesChiSquared(t *testing.T) {
	for _, c := range [][4]int64{{10, 1000, 2, 2000}, {0, 500, 9, 800}, {50, 60000, 52, 61000}, {3, 100, 3, 100}, {400, 10000, 5, 10000}} {
		g2, p := SignedG2(c[0], c[1], c[2], c[3])
		want := distuv.ChiSquared{K: 1}.Survival(math.Abs(g2))
		if math.Abs(p-want) > 1e-12*math.Max(1e-300, want) && math.Abs(p-want) > 1e-15 {
			t.Errorf("%v: G² %v, p %v, gonum %v", c, g2, p, want)
		}
	}
}

// A kind with a single feature (the one topic of a one-topic model, a
// vocabulary of one term) is every token of both sides: its log-odds are
// 0, not NaN, as its G² and log ratio say.
func TestSingleFeatureIsNotNaN(t *testing.T) {
	var c Counts
	c.Add("a", "0: visa, security", 17)
	c.Add("b", "0: visa, security", 15)
	rows, err := Compare(&c, Pair("a", "b"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("rows %+v", rows)
	}
	k := rows[0]
	if k.LogOdds != 0 || k.Z != 0 || k.G2 != 0 || k.P != 1 || k.PAdj != 1 || k.LogRatio != 0 {
		t.Errorf("single feature: %+v; want log-odds, z, G2 and log ratio 0, p 1", k)
	}
	// Inconsistent inputs stay NaN.
	if d, z := LogOddsZ(5, 3, 1, 1, 1, 1); !math.IsNaN(d) || !math.IsNaN(z) {
		t.Errorf("ya > na: %g, %g; want NaN", d, z)
	}
}
