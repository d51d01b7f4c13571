package vectorize

import (
	"container/heap"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/james-bowman/sparse"
)

// CSR is a compressed sparse row matrix: row i's column ids are
// Ind[Ptr[i]:Ptr[i+1]] (ascending) and its values Val[Ptr[i]:Ptr[i+1]].
// Column ids are int32 to halve the index memory of large corpora.
type CSR struct {
	Rows, Cols int
	Ptr        []int
	Ind        []int32
	Val        []float64
}

// NNZ is the number of stored entries.
func (m *CSR) NNZ() int { return len(m.Ind) }

// Row returns row i's column ids and values (shared, not copied).
func (m *CSR) Row(i int) ([]int32, []float64) {
	a, b := m.Ptr[i], m.Ptr[i+1]
	return m.Ind[a:b], m.Val[a:b]
}

// At returns entry (i, j).
func (m *CSR) At(i, j int) float64 {
	ind, val := m.Row(i)
	k := sort.Search(len(ind), func(k int) bool { return int(ind[k]) >= j })
	if k < len(ind) && int(ind[k]) == j {
		return val[k]
	}
	return 0
}

// Clone returns a deep copy.
func (m *CSR) Clone() *CSR {
	return &CSR{Rows: m.Rows, Cols: m.Cols, Ptr: append([]int(nil), m.Ptr...),
		Ind: append([]int32(nil), m.Ind...), Val: append([]float64(nil), m.Val...)}
}

// T returns the transpose (which is the CSC form of m), rows sorted.
func (m *CSR) T() *CSR {
	t := &CSR{Rows: m.Cols, Cols: m.Rows, Ptr: make([]int, m.Cols+1),
		Ind: make([]int32, len(m.Ind)), Val: make([]float64, len(m.Val))}
	for _, j := range m.Ind {
		t.Ptr[j+1]++
	}
	for j := 0; j < m.Cols; j++ {
		t.Ptr[j+1] += t.Ptr[j]
	}
	next := append([]int(nil), t.Ptr[:m.Cols]...)
	for i := 0; i < m.Rows; i++ {
		for k := m.Ptr[i]; k < m.Ptr[i+1]; k++ {
			j := m.Ind[k]
			p := next[j]
			t.Ind[p] = int32(i)
			t.Val[p] = m.Val[k]
			next[j]++
		}
	}
	return t
}

// Sparse converts m to a github.com/james-bowman/sparse CSR (a copy), for
// use with that library and github.com/james-bowman/nlp.
func (m *CSR) Sparse() *sparse.CSR {
	ind := make([]int, len(m.Ind))
	for k, j := range m.Ind {
		ind[k] = int(j)
	}
	return sparse.NewCSR(m.Rows, m.Cols, append([]int(nil), m.Ptr...), ind, append([]float64(nil), m.Val...))
}

// CountMatrix builds the document-term count matrix of docs (one row per
// document, in order) in one pass. Terms outside the vocabulary are ignored.
func (voc *Vocabulary) CountMatrix(docs []DocCounts) *CSR {
	m := &CSR{Cols: len(voc.Terms), Ptr: make([]int, 1, len(docs)+1)}
	for _, dc := range docs {
		voc.AppendRow(m, dc)
	}
	return m
}

// AppendRow adds one document's counts as the next row of m, so a matrix
// can be built while streaming documents without keeping their DocCounts.
func (voc *Vocabulary) AppendRow(m *CSR, dc DocCounts) {
	if len(m.Ptr) == 0 {
		m.Ptr = append(m.Ptr, 0)
	}
	start := len(m.Ind)
	for t, c := range dc {
		if j := voc.ID(t); j >= 0 {
			m.Ind = append(m.Ind, int32(j))
			m.Val = append(m.Val, float64(c))
		}
	}
	sort.Sort(rowSorter{m.Ind[start:], m.Val[start:]})
	m.Ptr = append(m.Ptr, len(m.Ind))
	m.Rows++
	m.Cols = len(voc.Terms)
}

type rowSorter struct {
	ind []int32
	val []float64
}

func (r rowSorter) Len() int           { return len(r.ind) }
func (r rowSorter) Less(a, b int) bool { return r.ind[a] < r.ind[b] }
func (r rowSorter) Swap(a, b int) {
	r.ind[a], r.ind[b] = r.ind[b], r.ind[a]
	r.val[a], r.val[b] = r.val[b], r.val[a]
}

// Weight returns the weighted copy of a count matrix under the
// vocabulary's scheme (see the package documentation for the formulas).
func (voc *Vocabulary) Weight(counts *CSR) *CSR {
	w := counts.Clone()
	avgdl := 0.0
	if voc.Scheme == SchemeBM25 {
		for _, v := range counts.Val {
			avgdl += v
		}
		if counts.Rows > 0 {
			avgdl /= float64(counts.Rows)
		}
	}
	for i := 0; i < w.Rows; i++ {
		a, b := w.Ptr[i], w.Ptr[i+1]
		dl := 0.0
		if voc.Scheme == SchemeBM25 {
			for k := a; k < b; k++ {
				dl += w.Val[k]
			}
		}
		for k := a; k < b; k++ {
			tf := w.Val[k]
			idf := voc.Terms[w.Ind[k]].IDF
			switch voc.Scheme {
			case SchemeSublinear:
				tf = 1 + math.Log(tf)
			case SchemeBM25:
				k1, bb := voc.K1, voc.B
				tf = tf * (k1 + 1) / (tf + k1*(1-bb+bb*dl/avgdl))
			}
			w.Val[k] = tf * idf
		}
		if !voc.NoNorm {
			normalizeRow(w.Val[a:b])
		}
	}
	return w
}

