package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync"
)

// A comparison of side A with the rest of the corpus (each-vs-rest) is
// computed in time proportional to A's features and the rows returned, not
// to the corpus vocabulary: 10,000 one-document groups each compared with
// the rest over a vocabulary of 30,000 terms would be 300 million feature
// statistics, of which 40 rows a comparison are kept.
//
// A feature absent from A has counts (0, its corpus count) and, with the
// pooled prior, prior share corpus count / corpus total: every statistic of
// it is a function of its corpus count alone. So the features absent from A
// are handled as one block per distinct corpus count (a few hundred on
// real corpora) carrying its multiplicity, and only A's own features one by
// one. The numbers are those of the dense computation, bit for bit: the
// same functions of the same integers, the Benjamini–Hochberg step taken
// over the same sorted p-values with ties counted, and the same order of
// rows (z descending, then feature).

// byCount lists the features of an index by corpus count.
type byCount struct {
	total  int64   // the sum of every feature's corpus count
	counts []int64 // distinct corpus counts, ascending
	start  []int32 // features of counts[k] are ids[start[k]:start[k+1]]
	ids    []int32 // feature ids, ascending within a count
}

func newByCount(all []int64) *byCount {
	ids := make([]int32, len(all))
	for i := range ids {
		ids[i] = int32(i)
	}
	slices.SortFunc(ids, func(x, y int32) int {
		if c := cmp.Compare(all[x], all[y]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	bc := &byCount{ids: ids}
	for _, n := range all {
		bc.total += n
	}
	for k, id := range ids {
		if k == 0 || all[id] != all[ids[k-1]] {
			bc.counts = append(bc.counts, all[id])
			bc.start = append(bc.start, int32(k))
		}
	}
	bc.start = append(bc.start, int32(len(ids)))
	return bc
}

// byCount returns the features by corpus count, built on first use.
func (ix *index) byCount() *byCount {
	ix.restOnce.Do(func() { ix.bc = newByCount(ix.all) })
	return ix.bc
}

// sparseSide is side A's features: ids ascending, counts, and total.
func (ix *index) sparseSide(c *Counts, groups []string) (ids []int32, counts []int64, total int64) {
	for _, g := range groups {
		total += c.totals[g]
	}
	if len(groups) == 1 {
		row := ix.rows[groups[0]]
		return row.ids, row.counts, total
	}
	m := map[int32]int64{}
	for _, g := range groups {
		row := ix.rows[g]
		for k, i := range row.ids {
			m[i] += row.counts[k]
		}
	}
	ids = make([]int32, 0, len(m))
	for i := range m {
		ids = append(ids, i)
	}
	slices.Sort(ids)
	counts = make([]int64, len(ids))
	for k, i := range ids {
		counts[k] = m[i]
	}
	return ids, counts, total
}

// restSource is a run of rows with one z: one feature of A, or the
// features absent from A with one corpus count.
type restSource struct {
	z, p  float64
	id    int32 // the feature of A; -1 for a block
	block int   // index into byCount.counts, for a block
	n     int   // rows: 1, or the block's features absent from A
}

// compareRest is Compare for side B = every group not in A, with the
// pooled prior, ordered by z; with docs (cfg.Docs), the rows get their
// documents' columns.
func compareRest(c *Counts, cmpn Comparison, cfg Config, alpha0 float64, minCount int64, docs *restSide) ([]Keyness, int64, int64) {
	ix := c.frozen()
	aIDs, aCounts, na := ix.sparseSide(c, cmpn.A)
	nb := ix.allN - na
	if na == 0 || nb == 0 {
		return nil, na, nb
	}
	bc := ix.byCount()
	N := float64(na + nb)
	// z is the key rows are ordered by: the token-level z, or for
	// DocumentsOnly counts the log ratio (Compare's key without a
	// document-level test); p is adjusted only when it is reported.
	stat := func(a, b int64) (z, p float64) {
		if cfg.DocumentsOnly {
			return LogRatio(a, na, b, nb), math.NaN()
		}
		_, z = LogOddsZ(a, na, b, nb, alpha0*(float64(a+b)/N), alpha0)
		_, p = SignedG2(a, na, b, nb)
		return z, p
	}
	// Features of A per corpus count, to take them out of the blocks.
	inA := map[int64]int{}
	var src []restSource
	for k, id := range aIDs {
		a := aCounts[k]
		n := ix.all[id]
		inA[n]++
		if n < minCount {
			continue
		}
		z, p := stat(a, n-a)
		src = append(src, restSource{z: z, p: p, id: id, n: 1})
	}
	first, _ := slices.BinarySearch(bc.counts, minCount)
	for k := first; k < len(bc.counts); k++ {
		n := bc.counts[k]
		size := int(bc.start[k+1]-bc.start[k]) - inA[n]
		if size <= 0 {
			continue
		}
		z, p := stat(0, n)
		src = append(src, restSource{z: z, p: p, id: -1, block: k, n: size})
	}
	rows := 0
	for _, s := range src {
		rows += s.n
	}

	// Benjamini–Hochberg over every row, as bhAt: the running minimum of
	// p·m/rank taken at the last rank of each distinct p-value.
	type pv struct {
		p float64
		n int
	}
	pvs := make([]pv, 0, len(src))
	m := 0
	for _, s := range src {
		if !math.IsNaN(s.p) {
			pvs = append(pvs, pv{s.p, s.n})
			m += s.n
		}
	}
	slices.SortFunc(pvs, func(x, y pv) int { return cmp.Compare(x.p, y.p) })
	ends := make([]int, len(pvs)) // 1-based rank of each entry's last p
	r := 0
	for k := range pvs {
		r += pvs[k].n
		ends[k] = r
	}
	suffix := make([]float64, len(pvs))
	running := 1.0
	for k := len(pvs) - 1; k >= 0; k-- {
		running = math.Min(running, pvs[k].p*float64(m)/float64(ends[k]))
		suffix[k] = running
	}
	padj := func(p float64) float64 {
		if math.IsNaN(p) {
			return math.NaN()
		}
		// The last entry whose p-value is not above p.
		k, _ := slices.BinarySearchFunc(pvs, p, func(x pv, t float64) int {
			if x.p <= t {
				return -1
			}
			return 1
		})
		return suffix[k-1]
	}

	// Rows in Compare's order: z descending (NaN last), then feature.
	slices.SortFunc(src, func(x, y restSource) int { return cmp.Compare(y.z, x.z) })
	absent := func(s restSource) []int32 { return bc.ids[bc.start[s.block]:bc.start[s.block+1]] }
	isA := func(id int32) bool { _, ok := slices.BinarySearch(aIDs, id); return ok }
	// take lists, in feature order, up to want features of sources of equal
	// z: the first ones, or the last ones when back is set.
	take := func(block []restSource, want int, back bool) []int32 {
		var ids []int32
		for _, s := range block {
			if s.id >= 0 {
				ids = append(ids, s.id)
				continue
			}
			list, got := absent(s), 0
			for k := 0; k < len(list) && got < want; k++ {
				id := list[k]
				if back {
					id = list[len(list)-1-k]
				}
				if !isA(id) {
					ids = append(ids, id)
					got++
				}
			}
		}
		slices.Sort(ids)
		if len(ids) > want {
			if back {
				ids = ids[len(ids)-want:]
			} else {
				ids = ids[:want]
			}
		}
		return ids
	}
	// pick returns the first want rows in order, or with back set the last
	// want rows, last first.
	pick := func(want int, back bool) []int32 {
		order := src
		if back {
			order = slices.Clone(src)
			slices.Reverse(order)
		}
		var out []int32
		for i := 0; i < len(order) && len(out) < want; {
			j := i + 1
			for j < len(order) && cmp.Compare(order[i].z, order[j].z) == 0 {
				j++
			}
			ids := take(order[i:j], want-len(out), back)
			if back {
				slices.Reverse(ids)
			}
			out = append(out, ids...)
			i = j
		}
		return out
	}
	var sel []int32
	if half := cfg.Keep / 2; cfg.Keep > 0 && rows > 2*half {
		sel = pick(half, false)
		last := pick(half, true)
		slices.Reverse(last)
		sel = append(sel, last...)
	} else {
		sel = pick(rows, false)
	}
	out := make([]Keyness, len(sel))
	for k, id := range sel {
		var a int64
		if j, ok := slices.BinarySearch(aIDs, id); ok {
			a = aCounts[j]
		}
		b := ix.all[id] - a
		r := newKeyness(cmpn.Label(), ix.feats[id], a, na, b, nb, alpha0*(float64(a+b)/N), alpha0)
		if cfg.DocumentsOnly {
			r.Stat = r.LogRatio
			r.Z, r.G2, r.P, r.PAdj = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		} else {
			r.PAdj = padj(r.P)
			r.Stat = r.Z
		}
		if docs != nil {
			// As Compare's rows without a document-level test: t and p
			// stay NaN, the side that over-uses the feature is z's.
			d := docs.disperse(r.Feature)
			r.DocsA, r.DocsB, r.DPA, r.DPB = d.docsA, d.docsB, d.dpA, d.dpB
			top := d.topA
			if r.Stat < 0 || r.Stat == 0 && r.LogRatio < 0 {
				top = d.topB
			}
			r.Concentrated = top > 0.5
		}
		out[k] = r
	}
	return out, na, nb
}

// restJSD is CountsJSD of side A against the rest, without the dense
// arrays: the same sums in the same (feature) order as JSD. A rest of more
// than exactRestGroups groups takes the sum in time of A's features
// (restJSDSparse): equal up to rounding.
func restJSD(c *Counts, a []string) (float64, error) {
	ix := c.frozen()
	ids, counts, _ := ix.sparseSide(c, a)
	if c.NumGroups()-len(a) > exactRestGroups {
		return restJSDSparse(ix, ids, counts)
	}
	// each calls fn with A's and the rest's count of every feature with a
	// count, in feature order.
	each := func(fn func(x, y float64)) {
		k := 0
		for i, n := range ix.all {
			var ya int64
			if k < len(ids) && int(ids[k]) == i {
				ya = counts[k]
				k++
			}
			if n != 0 {
				fn(float64(ya), float64(n-ya))
			}
		}
	}
	var sp, sq float64
	bad := false
	each(func(x, y float64) {
		bad = bad || x < 0 || y < 0
		sp += x
		sq += y
	})
	if bad {
		return 0, fmt.Errorf("compare: JSD: negative count")
	}
	if sp == 0 || sq == 0 {
		return 0, ErrEmptyDistribution
	}
	var d float64
	each(func(x, y float64) {
		a, b := x/sp, y/sq
		m := (a + b) / 2
		if a > 0 {
			d += a / 2 * math.Log2(a/m)
		}
		if b > 0 {
			d += b / 2 * math.Log2(b/m)
		}
	})
	return max(0, min(1, d)), nil
}

// The documents' columns of a comparison with the rest (documents per
// side, Gries' DP, the concentrated flag) are those of the dense
// computation too, bit for bit, when side A's documents are too few for a
// document-level test (a group of one document): its rows are then
// ordered by z as above, the document-level t and p are NaN, and only the
// rows returned need their dispersion. Side A's part of it comes from A's
// own documents. Side B's part of a feature absent from A is the sum over
// all its postings, which depends on the comparison only through side B's
// words: it is computed once per feature and rest size and kept
// (maxRestParts). Side B's part of a feature of A visits its postings.

// maxRestParts bounds the side B sums kept for features absent from side
// A: past it, they are computed each time, as the dense path does.
const maxRestParts = 1 << 16

// docRest is what comparisons with the rest read from the documents.
type docRest struct {
	byGroup map[string][]int32 // each group's documents with words, ascending
	docs    int                // documents with words
	words   int64              // their words
	// ordered: every feature's postings are in increasing document order,
	// each document once (documents added in order), so side A's are
	// found by binary search and visited in the dense path's order.
	ordered bool

	mu    sync.Mutex
	parts map[restPartKey]sidePart
}

// restPartKey is a feature (DocCounts id) and side B's words.
type restPartKey struct {
	feat  int32
	words int64
}

// restIndex returns the documents' index for comparisons, built on first
// use after the last change.
func (d *DocCounts) restIndex() *docRest {
	d.restMu.Lock()
	defer d.restMu.Unlock()
	if d.rest != nil {
		return d.rest
	}
	r := &docRest{byGroup: map[string][]int32{}, ordered: true, parts: map[restPartKey]sidePart{}}
	for i, g := range d.groups {
		if d.words[i] > 0 {
			r.byGroup[g] = append(r.byGroup[g], int32(i))
			r.docs++
			r.words += d.words[i]
		}
	}
	for _, ps := range d.post {
		for k := 1; k < len(ps) && r.ordered; k++ {
			r.ordered = ps[k].doc > ps[k-1].doc
		}
	}
	d.rest = r
	return r
}

// restSide is side A of a comparison with the rest, in documents: the
// sizes docSides would give.
type restSide struct {
	d      *DocCounts
	ix     *docRest
	docs   []int32 // side A's documents with words, ascending
	na, nb int
	wordsA float64
	wordsB int64
}

// restSides returns side A of groups a against the rest, and whether the
// comparison can take the fast path: documents in order, and too few
// documents on a side for a document-level test.
func (d *DocCounts) restSides(a []string) (restSide, bool) {
	ix := d.restIndex()
	rs := restSide{d: d, ix: ix}
	var wordsA int64
	for _, g := range sortedUnique(a) {
		rs.docs = append(rs.docs, ix.byGroup[g]...)
	}
	slices.Sort(rs.docs)
	for _, doc := range rs.docs {
		wordsA += d.words[doc]
	}
	// Sums of integers, exact in float64 as docSides' running sums are.
	rs.na, rs.nb = len(rs.docs), ix.docs-len(rs.docs)
	rs.wordsA, rs.wordsB = float64(wordsA), ix.words-wordsA
	can := rs.na >= MinDocsPerSide && rs.nb >= MinDocsPerSide
	return rs, ix.ordered && !can
}

// disperse is docSides.disperse of a feature for this comparison.
func (rs *restSide) disperse(feature string) dispersion {
	d := rs.d
	f, ok := d.id[feature]
	if !ok {
		return sidePart{}.with(sidePart{}, rs.na, rs.nb)
	}
	ps := d.post[f]
	words := func(doc int32) float64 { return float64(d.words[doc]) }
	all := func(int32) bool { return true }
	var inA []posting // side A's postings, in posting order
	var atA []int     // and their positions in ps
	for _, doc := range rs.docs {
		if k, ok := slices.BinarySearchFunc(ps, doc, func(p posting, doc int32) int { return cmp.Compare(p.doc, doc) }); ok {
			inA = append(inA, ps[k])
			atA = append(atA, k)
		}
	}
	a := sideDispersion(inA, all, words, rs.wordsA)
	if len(inA) > 0 {
		// Side B: the postings with words but A's, found by position
		// (ascending, as rs.docs and ps are) instead of a search each.
		withWords := func(doc int32) bool { return d.words[doc] > 0 }
		return a.with(sideDispersionSkip(ps, withWords, atA, words, float64(rs.wordsB)), rs.na, rs.nb)
	}
	// Absent from A: side B is every document with words, whatever A.
	key := restPartKey{f, rs.wordsB}
	rs.ix.mu.Lock()
	b, ok := rs.ix.parts[key]
	rs.ix.mu.Unlock()
	if !ok {
		withWords := func(doc int32) bool { return d.words[doc] > 0 }
		b = sideDispersion(ps, withWords, words, float64(rs.wordsB))
		rs.ix.mu.Lock()
		if len(rs.ix.parts) < maxRestParts {
			rs.ix.parts[key] = b
		}
		rs.ix.mu.Unlock()
	}
	return a.with(b, rs.na, rs.nb)
}

// restJSDSparse is restJSD in time of side A's features: a feature absent
// from A has a = 0 and m = b/2, so its term b/2·log2(b/m) is exactly b/2,
// and those terms sum to (corpus count of the features absent from A) /
// (2·side B's total). Each of 10,000 one-document groups against the rest
// would otherwise visit the corpus vocabulary.
func restJSDSparse(ix *index, ids []int32, counts []int64) (float64, error) {
	var sp, sq, inA float64 // A's total, the rest's, corpus count of A's features
	for k, id := range ids {
		x, n := counts[k], ix.all[id]
		if x < 0 || n-x < 0 {
			return 0, fmt.Errorf("compare: JSD: negative count")
		}
		sp += float64(x)
		inA += float64(n)
	}
	all := float64(ix.byCount().total)
	sq = all - sp
	if sp == 0 || sq == 0 {
		return 0, ErrEmptyDistribution
	}
	var d float64
	for k, id := range ids {
		x, y := float64(counts[k]), float64(ix.all[id]-counts[k])
		a, b := x/sp, y/sq
		m := (a + b) / 2
		if a > 0 {
			d += a / 2 * math.Log2(a/m)
		}
		if b > 0 {
			d += b / 2 * math.Log2(b/m)
		}
	}
	d += (all - inA) / sq / 2
	return max(0, min(1, d)), nil
}
