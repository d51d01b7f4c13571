package similarity

import (
	"container/heap"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/framelens/framelens/stages/vectorize"
)

// Defaults. ExactDocs keeps the exact search where it costs seconds (its
// CPU time grows with the square of the corpus: 111 s for UN's 10,952
// speeches). The LSH settings were tuned on the first half of the UN
// speeches (docs/EVAL.md#nearest-documents): 8-bit keys put a true
// neighbour in the same bucket as its document in some of 128 tables
// almost always, and the 1,024 signature bits rank the pool well enough
// that 100 candidates hold nearly all of the true 10 there.
const (
	DefaultExactDocs     = 5000
	DefaultBits          = 8
	DefaultTables        = 128
	DefaultProbes        = -1
	DefaultLSHCandidates = 100
)

// maxSignatureBits bounds a document's signature (lsh_bits × lsh_tables):
// 512 bytes a document, and hashing time grows with it.
const maxSignatureBits = 4096

// Method names the search that produced a table.
const (
	MethodExact = "exact"
	MethodLSH   = "lsh"
	MethodPrune = "prune"
)

// Defaults of the pruned search (see Pruned).
const (
	DefaultPruneTerms = 100
	DefaultCandidates = 50
)

// ErrConfig is wrapped by every invalid setting.
var ErrConfig = fmt.Errorf("similarity config")

// Config chooses between the exact search and the LSH index. Zero values
// mean the defaults, so run.json records nothing until a key is set.
type Config struct {
	// ExactDocs is the largest corpus searched exactly (all pairs through an
	// inverted index); larger corpora use the LSH index. -1: always exact.
	ExactDocs int `yaml:"exact_docs,omitempty" json:"exact_docs,omitempty"`
	// Approximate is the search above ExactDocs: "prune" (the default: the
	// exact search over each row's PruneTerms heaviest terms proposes
	// Candidates, rescored on whole rows) or "lsh" (the LSH index below).
	Approximate string `yaml:"approximate,omitempty" json:"approximate,omitempty"`
	// PruneTerms and Candidates set the pruned search (defaults 100, 50).
	PruneTerms int `yaml:"prune_terms,omitempty" json:"prune_terms,omitempty"`
	Candidates int `yaml:"candidates,omitempty" json:"candidates,omitempty"`
	// Bits is the number of random hyperplanes per hash table (the bucket
	// key's length, 1–63): fewer make wider buckets and a larger pool.
	Bits int `yaml:"lsh_bits,omitempty" json:"lsh_bits,omitempty"`
	// Tables is the number of hash tables: more bring more true neighbours
	// into the pool, and Bits·Tables is the signature whose Hamming
	// distance ranks the pool (at most 4,096 bits).
	Tables int `yaml:"lsh_tables,omitempty" json:"lsh_tables,omitempty"`
	// Probes is the Hamming radius probed around a document's bucket in
	// each table: 1 probes the Bits buckets one bit away too (multi-probe
	// LSH), -1 only its own bucket; 0 is the default.
	Probes int `yaml:"lsh_probes,omitempty" json:"lsh_probes,omitempty"`
	// LSHCandidates is how many of a document's pool, the nearest by
	// Hamming distance of their whole signatures, are rescored by cosine.
	LSHCandidates int `yaml:"lsh_candidates,omitempty" json:"lsh_candidates,omitempty"`
}

func (c Config) withDefaults() Config {
	if c.ExactDocs == 0 {
		c.ExactDocs = DefaultExactDocs
	}
	if c.Bits == 0 {
		c.Bits = DefaultBits
	}
	if c.Tables == 0 {
		c.Tables = DefaultTables
	}
	if c.Probes == 0 {
		c.Probes = DefaultProbes
	}
	if c.LSHCandidates == 0 {
		c.LSHCandidates = DefaultLSHCandidates
	}
	if c.Approximate == "" {
		c.Approximate = MethodPrune
	}
	if c.PruneTerms == 0 {
		c.PruneTerms = DefaultPruneTerms
	}
	if c.Candidates == 0 {
		c.Candidates = DefaultCandidates
	}
	return c
}

// Pruned returns approximate k nearest neighbours by cosine: the exact
// search over each row's keep heaviest terms (vectorize.PruneRows) gives
// each row its cands best candidates, which are then scored by their exact
// cosine on the whole rows (bit-identical to vectorize.TopNeighbours') and
// the best k kept, ties to the lower row. A row's heaviest TF-IDF terms
// carry most of its cosine, so few true neighbours fall outside the
// candidates; the inverted index over pruned rows skips the long posting
// lists of common terms that make the exact search slow.
func Pruned(m *vectorize.CSR, k, keep, cands, workers int) [][]vectorize.Neighbour {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pre := vectorize.TopNeighbours(vectorize.PruneRows(m, keep), max(cands, k), workers)
	n := normalised(m)
	out := make([][]vectorize.Neighbour, m.Rows)
	parallel(m.Rows, workers, func() func(int) {
		dense := make([]float64, m.Cols)
		var cs []int32
		return func(i int) {
			cs = cs[:0]
			for _, nb := range pre[i] {
				cs = append(cs, int32(nb.Doc))
			}
			slices.Sort(cs)
			out[i] = best(n, i, cs, k, dense)
		}
	})
	return out
}

