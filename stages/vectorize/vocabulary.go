package vectorize

import (
	"fmt"
	"math"
	"sort"
)

// Term is one vocabulary entry.
type Term struct {
	ID   int
	Term string
	DF   int
	// TF is the term's total count in the corpus.
	TF int
	// IDF is the inverse document frequency under the vocabulary's scheme.
	IDF float64
}

// Vocabulary is the pruned term list. Term ids are the terms' ranks in
// byte-wise sorted order, so that runs and shards that saw the same
// statistics agree on every id (scikit-learn also sorts its vocabulary).
type Vocabulary struct {
	Terms []Term
	// N is the number of documents the statistics came from.
	N      int
	Scheme string
	K1, B  float64
	NoNorm bool
	index  map[string]int
}

// Vocabulary prunes df by the configured min_df, max_df and max_terms and
// computes each term's idf.
func (v *Vectorizer) Vocabulary(df *DFStats) *Vocabulary {
	maxDoc := v.maxDocs(df.N)
	terms := make([]Term, 0, len(df.DF))
	for t, d := range df.DF {
		if d < v.cfg.MinDF || d > maxDoc {
			continue
		}
		terms = append(terms, Term{Term: t, DF: d, TF: df.TF[t]})
	}
	if v.cfg.MaxTerms > 0 && len(terms) > v.cfg.MaxTerms {
		sort.Slice(terms, func(i, j int) bool {
			if terms[i].TF != terms[j].TF {
				return terms[i].TF > terms[j].TF
			}
			return terms[i].Term < terms[j].Term
		})
		terms = terms[:v.cfg.MaxTerms]
	}
	sort.Slice(terms, func(i, j int) bool { return terms[i].Term < terms[j].Term })
	voc := &Vocabulary{Terms: terms, N: df.N, Scheme: v.cfg.Scheme, K1: v.cfg.K1, B: v.cfg.B,
		NoNorm: v.cfg.NoNorm, index: make(map[string]int, len(terms))}
	n := float64(df.N)
	for i := range terms {
		terms[i].ID = i
		voc.index[terms[i].Term] = i
		d := float64(terms[i].DF)
		switch v.cfg.Scheme {
		case SchemeIDFPlain:
			terms[i].IDF = math.Log(n / d)
		case SchemeBM25:
			terms[i].IDF = math.Log(1 + (n-d+0.5)/(d+0.5))
		default:
			terms[i].IDF = math.Log((1+n)/(1+d)) + 1
		}
	}
	return voc
}

// maxDocs is the highest document frequency max_df keeps out of n
// documents.
func (v *Vectorizer) maxDocs(n int) int {
	if v.cfg.MaxDF >= 1 {
		return n
	}
	return int(math.Floor(v.cfg.MaxDF*float64(n) + 1e-9))
}

// PrunedBy says which setting left term out of voc, which Vocabulary
// built from statistics giving term the document frequency df: "min_df",
// "max_df" or "max_terms", with its value as in the config ("min_df: 5"),
// or "" when term is in voc.
func (v *Vectorizer) PrunedBy(voc *Vocabulary, term string, df int) string {
	switch {
	case voc.ID(term) >= 0:
		return ""
	case df < v.cfg.MinDF:
		return fmt.Sprintf("min_df: %d", v.cfg.MinDF)
	case df > v.maxDocs(voc.N):
		return fmt.Sprintf("max_df: %v", v.cfg.MaxDF)
	}
	return fmt.Sprintf("max_terms: %d", v.cfg.MaxTerms)
}

// Len is the number of terms.
func (voc *Vocabulary) Len() int { return len(voc.Terms) }

// ID returns the id of term, or -1.
func (voc *Vocabulary) ID(term string) int {
	if voc.index == nil {
		// A Vocabulary built as a literal (or decoded) has no index: the
		// terms are sorted, so search them rather than build a map under
		// concurrent readers.
		i := sort.Search(len(voc.Terms), func(i int) bool { return voc.Terms[i].Term >= term })
		if i < len(voc.Terms) && voc.Terms[i].Term == term {
			return i
		}
		return -1
	}
	if id, ok := voc.index[term]; ok {
		return id
	}
	return -1
}

// Strings returns the terms in id order.
func (voc *Vocabulary) Strings() []string {
	out := make([]string, len(voc.Terms))
	for i, t := range voc.Terms {
		out[i] = t.Term
	}
	return out
}

// Sequence maps forms (from Vectorizer.Forms) to term ids; forms outside the
// vocabulary become -1 and still take a window position, as gensim's
// coherence accumulator does with out-of-dictionary words.
func (voc *Vocabulary) Sequence(forms []string) []int32 {
	out := make([]int32, len(forms))
	for i, f := range forms {
		out[i] = int32(voc.ID(f))
	}
	return out
}
