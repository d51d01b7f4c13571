// Package frames measures framing with lexicons: it matches frame entries
// (words, prefix wildcards minus excluded words, phrases, optionally
// lemmas) in tokenised sentences, flags hits inside a negator's scope,
// counts which entries drive each frame (EntryStats), and turns the hits into
// document and group scores (rate per 1,000 words, share of sentences) with
// seeded percentile-bootstrap intervals and group differences. It reads
// framelens YAML lexicons and the dictionary formats users already own
// (LIWC .dic, WordStat .cat, Lexicoder .lc3, quanteda YAML), ships a CC0
// default lexicon (lexicons/default.yaml), and suggests new entries from a
// corpus by PPMI.
//
// The matcher, loaders and bootstrap are hand-written: the pinned NLP
// libraries (prose, james-bowman/nlp) have no dictionary matching, no
// reader for these dictionary formats and no resampling; the matching rules
// (leftmost-longest per frame, negation scope) must also be exactly the
// ones documented in docs/frames.md, which a general library would not pin
// down. Formulas and their sources: docs/methods.md.
//
// Matching is per sentence: a document of half a million tokens or more is
// matched by chunks of sentences on up to SetWorkers goroutines, with the
// hits of the one-goroutine path, in the same order.
package frames
