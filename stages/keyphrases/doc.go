// Package keyphrases finds the key phrases of a document: candidate noun
// phrases scored by one of several unsupervised extractors, or by a linear
// model fitted on Inspec over an extractor's ranking and phrase features
// (the default), with redundant phrases removed.
//
// # Candidates
//
// Candidates are the longest matches of MOD* NOUN+ over the Penn tags of
// stages/tokenize (MOD an adjective JJ/JJR/JJS, NOUN NN/NNS/NNP/NNPS),
// never crossing a sentence, punctuation mark or line break (a single
// line break after a line of 40 characters or more is a wrapped line of a
// paragraph, not a boundary: PDF text wraps every 60–70 characters) and
// never starting or ending with a stop word. Numbers, URLs, dotted abbreviations
// and the author names of "X et al." citations are not candidates. A phrase
// longer than MaxWords keeps its last MaxWords words. Options measured on
// Inspec dev and left off by default: "NP of NP" phrases (F1@10 −0.04),
// participles as modifiers (−0.02), all sub-phrases ending in a noun
// (−0.002). A phrase's identity is its Snowball (Porter2)
// stems; Norm is the lower-cased lemma form; Phrase its most frequent
// spelling.
//
// A document without tags (a language the tagger does not know: Spanish,
// French, Russian, Portuguese …; or tokenize.no_tags) takes every content
// word as a noun, so that its candidates are the runs of words between
// stop words (its language's, from the tokens, and this package's) and
// punctuation, as RAKE and YAKE find them; German text, whose nouns are
// capitalised, takes its other content words as modifiers.
//
// Each candidate also records its nested occurrences (Nested: inside a
// longer candidate, "talent competition" in "global talent competition")
// and the number of distinct longer candidates it occurs in (Containers):
// the counts of C-value (Frantzi, Ananiadou & Mima 2000). A candidate
// that is one of the document's author keywords (document.Document.
// AuthorKeywords, compared by stems) is marked Author.
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
//     phrase scores the sum of its words times ln(1 + its frequency,
//     nested uses included). The sum alone favours the longest phrases,
//     which in a full paper are one-off strings of its most frequent
//     words: F1@10 on SemEval-2010 train was 0.03–0.04, with the factor
//     0.16–0.19 (pke publishes about 0.16 on its test split).
//   - tfidf: count in the document × ln((N+1)/df), df from a PhraseDF
//     counted over the run's documents (Add/Merge, then Rank).
//   - ensemble (default): a linear model over member rankings
//     (1/(1+rank)) and phrase features — count, length, lead (title) and
//     first position, phrase and word idf, normalised TF-IDF, occurrences
//     as a whole noun phrase, word frequency, and the contexts of the
//     occurrences (ContextKind: in a list, before "of", after a verb, a
//     preposition or an article, in the last two sentences) — with weights
//     fitted by logistic regression on the Inspec train split and chosen on
//     dev (feature list in ensemble.go). It measured best on Inspec dev
//     (F1@10 0.376 against 0.336–0.347 for the single methods) and reaches
//     F1@10 0.402 on Inspec test; see docs/eval-keyphrases.md. The member
//     rankings are TF-IDF's only: PositionRank's weight came out near zero
//     and it cost a quarter of the extraction time; YAKE's rank added
//     0.002 to F1@5 on dev and nothing to F1@10 for a quarter of the
//     extraction time, so both were left out (members whose weights are
//     zero are not computed). Features for a phrase's recurring concept
//     (the count of its head word, a TopicRank-style topic weight over the
//     candidates sharing its head, its most frequent word) were fitted the
//     same way and left out: a gain on dev within noise, none on test.
//
// # Long documents, small corpora, author keywords
//
// The ensemble was fitted on abstracts (Inspec: at most about 500 words),
// where phrase counts are small and nearly every occurrence of a phrase
// is a whole noun phrase. A document longer than LongDocWords (1,000)
// words is ranked with weights fitted on full papers instead
// (fittedLongWeights: 97 SemEval-2010 papers), and its frequency feature
// takes the C-value instead of the raw count,
//
//	C(a) = log2|a| · (f(a) − Nested(a)/Containers(a)),  f = whole + nested occurrences
//
// (the second term only when a is nested): a frequent phrase counts its
// nested uses ("talent competition" inside "global talent competition"),
// a phrase that only ever occurs inside one longer phrase counts little,
// and a single word, whose log2|a| is 0, has no termhood; single words
// other than acronyms rank below every phrase of a long document, where
// they are its generic nouns ("countries", "fields"). The context
// features are left out of a long document (zero for every phrase): their
// shares measure an abstract's phrasing, and in the security paper they
// pushed its "scientific research security" (11 uses, mostly as a
// subject) below phrases that follow "in" or "and". Abstract-length
// documents (all of Inspec) are scored with the abstract model.
//
// Document frequencies from fewer than MinCorpusDocs (50) documents are
// ignored: the corpus-aware methods then rank as without a corpus. On
// Inspec dev, document frequencies from corpora of 2–10 abstracts scored
// no better than none, and F1@5 stayed lower up to 20 (the measurements are
// in docs/eval-keyphrases.md); with two documents a phrase's idf says
// only whether the other document uses it.
//
// The authors' own key phrases lead: the scores of the candidates that
// are author keywords are raised by one amount, just above every other
// candidate, so they come first in their own score order and the score
// still falls with the rank. A keyword the noun-phrase pattern cannot
// find, because one of its words is neither a modifier nor a noun
// ("global science and technology governance"), is a candidate wherever
// the text has its stems in order within a sentence; redundancy removal
// then drops its pieces ("global science", "technology governance") below
// it. A keyword that the analysed text does not say is ignored.
//
// Redundancy removal (on unless KeepRedundant) walks the ranking and drops
// a phrase whose stem set equals a better one's or that is a contiguous
// part of a better one, so the top N are N different ideas. Phrases that
// differ only in their head ("international talent flow" after
// "international talent mobility") are kept: words alone do not tell a
// synonym from a different idea ("scientific research cooperation" after
// "scientific research security").
//
// GroupPhrases gathers each document's own top phrases (Salient: its
// ranking without corpus statistics, salience 1/log2(1 + rank)) per group
// and ranks each group's distinctive phrases by prevalence (mean salience
// over the group's documents) times distinctiveness (the geometric mean,
// over the phrase and its words, of the group's share of their smoothed
// rates across groups). It replaced class-based TF-IDF (Grootendorst
// 2022), which on groups of one or a few documents ranked by raw counts:
// most phrases of a short text tie at one occurrence, and generic words
// ("paper", "approach", "China") led the retention paper's group. The
// words matter with few documents per group: nearly every phrase then
// occurs in one group only, and only its words tell "national
// competition", whose words the other side says all the time, from a
// phrase of the group's own vocabulary.
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
// inside the Extractor, safe for concurrent use) and keeps the word types
// it has seen from document to document; phrases are found in an
// open-addressing table keyed by their word numbers, without building a
// key per occurrence. Extraction stays under a fifth of the time of
// tokenising and tagging: BenchmarkExtractOverhead reports the ratio as
// extract-% (BenchmarkExtract and BenchmarkTokenizeTag time each step
// alone).
//
// EvalInspec scores any configuration on Inspec with the usual protocol
// (lower-case, stem, exact match, duplicates removed; macro averages).
package keyphrases