// Validate reports a setting out of range.
func (c Config) Validate() error {
	switch {
	case c.Approximate != "" && c.Approximate != MethodPrune && c.Approximate != MethodLSH:
		return fmt.Errorf("%w: similarity.approximate %q: use %q or %q", ErrConfig, c.Approximate, MethodPrune, MethodLSH)
	case c.LSHCandidates < 0:
		return fmt.Errorf("%w: similarity.lsh_candidates %d: use a positive number (0: the default %d)", ErrConfig, c.LSHCandidates, DefaultLSHCandidates)
	case c.PruneTerms < 0 || c.Candidates < 0:
		return fmt.Errorf("%w: similarity.prune_terms %d, candidates %d: use positive numbers (0: the defaults %d, %d)", ErrConfig, c.PruneTerms, c.Candidates, DefaultPruneTerms, DefaultCandidates)
	case c.ExactDocs < -1:
		return fmt.Errorf("%w: similarity.exact_docs %d: use a number of documents, or -1 for always exact", ErrConfig, c.ExactDocs)
	case c.Bits < 0 || c.Bits > 63:
		return fmt.Errorf("%w: similarity.lsh_bits %d: use 1 to 63 (0: the default %d)", ErrConfig, c.Bits, DefaultBits)
	case c.Tables < 0 || c.Tables > 1024:
		return fmt.Errorf("%w: similarity.lsh_tables %d: use 1 to 1024 (0: the default %d)", ErrConfig, c.Tables, DefaultTables)
	case c.Probes < -1 || c.Probes > 1:
		return fmt.Errorf("%w: similarity.lsh_probes %d: use 1 (one bit away too) or -1 (own bucket only); 0: the default %d", ErrConfig, c.Probes, DefaultProbes)
	case c.withDefaults().Bits*c.withDefaults().Tables > maxSignatureBits:
		d := c.withDefaults()
		return fmt.Errorf("%w: similarity.lsh_bits %d × lsh_tables %d = %d signature bits: use at most %d", ErrConfig, d.Bits, d.Tables, d.Bits*d.Tables, maxSignatureBits)
	}
	return nil
}

// Neighbours returns for every row of m its k most cosine-similar other
// rows, best first (ties by lower row), and the method used: the exact
// search (vectorize.TopNeighbours) up to cfg.ExactDocs rows, Pruned or LSH
// above. The output depends on m, k, cfg and seed, never on workers.
func Neighbours(m *vectorize.CSR, k int, cfg Config, seed uint64, workers int) ([][]vectorize.Neighbour, string) {
	cfg = cfg.withDefaults()
	switch {
	case cfg.ExactDocs < 0 || m.Rows <= cfg.ExactDocs:
		return vectorize.TopNeighbours(m, k, workers), MethodExact
	case cfg.Approximate == MethodLSH:
		return LSH(m, k, cfg, seed, workers), MethodLSH
	}
	return Pruned(m, k, cfg.PruneTerms, cfg.Candidates, workers), MethodPrune
}

// LSH returns approximate k nearest neighbours by cosine: sign random
// projections (SimHash) give every row a signature of cfg.Tables·cfg.Bits
// bits, cut into cfg.Tables table keys of cfg.Bits bits; a row's pool is
// the rows sharing a bucket with it in some table (and, with Probes 1, a
// bucket one bit away); the pool's cfg.LSHCandidates rows nearest in
// Hamming distance over the whole signature are scored by their exact
// cosine and the best k kept. Cosines are bit-identical to
// vectorize.TopNeighbours'; a neighbour is missed only when no table
// brings it into the pool or the signatures rank it out. Buckets are
// sorted arrays, distance ties go to the lower row and candidates are
// scored in row order: the result depends on seed, not on workers or
// scheduling.
func LSH(m *vectorize.CSR, k int, cfg Config, seed uint64, workers int) [][]vectorize.Neighbour {
	out, _ := lsh(m, k, cfg, seed, workers)
	return out
}

// stats describes one LSH search, for measurement.
type stats struct {
	meanPool, meanCandidates float64
	hash, index, search      time.Duration
}

