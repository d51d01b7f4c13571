package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// DefaultAlpha0 is the default total mass α0 of the informative Dirichlet
// prior: the prior counts as 1,000 background tokens spread over features by
// their background shares. It barely moves features of large groups and
// shrinks the log-odds of rare features in small groups (docs/methods.md).
const DefaultAlpha0 = 1000

// Prior sources for Config.Prior.
const (
	PriorPooled    = "pooled"    // shares in A and B together (default)
	PriorReference = "reference" // shares in Config.Reference
)

// Config configures keyness. The zero value is usable.
type Config struct {
	// Alpha0 is the total prior mass α0; 0 = DefaultAlpha0.
	Alpha0 float64 `yaml:"alpha0"`
	// Prior is where the prior shares come from: "" or PriorPooled for the
	// pooled counts of both sides, PriorReference for Reference.
	Prior string `yaml:"prior"`
	// Reference is an external corpus (all its groups pooled). When set, a
	// comparison with an empty B compares A against it instead of the rest.
	Reference *Counts `yaml:"-"`
	// MinCount drops features whose count in A and B together is lower;
	// 0 = 1 (every feature that occurs).
	MinCount int64 `yaml:"min_count"`
	// Keep bounds the rows Compare returns to the Keep/2 highest and the
	// Keep/2 lowest by Z (0 = every row); the adjusted p-values are still
	// over every feature. A run sets it from compare.max_features.
	Keep int `yaml:"-"`
	// Test is what orders the rows and decides their side: TestDocuments
	// ("" too: per-document rates, Welch's t, with a permutation test
	// over documents) or TestTokens (the token-level z). Without Docs, or
	// with a side of fewer than MinDocsPerSide documents, the order is
	// the token-level z whatever Test says.
	Test string `yaml:"test"`
	// Permutations, when positive, makes DocP a permutation p-value over
	// documents drawn from at most this many permutations (seeded by Seed
	// and the comparison's label); 0 = Welch's t-test p-value.
	Permutations int `yaml:"permutations"`
	// Docs are the per-document counts behind the compared counts: with
	// them, every row gets its documents and dispersion per side and the
	// document-level test.
	Docs *DocCounts `yaml:"-"`
	// Seed seeds the permutations (with the comparison's label).
	Seed uint64 `yaml:"-"`
	// DocumentsOnly leaves out the token-level inference (z, G², p): for
	// counts that are not independent draws, such as the words a topic
	// model gives each topic.
	DocumentsOnly bool `yaml:"-"`
}

// Validate rejects settings no comparison can use: an unknown Prior or a
// negative Alpha0. (Prior reference without a Reference is refused by
// Compare: the reference corpus is read later.)
func (cfg Config) Validate() error {
	switch cfg.Prior {
	case "", PriorPooled, PriorReference:
	default:
		return fmt.Errorf("unknown prior %q (want %s or %s)", cfg.Prior, PriorPooled, PriorReference)
	}
	if cfg.Alpha0 < 0 {
		return fmt.Errorf("alpha0 %v is negative", cfg.Alpha0)
	}
	switch cfg.Test {
	case "", TestDocuments, TestTokens:
	default:
		return fmt.Errorf("unknown test %q (want %s or %s)", cfg.Test, TestDocuments, TestTokens)
	}
	if cfg.Permutations < 0 {
		return fmt.Errorf("permutations %d is negative", cfg.Permutations)
	}
	return nil
}

