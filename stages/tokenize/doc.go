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
//   - Lemmatizer (lemma.go) chooses the lemma by the tagger's Penn tag, as
//     Universal Dependencies English lemmatises: closed-class words and
//     clitics from a table ("also" stays "also", possessive "'s" stays "'s",
//     the verb "'s" is "be", "n't" is "not", "us" is "we"), irregular forms
//     by tag ("better" is "good" as JJR and "well" as RBR), and suffix rules
//     by tag whose candidates golem's English dictionary
//     (github.com/aaaton/golem/v4) decides between ("hoped": hope, not
//     hop). golem's own lookup ignores the part of speech and lemmatises
//     "also" to "conjurer"; it is used only as a word list.
//     eval lemmas measures it on UD English EWT (docs/EVAL.md). Stems come
//     from the Snowball English stemmer (github.com/kljensen/snowball);
//     stop words from DefaultStopList (stopwords.go, its sources named
//     there), Config.StopWordsFile and Config.ExtraStopWordsFile.
//
// A Tokenizer loads everything once in New and is safe for concurrent use.
// Per-word-form work (lemma, stem, stop flag, tagger features) is cached in
// a worker's cache, which the Tokenizer keeps across documents.
//
// A section of 2 MB or more (a transcript of millions of words on one
// line) is tokenized in two passes over chunks of its sentences: the first
// counts each chunk's tokens, so that Document.Tokens is allocated once at
// its size (ten million tokens grown by appends copied gigabytes), the
// second fills each chunk's part of it in place; SetWorkers lets the
// chunks run on the run's workers. A sentence is tokenized and tagged
// alone either way, so the tokens are those of the one-pass path.
package tokenize
