// Package vectorize turns tokenised documents into term counts, a stable
// vocabulary, sparse document–term matrices, TF-IDF/BM25 weights, cosine
// neighbours and term-id sequences for coherence windows.
//
// Flow (a map–reduce over shards): Vectorizer.Count per document →
// DFStats.Add / Merge → Vectorizer.Vocabulary (pruning) →
// Vocabulary.CountMatrix → Vocabulary.Weight → TopNeighbours.
//
// Tokens: the counted form is the token's Lemma (default), Lower, Stem or
// Text. Punctuation, tokens flagged IsStop (unless KeepStopwords), forms in
// Config.StopWords, forms shorter than MinLen (default 2, like
// scikit-learn's \b\w\w+\b) and forms without a letter (unless KeepNumbers)
// are dropped. N-grams are built from runs of adjacent kept tokens; a run
// ends at a sentence boundary and at every dropped token, so an n-gram never
// crosses a sentence nor skips over a removed word ("rise of China" gives no
// "rise china").
//
// Vocabulary: terms with df < MinDF or df > MaxDF·n are dropped; MaxTerms
// keeps the most frequent by total count (ties by term). Ids are ranks in
// byte-wise sorted term order, like scikit-learn's vocabulary_, so shards
// and runs that merged the same statistics agree on every id.
//
// Weights of term t in document d (tf = raw count, n documents, df of t):
//
//	sklearn    tf · (ln((1+n)/(1+df)) + 1)          scikit-learn TfidfVectorizer defaults
//	sublinear  (1 + ln tf) · (ln((1+n)/(1+df)) + 1)  sublinear_tf=True
//	idf_plain  tf · ln(n/df)                         (scikit-learn's smooth_idf=False adds 1)
//	bm25       ln(1 + (n−df+0.5)/(df+0.5)) · tf(k1+1) / (tf + k1(1 − b + b·dl/avgdl))
//
// with dl the document's count of vocabulary terms and avgdl its mean over
// the matrix (k1 = 1.2, b = 0.75 by default); every row is then L2-normalised
// unless NoNorm. Tests check each scheme against these formulas to 1e-12,
// and bench/peers/peers.py checks sklearn, sublinear and idf_plain against
// scikit-learn's TfidfVectorizer and bm25 against numpy to 1e-9.
//
// Why not github.com/james-bowman/nlp: its TfidfTransformer weights by
// ln((1+n)/(1+df)) without scikit-learn's +1 and does not normalise rows, has
// no sublinear or BM25 weighting and no min_df/max_df/max_features pruning;
// its vocabulary ids follow first sight, so shards disagree; and cosine
// similarity of an all-zero vector (a document sharing no vocabulary) is
// NaN. The package has been unmaintained since 2021. Counting, pruning and
// weighting are a few dozen lines here; the matrix is a small CSR type with
// int32 column ids (half the index memory of github.com/james-bowman/sparse,
// which CSR.Sparse converts to for use with that library).
package vectorize
