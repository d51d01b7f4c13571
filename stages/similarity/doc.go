// Package similarity finds each document's nearest documents by cosine of
// their TF-IDF rows: exactly up to Config.ExactDocs documents
// (vectorize.TopNeighbours, all pairs through an inverted index, time
// growing with the square of the corpus), approximately above. Either
// approximate search only proposes candidates; they are scored by their
// exact cosine, so a table's cosines are always exact and an approximate
// search can only miss a neighbour.
//
// Pruned (the default): the exact search over each row's heaviest terms
// proposes candidates. On the UN General Debate corpus it finds nearly
// all of the true 10 nearest at a small part of the exact search's CPU
// time (docs/EVAL.md, docs/PERFORMANCE.md).
//
// LSH (Config.Approximate "lsh"): a locality-sensitive hashing index of
// sign random projections (SimHash, Charikar 2002). Two rows at angle θ
// fall on the same side of a random hyperplane with probability 1 − θ/π,
// so the share of differing signature bits estimates θ/π. On UN speeches
// a document's true neighbours are barely nearer than the rest (every
// speech shares the UN's vocabulary), so no bucket is both narrow and
// sure: the tables gather a wide pool and the whole signature's Hamming
// distance, not the bucket, picks the few candidates scored exactly. It
// finds over 0.9 of the true 10 nearest on UN (docs/EVAL.md); the pruned
// search is still the default, faster and closer.
//
// The index: a document's signature is Tables·Bits bits, the signs of its
// normalised TF-IDF row's projections on as many hyperplanes with ±1
// coordinates; the sign of term j on planes 64w … 64w+63 is a 64-bit
// SplitMix64 hash of (seed, j, w), computed when needed, so no plane is
// stored. Table t keys the document by bits [t·Bits, (t+1)·Bits); each
// table is an array of (key, document) pairs sorted by key then document,
// so a bucket is a run of equal keys found by binary search. A document's
// pool is the members of its bucket in every table and, with Probes 1, of
// the Bits buckets whose key differs in one bit, deduplicated; the pool's
// LSHCandidates members nearest in Hamming distance (ties to the lower
// document) are sorted and scored by their exact cosine (summed in the
// order of the exact search, so a pair's cosine has the same bits either
// way), the best k kept, ties to the lower document.
//
// Determinism: no map is iterated and each document's search reads only
// the finished index, so the result depends on the matrix, k, the config
// and the seed, never on workers. A true neighbour is missed only when it
// shares no probed bucket with the document or LSHCandidates others are
// nearer in Hamming distance.
//
// Why not github.com/james-bowman/nlp's LSHIndex (the same SimHash and
// classic LSH tables): its SimHash draws hyperplanes from math/rand's global source (not
// seedable since Go 1.24, so every run differs), stores them dense (8 bytes
// per term and bit), and its ClassicLSH returns candidates in map order
// while LSHIndex.Search keeps the first of equal distances it meets, so
// the table would change between runs; and it would add a module to
// go.sum for a search written here in a page.
package similarity
