package compare

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// DocCounts holds the per-document counts of one feature kind: which
// documents each feature occurs in and how often, with each document's group
// and size in words. Keyness reads its dispersion (documents per side,
// Gries' DP) and its document-level test from here, and the group counts it
// compares are sums of these (GroupCounts), so the two cannot disagree.
// The zero value is empty and ready to use; documents are added in order,
// features after their document.
type DocCounts struct {
	groups []string
	words  []int64 // -1: outside (see AddDocOutside)
	// grouped says the document's group is a side of GroupCounts.
	grouped []bool
	id      map[string]int32
	feats   []string
	post    [][]posting // by feature id

	// What comparisons read instead of every document (rest.go), built
	// on first use and dropped by any change.
	restMu sync.Mutex
	rest   *docRest
	// ids are the feature ids of the features of one sorted feature list
	// (a frozen index's, shared by every comparison of a kind), -1 where a
	// feature has no postings: looked up once, not once per comparison.
	idsMu  sync.Mutex
	idsFor []string
	ids    []int32
}

// posting is one document's count of a feature: 8 bytes, as there are as
// many as the tfidf table has rows.
type posting struct {
	doc int32
	n   int32
}

// AddDoc registers a document of group with words words (its part size for
// dispersion and the denominator of its rates) and returns its index.
func (d *DocCounts) AddDoc(group string, words int64) int {
	d.rest, d.idsFor, d.ids = nil, nil, nil
	d.groups = append(d.groups, group)
	d.words = append(d.words, max(words, 0))
	d.grouped = append(d.grouped, true)
	return len(d.groups) - 1
}

// AddDocOutside registers a document that is part of no side's documents
// (a failed document; one without topic weights of its own), whose counts,
// if any, are not compared either. grouped says whether its group is still
// a side of GroupCounts.
func (d *DocCounts) AddDocOutside(group string, grouped bool) int {
	d.rest, d.idsFor, d.ids = nil, nil, nil
	d.groups = append(d.groups, group)
	d.words = append(d.words, -1)
	d.grouped = append(d.grouped, grouped)
	return len(d.groups) - 1
}

// Add adds n occurrences of feature to document doc (an index from AddDoc).
func (d *DocCounts) Add(doc int, feature string, n int64) {
	if n == 0 {
		return
	}
	d.rest, d.idsFor, d.ids = nil, nil, nil
	if d.id == nil {
		d.id = map[string]int32{}
	}
	f, ok := d.id[feature]
	if !ok {
		f = int32(len(d.feats))
		d.id[feature] = f
		d.feats = append(d.feats, feature)
		d.post = append(d.post, nil)
	}
	p := d.post[f]
	if k := len(p) - 1; k >= 0 && p[k].doc == int32(doc) {
		p[k].n += int32(n)
		return
	}
	d.post[f] = append(p, posting{int32(doc), int32(n)})
}

// Docs is the number of documents added.
func (d *DocCounts) Docs() int { return len(d.groups) }

// GroupCounts sums the documents' counts by group into Counts, every
// document's group included even without a feature, keeping only the
// features whose total count is at least min.
func (d *DocCounts) GroupCounts(min int64) *Counts {
	c := &Counts{}
	for i, g := range d.groups {
		if d.grouped[i] {
			c.AddGroup(g)
		}
	}
	for f, ps := range d.post {
		var total int64
		for _, p := range ps {
			if d.words[p.doc] >= 0 {
				total += int64(p.n)
			}
		}
		if total < min || total == 0 {
			continue
		}
		for _, p := range ps {
			if d.words[p.doc] >= 0 {
				c.Add(d.groups[p.doc], d.feats[f], int64(p.n))
			}
		}
	}
	c.Freeze()
	return c
}

// postings returns the documents and counts of feature, nil when it never
// occurs.
func (d *DocCounts) postings(feature string) []posting {
	if f, ok := d.id[feature]; ok {
		return d.post[f]
	}
	return nil
}

