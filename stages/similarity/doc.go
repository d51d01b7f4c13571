// Package similarity finds each document's nearest documents by cosine of
// their TF-IDF rows: exactly up to Config.ExactDocs documents
// (vectorize.TopNeighbours, all pairs through an inverted index, time
// growing with the square of the corpus), approximately above. Either
// approximate search only proposes candidates; they are scored by their
// exact cosine, so a table's cosines are always exact and an approximate
// search can only miss a neighbour.
//
// Pruned (the default): the exact search over each row's heaviest terms
// proposes candidates. On the UN General Debate corpus it finds 0.97 of
// the true 10 nearest at an eighth of the exact search's CPU time.
//
// LSH (Config.Approximate "lsh"): a locality-sensitive hashing index of
// sign random projections (SimHash, Charikar 2002) with multi-probe
// lookups. On UN speeches, whose cosines are all alike, it either misses
// most neighbours or scores nearly every document (docs/EVAL.md).
//
// The index: the run's seed draws, for every term, Tables·Bits random signs
// (SplitMix64: ±1 hyperplane coordinates, 8 bytes per term and 64 planes);
// a document's Tables·Bits signature bits are the signs of its projections;
// table t keys the document by bits [t·Bits, (t+1)·Bits). Each table is an
// array of (key, document) pairs sorted by key then document, so a bucket
// is a run of equal keys found by binary search. A document's candidates
// are the members of its bucket in every table and, with Probes 1, of the
// Bits buckets whose key differs in one bit; they are deduplicated, sorted
// and scored by their exact cosine (summed in the order of the exact
// search, so a pair's cosine has the same bits either way), the best k kept,
// ties to the lower document.
//
// Determinism: no map is iterated and each document's search reads only
// the finished index, so the result depends on the matrix, k, the config
// and the seed, never on workers. A true neighbour is missed only when it
// shares no probed bucket with the document; recall@10 against the exact
// search on the UN General Debate corpus is in docs/EVAL.md.
//
// Why not github.com/james-bowman/nlp's LSHIndex (the same SimHash and
// classic LSH tables): its SimHash draws hyperplanes from math/rand's global source (not
// seedable since Go 1.24, so every run differs), stores them dense (8 bytes
// per term and bit), and its ClassicLSH returns candidates in map order
// while LSHIndex.Search keeps the first of equal distances it meets, so
// the table would change between runs; and it would add a module to
// go.sum for a search that this corpus shows to be the wrong tool.
package similarity
