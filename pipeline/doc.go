// Package pipeline runs framelens: it reads a corpus as a stream, fans the
// documents out to a pool of workers that apply the per-document stages
// (clean, tokenize, entities, key phrases, frames, term counting), puts the
// results back in input order, writes the long tables as they come, and
// reduces the mergeable statistics (document frequencies, group counts,
// frame summaries) into the corpus-level tables: vocabulary, TF-IDF, topic
// model, frame scores and group comparisons. It writes run.json last.
//
// The same input, config and seed give byte-identical tables whatever the
// number of workers: documents are written in input order and every random
// choice is seeded from Config.Seed.
package pipeline