// featureIDs returns the feature id of each of feats (-1: no postings).
// feats is a frozen index's list, the same slice for every comparison of
// the kind: its ids are kept (a map lookup per feature per comparison was
// a fifth of keyness's time on the UN corpus).
func (d *DocCounts) featureIDs(feats []string) []int32 {
	d.idsMu.Lock()
	defer d.idsMu.Unlock()
	if len(feats) > 0 && len(d.idsFor) == len(feats) && &d.idsFor[0] == &feats[0] {
		return d.ids
	}
	ids := make([]int32, len(feats))
	for i, f := range feats {
		id, ok := d.id[f]
		if !ok {
			id = -1
		}
		ids[i] = id
	}
	d.idsFor, d.ids = feats, ids
	return ids
}

// postingsAt returns the postings of feature id (-1: none).
func (d *DocCounts) postingsAt(id int32) []posting {
	if id < 0 {
		return nil
	}
	return d.post[id]
}

// Dispersion returns, for a feature and the sides of a comparison (B empty
// = every other group), the documents of each side with the feature and
// its Gries' DP over each side's documents (NaN as in Keyness.DPA).
func (d *DocCounts) Dispersion(cmpn Comparison, feature string) (docsA, docsB int, dpA, dpB float64) {
	if len(cmpn.B) == 0 {
		// Against the rest: in time of A's documents and the feature's
		// postings, not of the corpus (rest.go), with the same numbers.
		if rs, _ := d.restSides(cmpn.A); rs.ix.ordered {
			x := rs.disperse(feature)
			return x.docsA, x.docsB, x.dpA, x.dpB
		}
	}
	ds := d.sides(cmpn, false)
	x := ds.disperse(d.postings(feature))
	return x.docsA, x.docsB, x.dpA, x.dpB
}

// Keyness test orderings (Config.Test).
const (
	// TestDocuments orders and tests features by their per-document rates
	// (Welch's t for the order, a permutation test over documents for p).
	TestDocuments = "documents"
	// TestTokens orders by the token-level log-odds z and tests with G².
	TestTokens = "tokens"
)

// MinDocsPerSide is the fewest documents a side needs for a
// document-level statistic (a variance, a permutation).
const MinDocsPerSide = 2

// docSides is the document-level view of one comparison: for each
// document, its side (0 none, 1 A, 2 B) and its rate denominator.
type docSides struct {
	side           []uint8
	words          []float64 // words per document, as float for rates
	na, nb         int       // documents with words on each side
	wordsA, wordsB float64
	// pmemo holds Student's t p-values by (|t|, df): a feature in one
	// document of a side (most of a large vocabulary) has the t and df of
	// every other feature with that document and count, and the
	// incomplete beta function behind each p was a sixth of a whole UN
	// run's CPU. Exact keys, so every p has the bits it had.
	pmemo map[[2]float64]float64
}

func (d *DocCounts) sides(cmpn Comparison, reference bool) docSides {
	// From each group's documents (restIndex): a comparison of one small
	// group with the rest would otherwise look up every document's group.
	// Words are summed as integers: the same float64 as a running sum.
	ix := d.restIndex()
	ds := docSides{side: make([]uint8, len(d.groups)), words: make([]float64, len(d.groups))}
	var wordsA, wordsB int64
	for _, g := range sortedUnique(cmpn.A) {
		for _, doc := range ix.byGroup[g] {
			ds.side[doc] = 1
			ds.na++
			wordsA += d.words[doc]
		}
	}
	switch {
	case reference:
	case len(cmpn.B) == 0:
		for i, w := range d.words {
			if w > 0 && ds.side[i] == 0 {
				ds.side[i] = 2
				ds.nb++
				wordsB += w
			}
		}
	default:
		for _, g := range sortedUnique(cmpn.B) {
			for _, doc := range ix.byGroup[g] {
				if ds.side[doc] == 0 {
					ds.side[doc] = 2
					ds.nb++
					wordsB += d.words[doc]
				}
			}
		}
	}
	for i, w := range d.words {
		if w > 0 { // no words: no rate, no part of a side
			ds.words[i] = float64(w)
		}
	}
	ds.wordsA, ds.wordsB = float64(wordsA), float64(wordsB)
	return ds
}

// canTest says whether both sides have enough documents for document-level
// statistics.
func (ds *docSides) canTest() bool {
	return ds.na >= MinDocsPerSide && ds.nb >= MinDocsPerSide
}

// dispersion is a feature's documents and Gries' DP on each side, and the
// largest share of a side's occurrences that one document holds.
type dispersion struct {
	docsA, docsB int
	dpA, dpB     float64
	topA, topB   float64
}