// Keyness is one feature of one comparison. Positive Z, G2 and LogRatio
// mean the feature is over-used in A.
type Keyness struct {
	Comparison string
	Feature    string
	CountA     int64
	CountB     int64
	// RateA and RateB are per 1,000 feature occurrences of each side.
	RateA, RateB float64
	// Alpha is the feature's prior count α_w = α0 · π_w.
	Alpha float64
	// LogOdds is δ̂ (natural log) and Z = δ̂ / sqrt(Var(δ̂)) (Monroe et al.
	// 2008).
	LogOdds, Z float64
	// G2 is the log-likelihood statistic of the 2×2 table, signed + when the
	// rate in A is higher; P its χ²(1) upper-tail p-value and PAdj the
	// Benjamini–Hochberg adjusted P over the comparison's features.
	G2, P, PAdj float64
	// LogRatio is log2(rate A / rate B) (Hardie 2014), with a small
	// correction when a count is zero (see the LogRatio function).
	LogRatio float64
	// Stat is the statistic the rows are ordered by: DocT when the
	// document-level test orders them, else Z (LogRatio for
	// DocumentsOnly counts without a document-level test). Positive = A.
	Stat float64
	// DocsA and DocsB count the documents of each side with the feature
	// (with Config.Docs).
	DocsA, DocsB int
	// DPA and DPB are Gries' DP of the feature over each side's documents
	// (0 = even, towards 1 = in few documents); NaN when the side has no
	// occurrence or fewer than MinDocsPerSide documents.
	DPA, DPB float64
	// DocT is Welch's t of the difference of the sides' mean per-document
	// rates; DocP its two-sided p-value (Welch's t-test, or a permutation
	// test over documents with Config.Permutations) and DocPAdj that
	// adjusted (Benjamini–Hochberg over the comparison's features). NaN
	// without a document-level test.
	DocT, DocP, DocPAdj float64
	// Concentrated: one document holds more than half of the occurrences
	// on the side that over-uses the feature.
	Concentrated bool
}

