// Package tokenize splits the analysed sections of a document into sentences
// and tokens, tags parts of speech and adds lower-cased, lemmatised and
// stemmed forms and stop-word and punctuation flags.
//
// The pieces, and why each is what it is:
//
//   - Segmenter (segment.go, abbrev.go) is a hand-written rule-based sentence
//     splitter in the spirit of pragmatic_segmenter. prose's Punkt segmenter
//     passes 37 of pragmatic_segmenter's 52 English Golden Rules, splits
//     inside citations such as "(Smith et al., 2019)" and reloads its data on
//     every call; the rules here pass all 52 (51 when single newlines are
//     read as line wraps, the default), never split inside abbreviations,
//     citations or numbers, and return byte offsets instead of copies.
//     docs/eval-segmentation.md records the evaluation.
//   - appendWords (words.go) is a tokenizer modelled on prose's (Penn
//     Treebank conventions: clitics and punctuation split off), rewritten to
//     return byte offsets into Document.Clean and to keep abbreviations,
//     ellipses and URLs whole.
//   - Tagger (tagger.go) predicts with prose's averaged-perceptron weights,
//     read once from the data prose embeds. prose's tagger type is unexported
//     and builds a map of feature strings for every token; this one interns
//     feature values and sums weights from a compact table, so it tags tens
//     of times faster and gives the same tags as prose for the same tokens.
//   - Lemmas come from github.com/aaaton/golem/v4 (English dictionary) on the
//     lower-cased form, except for proper nouns (NNP, NNPS), which keep their
//     lower-cased form since golem ignores the part of speech; stems from the
//     Snowball English stemmer (github.com/kljensen/snowball); stop words
//     from the Snowball English stop list that the same package exposes
//     (english.IsStopWord), or from Config.StopWordsFile.
//
// A Tokenizer loads everything once in New and is safe for concurrent use.
// Per-word-form work (lemma, stem, stop flag, tagger features) is cached in
// a worker's cache, which the Tokenizer keeps across documents.
package tokenize
