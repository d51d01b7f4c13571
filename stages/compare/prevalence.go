package compare

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/framelens/framelens/stages/internal/quantile"
)

// Bootstrap configures percentile bootstrap intervals. The zero value is
// 1000 replicates, seed 0, 95%.
type Bootstrap struct {
	B     int     `yaml:"b"` // 0 = 1000; negative = no interval
	Seed  uint64  `yaml:"seed"`
	Level float64 `yaml:"level"` // 0 = 0.95
	// ExactDocs: past this many documents on the two sides together, the
	// replicates come from the normal approximation; 0 = 1000, negative =
	// always resample.
	ExactDocs int `yaml:"exact_docs"`
}

func (b Bootstrap) exactDocs() int {
	switch {
	case b.ExactDocs < 0:
		return math.MaxInt
	case b.ExactDocs == 0:
		return 1000
	}
	return b.ExactDocs
}

// DocTopics is one document's topic weights (for example an LDA or NMF
// document-topic row) with its group.
type DocTopics struct {
	ID      string
	Group   string
	Weights []float64
}

// Prevalence is a topic's mean document weight in the two sides of a
// comparison and their difference A − B with a bootstrap interval.
type Prevalence struct {
	Comparison   string
	Topic        int
	MeanA, MeanB float64
	Diff, Lo, Hi float64
	DocsA, DocsB int
}

// TopicPrevalence compares mean document-topic weights between the sides of
// cmpn (empty B = all other groups). The interval resamples documents with
// replacement within each side independently (percentile bootstrap, seeded
// by Bootstrap.Seed and the comparison's label).
func TopicPrevalence(docs []DocTopics, cmpn Comparison, bs Bootstrap) ([]Prevalence, error) {
	if bs.B == 0 {
		bs.B = 1000
	}
	if bs.Level == 0 {
		bs.Level = 0.95
	}
	// Sort a copy by ID so the result does not depend on input order.
	sorted := slices.Clone(docs)
	slices.SortStableFunc(sorted, func(x, y DocTopics) int { return strings.Compare(x.ID, y.ID) })
	return TopicPrevalenceSorted(sorted, cmpn, bs)
}

// TopicPrevalenceSorted is TopicPrevalence of documents already sorted by
// ID (stably): a plan of many comparisons sorts them once.
func TopicPrevalenceSorted(sorted []DocTopics, cmpn Comparison, bs Bootstrap) ([]Prevalence, error) {
	if bs.B == 0 {
		bs.B = 1000
	}
	if bs.Level == 0 {
		bs.Level = 0.95
	}
	var a, b [][]float64
	k := -1
	for _, d := range sorted {
		if k < 0 {
			k = len(d.Weights)
		}
		if len(d.Weights) != k {
			return nil, fmt.Errorf("compare: topic prevalence: document %s has %d topics, others %d", d.ID, len(d.Weights), k)
		}
		switch {
		case slices.Contains(cmpn.A, d.Group):
			a = append(a, d.Weights)
		case len(cmpn.B) == 0 || slices.Contains(cmpn.B, d.Group):
			b = append(b, d.Weights)
		}
	}
	if len(a) == 0 || len(b) == 0 {
		return nil, fmt.Errorf("compare: topic prevalence %s: a side has no documents (A %d, B %d)", cmpn.Label(), len(a), len(b))
	}
	h := fnv.New64a()
	h.Write([]byte(cmpn.Label()))
	rng := rand.New(rand.NewPCG(bs.Seed, h.Sum64()))
	out := make([]Prevalence, k)
	for t := range k {
		out[t] = Prevalence{Comparison: cmpn.Label(), Topic: t, MeanA: colMean(a, t), MeanB: colMean(b, t),
			DocsA: len(a), DocsB: len(b), Lo: math.NaN(), Hi: math.NaN()}
		out[t].Diff = out[t].MeanA - out[t].MeanB
	}
	// Resampling a side of one document always gives it back: a
	// zero-width "interval" that estimates nothing. No interval then.
	if bs.B < 0 || len(a) < MinDocsPerSide || len(b) < MinDocsPerSide {
		return out, nil
	}
	reps := make([][]float64, k)
	for t := range reps {
		reps[t] = make([]float64, bs.B)
	}
	if len(a)+len(b) > bs.exactDocs() {
		// Normal approximation of the bootstrap of a difference of means:
		// O(B) instead of O(B·n) (see frames' normalReplicates).
		for t := range k {
			se := math.Sqrt(colVar(a, t)/float64(len(a)) + colVar(b, t)/float64(len(b)))
			for r := range bs.B {
				reps[t][r] = out[t].Diff + rng.NormFloat64()*se
			}
		}
	}
	sumA, sumB := make([]float64, k), make([]float64, k)
	for r := range bs.B {
		if len(a)+len(b) > bs.exactDocs() {
			break
		}
		clear(sumA)
		clear(sumB)
		for range a {
			for t, w := range a[rng.IntN(len(a))] {
				sumA[t] += w
			}
		}
		for range b {
			for t, w := range b[rng.IntN(len(b))] {
				sumB[t] += w
			}
		}
		for t := range k {
			reps[t][r] = sumA[t]/float64(len(a)) - sumB[t]/float64(len(b))
		}
	}
	for t := range k {
		if slices.Min(reps[t]) == slices.Max(reps[t]) {
			continue // every replicate alike: no interval, not a zero-width one
		}
		out[t].Lo = quantile.Select(reps[t], (1-bs.Level)/2)
		out[t].Hi = quantile.Select(reps[t], (1+bs.Level)/2)
	}
	return out, nil
}