// Compare computes keyness for every feature occurring in A or B, ordered by
// Z descending, then feature. With cfg.Keep set it returns only the Keep/2
// highest and Keep/2 lowest rows by Z; PAdj is still over every feature.
func Compare(c *Counts, cmpn Comparison, cfg Config) ([]Keyness, error) {
	if len(cmpn.A) == 0 {
		return nil, fmt.Errorf("compare %s: side A has no groups", cmpn.Label())
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("compare %s: %w", cmpn.Label(), err)
	}
	for _, g := range append(slices.Clone(cmpn.A), cmpn.B...) {
		if !c.HasGroup(g) {
			return nil, fmt.Errorf("compare %s: no counts for group %q", cmpn.Label(), g)
		}
		if slices.Contains(cmpn.A, g) && slices.Contains(cmpn.B, g) {
			return nil, fmt.Errorf("compare %s: group %q is on both sides", cmpn.Label(), g)
		}
	}
	if len(cmpn.B) == 0 && cfg.Reference == nil && c.NumGroups() == len(cmpn.A) {
		return nil, fmt.Errorf("compare %s: no other groups to compare with", cmpn.Label())
	}
	alpha0 := cfg.Alpha0
	if alpha0 == 0 {
		alpha0 = DefaultAlpha0
	}
	minCount := max(cfg.MinCount, 1)
	if len(cmpn.B) == 0 && cfg.Reference == nil && (cfg.Prior == "" || cfg.Prior == PriorPooled) && (!cfg.DocumentsOnly || cfg.Docs != nil) {
		// Each against the rest: in time of A's features (rest.go). With
		// documents, only when a side is too small for a document-level
		// test: the test orders every feature by rates that corpus minus
		// A does not give. DocumentsOnly counts (topics) are then ordered
		// by the log ratio, a function of the counts as z is.
		var docs *restSide
		fast := true
		if cfg.Docs != nil {
			rs, ok := cfg.Docs.restSides(cmpn.A)
			docs, fast = &rs, ok
		}
		if fast {
			out, na, nb := compareRest(c, cmpn, cfg, alpha0, minCount, docs)
			if na == 0 || nb == 0 {
				return nil, fmt.Errorf("compare %s: a side has no counts (A %d, B %d)", cmpn.Label(), na, nb)
			}
			return out, nil
		}
	}
	var s sides
	if len(cmpn.B) == 0 && cfg.Reference != nil {
		s = referenceSides(c, cmpn.A, cfg.Reference)
	} else {
		s = indexSides(c, cmpn)
	}
	na, nb := s.na, s.nb
	if na == 0 || nb == 0 {
		return nil, fmt.Errorf("compare %s: a side has no counts (A %d, B %d)", cmpn.Label(), na, nb)
	}

	// Prior shares π_w.
	var share func(i int) float64
	switch cfg.Prior {
	case "", PriorPooled:
		share = func(i int) float64 { return float64(s.ya[i]+s.yb[i]) / float64(na+nb) }
	case PriorReference:
		if cfg.Reference == nil {
			return nil, fmt.Errorf("compare %s: prior %q needs a reference corpus", cmpn.Label(), cfg.Prior)
		}
		// Features absent from the reference would get α_w = 0 and an
		// infinite log-odds when absent from one side too: add 0.5 to every
		// reference count over the union vocabulary.
		rc, rn := cfg.Reference.pooled(nil)
		vocab := len(rc)
		for i, f := range s.feats {
			if _, ok := rc[f]; !ok && s.ya[i]+s.yb[i] > 0 {
				vocab++
			}
		}
		denom := float64(rn) + 0.5*float64(vocab)
		share = func(i int) float64 { return (float64(rc[s.feats[i]]) + 0.5) / denom }
	}
	var ds docSides
	if cfg.Docs != nil {
		ds = cfg.Docs.sides(cmpn, len(cmpn.B) == 0 && cfg.Reference != nil)
	}
	byDocs := cfg.Docs != nil && ds.canTest() && (cfg.Test != TestTokens || cfg.DocumentsOnly)
	nan := math.NaN()
	row := func(i int) Keyness {
		return newKeyness(cmpn.Label(), s.feats[i], s.ya[i], na, s.yb[i], nb, alpha0*share(i), alpha0)
	}

	// One pass computes the numbers every feature needs — the statistic
	// that orders the rows, the p-values to adjust — in flat arrays; the
	// full rows are made only for the rows returned.
	var pos []int32
	var keys, ps []float64
	var docPost [][]posting
	// Welch's test over a feature's postings is the costliest part of a
	// comparison with documents: it runs once per feature, its t ordering
	// the rows (byDocs) and its p adjusted over every feature (docP,
	// unless a permutation test gives p).
	welchP := cfg.Docs != nil && cfg.Permutations <= 0
	var docP, docT []float64
	var featIDs []int32
	if cfg.Docs != nil {
		featIDs = cfg.Docs.featureIDs(s.feats)
	}
	for i := range s.feats {
		a, b := s.ya[i], s.yb[i]
		if a+b < minCount {
			continue
		}
		_, z := LogOddsZ(a, na, b, nb, alpha0*share(i), alpha0)
		_, p := SignedG2(a, na, b, nb)
		key := z
		if cfg.Docs != nil {
			post := cfg.Docs.postingsAt(featIDs[i])
			docPost = append(docPost, post)
			_, t, wp := ds.welch(post)
			docT = append(docT, t)
			if welchP {
				docP = append(docP, wp)
			}
			if byDocs {
				key = t
				if math.IsNaN(key) {
					key = 0
				}
			}
		}
		if cfg.DocumentsOnly && !byDocs {
			key = LogRatio(a, na, b, nb)
		}
		pos = append(pos, int32(i))
		keys = append(keys, key)
		ps = append(ps, p)
	}
	switch {
	case cfg.Docs != nil && cfg.Permutations > 0:
		docP = ds.permutationP(docPost, cfg.Permutations, cfg.Seed, cmpn.Label())
	case welchP && docP == nil:
		docP = []float64{}
	}
	// Rows with equal keys keep feature order (features are sorted), so
	// the output never depends on map iteration.
	before := func(x, y int32) bool {
		if c := cmp.Compare(keys[y], keys[x]); c != 0 {
			return c < 0
		}
		return x < y
	}
	var sel []int32
	if half := cfg.Keep / 2; cfg.Keep > 0 && len(pos) > 2*half {
		sel = firstK(len(pos), half, before)
		last := firstK(len(pos), half, func(x, y int32) bool { return before(y, x) })
		slices.Reverse(last)
		sel = append(sel, last...)
	} else {
		sel = make([]int32, len(pos))
		for i := range sel {
			sel[i] = int32(i)
		}
		slices.SortFunc(sel, func(x, y int32) int {
			if before(x, y) {
				return -1
			}
			return 1
		})
	}
	qs := bhAt(ps, sel)
	var dqs []float64
	if docP != nil {
		dqs = bhAt(docP, sel)
	}
	out := make([]Keyness, len(sel))
	for k, j := range sel {
		r := row(int(pos[j]))
		r.PAdj = qs[k]
		r.Stat = keys[j]
		if cfg.Docs != nil {
			post := docPost[j]
			d := ds.disperse(post)
			r.DocsA, r.DocsB, r.DPA, r.DPB = d.docsA, d.docsB, d.dpA, d.dpB
			if t := docT[j]; !math.IsInf(t, 0) {
				r.DocT = t
			}
			r.DocP, r.DocPAdj = docP[j], dqs[k]
			top := d.topA
			if r.Stat < 0 || r.Stat == 0 && r.LogRatio < 0 {
				top = d.topB
			}
			r.Concentrated = top > 0.5
		}
		if cfg.DocumentsOnly {
			r.Z, r.G2, r.P, r.PAdj = nan, nan, nan, nan
		}
		out[k] = r
	}
	return out, nil
}

