// Package topics fits topic models to a document–term matrix from package
// vectorize and measures their quality.
//
// Models (Config.Model):
//
//   - "nmf" (default): non-negative matrix factorisation of the TF-IDF
//     matrix, X ≈ W·H, by cyclic coordinate descent on the Frobenius loss
//     (scikit-learn's solver "cd": Cichocki & Phan 2009, Hsieh & Dhillon
//     2011) from an NNDSVDa start (Boutsidis & Gallopoulos 2008) and
//     scikit-learn's stopping rule. Each sparse product is reused for
//     several coordinate sweeps (Gillis & Glineur 2012), which reaches the
//     same quality in fewer products; by default 20 outer iterations of 2
//     sweeps, which on 20 Newsgroups scored as well as scikit-learn's fit
//     (100–200 iterations) in an eighth of its time. It is the default model
//     because it gave the most coherent topics there (docs/eval-topics.md).
//   - "lda": latent Dirichlet allocation by collapsed Gibbs sampling
//     (Griffiths & Steyvers 2004) on the raw counts, parallelised as AD-LDA
//     (Newman et al. 2009).
//   - "lsa": latent semantic analysis, a randomised truncated SVD (Halko,
//     Martinsson & Tropp 2011) of the TF-IDF matrix.
//
// Determinism: every random draw comes from PCG streams seeded by
// Config.Seed. The NMF and LSA kernels split rows into fixed chunks whose
// results are written or summed in chunk order, so their output is
// bit-identical for any number of workers; LDA's shards depend on the worker
// count, so it is bit-identical for a given seed and worker count.
//
// Top terms: TopTerms ranks a topic's terms by w·(w/Σ_topics w)^γ with
// γ = Config.Exclusivity (0.5 by default; negative for the raw weight w), so
// that a term every topic weighs highly ("people", "know") gives way to
// terms specific to the topic.
//
// Quality: WindowCounts reproduces gensim's c_npmi (CoherenceModel with
// coherence="c_npmi", window_size=10): boolean sliding windows of 10
// tokens over each document's term-id sequence (out-of-vocabulary tokens keep
// their positions; a document shorter than the window is one window), NPMI
// with gensim's ε = 1e-12, averaged over ordered pairs of a topic's top
// terms and then over topics. Counts are mergeable (Add per document, Merge
// per shard). Diversity is the share of distinct terms among all topics' top
// 25 (Dieng et al. 2020).
//
// Why hand-written: github.com/james-bowman/nlp has truncated SVD and an LDA
// (SCVB0) but no NMF and no coherence measure; its LSA leaves documents that
// share no vocabulary as all-zero vectors whose cosine is NaN; its TruncatedSVD runs
// gonum's full dense SVD of the whole matrix and then truncates (11k × 18k
// for 20 Newsgroups), and its LDA seeds from the clock and merges updates
// from goroutines in arrival order, so it is not reproducible. gonum has no sparse kernels. The kernels here (sparse × dense
// products, Gram matrices, Gram–Schmidt) are small, parallel and
// deterministic; gonum's dense SVD factorises the small projected matrix of
// the randomised SVD.
package topics