// disperse computes the dispersion of a feature with postings ps.
//
// DP (Gries 2008) over the side's documents as corpus parts:
//
//	DP = ½ Σ_i |v_i − s_i|
//
// v_i the document's share of the side's occurrences, s_i its share of the
// side's words. Documents without the feature contribute s_i each, so only
// the postings are visited: DP = ½ (Σ_{c_i>0} |v_i − s_i| + 1 − Σ_{c_i>0} s_i).
// DP is NaN when the side has no occurrence or fewer than two documents
// (one part cannot be dispersed unevenly).
func (ds *docSides) disperse(ps []posting) dispersion {
	on := func(side uint8) func(doc int32) bool {
		return func(doc int32) bool { return ds.side[doc] == side }
	}
	words := func(doc int32) float64 { return ds.words[doc] }
	a := sideDispersion(ps, on(1), words, ds.wordsA)
	b := sideDispersion(ps, on(2), words, ds.wordsB)
	return a.with(b, ds.na, ds.nb)
}

// sidePart is one side's sums behind a feature's dispersion: its documents
// with the feature, occurrences, largest count in one document, and over
// those documents Σ |v_i − s_i| and Σ s_i (see disperse).
type sidePart struct {
	docs   int
	c, top int64
	abs, s float64
}

// sideDispersion sums the postings ps of the documents on the side, in
// posting order; words gives a document's words and total the side's.
// Both disperse and the comparison with the rest (rest.go) sum through
// here, or (docRest.restB) with the same operations in the same order, so
// that their numbers agree bit for bit.
func sideDispersion(ps []posting, on func(doc int32) bool, words func(doc int32) float64, total float64) sidePart {
	var out sidePart
	for _, p := range ps {
		if on(p.doc) {
			out.docs++
			out.c += int64(p.n)
			out.top = max(out.top, int64(p.n))
		}
	}
	for _, p := range ps {
		if on(p.doc) {
			s := words(p.doc) / total
			out.abs += math.Abs(float64(p.n)/float64(out.c) - s)
			out.s += s
		}
	}
	return out
}

// with is the dispersion of side A's sums a and side B's b, the sides
// having na and nb documents.
func (a sidePart) with(b sidePart, na, nb int) dispersion {
	dp := func(x sidePart, docs int) float64 {
		if x.c == 0 || docs < MinDocsPerSide {
			return math.NaN()
		}
		return math.Max(0, (x.abs+1-x.s)/2)
	}
	top := func(x sidePart) float64 {
		if x.c == 0 {
			return 0
		}
		return float64(x.top) / float64(x.c)
	}
	return dispersion{docsA: a.docs, docsB: b.docs, dpA: dp(a, na), dpB: dp(b, nb), topA: top(a), topB: top(b)}
}

// welch is the difference of the sides' mean per-document rates (per 1,000
// words), Welch's t of that difference and its two-sided p-value from
// Student's t with the Welch–Satterthwaite degrees of freedom. Documents
// without the feature count with rate 0. t and p are NaN when a side has
// fewer than two documents; t is ±Inf (p NaN) when the sides differ but no
// document differs from its side's mean.
func (ds *docSides) welch(ps []posting) (diff, t, p float64) {
	var sumA, sumB, sqA, sqB float64
	for _, q := range ps {
		r := 1000 * float64(q.n) / ds.words[q.doc]
		switch ds.side[q.doc] {
		case 1:
			sumA += r
			sqA += r * r
		case 2:
			sumB += r
			sqB += r * r
		}
	}
	nan := math.NaN()
	if ds.na == 0 || ds.nb == 0 {
		return nan, nan, nan
	}
	na, nb := float64(ds.na), float64(ds.nb)
	ma, mb := sumA/na, sumB/nb
	diff = ma - mb
	if !ds.canTest() {
		return diff, nan, nan
	}
	va := math.Max(0, (sqA-na*ma*ma)/(na-1))
	vb := math.Max(0, (sqB-nb*mb*mb)/(nb-1))
	ea, eb := va/na, vb/nb
	se := math.Sqrt(ea + eb)
	if se == 0 {
		if diff == 0 {
			return 0, 0, 1
		}
		// Every document of each side alike, the sides apart: a
		// difference without noise, first in the order, with no p.
		return diff, math.Inf(int(math.Copysign(1, diff))), nan
	}
	t = diff / se
	df := (ea + eb) * (ea + eb) / (ea*ea/(na-1) + eb*eb/(nb-1))
	return diff, t, ds.studentP(math.Abs(t), df)
}