func lsh(m *vectorize.CSR, k int, cfg Config, seed uint64, workers int) ([][]vectorize.Neighbour, stats) {
	var st stats
	start := time.Now()
	cfg = cfg.withDefaults()
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := normalised(m)
	nbits := cfg.Tables * cfg.Bits
	words := (nbits + 63) / 64
	sig, empty := signatures(n, nbits, seed, workers)
	st.hash = time.Since(start)
	start = time.Now()
	keyOf := func(i, t int) uint64 { return field(sig[i*words:(i+1)*words], t*cfg.Bits, cfg.Bits) }
	// One sorted (key, row) array per table: a bucket is a run of equal keys.
	tables := make([][]entry, cfg.Tables)
	parallel(cfg.Tables, workers, func() func(int) {
		return func(t int) {
			es := make([]entry, 0, m.Rows)
			for i := 0; i < m.Rows; i++ {
				if !empty[i] {
					es = append(es, entry{keyOf(i, t), int32(i)})
				}
			}
			sort.Slice(es, func(a, b int) bool {
				if es[a].key != es[b].key {
					return es[a].key < es[b].key
				}
				return es[a].row < es[b].row
			})
			tables[t] = es
		}
	})
	st.index = time.Since(start)
	start = time.Now()
	out := make([][]vectorize.Neighbour, m.Rows)
	npool := make([]int, m.Rows)
	ncands := make([]int, m.Rows)
	parallel(m.Rows, workers, func() func(int) {
		dense := make([]float64, m.Cols)
		stamp := make([]int32, m.Rows)
		near := make(hamHeap, 0, cfg.LSHCandidates+1)
		var cands []int32
		return func(i int) {
			if empty[i] {
				return
			}
			si := sig[i*words : (i+1)*words]
			near = near[:0]
			pool := 0
			add := func(es []entry, key uint64) {
				a := sort.Search(len(es), func(p int) bool { return es[p].key >= key })
				for p := a; p < len(es) && es[p].key == key; p++ {
					r := es[p].row
					if stamp[r] == int32(i)+1 || int(r) == i {
						continue
					}
					stamp[r] = int32(i) + 1
					pool++
					// The pool's nearest by Hamming distance, the
					// signatures' estimate of the angle.
					d := 0
					for w, x := range sig[int(r)*words : (int(r)+1)*words] {
						d += bits.OnesCount64(x ^ si[w])
					}
					c := hamCand{int32(d), r}
					if len(near) < cfg.LSHCandidates {
						heap.Push(&near, c)
					} else if c.less(near[0]) {
						near[0] = c
						heap.Fix(&near, 0)
					}
				}
			}
			for t, es := range tables {
				key := keyOf(i, t)
				add(es, key)
				if cfg.Probes > 0 {
					for b := 0; b < cfg.Bits; b++ {
						add(es, key^(1<<b))
					}
				}
			}
			cands = cands[:0]
			for _, c := range near {
				cands = append(cands, c.row)
			}
			slices.Sort(cands)
			npool[i], ncands[i] = pool, len(cands)
			out[i] = best(n, i, cands, k, dense)
		}
	})
	st.search = time.Since(start)
	if m.Rows > 0 {
		tp, tc := 0, 0
		for i := range npool {
			tp += npool[i]
			tc += ncands[i]
		}
		st.meanPool = float64(tp) / float64(m.Rows)
		st.meanCandidates = float64(tc) / float64(m.Rows)
	}
	return out, st
}

// signatures returns each row's nbits sign bits (words of 64, row after
// row; the bit of hyperplane b set when the row's projection on it is
// positive) and which rows are empty (no bits, no neighbours).
func signatures(n *vectorize.CSR, nbits int, seed uint64, workers int) ([]uint64, []bool) {
	words := (nbits + 63) / 64
	sig := make([]uint64, n.Rows*words)
	empty := make([]bool, n.Rows)
	parallel(n.Rows, workers, func() func(int) {
		acc := make([]float64, words*64)
		return func(i int) {
			ind, val := n.Row(i)
			if len(ind) == 0 {
				empty[i] = true
				return
			}
			total := project(acc, ind, val, seed, words)
			s := sig[i*words : (i+1)*words]
			for b := 0; b < nbits; b++ {
				if 2*acc[b]-total > 0 {
					s[b/64] |= 1 << (b % 64)
				}
			}
		}
	})
	return sig, empty
}

// hamCand is a pool member and its Hamming distance to the query.
type hamCand struct {
	dist int32
	row  int32
}

// less orders pool members: nearer first, then lower row.
func (a hamCand) less(b hamCand) bool {
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	return a.row < b.row
}

// hamHeap is a max-heap (the worst kept candidate on top).
type hamHeap []hamCand