// colVar is the plug-in (divide by n) variance of column t, as the
// bootstrap of a mean sees it.
func colVar(rows [][]float64, t int) float64 {
	m := colMean(rows, t)
	var s float64
	for _, r := range rows {
		s += (r[t] - m) * (r[t] - m)
	}
	return s / float64(len(rows))
}

func colMean(rows [][]float64, t int) float64 {
	var s float64
	for _, r := range rows {
		s += r[t]
	}
	return s / float64(len(rows))
}

// exactRestGroups is the most groups a rest side may have for its topic
// means and variances to be summed document by document; a larger rest
// (a plan of thousands of groups each against the rest) takes them from
// the corpus's sums less side A's: the same quantities in exact
// arithmetic, rounded differently in the last digits, in time of side A.
const exactRestGroups = 1000

// TopicIndex is a plan's documents for TopicPrevalence, sorted once, with
// each group's documents and, for rests of many groups, per-topic sums.
type TopicIndex struct {
	docs    []DocTopics      // sorted by ID (stable)
	byGroup map[string][]int // positions in docs, ascending
	k       int
	sum, sq []float64 // Σw and Σw² per topic over every document
}

// NewTopicIndex indexes docs (not modified).
func NewTopicIndex(docs []DocTopics) (*TopicIndex, error) {
	ix := &TopicIndex{docs: slices.Clone(docs), byGroup: map[string][]int{}, k: -1}
	slices.SortStableFunc(ix.docs, func(x, y DocTopics) int { return strings.Compare(x.ID, y.ID) })
	for i, d := range ix.docs {
		if ix.k < 0 {
			ix.k = len(d.Weights)
			ix.sum, ix.sq = make([]float64, ix.k), make([]float64, ix.k)
		}
		if len(d.Weights) != ix.k {
			return nil, fmt.Errorf("compare: topic prevalence: document %s has %d topics, others %d", d.ID, len(d.Weights), ix.k)
		}
		ix.byGroup[d.Group] = append(ix.byGroup[d.Group], i)
		for t, w := range d.Weights {
			ix.sum[t] += w
			ix.sq[t] += w * w
		}
	}
	return ix, nil
}

// Prevalence is TopicPrevalence of the indexed documents.
func (ix *TopicIndex) Prevalence(cmpn Comparison, bs Bootstrap) ([]Prevalence, error) {
	if bs.B == 0 {
		bs.B = 1000
	}
	if bs.Level == 0 {
		bs.Level = 0.95
	}
	var pos []int
	groupsA := 0
	for _, g := range cmpn.A {
		if p, ok := ix.byGroup[g]; ok && !slices.Contains(cmpn.A[:groupsA], g) {
			pos = append(pos, p...)
		}
		groupsA++
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	na, nb := len(pos), len(ix.docs)-len(pos)
	restGroups := len(ix.byGroup)
	for _, g := range cmpn.A {
		if _, ok := ix.byGroup[g]; ok {
			restGroups--
		}
	}
	if len(cmpn.B) > 0 || restGroups <= exactRestGroups || bs.B < 0 || na+nb <= bs.exactDocs() || na == 0 || nb == 0 {
		return TopicPrevalenceSorted(ix.docs, cmpn, bs)
	}
	a := make([][]float64, na)
	for i, p := range pos {
		a[i] = ix.docs[p].Weights
	}
	h := fnv.New64a()
	h.Write([]byte(cmpn.Label()))
	rng := rand.New(rand.NewPCG(bs.Seed, h.Sum64()))
	out := make([]Prevalence, ix.k)
	varB := make([]float64, ix.k)
	for t := range ix.k {
		var sa, qa float64
		for _, row := range a {
			sa += row[t]
			qa += row[t] * row[t]
		}
		mb := (ix.sum[t] - sa) / float64(nb)
		varB[t] = max(0, (ix.sq[t]-qa)/float64(nb)-mb*mb)
		out[t] = Prevalence{Comparison: cmpn.Label(), Topic: t, MeanA: colMean(a, t), MeanB: mb,
			DocsA: na, DocsB: nb, Lo: math.NaN(), Hi: math.NaN()}
		out[t].Diff = out[t].MeanA - out[t].MeanB
	}
	// As TopicPrevalenceSorted: a side of one document has no interval.
	if na < MinDocsPerSide || nb < MinDocsPerSide {
		return out, nil
	}
	reps := make([]float64, bs.B)
	for t := range ix.k {
		se := math.Sqrt(colVar(a, t)/float64(na) + varB[t]/float64(nb))
		for r := range reps {
			reps[r] = out[t].Diff + rng.NormFloat64()*se
		}
		if se == 0 || math.IsNaN(se) {
			continue // every replicate alike: no interval, not a zero-width one
		}
		out[t].Lo = quantile.Select(reps, (1-bs.Level)/2)
		out[t].Hi = quantile.Select(reps, (1+bs.Level)/2)
	}
	return out, nil
}
