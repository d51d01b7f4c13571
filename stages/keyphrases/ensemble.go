package keyphrases

import (
	"math"
	"slices"
	"strings"
)

// The columns of a candidate's feature vector (eachFeatures).
const (
	featBias         = iota
	featYAKERank                                      // 1/(1 + rank) under YAKE
	featPosRankRank                                   // 1/(1 + rank) under PositionRank
	featTFIDFRank                                     // 1/(1 + rank) under TF-IDF
	featCount                                         // ln(1 + count); in a long document ln(1 + C-value)
	featWholeShare                                    // share of occurrences that are a whole noun phrase
	featOneWord                                       // one word
	featTwoWords                                      // two words
	featThreeWords                                    // three words
	featFourWords                                     // four or more words
	featLead                                          // occurs in the first line or sentence
	featPosition                                      // relative position of the first occurrence
	featIDF                                           // idf / ln(N + 1)
	featWordIDFMean                                   // mean word idf / ln(N + 1)
	featWordIDFLeast                                  // least word idf / ln(N + 1)
	featWordIDFFirst                                  // first word's idf / ln(N + 1)
	featGraph                                         // graph score / the document's best
	featTFIDF                                         // tf-idf / the document's best
	featNeverWhole                                    // never a whole noun phrase
	featWholeCount                                    // ln(1 + occurrences as a whole noun phrase)
	featSingleInside                                  // a single word never a whole noun phrase
	featWordTF                                        // ln(1 + mean occurrences of the phrase's words)
	featContext                                       // first of the numContexts ContextKind shares
	featPlainSingle  = featContext + int(numContexts) // a single word, not an acronym
	numFeatures      = featPlainSingle + 1
)

// fittedWeights are the ensemble's weights, fitted by logistic regression
// on the Inspec train split (label: the phrase is a gold key phrase) and
// checked on dev; see features for their order. The YAKE, PositionRank
// and graph-score columns were left out of the fit (weight 0: not
// computed), see the package documentation. Only these numbers come from
// Inspec, no text of it.
func fittedWeights() [numFeatures]float64 {
	return [numFeatures]float64{
		-1.7229, 0.0000, 0.0000, -0.0023, 0.6929, -1.7229,
		-1.7120, -0.1244, 0.2278, -0.1143, 0.6878, -0.7395,
		1.6845, -0.8265, 0.4911, 1.3510, 0.0000, 0.2319,
		0.0000, 0.6929, 0.0000, -0.2430,
		0.5259, -0.3960, 0.0733, 0.6035, 0.2026, 0.1396,
		0,
	}
}

// fittedLongWeights are the ensemble's weights for documents longer than
// LongDocWords, fitted the same way (logistic regression, L2 1e-4, by
// Newton's method) on full papers: the tuning part of SemEval-2010 train
// (97 papers; semevalHeldOut in the tests names the other 48), with the
// features a long document has (C-value as the count; no context or
// whole-share features). The abstract model ranks full papers below
// PositionRank; this one above it (docs/EVAL.md). YAKE and PositionRank
// are left out as in the abstract model: with them the tuning F1@10 rose
// by 0.01 but they cost more extraction time than the budget allows.
// Single words other than acronyms were left out of the fit and weigh
// −10, below every phrase: fitted with them, the model ranked a paper's
// or speech's generic nouns high ("countries", "fields"; "years",
// "nation", "Senate" on State of the Union addresses), for 0.01 F1@10 on
// SemEval-2010, whose gold holds many single computing terms.
func fittedLongWeights() [numFeatures]float64 {
	return [numFeatures]float64{
		-4.6670, 0.0000, 0.0000, -0.0360, 1.3987, 0.0000,
		0.5966, 0.0453, 0.0397, -0.6815, 1.5201, -3.4506,
		-0.5091, -0.0971, -0.0808, 1.0465, 0.0000, 0.5318,
		0.0000, -0.3817, 0.0000, 0.1917,
		0.0000, 0.0000, 0.0000, 0.0000, 0.0000, 0.0000,
		-10.0000,
	}
}

// weightsFor returns the ensemble's weights for a document of c's length.
func (e *Extractor) weightsFor(c *DocCandidates) *[numFeatures]float64 {
	if c.Words > LongDocWords {
		return &e.long
	}
	return &e.weights
}

// ensemble scores each candidate by a linear model over the ranks the
// member scorers give it and a few shape features:
//
//	S(p) = Σ_i w_i·x_i(p)
func (e *Extractor) ensemble(c *DocCandidates, df *PhraseDF) []float64 {
	w := e.weightsFor(c)
	out := make([]float64, len(c.Phrases))
	eachFeatures(c, df, w, func(i int, f *[numFeatures]float64) {
		var s float64
		for j, v := range f {
			s += w[j] * v
		}
		out[i] = s
	})
	return out
}

