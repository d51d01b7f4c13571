// Package tokenize splits the analysed sections of a document into sentences
// and tokens, tags parts of speech and adds lower-cased, lemmatised and
// stemmed forms and stop-word flags.
//
// Tokens and tags come from github.com/jdkato/prose/v2. prose's model is
// loaded once per Tokenizer (prose.NewDocument would reload it on every call)
// and shared read-only by all workers.
package tokenize
