package frames

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	order "github.com/framelens/framelens/stages/internal/quantile"
)

// Bootstrap configures the percentile bootstrap intervals of frame scores.
// The zero value is B = 1000 replicates, seed 0, a 95% interval and
// document resampling for groups of at least 5 documents.
type Bootstrap struct {
	// B is the number of replicates; 0 = 1000, negative = no intervals.
	B int `yaml:"b"`
	// Seed makes intervals reproducible; each group draws from its own
	// stream derived from Seed and the group's name.
	Seed uint64 `yaml:"seed"`
	// Level is the coverage of the interval; 0 = 0.95.
	Level float64 `yaml:"level"`
	// MinDocs: groups with fewer documents resample sentences within each
	// document instead of documents; 0 = 5.
	MinDocs int `yaml:"min_docs"`
	// ExactDocs: a side with more documents draws its replicates from the
	// normal approximation of the document bootstrap (ResampleNormal);
	// 0 = 1000, negative = always resample.
	ExactDocs int `yaml:"exact_docs"`
}

// Validate rejects settings no bootstrap can use: a Level that is not 0
// (the default) or a fraction strictly between 0 and 1.
func (b Bootstrap) Validate() error {
	if b.Level != 0 && !(b.Level > 0 && b.Level < 1) {
		return fmt.Errorf("level %v is not a fraction in (0, 1) (0.95 is a 95%% interval)", b.Level)
	}
	return nil
}

// Resolved returns b with its defaults filled in (B 1000, Level 0.95,
// MinDocs 5, ExactDocs 1000), for a record of the run that gives the same
// intervals when fed back; Seed stays as given (0: the run's seed).
func (b Bootstrap) Resolved() Bootstrap {
	r := b.norm()
	if r.ExactDocs == 0 {
		r.ExactDocs = 1000
	}
	return r
}

func (b Bootstrap) exactDocs() int {
	switch {
	case b.ExactDocs < 0:
		return math.MaxInt
	case b.ExactDocs == 0:
		return 1000
	}
	return b.ExactDocs
}

func (b Bootstrap) norm() Bootstrap {
	if b.B == 0 {
		b.B = 1000
	}
	if b.Level == 0 {
		b.Level = 0.95
	}
	if b.MinDocs == 0 {
		b.MinDocs = 5
	}
	return b
}

// Resampling units of a bootstrap.
const (
	ResampleSentences = "sentences"
	ResampleDocuments = "documents"
	// ResampleNormal marks the normal approximation of the document
	// bootstrap used for pools of more than Bootstrap.ExactDocs documents.
	ResampleNormal = "documents_normal"
	// ResampleSentencesNormal marks the normal approximation of the
	// sentence bootstrap, used when a sentence bootstrap would resample
	// more than exactSentences sentences.
	ResampleSentencesNormal = "sentences_normal"
)

// exactSentences is the most sentences a sentence bootstrap resamples one
// by one: B × sentences draws are most of the run for a document of
// millions of words (one 50 MB line: 60 of 150 CPU seconds). Past it, the
// replicates come from the normal approximation of the same (within
// document) resampling, which thousands of sentences make exact to well
// within its Monte-Carlo noise. No document of the evaluation corpora comes
// near (the longest State of the Union address has about 1,500).
const exactSentences = 50_000

// Score is a frame's prevalence in one document or one group of documents.
type Score struct {
	Frame string
	// Unit is the document ID or the group label.
	Unit      string
	Docs      int
	Sentences int   // sentences with at least one word
	Tokens    int64 // non-punctuation tokens
	Hits      int64 // non-negated hits
	Negated   int64
	Weighted  float64 // sum of entry weights of non-negated hits
	// Rate is Hits per 1,000 tokens (pooled over the group's documents),
	// with its bootstrap interval.
	Rate, RateLo, RateHi float64
	// WeightedRate is Weighted per 1,000 tokens.
	WeightedRate float64
	// Share is the fraction of sentences with at least one non-negated hit,
	// with its bootstrap interval.
	Share, ShareLo, ShareHi float64
	// Resample is ResampleSentences or ResampleDocuments ("" without
	// intervals).
	Resample string
}

