package topics

import (
	"fmt"
	"math"
)

// WindowCounts are mergeable boolean sliding-window counts for a set of
// relevant term ids, as gensim's WordOccurrenceAccumulator keeps them for
// CoherenceModel(coherence="c_npmi"): every window of Window consecutive
// tokens of a document is one virtual document (a document shorter than
// the window is one window as it is, even when empty), a term's count is the
// number of windows containing it, and a pair's count the number of windows
// containing both.
//
// gensim updates its window membership incrementally: sliding one step, it
// marks the token that left the window absent even when another copy of it
// is still inside, then marks the entering token present. The default
// reproduces that exactly, so that scores match gensim's c_npmi to float
// precision; Exact counts true window membership instead.
//
// A WindowCounts is not safe for concurrent Add: give each shard its own and
// Merge them.
type WindowCounts struct {
	Window  int
	Exact   bool
	Windows int64
	ids     []int32
	index   []int32 // term id → relevant index, or -1
	occ     []int64
	co      []int64 // r × r, upper triangle used
	mark    []int64
	pos     []int32 // position in present, or -1
	present []int32
}

// NewWindowCounts counts windows of size window for the relevant term ids
// (ids < vocabSize; duplicates are ignored).
func NewWindowCounts(relevant []int32, window, vocabSize int) *WindowCounts {
	c := &WindowCounts{Window: window, index: make([]int32, vocabSize)}
	for i := range c.index {
		c.index[i] = -1
	}
	for _, id := range relevant {
		if id >= 0 && int(id) < vocabSize && c.index[id] < 0 {
			c.index[id] = int32(len(c.ids))
			c.ids = append(c.ids, id)
		}
	}
	r := len(c.ids)
	c.occ = make([]int64, r)
	c.co = make([]int64, r*r)
	c.mark = make([]int64, r)
	c.pos = make([]int32, r)
	for i := range c.mark {
		c.mark[i] = -1
		c.pos[i] = -1
	}
	return c
}

// Add counts the windows of one document's term-id sequence (ids < 0 are
// out-of-vocabulary tokens: they take a position but are never counted).
func (c *WindowCounts) Add(seq []int32) {
	w := c.Window
	nwin := len(seq) - w + 1
	if len(seq) < w {
		nwin, w = 1, len(seq)
	}
	if w == 0 {
		c.Windows++
		return
	}
	if c.Exact {
		c.addExact(seq, w, nwin)
		return
	}
	// gensim's incremental membership (see the type's comment).
	for _, x := range c.present {
		c.pos[x] = -1
	}
	c.present = c.present[:0]
	for _, id := range seq[:w] {
		c.insert(c.rel(id))
	}
	c.count()
	for s := 1; s < nwin; s++ {
		c.remove(c.rel(seq[s-1]))
		c.insert(c.rel(seq[s+w-1]))
		c.count()
	}
}

func (c *WindowCounts) rel(id int32) int32 {
	if id < 0 || int(id) >= len(c.index) {
		return -1
	}
	return c.index[id]
}

func (c *WindowCounts) insert(x int32) {
	if x < 0 || c.pos[x] >= 0 {
		return
	}
	c.pos[x] = int32(len(c.present))
	c.present = append(c.present, x)
}

func (c *WindowCounts) remove(x int32) {
	if x < 0 || c.pos[x] < 0 {
		return
	}
	p := c.pos[x]
	last := c.present[len(c.present)-1]
	c.present[p] = last
	c.pos[last] = p
	c.present = c.present[:len(c.present)-1]
	c.pos[x] = -1
}

// count records one window whose members are c.present.
func (c *WindowCounts) count() {
	c.Windows++
	r := len(c.ids)
	for a, x := range c.present {
		c.occ[x]++
		for _, y := range c.present[a+1:] {
			lo, hi := min(x, y), max(x, y)
			c.co[int(lo)*r+int(hi)]++
		}
	}
}

func (c *WindowCounts) addExact(seq []int32, w, nwin int) {
	for s := 0; s < nwin; s++ {
		stamp := c.Windows
		for _, x := range c.present {
			c.pos[x] = -1
		}
		c.present = c.present[:0]
		for _, id := range seq[s : s+w] {
			x := c.rel(id)
			if x < 0 || c.mark[x] == stamp {
				continue
			}
			c.mark[x] = stamp
			c.insert(x)
		}
		c.count()
	}
	for _, x := range c.present {
		c.pos[x] = -1
	}
	c.present = c.present[:0]
}

// Merge adds another shard's counts; both must track the same ids.
func (c *WindowCounts) Merge(o *WindowCounts) error {
	if o.Window != c.Window || o.Exact != c.Exact || len(o.ids) != len(c.ids) {
		return fmt.Errorf("coherence: merging window counts of different shapes")
	}
	for i, id := range o.ids {
		if c.ids[i] != id {
			return fmt.Errorf("coherence: merging window counts of different term sets")
		}
	}
	c.Windows += o.Windows
	for i, v := range o.occ {
		c.occ[i] += v
	}
	for i, v := range o.co {
		c.co[i] += v
	}
	return nil
}

// Count returns the number of windows containing term id a, and with b ≥ 0
// the number containing both a and b.
func (c *WindowCounts) Count(a, b int32) int64 {
	x := c.index[a]
	if x < 0 {
		return 0
	}
	if b < 0 {
		return c.occ[x]
	}
	y := c.index[b]
	if y < 0 {
		return 0
	}
	if x == y {
		return c.occ[x]
	}
	lo, hi := min(x, y), max(x, y)
	return c.co[int(lo)*len(c.ids)+int(hi)]
}

// npmiEpsilon is gensim's EPSILON in direct_confirmation_measure.
const npmiEpsilon = 1e-12

// NPMI returns each topic's coherence and their mean, as gensim's c_npmi:
// for every ordered pair of distinct top terms, log((P(a,b)+ε)/(P(a)P(b)))
// / −log(P(a,b)+ε) with probabilities over windows, averaged over the pairs
// of a topic, then over topics.
func (c *WindowCounts) NPMI(topics [][]int32) (perTopic []float64, mean float64) {
	nw := float64(c.Windows)
	perTopic = make([]float64, len(topics))
	for t, top := range topics {
		sum, pairs := 0.0, 0
		for i, a := range top {
			for j, b := range top {
				if i == j {
					continue
				}
				co := float64(c.Count(a, b))
				num := co/nw + npmiEpsilon
				den := (float64(c.Count(a, -1)) / nw) * (float64(c.Count(b, -1)) / nw)
				v := math.Log(num/den) / -math.Log(co/nw+npmiEpsilon)
				sum += v
				pairs++
			}
		}
		if pairs > 0 {
			perTopic[t] = sum / float64(pairs)
		}
		mean += perTopic[t]
	}
	if len(topics) > 0 {
		mean /= float64(len(topics))
	}
	return perTopic, mean
}

// Diversity is the share of distinct terms among all topics' top terms
// (Dieng et al. 2020 use the top 25): 1 means no term is shared.
func Diversity(topics [][]int32) float64 {
	seen := map[int32]bool{}
	total := 0
	for _, top := range topics {
		for _, id := range top {
			seen[id] = true
			total++
		}
	}
	if total == 0 {
		return 0
	}
	return float64(len(seen)) / float64(total)
}

// Relevant returns the distinct term ids of topics, for NewWindowCounts.
func Relevant(topics [][]int32) []int32 {
	var out []int32
	seen := map[int32]bool{}
	for _, top := range topics {
		for _, id := range top {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}
