package compare

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// Gries (2008, §4) works DP for a corpus of five parts of 9, 10, 10, 10 and
// 11 words (shares .18, .2, .2, .2, .22) and a word occurring 1, 2, 3, 4 and
// 5 times in them: DP = ½ Σ |v − s| = ½ (.113 + .067 + 0 + .067 + .113) = 0.18.
// A word all in one part of five equal parts has DP = ½ (.8 + 4·.2) = 0.8.
func TestGriesDP(t *testing.T) {
	var d DocCounts
	for i, words := range []int64{9, 10, 10, 10, 11} {
		d.AddDoc("a", words)
		d.Add(i, "w", int64(i+1))
	}
	for range 5 {
		d.AddDoc("b", 10)
	}
	d.Add(5, "w", 7) // all of side B's occurrences in its first document
	d.Add(7, "once", 1)
	ds := d.sides(Pair("a", "b"), false)
	got := ds.disperse(d.postings("w"))
	if math.Abs(got.dpA-0.18) > 1e-12 || math.Abs(got.dpB-0.8) > 1e-12 {
		t.Errorf("DP A %v, B %v; want 0.18 and 0.8", got.dpA, got.dpB)
	}
	if got.docsA != 5 || got.docsB != 1 || got.topB != 1 || math.Abs(got.topA-5.0/15) > 1e-12 {
		t.Errorf("docs %d/%d, top shares %v/%v", got.docsA, got.docsB, got.topA, got.topB)
	}
	// A side without the feature has no DP.
	if o := ds.disperse(d.postings("once")); !math.IsNaN(o.dpA) || o.docsA != 0 || o.docsB != 1 {
		t.Errorf("once: %+v", o)
	}
}

// Welch's t and p against a two-pass computation of the same formulas
// (sample variances about the means, Welch–Satterthwaite df) and the
// t distribution's tail as a regularised incomplete beta function:
// P(|T| > t) = I_{ν/(ν+t²)}(ν/2, ½).
func TestWelch(t *testing.T) {
	var d DocCounts
	// Rates per 1,000 words: A 50, 100, 150; B 0, 0, 100, 100.
	for i, n := range []int64{1, 2, 3} {
		d.AddDoc("a", 20)
		d.Add(i, "w", n)
	}
	for i := range 4 {
		d.AddDoc("b", 10)
		if i >= 2 {
			d.Add(3+i, "w", 1)
		}
	}
	ds := d.sides(Pair("a", "b"), false)
	diff, tt, p := ds.welch(d.postings("w"))
	if math.Abs(diff-50) > 1e-9 {
		t.Errorf("diff %v, want 50", diff)
	}
	// Two-pass: var A = (50²+0+50²)/2 = 2500, var B = 4·50²/3 = 3333.3.
	se := math.Sqrt(2500.0/3 + 10000.0/3/4)
	if math.Abs(tt-50/se) > 1e-9 {
		t.Errorf("t %v, want %v", tt, 50/se)
	}
	ea, eb := 2500.0/3, 10000.0/3/4
	nu := (ea + eb) * (ea + eb) / (ea*ea/2 + eb*eb/3) // 4.8
	want := mathext.RegIncBeta(nu/2, 0.5, nu/(nu+tt*tt))
	if math.Abs(p-want) > 1e-9 {
		t.Errorf("p %v, want %v", p, want)
	}
}

// A feature that one document of A repeats is not a difference between
// the groups at the document level, however many times it repeats: its
// token-level z is far above 2, its Welch's t and its permutation p are
// not; a feature every document of A uses more is.
func TestConcentratedFeatureIsNotADocumentLevelDifference(t *testing.T) {
	var d DocCounts
	for i := range 20 {
		g := "a"
		if i >= 10 {
			g = "b"
		}
		d.AddDoc(g, 1000)
		d.Add(i, "filler", 100)
		// 5–7 per document in A, 2–4 in B.
		if i < 10 {
			d.Add(i, "spread", int64(5+i%3))
		} else {
			d.Add(i, "spread", int64(2+i%3))
		}
	}
	d.Add(0, "applause", 60)
	d.Add(1, "applause", 2)
	d.Add(12, "applause", 2)
	cfg := Config{Docs: &d, Seed: 1}
	rows, err := Compare(d.GroupCounts(1), Pair("a", "b"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Keyness{}
	for _, r := range rows {
		by[r.Feature] = r
	}
	ap, sp := by["applause"], by["spread"]
	if !(ap.Z > 3) || !(ap.DocP > 0.1) || !ap.Concentrated || ap.DocsA != 2 || ap.DocsB != 1 {
		t.Errorf("applause: z %.2f doc_t %.2f doc_p %.3f concentrated %v docs %d/%d", ap.Z, ap.DocT, ap.DocP, ap.Concentrated, ap.DocsA, ap.DocsB)
	}
	if !(sp.DocP < 0.001) || sp.Concentrated || rows[0].Feature != "spread" {
		t.Errorf("spread: doc_t %.2f doc_p %g concentrated %v; first row %s", sp.DocT, sp.DocP, sp.Concentrated, rows[0].Feature)
	}
	// The permutation test says the same, and is the same on every run.
	cfg.Permutations = 999
	perm, err := Compare(d.GroupCounts(1), Pair("a", "b"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Compare(d.GroupCounts(1), Pair("a", "b"), cfg)
	for i, r := range perm {
		switch r.Feature {
		case "applause":
			if !(r.DocP > 0.1) {
				t.Errorf("applause: permutation p %v", r.DocP)
			}
		case "spread":
			if r.DocP != 1.0/1000 {
				t.Errorf("spread: permutation p %v, want 1/1000", r.DocP)
			}
		}
		if r.DocP != again[i].DocP {
			t.Errorf("%s: permutation p %v then %v", r.Feature, r.DocP, again[i].DocP)
		}
	}
}

// With one document a side there is no document-level statistic: the rows
// fall back to the token-level order, with null DP, t and p.
func TestOneDocumentPerSideHasNoDocumentLevelStatistics(t *testing.T) {
	var d DocCounts
	d.AddDoc("a", 100)
	d.AddDoc("b", 100)
	d.Add(0, "x", 9)
	d.Add(1, "x", 1)
	d.Add(1, "y", 9)
	rows, err := Compare(d.GroupCounts(1), Pair("a", "b"), Config{Docs: &d})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !math.IsNaN(r.DPA) || !math.IsNaN(r.DocT) || !math.IsNaN(r.DocP) || r.Stat != r.Z || !r.Concentrated {
			t.Errorf("%+v", r)
		}
	}
}