// Diff is the difference A − B of a frame's scores between two sets of
// groups, with a bootstrap interval from independent resampling of A and B.
type Diff struct {
	Frame                string
	A, B                 string // group labels ("rest" for the complement)
	RateA, RateB         float64
	RateDiff, Lo, Hi     float64
	ShareA, ShareB       float64
	ShareDiff            float64
	ShareLo, ShareHi     float64
	ResampleA, ResampleB string
	DocsA, DocsB         int
	TokensA, TokensB     int64
}

// DocumentScores scores one document; its interval resamples sentences.
func DocumentScores(d *DocSummary, bs Bootstrap) []Score {
	p := newPool([]*DocSummary{d}, len(d.Frames))
	return p.scores(d.Frames, d.ID, bs, true)
}

// GroupScores scores the documents of the named groups pooled together
// (rate = all hits / all tokens). Intervals resample documents, or
// sentences within documents when there are fewer than Bootstrap.MinDocs.
func (s *Summaries) GroupScores(bs Bootstrap, groups ...string) ([]Score, error) {
	if len(groups) == 0 {
		return nil, fmt.Errorf("frames: GroupScores needs a group")
	}
	p := s.pool(groups) // cached: comparisons use the same pools
	if p.n == 0 {
		return nil, fmt.Errorf("frames: no documents in %v", groups)
	}
	return p.scores(s.Frames, groupLabel(groups), bs, false), nil
}

// Difference compares frame scores of groups a with groups b (b empty = all
// other groups).
func (s *Summaries) Difference(a, b []string, bs Bootstrap) ([]Diff, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("frames: Difference needs groups on side A")
	}
	labelB := groupLabel(b)
	pa := s.pool(a)
	var pb *pool
	if len(b) == 0 {
		pb = s.restPool(a)
		labelB = "rest"
	} else {
		pb = s.pool(b)
	}
	if pa.n == 0 || pb.n == 0 {
		if len(b) == 0 {
			b = s.rest(a)
		}
		return nil, fmt.Errorf("frames: difference %v vs %v: a side has no documents", a, b)
	}
	bs = bs.norm()
	labelA := groupLabel(a)
	ra, rsA := pa.replicates(labelA, bs, false)
	rb, rsB := pb.replicates(labelB, bs, false)
	out := make([]Diff, len(s.Frames))
	diff := make([]float64, max(bs.B, 0)) // B < 0: no intervals
	for f, name := range s.Frames {
		d := Diff{Frame: name, A: labelA, B: labelB,
			RateA: pa.rate(f), RateB: pb.rate(f), ShareA: pa.share(f), ShareB: pb.share(f),
			ResampleA: rsA, ResampleB: rsB, DocsA: pa.n, DocsB: pb.n,
			TokensA: pa.tokens, TokensB: pb.tokens,
			Lo: math.NaN(), Hi: math.NaN(), ShareLo: math.NaN(), ShareHi: math.NaN()}
		d.RateDiff = d.RateA - d.RateB
		d.ShareDiff = d.ShareA - d.ShareB
		if ra != nil && rb != nil {
			for r := range diff {
				diff[r] = ra.rate[f][r] - rb.rate[f][r]
			}
			d.Lo, d.Hi = percentiles(diff, bs.Level)
			for r := range diff {
				diff[r] = ra.share[f][r] - rb.share[f][r]
			}
			d.ShareLo, d.ShareHi = percentiles(diff, bs.Level)
		}
		out[f] = d
	}
	return out, nil
}

