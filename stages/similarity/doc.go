// Package similarity finds each document's nearest documents by cosine of
// their TF-IDF rows: exactly up to Config.ExactDocs documents
// (vectorize.TopNeighbours, all pairs through an inverted index, time
// growing with the square of the corpus), approximately above, through a
// locality-sensitive hashing index of sign random projections (SimHash,
// Charikar 2002) with multi-probe lookups.
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
// Why not github.com/james-bowman/nlp's LSHIndex: see docs/EVAL.md
// (nearest documents) for its measured recall, time and memory. In short,
// its SimHash draws hyperplanes from math/rand's global source (not
// seedable since Go 1.24, so every run differs), stores them dense (8 bytes
// per term and bit), and its ClassicLSH returns candidates in map order
// while LSHIndex.Search keeps the first of equal distances it meets, so
// the table would change between runs.
package similarity