func (h hamHeap) Len() int           { return len(h) }
func (h hamHeap) Less(i, j int) bool { return h[j].less(h[i]) }
func (h hamHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hamHeap) Push(x any)        { *h = append(*h, x.(hamCand)) }
func (h *hamHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// best scores the candidates of row i by cosine (n's rows have norm 1),
// summing over shared terms in ascending term order as
// vectorize.TopNeighbours does, so equal pairs get equal bits.
func best(n *vectorize.CSR, i int, cands []int32, k int, dense []float64) []vectorize.Neighbour {
	qi, qv := n.Row(i)
	for p, j := range qi {
		dense[j] = qv[p]
	}
	h := make(nbHeap, 0, k+1)
	for _, c := range cands {
		ci, cv := n.Row(int(c))
		dot := 0.0
		for p, j := range ci {
			if d := dense[j]; d != 0 {
				dot += d * cv[p]
			}
		}
		if dot <= 0 {
			continue
		}
		nb := vectorize.Neighbour{Doc: int(c), Sim: dot}
		if len(h) < k {
			heap.Push(&h, nb)
		} else if better(nb, h[0]) {
			h[0] = nb
			heap.Fix(&h, 0)
		}
	}
	for _, j := range qi {
		dense[j] = 0
	}
	sort.Slice(h, func(a, b int) bool { return better(h[a], h[b]) })
	return append([]vectorize.Neighbour(nil), h...)
}

type entry struct {
	key uint64
	row int32
}

// normalised returns m with every row scaled to norm 1, as
// vectorize.TopNeighbours scores them.
func normalised(m *vectorize.CSR) *vectorize.CSR {
	n := m.Clone()
	for i := 0; i < n.Rows; i++ {
		v := n.Val[n.Ptr[i]:n.Ptr[i+1]]
		s := 0.0
		for _, x := range v {
			s += x * x
		}
		if s == 0 {
			continue
		}
		s = math.Sqrt(s)
		for p := range v {
			v[p] /= s
		}
	}
	return n
}

// signs returns the ±1 coordinates (a set bit is +1) of hyperplanes
// 64·w … 64·w+63 on term j: ±1 rather than Gaussian (Achlioptas'
// database-friendly projections preserve angles as well), computed from the
// run's seed by SplitMix64's mixer when needed, so no plane is stored and
// the index takes no memory per term.
func signs(seed uint64, j int32, w int) uint64 {
	z := seed ^ 0x6c73685f7369676e // "lsh_sign": not the topic model's stream
	z += uint64(uint32(j))*0x9e3779b97f4a7c15 + uint64(w)*0xd1b54a32d192ed03
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	// A second round: consecutive terms and words must not give
	// correlated planes.
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// project sets acc[b] to the sum of the row's values over the terms whose
// sign for hyperplane b is +1, and returns the sum of all its values: the
// dot product with hyperplane b is then 2·acc[b] − total. Visiting the set
// bits only halves the work of adding or subtracting every value.
func project(acc []float64, ind []int32, val []float64, seed uint64, words int) (total float64) {
	clear(acc)
	for p, j := range ind {
		v := val[p]
		total += v
		for w := 0; w < words; w++ {
			a := acc[w*64 : w*64+64]
			for x := signs(seed, j, w); x != 0; x &= x - 1 {
				a[bits.TrailingZeros64(x)] += v
			}
		}
	}
	return total
}

// field returns n bits of the signature from bit off.
func field(s []uint64, off, n int) uint64 {
	var k uint64
	for b := 0; b < n; b++ {
		if s[(off+b)/64]&(1<<((off+b)%64)) != 0 {
			k |= 1 << b
		}
	}
	return k
}

// parallel runs f(i) for i in [0, n) on workers goroutines, each with its
// own state from mk.
func parallel(n, workers int, mk func() func(int)) {
	if workers > n {
		workers = max(n, 1)
	}
	next := make(chan int, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := mk()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// better orders neighbours: higher similarity first, then lower row.
func better(a, b vectorize.Neighbour) bool {
	if a.Sim != b.Sim {
		return a.Sim > b.Sim
	}
	return a.Doc < b.Doc
}

type nbHeap []vectorize.Neighbour

func (h nbHeap) Len() int           { return len(h) }
func (h nbHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h nbHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nbHeap) Push(x any)        { *h = append(*h, x.(vectorize.Neighbour)) }
func (h *nbHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Recall is the mean over rows with at least one true neighbour of the
// share of got's neighbours found in want (recall@k of an approximate
// search against the exact one).
func Recall(got, want [][]vectorize.Neighbour) float64 {
	sum, rows := 0.0, 0
	for i, w := range want {
		if len(w) == 0 {
			continue
		}
		set := make(map[int]bool, len(w))
		for _, nb := range w {
			set[nb.Doc] = true
		}
		hit := 0
		for _, nb := range got[i] {
			if set[nb.Doc] {
				hit++
			}
		}
		sum += float64(hit) / float64(len(w))
		rows++
	}
	if rows == 0 {
		return 1
	}
	return sum / float64(rows)
}