// pool returns the pool of the documents of groups, built from cached
// per-group pools: each-vs-rest comparisons of many groups would otherwise
// rebuild the rest's pool, every document of the corpus, once per group.
func (s *Summaries) pool(groups []string) *pool {
	s.mu.Lock()
	defer s.mu.Unlock()
	parts := make([]*pool, 0, len(groups))
	for _, g := range sortedUnique(groups) {
		parts = append(parts, s.groupPool(g))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	out := &pool{nf: len(s.Frames), hits: make([]int64, len(s.Frames)), neg: make([]int64, len(s.Frames)),
		wsum: make([]float64, len(s.Frames)), carry: make([]int64, len(s.Frames))}
	for _, p := range parts {
		out.docs = append(out.docs, p.docs...)
		out.n += p.n
		out.tokens += p.tokens
		out.sents += p.sents
		for f := range out.nf {
			out.hits[f] += p.hits[f]
			out.neg[f] += p.neg[f]
			out.wsum[f] += p.wsum[f]
			out.carry[f] += p.carry[f]
		}
	}
	return out
}

// groupPool returns the cached pool of group g (s.mu held).
func (s *Summaries) groupPool(g string) *pool {
	if s.pools == nil {
		s.pools = map[string]*pool{}
	}
	p, ok := s.pools[g]
	if !ok {
		p = newPool(s.Docs(g), len(s.Frames))
		s.pools[g] = p
	}
	return p
}

// restPool is the pool of every group not in a, as pool(s.rest(a)) but in
// time of a's groups: its counts are the corpus's minus a's (integers, so
// the same numbers), and its documents are read in place from the groups'
// pools, in group order, instead of being copied — each of 10,000 groups
// against the rest copied the whole corpus 10,000 times. Such a pool has no
// weighted sums (wsum): Difference does not report them.
func (s *Summaries) restPool(a []string) *pool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.whole == nil {
		w := &pool{nf: len(s.Frames), hits: make([]int64, len(s.Frames)), neg: make([]int64, len(s.Frames)),
			carry: make([]int64, len(s.Frames)), mom: newMoments(len(s.Frames))}
		for _, g := range s.Groups() {
			p := s.groupPool(g)
			w.parts = append(w.parts, p)
			w.add(p, 1)
		}
		s.whole = w
	}
	var skip []*pool
	for _, g := range sortedUnique(a) {
		if _, ok := s.groups[g]; ok {
			skip = append(skip, s.groupPool(g))
		}
	}
	if len(s.whole.parts)-len(skip) == 1 {
		for _, p := range s.whole.parts {
			if !slices.Contains(skip, p) {
				return p // one group: its own pool, as pool() gives
			}
		}
	}
	out := &pool{nf: len(s.Frames), hits: slices.Clone(s.whole.hits), neg: slices.Clone(s.whole.neg),
		carry: slices.Clone(s.whole.carry), n: s.whole.n, tokens: s.whole.tokens, sents: s.whole.sents,
		parts: s.whole.parts, skip: skip, mom: newMoments(len(s.Frames))}
	out.mom.add(&s.whole.mom, 1)
	for _, p := range skip {
		out.add(p, -1)
	}
	return out
}

// add adds (sign 1) or subtracts (-1) the counts of p.
func (o *pool) add(p *pool, sign int) {
	o.n += sign * p.n
	o.tokens += int64(sign) * p.tokens
	o.sents += sign * p.sents
	o.mom.add(&p.mom, int64(sign))
	for f := range o.nf {
		o.hits[f] += int64(sign) * p.hits[f]
		o.neg[f] += int64(sign) * p.neg[f]
		o.carry[f] += int64(sign) * p.carry[f]
	}
}

// eachPart calls fn with every group pool of a pool of parts not skipped,
// in order, or with p itself.
func (p *pool) eachPart(fn func(q *pool)) {
	if p.parts == nil {
		fn(p)
		return
	}
	for _, q := range p.parts {
		if !slices.Contains(p.skip, q) {
			fn(q)
		}
	}
}

// docList returns the documents of p, concatenated from its parts when it
// has them (resampling by index needs one list).
func (p *pool) docList() []docTotals {
	if p.parts != nil && p.docs == nil {
		p.docs = make([]docTotals, 0, p.n)
		p.eachPart(func(q *pool) { p.docs = append(p.docs, q.docs...) })
	}
	return p.docs
}

func sortedUnique(groups []string) []string {
	g := slices.Clone(groups)
	slices.Sort(g)
	return slices.Compact(g)
}

func groupLabel(groups []string) string {
	g := slices.Clone(groups)
	slices.Sort(g)
	return strings.Join(g, "+")
}

// pool holds the documents of one unit in the flat layout the bootstrap
// draws from: per document its totals, per sentence its frame cells.
type pool struct {
	nf   int
	n    int // documents
	docs []docTotals
	// A pool of every group but some (restPool) lists the groups' pools
	// instead of copying their documents: parts, less skip.
	parts, skip []*pool
	tokens      int64
	sents       int
	hits        []int64
	neg         []int64
	wsum        []float64
	carry       []int64 // sentences carrying each frame
	// mom are the per-document second moments (exact integer sums), from
	// which a rest of many groups takes its variance as the corpus's less
	// side A's instead of a pass over every document.
	mom moments
}