// newKeyness is the row of a feature counted a times in na of side A and
// b times in nb of side B, with prior count alpha.
func newKeyness(label, feature string, a, na, b, nb int64, alpha, alpha0 float64) Keyness {
	// The dispersion and the document-level test are NaN until the
	// documents are given (WithDocs).
	nan := math.NaN()
	k := Keyness{Comparison: label, Feature: feature, CountA: a, CountB: b,
		RateA: 1000 * float64(a) / float64(na), RateB: 1000 * float64(b) / float64(nb), Alpha: alpha,
		DPA: nan, DPB: nan, DocT: nan, DocP: nan, DocPAdj: nan}
	k.LogOdds, k.Z = LogOddsZ(a, na, b, nb, k.Alpha, alpha0)
	k.G2, k.P = SignedG2(a, na, b, nb)
	k.LogRatio = LogRatio(a, na, b, nb)
	return k
}

// sides are the counts of a comparison's two sides over its features.
type sides struct {
	feats  []string // sorted
	ya, yb []int64  // by position in feats
	na, nb int64
}

// indexSides reads both sides from the compact index: side A pooled, side
// B pooled or, when empty, every group minus A.
func indexSides(c *Counts, cmpn Comparison) sides {
	ix := c.frozen()
	s := sides{feats: ix.feats, ya: make([]int64, len(ix.feats)), yb: make([]int64, len(ix.feats))}
	s.na = ix.dense(c, cmpn.A, s.ya)
	if len(cmpn.B) > 0 {
		s.nb = ix.dense(c, cmpn.B, s.yb)
		return s
	}
	for i, n := range ix.all {
		s.yb[i] = n - s.ya[i]
	}
	s.nb = ix.allN - s.na
	return s
}

// referenceSides compares side A with a reference corpus, whose features
// are not those of c's index.
func referenceSides(c *Counts, a []string, reference *Counts) sides {
	ca, na := c.pooled(a)
	cb, nb := reference.pooled(nil)
	feats := make([]string, 0, len(ca)+len(cb))
	for f := range ca {
		feats = append(feats, f)
	}
	for f := range cb {
		if _, inA := ca[f]; !inA {
			feats = append(feats, f)
		}
	}
	slices.Sort(feats)
	s := sides{feats: feats, ya: make([]int64, len(feats)), yb: make([]int64, len(feats)), na: na, nb: nb}
	for i, f := range feats {
		s.ya[i], s.yb[i] = ca[f], cb[f]
	}
	return s
}