// eachFeatures calls fn with the feature vector of every candidate (built
// on the stack: a document has thousands of candidates). Columns whose
// weight in w is zero may be left zero; w nil computes all. The columns
// (named by the feat constants):
//
//	0 bias
//	1–3 1/(1 + rank) under YAKE, PositionRank and TF-IDF
//	4 ln(1 + count); in a document longer than LongDocWords, ln(1 + C-value)
//	5 share of occurrences that are a whole noun phrase (1 in a long document)
//	6–9 one, two, three, four or more words
//	10 occurs in the first line or sentence
//	11 relative position of the first occurrence
//	12 idf / ln(N + 1)
//	13–15 mean, least and first word idf / ln(N + 1)
//	16 graph score / best graph score of the document
//	17 tf-idf / best tf-idf of the document
//	18 never a whole noun phrase (only inside longer ones; 0 in a long document)
//	19 ln(1 + occurrences as a whole noun phrase) (0 for a single word in a long document)
//	20 a single word that is never a whole noun phrase (0 in a long document)
//	21 ln(1 + mean occurrences of the phrase's words)
//	22–27 share of occurrences in each ContextKind: coordinated, before
//	      "of", after a verb, after a preposition, in the last two
//	      sentences, after an article
//	28 a single word that is not an acronym
func eachFeatures(c *DocCandidates, df *PhraseDF, w *[numFeatures]float64, fn func(i int, f *[numFeatures]float64)) {
	n := len(c.Phrases)
	tf := make([]float64, n)
	var bestG, bestT float64
	for i, p := range c.Phrases {
		tf[i] = tfidf(p, df)
		bestT = math.Max(bestT, tf[i])
		bestG = math.Max(bestG, p.Graph)
	}
	// rr[k][i] is 1/(1 + rank) of candidate i under scorer k.
	var rr [3][]float64
	ordered := countOrdered(c)
	rank := func(k int, score func(i int) float64) {
		if w != nil && w[featYAKERank+k] == 0 {
			return // not used: spare the sort
		}
		s := make([]float64, n)
		for i := range s {
			s[i] = score(i)
		}
		// The order is computed before s is overwritten with the ranks.
		if ordered {
			rankInPlace(s)
		} else {
			for r, i := range rankOrder(c, s) {
				s[i] = 1 / float64(r+1)
			}
		}
		rr[k] = s
	}
	// Without a corpus every phrase and word has the same idf.
	constIDF := df == nil || df.N == 0
	rank(0, func(i int) float64 { return -c.Phrases[i].YAKE })
	rank(1, func(i int) float64 { return c.Phrases[i].Graph })
	if constIDF && (w == nil || w[featTFIDFRank] != 0) && ordered {
		rr[2] = rankByCount(c)
	} else {
		rank(2, func(i int) float64 { return tf[i] })
	}
	norm := math.Log(2)
	if df != nil && df.N > 0 {
		norm = math.Log(float64(df.N + 1))
	}
	idf0 := df.idf("")
	long := c.Words > LongDocWords
	var f [numFeatures]float64 // one vector, reused: fn must not keep it
	for i, p := range c.Phrases {
		f = [numFeatures]float64{}
		f[featBias] = 1
		for k := range rr {
			if rr[k] != nil {
				f[featYAKERank+k] = rr[k][i]
			}
		}
		f[featCount] = math.Log1p(float64(p.Count))
		f[featWholeShare] = float64(p.Maximal) / float64(p.Count)
		f[featOneWord+min(p.Words, 4)-1] = 1
		if p.Lead {
			f[featLead] = 1
		}
		f[featPosition] = float64(p.FirstPos) / float64(max(c.Words, 1))
		if constIDF {
			f[featIDF] = idf0 / norm
		} else {
			f[featIDF] = df.idf(p.Key) / norm
		}
		if constIDF {
			f[featWordIDFMean], f[featWordIDFLeast], f[featWordIDFFirst] = f[featIDF], f[featIDF], f[featIDF]
		} else {
			least := math.Inf(1)
			k := 0
			for wd := range strings.SplitSeq(p.Key, " ") {
				v := df.wordIDF(wd) / norm
				f[featWordIDFMean] += v
				least = math.Min(least, v)
				if k == 0 {
					f[featWordIDFFirst] = v
				}
				k++
			}
			f[featWordIDFMean] /= float64(k)
			f[featWordIDFLeast] = least
		}
		if bestG > 0 {
			f[featGraph] = p.Graph / bestG
		}
		if bestT > 0 {
			f[featTFIDF] = tf[i] / bestT
		}
		if p.Maximal == 0 {
			f[featNeverWhole] = 1
			if p.Words == 1 {
				f[featSingleInside] = 1
			}
		}
		f[featWholeCount] = math.Log1p(float64(p.Maximal))
		if long {
			cv := cValue(p)
			f[featCount], f[featWholeShare], f[featNeverWhole], f[featSingleInside] = math.Log1p(cv), 1, 0, 0
			if p.Words == 1 {
				// As in the C-value, a single word gains no termhood by
				// frequency: the papers' frequent single words are their
				// subject's generic nouns ("countries", "fields", "system").
				f[featWholeCount] = 0
			}
		}
		f[featWordTF] = math.Log1p(p.WordTF)
		if p.Words == 1 && !p.Acronym {
			f[featPlainSingle] = 1
		}
		if !long {
			for k, n := range p.Context {
				f[featContext+k] = float64(n) / float64(p.Count)
			}
		}
		fn(i, &f)
	}
}