// moments are, over a pool's documents, Σt², Σs² and per frame Σh², Σh·t,
// Σc², Σc·s (t tokens, s sentences, h hits, c sentences carrying the frame).
type moments struct {
	tt, ss         int64
	hh, ht, cc, cs []int64
}

func newMoments(nf int) moments {
	return moments{hh: make([]int64, nf), ht: make([]int64, nf), cc: make([]int64, nf), cs: make([]int64, nf)}
}

func (m *moments) add(o *moments, sign int64) {
	m.tt += sign * o.tt
	m.ss += sign * o.ss
	for f := range m.hh {
		m.hh[f] += sign * o.hh[f]
		m.ht[f] += sign * o.ht[f]
		m.cc[f] += sign * o.cc[f]
		m.cs[f] += sign * o.cs[f]
	}
}

// exactRestGroups is the most groups a rest side (restPool) may have for
// its normal-approximation variance to be summed document by document;
// a larger rest takes it from the corpus's moments less side A's: the same
// quantity in exact arithmetic, rounded differently (in the last digits),
// in time of side A instead of the corpus for each of thousands of
// comparisons. No rest of a corpus of up to 1,000 groups changes.
const exactRestGroups = 1000

type docTotals struct {
	tokens int64
	sents  int
	hits   []int64
	carry  []int64
	// sentence layout for within-document resampling: sentences with
	// words, each with its cells cellsAt[k]:cellsAt[k+1].
	sentTok []int32
	cellsAt []int32
	cellF   []int32
	cellH   []int32
}

func newPool(docs []*DocSummary, nf int) *pool {
	p := &pool{nf: nf, hits: make([]int64, nf), neg: make([]int64, nf), wsum: make([]float64, nf), carry: make([]int64, nf),
		mom: newMoments(nf)}
	for _, d := range docs {
		t := docTotals{hits: make([]int64, nf), carry: make([]int64, nf)}
		remap := make([]int32, len(d.SentTokens)) // sentence -> kept index, -1 dropped
		for i, n := range d.SentTokens {
			remap[i] = -1
			if n > 0 {
				remap[i] = int32(len(t.sentTok))
				t.sentTok = append(t.sentTok, n)
				t.tokens += int64(n)
			}
		}
		t.sents = len(t.sentTok)
		t.cellsAt = make([]int32, t.sents+1)
		// Cells are sorted by sentence: lay them out in kept-sentence order.
		ci := 0
		for k := 0; k < len(d.SentTokens); k++ {
			for ci < len(d.Cells) && int(d.Cells[ci].Sentence) < k {
				ci++
			}
			for ci < len(d.Cells) && int(d.Cells[ci].Sentence) == k {
				c := d.Cells[ci]
				p.neg[c.Frame] += int64(c.Negated)
				p.wsum[c.Frame] += c.Weighted
				if remap[k] >= 0 && c.Hits > 0 {
					t.cellF = append(t.cellF, c.Frame)
					t.cellH = append(t.cellH, c.Hits)
					t.hits[c.Frame] += int64(c.Hits)
					t.carry[c.Frame]++
				}
				ci++
			}
			if remap[k] >= 0 {
				t.cellsAt[remap[k]+1] = int32(len(t.cellF))
			}
		}
		p.tokens += t.tokens
		p.sents += t.sents
		ts := int64(t.sents)
		p.mom.tt += t.tokens * t.tokens
		p.mom.ss += ts * ts
		for f := range nf {
			p.hits[f] += t.hits[f]
			p.carry[f] += t.carry[f]
			p.mom.hh[f] += t.hits[f] * t.hits[f]
			p.mom.ht[f] += t.hits[f] * t.tokens
			p.mom.cc[f] += t.carry[f] * t.carry[f]
			p.mom.cs[f] += t.carry[f] * ts
		}
		p.docs = append(p.docs, t)
	}
	p.n = len(p.docs)
	return p
}

func (p *pool) rate(f int) float64 {
	if p.tokens == 0 {
		return 0
	}
	return 1000 * float64(p.hits[f]) / float64(p.tokens)
}

