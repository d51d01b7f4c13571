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

	// The statistics of the blocks (a feature absent from side A, by
	// corpus count) for a side A of a given size: 10,000 one-document
	// groups have a few hundred sizes between them.
	mu      sync.Mutex
	stats   map[blockKey]*blockStats
	statLen int // blocks' statistics held, at most maxBlockStats
}

// blockKey is what a block's statistics depend on besides its count.
type blockKey struct {
	na            int64
	alpha0        float64
	documentsOnly bool
}

// blockStats are the blocks' statistics, by block, and the blocks in
// the orders compareRest reads them: by z descending (NaN last), and
// those with a p-value by p ascending.
type blockStats struct {
	z, p     []float64
	byZ, byP []int32
}

// maxBlockStats bounds the blocks' statistics kept (about 24 bytes each).
const maxBlockStats = 1 << 21

// blockStats returns stat(0, n) of every block's count n for key,
// computed on first use.
func (bc *byCount) blockStats(key blockKey, stat func(a, b int64) (z, p float64)) *blockStats {
	bc.mu.Lock()
	st, ok := bc.stats[key]
	bc.mu.Unlock()
	if ok {
		return st
	}
	st = &blockStats{z: make([]float64, len(bc.counts)), p: make([]float64, len(bc.counts)), byZ: make([]int32, len(bc.counts))}
	for k, n := range bc.counts {
		st.z[k], st.p[k] = stat(0, n)
		st.byZ[k] = int32(k)
		if !math.IsNaN(st.p[k]) {
			st.byP = append(st.byP, int32(k))
		}
	}
	slices.SortStableFunc(st.byZ, func(x, y int32) int { return cmp.Compare(st.z[y], st.z[x]) })
	slices.SortStableFunc(st.byP, func(x, y int32) int { return cmp.Compare(st.p[x], st.p[y]) })
	bc.mu.Lock()
	if bc.statLen+len(st.z) <= maxBlockStats {
		if bc.stats == nil {
			bc.stats = map[blockKey]*blockStats{}
		}
		if _, ok := bc.stats[key]; !ok {
			bc.stats[key] = st
			bc.statLen += len(st.z)
		}
	}
	bc.mu.Unlock()
	return st
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
	var own []restSource
	for k, id := range aIDs {
		a := aCounts[k]
		n := ix.all[id]
		inA[n]++
		if n < minCount {
			continue
		}
		z, p := stat(a, n-a)
		own = append(own, restSource{z: z, p: p, id: id, n: 1})
	}
	first, _ := slices.BinarySearch(bc.counts, minCount)
	st := bc.blockStats(blockKey{na, alpha0, cfg.DocumentsOnly}, stat)
	// size is the rows of block k: its features absent from A.
	size := func(k int32) int {
		if int(k) < first {
			return 0
		}
		return int(bc.start[k+1]-bc.start[k]) - inA[bc.counts[k]]
	}
	// The sources by z descending (NaN last): A's sorted, merged with the
	// blocks, sorted once for all comparisons of A's size. The order
	// among equal z does not matter: pick takes a run of equal z whole.
	byZ := func(x, y restSource) int { return cmp.Compare(y.z, x.z) }
	slices.SortFunc(own, byZ)
	src := make([]restSource, 0, len(own)+len(st.byZ))
	i := 0
	for _, k := range st.byZ {
		n := size(k)
		if n <= 0 {
			continue
		}
		b := restSource{z: st.z[k], p: st.p[k], id: -1, block: int(k), n: n}
		for i < len(own) && byZ(own[i], b) <= 0 {
			src = append(src, own[i])
			i++
		}
		src = append(src, b)
	}
	src = append(src, own[i:]...)
	rows := 0
	for _, s := range src {
		rows += s.n
	}

	// Benjamini–Hochberg over every row, as bhAt: the running minimum of
	// p·m/rank taken at the last rank of each distinct p-value. The order
	// among equal p does not matter either: only the last rank of a
	// p-value is read.
	type pv struct {
		p float64
		n int
	}
	byP := func(x, y pv) int { return cmp.Compare(x.p, y.p) }
	var ownP []pv
	for _, s := range own {
		if !math.IsNaN(s.p) {
			ownP = append(ownP, pv{s.p, s.n})
		}
	}
	slices.SortFunc(ownP, byP)
	pvs := make([]pv, 0, len(ownP)+len(st.byP))
	i = 0
	for _, k := range st.byP {
		n := size(k)
		if n <= 0 {
			continue
		}
		b := pv{st.p[k], n}
		for i < len(ownP) && byP(ownP[i], b) <= 0 {
			pvs = append(pvs, ownP[i])
			i++
		}
		pvs = append(pvs, b)
	}
	pvs = append(pvs, ownP[i:]...)
	m := 0
	for _, x := range pvs {
		m += x.n
	}
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
		var out []int32
		// Runs of equal z from the front, or from the back (take reads a
		// run in any order).
		for i, n := 0, len(src); i < n && len(out) < want; {
			j := i + 1
			var run []restSource
			if back {
				for j < n && cmp.Compare(src[n-1-i].z, src[n-1-j].z) == 0 {
					j++
				}
				run = src[n-j : n-i]
			} else {
				for j < n && cmp.Compare(src[i].z, src[j].z) == 0 {
					j++
				}
				run = src[i:j]
			}
			ids := take(run, want-len(out), back)
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
	var featIDs []int32
	if docs != nil {
		featIDs = docs.ix.featIDs(docs.d, ix)
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
			d := docs.disperseID(featIDs[id])
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

	// wf are the documents' words as float64 (sideDispersion's words),
	// tot each feature's postings of documents with words, summed.
	wf  []float64
	tot []postTotal

	mu    sync.Mutex
	parts map[restPartKey]sidePart
	feats map[*index][]int32 // featIDs
}

// featIDs returns, by feature id of ix, the feature's id in d (-1 when d
// does not count it), built once per index: the rows of 10,000
// comparisons find their postings by id instead of by name.
func (r *docRest) featIDs(d *DocCounts, ix *index) []int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ids, ok := r.feats[ix]; ok {
		return ids
	}
	ids := make([]int32, len(ix.feats))
	for i, f := range ix.feats {
		id, ok := d.id[f]
		if !ok {
			id = -1
		}
		ids[i] = id
	}
	if r.feats == nil {
		r.feats = map[*index][]int32{}
	}
	r.feats[ix] = ids
	return ids
}

// postTotal sums a feature's postings of documents with words: their
// number, occurrences, largest count and how many postings have it. Side
// B's of a feature of side A are these less A's, not a visit each.
type postTotal struct {
	docs, nTop int
	c, top     int64
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
	r.wf = make([]float64, len(d.words))
	for i, w := range d.words {
		r.wf[i] = float64(w)
	}
	r.tot = make([]postTotal, len(d.post))
	for f, ps := range d.post {
		for k := 1; k < len(ps) && r.ordered; k++ {
			r.ordered = ps[k].doc > ps[k-1].doc
		}
		t := &r.tot[f]
		for _, p := range ps {
			if d.words[p.doc] <= 0 {
				continue
			}
			t.docs++
			t.c += int64(p.n)
			switch n := int64(p.n); {
			case n > t.top:
				t.top, t.nTop = n, 1
			case n == t.top:
				t.nTop++
			}
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
	f, ok := rs.d.id[feature]
	if !ok {
		f = -1
	}
	return rs.disperseID(f)
}

// disperseID is disperse of the feature of id f (-1: none).
func (rs *restSide) disperseID(f int32) dispersion {
	d := rs.d
	if f < 0 {
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
		return a.with(rs.ix.restB(f, ps, inA, atA, float64(rs.wordsB)), rs.na, rs.nb)
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

// restB is side B's sums of feature f (postings ps) when side A's
// postings inA are at positions atA (ascending) of ps: those of
// sideDispersionSkip(ps, with words, atA, words, total), bit for bit. The
// counts are the feature's totals less A's; the sums of rates visit B's
// postings, in order, with the same operations.
func (r *docRest) restB(f int32, ps, inA []posting, atA []int, total float64) sidePart {
	t := r.tot[f]
	out := sidePart{docs: t.docs - len(inA), c: t.c, top: t.top}
	atTop := 0
	for _, p := range inA { // side A's documents all have words
		out.c -= int64(p.n)
		if int64(p.n) == t.top {
			atTop++
		}
	}
	if atTop == t.nTop { // A has every posting of the largest count
		out.top = 0
		r.eachB(ps, atA, func(p posting, _ float64) { out.top = max(out.top, int64(p.n)) })
	}
	// As eachB, written out: this loop is most of the comparisons of
	// 10,000 one-document groups with the rest.
	c := float64(out.c)
	from := 0
	for k := 0; k <= len(atA); k++ {
		to := len(ps)
		if k < len(atA) {
			to = atA[k]
		}
		for _, p := range ps[from:to] {
			if w := r.wf[p.doc]; w > 0 {
				s := w / total
				out.abs += math.Abs(float64(p.n)/c - s)
				out.s += s
			}
		}
		from = to + 1
	}
	return out
}

// eachB calls fn, in order, with the postings ps of documents with words
// but those at positions skip (ascending), and their documents' words.
func (r *docRest) eachB(ps []posting, skip []int, fn func(p posting, words float64)) {
	from := 0
	for k := 0; k <= len(skip); k++ {
		to := len(ps)
		if k < len(skip) {
			to = skip[k]
		}
		for _, p := range ps[from:to] {
			if w := r.wf[p.doc]; w > 0 {
				fn(p, w)
			}
		}
		from = to + 1
	}
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
