package compare

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/framelens/framelens/corpus/sharedtest"
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
				!same(g.Alpha, w.Alpha) || !same(g.RateA, w.RateA) || !same(g.RateB, w.RateB) || !same(g.Stat, w.Stat) {
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
		// A group of one document: no interval either way.
		docs = append(docs, DocTopics{ID: "solo", Group: "solo", Weights: []float64{0.2, 0.3, 0.5}})
		ix, err := NewTopicIndex(docs)
		if err != nil {
			t.Fatal(err)
		}
		bs := Bootstrap{B: 300, Seed: 3, ExactDocs: 50}
		for _, a := range [][]string{{"g0001"}, {"g0002", "g0003"}, {"solo"}} {
			got, err1 := ix.Prevalence(Comparison{A: a}, bs)
			want, err2 := TopicPrevalence(docs, Comparison{A: a}, bs)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }
			if groups > exactRestGroups {
				same = func(x, y float64) bool { return math.Abs(x-y) <= 1e-9 || math.IsNaN(x) && math.IsNaN(y) }
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

// sameKeyness says whether two rows are the same, bit for bit (any NaN
// equal to any NaN).
func sameKeyness(g, w Keyness) bool {
	same := func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	return g.Comparison == w.Comparison && g.Feature == w.Feature && g.CountA == w.CountA && g.CountB == w.CountB &&
		same(g.RateA, w.RateA) && same(g.RateB, w.RateB) && same(g.Alpha, w.Alpha) && same(g.LogOdds, w.LogOdds) &&
		same(g.Z, w.Z) && same(g.G2, w.G2) && same(g.P, w.P) && same(g.PAdj, w.PAdj) && same(g.LogRatio, w.LogRatio) &&
		same(g.Stat, w.Stat) && g.DocsA == w.DocsA && g.DocsB == w.DocsB && same(g.DPA, w.DPA) && same(g.DPB, w.DPB) &&
		same(g.DocT, w.DocT) && same(g.DocP, w.DocP) && same(g.DocPAdj, w.DocPAdj) && g.Concentrated == w.Concentrated
}

// compareRestDense runs the comparison of a with the rest both ways: as
// Compare does (rest.go when it can), and with side B spelt out as every
// other group (the dense path), under one name; it fails the test unless
// every row is the same, and returns whether the first took the fast path.
func compareRestDense(t *testing.T, c *Counts, cfg Config, a []string) bool {
	t.Helper()
	var others []string
	for _, g := range c.Groups() {
		if !slices.Contains(a, g) {
			others = append(others, g)
		}
	}
	name := strings.Join(a, "+") + " vs rest"
	got, err1 := Compare(c, Comparison{Name: name, A: a}, cfg)
	want, err2 := Compare(c, Comparison{Name: name, A: a, B: others}, cfg)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("%s: rest err %v, dense err %v", name, err1, err2)
	}
	if len(got) != len(want) {
		t.Fatalf("%s (keep %d, min %d): %d rows, dense %d", name, cfg.Keep, cfg.MinCount, len(got), len(want))
	}
	for i := range got {
		if !sameKeyness(got[i], want[i]) {
			t.Fatalf("%s (keep %d, min %d, test %q) row %d:\nrest  %+v\ndense %+v", name, cfg.Keep, cfg.MinCount, cfg.Test, i, got[i], want[i])
		}
	}
	fast := cfg.Docs == nil
	if cfg.Docs != nil {
		_, fast = cfg.Docs.restSides(a)
	}
	return fast
}

// TestRestDocsMatchesDense: with per-document counts, a comparison with the
// rest whose side A has too few documents for a document-level test takes
// the fast path, and every column — documents per side, Gries' DP, the
// concentrated flag — is the dense computation's. Groups of one to three
// documents, documents without words or outside every side, many ties.
func TestRestDocsMatchesDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 7))
	fastSeen := 0
	for trial := 0; trial < 300; trial++ {
		var d DocCounts
		groups := 2 + rng.IntN(8)
		feats := 1 + rng.IntN(60)
		for g := 0; g < groups; g++ {
			for range 1 + rng.IntN(3) {
				name := fmt.Sprintf("g%d", g)
				var doc int
				switch rng.IntN(12) {
				case 0:
					doc = d.AddDocOutside(name, true)
				case 1:
					doc = d.AddDoc(name, 0)
				default:
					doc = d.AddDoc(name, int64(5+rng.IntN(40)))
				}
				for f := 0; f < feats; f++ {
					if rng.IntN(3) == 0 {
						d.Add(doc, fmt.Sprintf("f%03d", f), int64(1+rng.IntN(4)))
					}
				}
			}
		}
		c := d.GroupCounts(int64(rng.IntN(3)))
		cfg := Config{Docs: &d, MinCount: int64(rng.IntN(4)), Keep: []int{0, 1, 2, 4, 10, 1000}[rng.IntN(6)],
			Test: []string{"", TestTokens}[rng.IntN(2)], Permutations: []int{0, 30}[rng.IntN(2)], Seed: 5,
			DocumentsOnly: rng.IntN(3) == 0}
		for _, a := range [][]string{{"g0"}, {"g1"}, {"g0", "g1"}} {
			if compareRestDense(t, c, cfg, a) {
				fastSeen++
			}
			// Dispersion against the rest (rest.go) is that of every
			// document's side, whatever the sides' sizes.
			ds := d.sides(Comparison{A: a}, false)
			for f := 0; f <= feats; f++ {
				name := fmt.Sprintf("f%03d", f)
				want := ds.disperse(d.postings(name))
				da, db, pa, pb := d.Dispersion(Comparison{A: a}, name)
				same := func(x, y float64) bool {
					return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
				}
				if da != want.docsA || db != want.docsB || !same(pa, want.dpA) || !same(pb, want.dpB) {
					t.Fatalf("trial %d, A %v, %s: dispersion %d %d %v %v, want %+v", trial, a, name, da, db, pa, pb, want)
				}
			}
		}
	}
	if fastSeen < 100 {
		t.Errorf("the fast path ran %d times of 900", fastSeen)
	}
}