// studentP is the two-sided p-value of |t| = at under Student's t with df
// degrees of freedom, memoised per docSides (one comparison, one goroutine).
func (ds *docSides) studentP(at, df float64) float64 {
	key := [2]float64{at, df}
	if p, ok := ds.pmemo[key]; ok {
		return p
	}
	if ds.pmemo == nil {
		ds.pmemo = make(map[[2]float64]float64)
	}
	p := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(at)
	ds.pmemo[key] = p
	return p
}

// Permutation test settings.
const (
	// permutationStop is h of Besag & Clifford's (1991) sequential Monte
	// Carlo p-value: a feature's permutations stop once h of them are at
	// least as extreme as the observed difference (p = h/L after L
	// permutations), so features far from significance cost a few dozen
	// permutations, not all of them.
	permutationStop = 20
)

// permutationP returns, for each feature of feats (postings ps[i]), the
// two-sided permutation p-value of the difference of the sides' mean
// per-document rates: documents are reassigned to the sides at random,
// keeping the sides' sizes, up to b times (sequential stopping, see
// permutationStop). seed and label seed the stream, so the result is the
// same on every run. NaN for every feature when a side has fewer than
// MinDocsPerSide documents.
func (ds *docSides) permutationP(ps [][]posting, b int, seed uint64, label string) []float64 {
	out := make([]float64, len(ps))
	if !ds.canTest() {
		for i := range out {
			out[i] = math.NaN()
		}
		return out
	}
	// The documents of the comparison, and each posting's position among
	// them: a permutation is a new side for each position.
	var docs []int32
	pos := make([]int32, len(ds.side))
	for i, s := range ds.side {
		pos[i] = -1
		if s != 0 {
			pos[i] = int32(len(docs))
			docs = append(docs, int32(i))
		}
	}
	na, nb := float64(ds.na), float64(ds.nb)
	type feat struct {
		at      []int32   // positions of the documents with the feature
		rate    []float64 // their rates
		total   float64   // sum of the rates over both sides
		obs     float64   // |observed difference| less a rounding margin
		extreme int
		done    int // permutations drawn when stopped; 0 while active
	}
	fs := make([]feat, len(ps))
	active := make([]int, 0, len(ps))
	for i, p := range ps {
		f := &fs[i]
		var sumA float64
		for _, q := range p {
			if ds.side[q.doc] == 0 {
				continue
			}
			r := 1000 * float64(q.n) / ds.words[q.doc]
			f.at = append(f.at, pos[q.doc])
			f.rate = append(f.rate, r)
			f.total += r
			if ds.side[q.doc] == 1 {
				sumA += r
			}
		}
		d := math.Abs(sumA/na - (f.total-sumA)/nb)
		f.obs = d - 1e-9*math.Max(d, 1e-12)
		active = append(active, i)
	}
	h := fnv.New64a()
	h.Write([]byte(label))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	inA := make([]bool, len(docs))
	perm := make([]int, len(docs))
	for i := range perm {
		perm[i] = i
	}
	for l := 1; l <= b && len(active) > 0; l++ {
		// A random subset of ds.na positions is side A (partial
		// Fisher–Yates).
		for i := 0; i < ds.na; i++ {
			j := i + rng.IntN(len(perm)-i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		clear(inA)
		for _, k := range perm[:ds.na] {
			inA[k] = true
		}
		keep := active[:0]
		for _, i := range active {
			f := &fs[i]
			var sumA float64
			for k, at := range f.at {
				if inA[at] {
					sumA += f.rate[k]
				}
			}
			if math.Abs(sumA/na-(f.total-sumA)/nb) >= f.obs {
				f.extreme++
			}
			if f.extreme >= permutationStop {
				f.done = l
				continue
			}
			keep = append(keep, i)
		}
		active = keep
	}
	for i := range fs {
		f := &fs[i]
		if f.done > 0 {
			out[i] = float64(f.extreme) / float64(f.done)
		} else {
			out[i] = float64(f.extreme+1) / float64(b+1)
		}
	}
	return out
}