func (p *pool) share(f int) float64 {
	if p.sents == 0 {
		return 0
	}
	return float64(p.carry[f]) / float64(p.sents)
}

type reps struct {
	rate, share [][]float64 // [frame][replicate]
}

// replicates draws bs.B bootstrap replicates of every frame's rate and
// share (all frames from the same resample). key selects the random stream.
func (p *pool) replicates(key string, bs Bootstrap, forceSentences bool) (*reps, string) {
	if bs.B < 0 || p.tokens == 0 {
		return nil, ""
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	rng := rand.New(rand.NewPCG(bs.Seed, h.Sum64()))
	r := &reps{rate: make([][]float64, p.nf), share: make([][]float64, p.nf)}
	for f := range p.nf {
		r.rate[f] = make([]float64, bs.B)
		r.share[f] = make([]float64, bs.B)
	}
	hits := make([]int64, p.nf)
	carry := make([]int64, p.nf)
	bySentences := forceSentences || p.n < bs.MinDocs
	if !bySentences && p.n > bs.exactDocs() {
		p.normalReplicates(rng, r, bs.B)
		return r, ResampleNormal
	}
	docs := p.docList()
	if bySentences && p.sents > exactSentences {
		sentenceNormalReplicates(docs, p, rng, r, bs.B)
		return r, ResampleSentencesNormal
	}
	for b := range bs.B {
		clear(hits)
		clear(carry)
		var tokens, sents int64
		if bySentences {
			for _, d := range docs {
				n := len(d.sentTok)
				for range n {
					k := rng.IntN(n)
					tokens += int64(d.sentTok[k])
					sents++
					for c := d.cellsAt[k]; c < d.cellsAt[k+1]; c++ {
						hits[d.cellF[c]] += int64(d.cellH[c])
						carry[d.cellF[c]]++
					}
				}
			}
		} else {
			n := len(docs)
			for range n {
				d := &docs[rng.IntN(n)]
				tokens += d.tokens
				sents += int64(d.sents)
				for f := range p.nf {
					hits[f] += d.hits[f]
					carry[f] += d.carry[f]
				}
			}
		}
		for f := range p.nf {
			if tokens > 0 {
				r.rate[f][b] = 1000 * float64(hits[f]) / float64(tokens)
			}
			if sents > 0 {
				r.share[f][b] = float64(carry[f]) / float64(sents)
			}
		}
	}
	if bySentences {
		return r, ResampleSentences
	}
	return r, ResampleDocuments
}

// normalReplicates draws the replicates of a large pool from the normal
// approximation of the document bootstrap. Resampling documents, a pooled
// ratio R = Σh_i/Σt_i has (linearised, the delta method) the variance
// Σ(h_i − R·t_i)² / (Σt_i)². With thousands of documents the bootstrap
// distribution of such a ratio is normal to well within its own
// Monte-Carlo noise, and drawing it costs O(B) instead of O(B·n) per side:
// the difference between seconds and hours when each of 200 groups is
// compared with the rest of a corpus.
func (p *pool) normalReplicates(rng *rand.Rand, r *reps, B int) {
	// Sums of integers: the same in float64 as float64 of the integer sum.
	tokens, sents := float64(p.tokens), float64(p.sents)
	byMoments := len(p.parts)-len(p.skip) > exactRestGroups
	for f := range p.nf {
		rate := float64(p.hits[f]) / tokens
		share := float64(p.carry[f]) / sents
		var vr, vs float64
		if byMoments {
			// Σ(h − R·t)² = Σh² − 2R·Σht + R²·Σt², and the same for shares.
			m := &p.mom
			vr = max(0, float64(m.hh[f])-2*rate*float64(m.ht[f])+rate*rate*float64(m.tt))
			vs = max(0, float64(m.cc[f])-2*share*float64(m.cs[f])+share*share*float64(m.ss))
		}
		if !byMoments {
			p.eachPart(func(q *pool) {
				for i := range q.docs {
					d := &q.docs[i]
					er := float64(d.hits[f]) - rate*float64(d.tokens)
					es := float64(d.carry[f]) - share*float64(d.sents)
					vr += er * er
					vs += es * es
				}
			})
		}
		// se of the ratio: sqrt(Σe²) / Σt (the bootstrap's plug-in variance).
		seR := 1000 * math.Sqrt(vr) / tokens
		seS := math.Sqrt(vs) / sents
		for b := range B {
			z := rng.NormFloat64()
			r.rate[f][b] = 1000*rate + z*seR
			r.share[f][b] = share + z*seS
		}
	}
}

// sentenceNormalReplicates draws the replicates of the sentence bootstrap
// (each document's sentences resampled within it) from its normal
// approximation. With e_k = h_k − R·t_k for sentence k (h hits, t tokens,
// R the pooled rate), the linearised variance of the resampled rate is
// Σ_d Σ_{k∈d} (e_k − ē_d)² / T², and of the share of sentences carrying
// the frame (c_k ∈ {0, 1}; the number of sentences is fixed)
// Σ_d Σ_{k∈d} (c_k − c̄_d)² / S².
func sentenceNormalReplicates(docs []docTotals, p *pool, rng *rand.Rand, r *reps, B int) {
	T, S := float64(p.tokens), float64(p.sents)
	rate, share := make([]float64, p.nf), make([]float64, p.nf)
	for f := range p.nf {
		rate[f] = float64(p.hits[f]) / T
		share[f] = float64(p.carry[f]) / S
	}
	vr, vs := make([]float64, p.nf), make([]float64, p.nf)
	hh, ht := make([]float64, p.nf), make([]float64, p.nf)
	for i := range docs {
		d := &docs[i]
		n := float64(d.sents)
		if n == 0 {
			continue
		}
		clear(hh)
		clear(ht)
		var tt float64
		for k, tk := range d.sentTok {
			tt += float64(tk) * float64(tk)
			for c := d.cellsAt[k]; c < d.cellsAt[k+1]; c++ {
				h := float64(d.cellH[c])
				hh[d.cellF[c]] += h * h
				ht[d.cellF[c]] += h * float64(tk)
			}
		}
		for f := range p.nf {
			// Σ(e − ē)² = Σe² − n·ē², Σe² = Σh² − 2R·Σht + R²·Σt².
			R := rate[f]
			eBar := (float64(d.hits[f]) - R*float64(d.tokens)) / n
			vr[f] += max(0, hh[f]-2*R*ht[f]+R*R*tt-n*eBar*eBar)
			pd := float64(d.carry[f]) / n
			vs[f] += n * pd * (1 - pd)
		}
	}
	for f := range p.nf {
		seR := 1000 * math.Sqrt(vr[f]) / T
		seS := math.Sqrt(vs[f]) / S
		for b := range B {
			z := rng.NormFloat64()
			r.rate[f][b] = 1000*rate[f] + z*seR
			r.share[f][b] = share[f] + z*seS
		}
	}
}

func (p *pool) scores(frames []string, unit string, bs Bootstrap, forceSentences bool) []Score {
	bs = bs.norm()
	r, scheme := p.replicates(unit, bs, forceSentences)
	out := make([]Score, len(frames))
	for f, name := range frames {
		s := Score{Frame: name, Unit: unit, Docs: p.n, Sentences: p.sents, Tokens: p.tokens,
			Hits: p.hits[f], Negated: p.neg[f], Weighted: p.wsum[f],
			Rate: p.rate(f), Share: p.share(f), Resample: scheme,
			RateLo: math.NaN(), RateHi: math.NaN(), ShareLo: math.NaN(), ShareHi: math.NaN()}
		if p.tokens > 0 {
			s.WeightedRate = 1000 * p.wsum[f] / float64(p.tokens)
		}
		if r != nil {
			s.RateLo, s.RateHi = percentiles(r.rate[f], bs.Level)
			s.ShareLo, s.ShareHi = percentiles(r.share[f], bs.Level)
		}
		out[f] = s
	}
	return out
}

// percentiles returns the (1−level)/2 and (1+level)/2 quantiles of x
// (linear interpolation between order statistics, R's type 7). x is
// reordered. When every replicate is the same value — no hit in any
// resample, or one sentence resampled — the bootstrap has estimated
// nothing: the interval is NaN (null), never zero-width.
func percentiles(x []float64, level float64) (lo, hi float64) {
	if len(x) == 0 || slices.Min(x) == slices.Max(x) {
		return math.NaN(), math.NaN()
	}
	return order.Select(x, (1-level)/2), order.Select(x, (1+level)/2)
}