func normalizeRow(v []float64) {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	if s == 0 {
		return
	}
	s = math.Sqrt(s)
	for k := range v {
		v[k] /= s
	}
}

// Neighbour is one similar document.
type Neighbour struct {
	Doc int
	Sim float64
}

// Cosine returns the cosine similarity of rows i and j of m; 0 when either
// row is all zero (never NaN).
func Cosine(m *CSR, i, j int) float64 {
	ai, av := m.Row(i)
	bi, bv := m.Row(j)
	dot, na, nb := 0.0, 0.0, 0.0
	for _, x := range av {
		na += x * x
	}
	for _, x := range bv {
		nb += x * x
	}
	for p, q := 0, 0; p < len(ai) && q < len(bi); {
		switch {
		case ai[p] < bi[q]:
			p++
		case ai[p] > bi[q]:
			q++
		default:
			dot += av[p] * bv[q]
			p++
			q++
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / (math.Sqrt(na) * math.Sqrt(nb))
}

// TopNeighbours returns for every row of m its k most cosine-similar other
// rows, best first (ties by lower row id). Rows with no shared term are
// never listed, so an all-zero row gets no neighbours and no NaN.
func TopNeighbours(m *CSR, k, workers int) [][]Neighbour {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := m.Clone()
	for i := 0; i < n.Rows; i++ {
		normalizeRow(n.Val[n.Ptr[i]:n.Ptr[i+1]])
	}
	t := n.T()
	out := make([][]Neighbour, m.Rows)
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := make([]float64, n.Rows)
			seen := make([]bool, n.Rows)
			var touched []int
			for i := range next {
				touched = touched[:0]
				ind, val := n.Row(i)
				for p, j := range ind {
					ri, rv := t.Row(int(j))
					for q, d := range ri {
						if !seen[d] {
							seen[d] = true
							touched = append(touched, int(d))
						}
						acc[d] += val[p] * rv[q]
					}
				}
				// Keep the k best in a min-heap: a document of a large corpus
				// touches thousands of others.
				best := make(neighbourHeap, 0, k+1)
				for _, d := range touched {
					s := acc[d]
					acc[d], seen[d] = 0, false
					if d == i || s <= 0 {
						continue
					}
					nb := Neighbour{d, s}
					if len(best) < k {
						heap.Push(&best, nb)
					} else if better(nb, best[0]) {
						best[0] = nb
						heap.Fix(&best, 0)
					}
				}
				sort.Slice(best, func(a, b int) bool { return better(best[a], best[b]) })
				out[i] = append([]Neighbour(nil), best...)
			}
		}()
	}
	for i := 0; i < m.Rows; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// better orders neighbours: higher similarity first, then lower row id.
func better(a, b Neighbour) bool {
	if a.Sim != b.Sim {
		return a.Sim > b.Sim
	}
	return a.Doc < b.Doc
}

// neighbourHeap is a min-heap of the k best neighbours (worst on top).
type neighbourHeap []Neighbour

func (h neighbourHeap) Len() int           { return len(h) }
func (h neighbourHeap) Less(i, j int) bool { return better(h[j], h[i]) }
func (h neighbourHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *neighbourHeap) Push(x any)        { *h = append(*h, x.(Neighbour)) }
func (h *neighbourHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// PruneRows returns a copy of m keeping, in each row, only the keep
// entries of largest absolute value (ties by lower column). All-pairs
// similarity over a large corpus is dominated by the long posting lists of
// common terms; a document's heaviest TF-IDF terms carry most of its
// cosine, so neighbours found on pruned rows are the usual approximation.
func PruneRows(m *CSR, keep int) *CSR {
	out := &CSR{Rows: m.Rows, Cols: m.Cols, Ptr: make([]int, m.Rows+1)}
	type ent struct {
		j int32
		v float64
	}
	var row []ent
	for i := 0; i < m.Rows; i++ {
		ind, val := m.Row(i)
		row = row[:0]
		for p, j := range ind {
			row = append(row, ent{j, val[p]})
		}
		if len(row) > keep {
			sort.Slice(row, func(a, b int) bool {
				if x, y := math.Abs(row[a].v), math.Abs(row[b].v); x != y {
					return x > y
				}
				return row[a].j < row[b].j
			})
			row = row[:keep]
			sort.Slice(row, func(a, b int) bool { return row[a].j < row[b].j })
		}
		for _, e := range row {
			out.Ind = append(out.Ind, e.j)
			out.Val = append(out.Val, e.v)
		}
		out.Ptr[i+1] = len(out.Ind)
	}
	return out
}
