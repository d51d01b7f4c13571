// Package keyphrases finds the key phrases of a document: candidate noun
// phrases scored by one of several unsupervised extractors, or by a small
// linear ensemble of them, with redundant phrases removed.
//
// # Candidates
//
// Candidates are the longest matches of MOD* NOUN+ over the Penn tags of
// stages/tokenize (MOD an adjective JJ/JJR/JJS, NOUN NN/NNS/NNP/NNPS),
// never crossing a sentence, punctuation mark or line break and never
// starting or ending with a stop word. Numbers, URLs, dotted abbreviations
// and the author names of "X et al." citations are not candidates. A phrase
// longer than MaxWords keeps its last MaxWords words. Options measured on
// Inspec dev and left off by default: "NP of NP" phrases (F1@10 −0.04),
// participles as modifiers (−0.02), all sub-phrases ending in a noun
// (−0.002). A phrase's identity is its Snowball (Porter2)
// stems; Norm is the lower-cased lemma form; Phrase its most frequent
// spelling.
//
// # Methods (Config.Method)
//
//   - yake: Campos et al. 2020. Per word t: T_case = max(TF_U, TF_A)/(1+ln TF),
//     T_pos = ln(ln(3 + median sentence)), T_freq = TF/(mean+sd TF),
//     T_rel = (0.5 + DL/WL·TF/maxTF) + (0.5 + DR/WR·TF/maxTF),
//     T_sent = sentences(t)/sentences, S(t) = T_pos·T_rel/(T_case + T_freq/T_rel + T_sent/T_rel);
//     per phrase S = ΠS(t)/(TF(kw)·(1+ΣS(t))) with the "bi" weighting of
//     inner stop words. Lower is better. As in the reference code, the
//     co-occurrence window is one word and mean/sd TF are over non-stop
//     words; unlike it, terms are Snowball stems and the phrases scored are
//     the noun-phrase candidates above, not raw n-grams.
//   - textrank (Mihalcea & Tarau 2004: window 2, unweighted),
//     singlerank (Wan & Xiao 2008: window 10, weighted) and positionrank
//     (Florescu & Caragea 2017: window 10, weighted, PageRank biased to
//     Σ 1/position): PageRank (d = 0.85) over adjective and noun stems; a
//     phrase scores the sum of its words.
//   - tfidf: count in the document × ln((N+1)/df), df from a PhraseDF
//     counted over the run's documents (Add/Merge, then Rank).
//   - ensemble (default): a linear model over the YAKE and TF-IDF rankings
//     (1/(1+rank)) and phrase features — count, length, lead (title) and
//     first position, phrase and word idf, normalised TF-IDF, occurrences
//     as a whole noun phrase, word frequency — with weights fitted by
//     logistic regression on the Inspec train split and chosen on dev
//     (feature list in ensemble.go). It measured best on Inspec dev (F1@10
//     0.372 against 0.336–0.347 for the single methods) and reaches F1@10
//     0.388 on Inspec test; see docs/eval-keyphrases.md. PositionRank was a
//     member too, but its weight came out near zero (dev F1@10 0.371 with
//     it, 0.372 without) and it cost a quarter of the extraction time, so
//     the default leaves it out.
//
// Redundancy removal (on unless KeepRedundant) walks the ranking and drops
// a phrase whose stem set equals a better one's or that is a contiguous
// part of a better one, so the top N are N different ideas.
//
// GroupPhrases counts phrases per group and ranks each group's distinctive
// phrases by class-based TF-IDF (Grootendorst 2022):
// W(x,c) = tf(x,c)/|c| · ln(1 + A/f(x)).
//
// # Why hand-written
//
// YAKE exists for Python (the reference), Rust and WASM, and PositionRank
// in Python's pke, but a search of package registries found no Go
// implementation of either, and the Go keyword packages seen are RAKE or
// plain TextRank without POS-pattern candidates. Each method here is a page
// of code over the tokens stages/tokenize already produced.
// Stemming uses github.com/kljensen/snowball.
//
// Speed: an Extractor pools its per-document scratch space (a sync.Pool
// inside the Extractor, safe for concurrent use), so that extraction stays
// under a fifth of the time of tokenising and tagging (BenchmarkExtract vs
// BenchmarkTokenizeTag).
//
// EvalInspec scores any configuration on Inspec with the usual protocol
// (lower-case, stem, exact match, duplicates removed; macro averages).
package keyphrases