// TestRestDocsSOTU compares the State of the Union addresses (all of them,
// a cheap tokenisation) each with the rest, every address its own group,
// and each president's addresses with the rest (most with the dense path:
// two presidents gave one address): every row as the dense computation's.
func TestRestDocsSOTU(t *testing.T) {
	dir := sharedtest.Path(t, "bench/sotu")
	f, err := os.Open(filepath.Join(dir, "meta.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var byAddress, byPresident DocCounts
	var addresses, presidents []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		text, err := os.ReadFile(filepath.Join(dir, "txt", m.ID+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		words := strings.FieldsFunc(strings.ToLower(string(text)), func(r rune) bool {
			return !unicode.IsLetter(r) && r != '\''
		})
		i := byAddress.AddDoc(m.ID, int64(len(words)))
		byPresident.AddDoc(m.Name, int64(len(words)))
		addresses = append(addresses, m.ID)
		if !slices.Contains(presidents, m.Name) {
			presidents = append(presidents, m.Name)
		}
		for _, w := range words {
			byAddress.Add(i, w, 1)
			byPresident.Add(i, w, 1)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	c := byAddress.GroupCounts(1)
	fast := 0
	for k, a := range addresses {
		if k%8 != 0 {
			continue
		}
		cfg := Config{Docs: &byAddress, Keep: 40, MinCount: 2}
		if k == 0 {
			cfg.Keep = 0 // every row
		}
		if compareRestDense(t, c, cfg, []string{a}) {
			fast++
		}
		if k%16 == 0 {
			// As topics are compared: ordered by the log ratio.
			cfg.DocumentsOnly = true
			compareRestDense(t, c, cfg, []string{a})
		}
	}
	cp := byPresident.GroupCounts(1)
	for _, p := range presidents {
		if compareRestDense(t, cp, Config{Docs: &byPresident, Keep: 200}, []string{p}) {
			fast++
		}
	}
	if want := (len(addresses)+7)/8 + 2; fast != want {
		t.Errorf("%d comparisons took the fast path, want %d", fast, want)
	}
}

// TestRestJSDSparse: the Jensen–Shannon divergence of a group against a
// rest of more than exactRestGroups groups, summed over side A's features
// only, is the dense one up to rounding.
func TestRestJSDSparse(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 11))
	var c Counts
	groups := exactRestGroups + 50
	for g := 0; g < groups; g++ {
		name := fmt.Sprintf("g%04d", g)
		c.AddGroup(name)
		for range 1 + rng.IntN(30) {
			c.Add(name, fmt.Sprintf("f%04d", rng.IntN(3000)), int64(1+rng.IntN(5)))
		}
	}
	c.Freeze()
	for _, a := range [][]string{{"g0000"}, {"g0007"}, {"g0001", "g0002"}} {
		var others []string
		for _, g := range c.Groups() {
			if !slices.Contains(a, g) {
				others = append(others, g)
			}
		}
		got, err1 := CountsJSD(&c, Comparison{A: a})
		want, err2 := CountsJSD(&c, Comparison{A: a, B: others})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if math.Abs(got-want) > 1e-12 || got <= 0 {
			t.Errorf("A %v: JSD against the rest %v, dense %v", a, got, want)
		}
	}
}