// countOrdered reports whether the candidates are in strictly ascending
// order of first position, as Candidates makes them unless sub-phrases
// share a start.
func countOrdered(c *DocCandidates) bool {
	for i := 1; i < len(c.Phrases); i++ {
		if c.Phrases[i].FirstPos <= c.Phrases[i-1].FirstPos {
			return false
		}
	}
	return true
}

// rankInPlace replaces each score by 1/(1 + rank) under descending score,
// ties to the lower index: rankOrder's order when countOrdered holds (the
// index order is then the first-position order, and no two candidates
// share a position).
func rankInPlace(s []float64) {
	type si struct {
		score float64
		i     int32
	}
	v := make([]si, len(s))
	for i, x := range s {
		v[i] = si{x, int32(i)}
	}
	slices.SortFunc(v, func(a, b si) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.i - b.i)
	})
	for r, x := range v {
		s[x.i] = 1 / float64(r+1)
	}
}

// rankByCount is 1/(1 + rank) of every candidate under TF-IDF with one idf
// for all, that is by descending count, ties to the earlier phrase: the
// order rankOrder gives, by a counting sort (countOrdered must hold).
func rankByCount(c *DocCandidates) []float64 {
	maxC := 0
	for i := range c.Phrases {
		maxC = max(maxC, c.Phrases[i].Count)
	}
	// start[k] is the first rank of the phrases counted maxC − k times.
	start := make([]int, maxC+2)
	for i := range c.Phrases {
		start[maxC-c.Phrases[i].Count+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	out := make([]float64, len(c.Phrases))
	for i := range c.Phrases {
		k := maxC - c.Phrases[i].Count
		out[i] = 1 / float64(start[k]+1)
		start[k]++
	}
	return out
}

// rankOrder sorts candidate indexes by descending score; ties go to the
// earlier phrase, then to the key, so the order is total and deterministic.
func rankOrder(c *DocCandidates, s []float64) []int {
	return topOrder(c, s, len(s))
}

// ranked is what rankOrder sorts: packed, so comparisons stay in cache.
type ranked struct {
	score float64
	pos   int32
	i     int32
}

func (a ranked) before(b ranked, c *DocCandidates) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.pos != b.pos {
		return a.pos < b.pos
	}
	return c.Phrases[a.i].Key < c.Phrases[b.i].Key
}

// topOrder returns the k best candidate indexes in rank order (all of them
// when k >= len(s)). For small k it selects with a bounded heap instead of
// sorting everything.
func topOrder(c *DocCandidates, s []float64, k int) []int {
	n := len(s)
	rs := make([]ranked, n)
	for i := range rs {
		rs[i] = ranked{s[i], int32(c.Phrases[i].FirstPos), int32(i)}
	}
	cmp := func(a, b ranked) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		case a.pos != b.pos:
			return int(a.pos - b.pos)
		}
		return strings.Compare(c.Phrases[a.i].Key, c.Phrases[b.i].Key)
	}
	if k < n/4 {
		// Min-heap (worst on top) of the best k seen so far.
		h := make([]ranked, 0, k)
		down := func(j int) {
			for {
				l := 2*j + 1
				if l >= len(h) {
					return
				}
				if r := l + 1; r < len(h) && h[l].before(h[r], c) {
					l = r
				}
				if !h[j].before(h[l], c) {
					return
				}
				h[j], h[l] = h[l], h[j]
				j = l
			}
		}
		for _, r := range rs {
			if len(h) < k {
				h = append(h, r)
				for j := len(h) - 1; j > 0; {
					p := (j - 1) / 2
					if !h[p].before(h[j], c) {
						break
					}
					h[p], h[j] = h[j], h[p]
					j = p
				}
				continue
			}
			if r.before(h[0], c) {
				h[0] = r
				down(0)
			}
		}
		rs = h
	}
	slices.SortFunc(rs, cmp)
	if len(rs) > k {
		rs = rs[:k]
	}
	out := make([]int, len(rs))
	for j, r := range rs {
		out[j] = int(r.i)
	}
	return out
}

// LongDocWords is the length in words above which a document is scored as
// a long document: the frequency feature takes the C-value (cValue)
// instead of the raw count the ensemble was fitted with on Inspec
// abstracts (the longest has about 500 words).
const LongDocWords = 1000

// cValue is the C-value of a candidate (Frantzi, Ananiadou & Mima 2000):
// log2|a|·(f(a) − mean f(b) over the longer candidates b containing a),
// f counting nested occurrences too; the mean is Nested/Containers, the
// mean count of the containers (each counted where it holds a). A single
// word has none.
func cValue(p Candidate) float64 {
	f := float64(p.Maximal + p.Nested)
	if p.Containers > 0 {
		f -= float64(p.Nested) / float64(p.Containers)
	}
	return math.Log2(float64(p.Words)) * f
}