// firstK returns the first k of the positions 0..n-1 in the strict order
// before, in that order: a bounded heap whose root is the last kept.
func firstK(n, k int, before func(x, y int32) bool) []int32 {
	h := make([]int32, 0, k)
	down := func(i int) {
		for {
			l, last := 2*i+1, i
			if l < len(h) && before(h[last], h[l]) {
				last = l
			}
			if r := l + 1; r < len(h) && before(h[last], h[r]) {
				last = r
			}
			if last == i {
				return
			}
			h[i], h[last] = h[last], h[i]
			i = last
		}
	}
	for x := int32(0); int(x) < n && k > 0; x++ {
		switch {
		case len(h) < k:
			h = append(h, x)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !before(h[p], h[i]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
		case before(x, h[0]):
			h[0] = x
			down(0)
		}
	}
	slices.SortFunc(h, func(x, y int32) int {
		if before(x, y) {
			return -1
		}
		return 1
	})
	return h
}

// CompareAll runs every comparison of a plan and concatenates the results.
func CompareAll(c *Counts, plan []Comparison, cfg Config) ([]Keyness, error) {
	var out []Keyness
	for _, p := range plan {
		k, err := Compare(c, p, cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, k...)
	}
	return out, nil
}

// LogOddsZ is the weighted log-odds ratio of a feature counted ya times in
// na tokens of A and yb times in nb of B, with prior count alpha out of a
// total prior mass alpha0 (Monroe, Colaresi & Quinn 2008, §3.5):
//
//	δ = ln((ya+α)/(na+α0−ya−α)) − ln((yb+α)/(nb+α0−yb−α))
//	Var(δ) ≈ 1/(ya+α) + 1/(yb+α),  z = δ / sqrt(Var(δ))
//
// A feature that is every token of both sides and all of the prior mass
// (ya = na, yb = nb, α = α0: the only feature of its kind, as the one topic
// of a one-topic model) has no "other" tokens on either side: both odds are
// infinite and δ is undefined. The two sides are then the same distribution,
// so δ = z = 0, as G² (0, p = 1) and the log ratio (0) say too; NaN would
// reach the keyness table.
func LogOddsZ(ya, na, yb, nb int64, alpha, alpha0 float64) (delta, z float64) {
	a, b := float64(ya)+alpha, float64(yb)+alpha
	restA, restB := float64(na)+alpha0-a, float64(nb)+alpha0-b
	if ya == na && yb == nb && na > 0 && nb > 0 && alpha >= alpha0 {
		return 0, 0
	}
	if a <= 0 || b <= 0 || restA <= 0 || restB <= 0 {
		return math.NaN(), math.NaN()
	}
	delta = math.Log(a/restA) - math.Log(b/restB)
	return delta, delta / math.Sqrt(1/a+1/b)
}

// SignedG2 is Dunning's log-likelihood G² over the full 2×2 table (feature
// vs other tokens, A vs B), signed + when the rate in A is higher, with its
// χ²(1) upper-tail p-value.
//
//	G² = 2 Σ O ln(O/E) over the four cells, E = row total · column total / N
func SignedG2(ya, na, yb, nb int64) (g2, p float64) {
	n := float64(na + nb)
	obs := [4]float64{float64(ya), float64(yb), float64(na - ya), float64(nb - yb)}
	row := [2]float64{float64(ya + yb), n - float64(ya+yb)}
	col := [2]float64{float64(na), float64(nb)}
	for i, o := range obs {
		if o > 0 {
			e := row[i/2] * col[i%2] / n
			g2 += o * math.Log(o/e)
		}
	}
	g2 *= 2
	if g2 < 0 { // rounding when O = E
		g2 = 0
	}
	// The survival function of χ² with one degree of freedom is
	// erfc(√(x/2)): the same value as distuv.ChiSquared{K: 1}.Survival
	// (tested), without its incomplete-gamma series.
	p = math.Erfc(math.Sqrt(g2 / 2))
	if float64(ya)*float64(nb) < float64(yb)*float64(na) {
		g2 = -g2
	}
	return g2, p
}

// LogRatio is log2 of the ratio of relative frequencies (Hardie 2014).
// When either count is zero, ε = 0.5/(na+nb), the relative frequency of
// half an occurrence in the pooled corpus, is added to both relative
// frequencies so that the value stays finite. (Substituting 0.5 for the
// zero count alone, as often done, flips the sign when the corpora differ
// much in size: 0 in 167 words against 8 in 5,742 would come out positive.)
func LogRatio(ya, na, yb, nb int64) float64 {
	ra, rb := float64(ya)/float64(na), float64(yb)/float64(nb)
	if ya == 0 || yb == 0 {
		eps := 0.5 / float64(na+nb)
		ra += eps
		rb += eps
	}
	return math.Log2(ra / rb)
}
