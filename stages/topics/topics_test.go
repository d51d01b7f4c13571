package topics

import (
	"context"
	"io/fs"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/vectorize"
)

type fixture struct {
	X     *vectorize.CSR
	voc   *vectorize.Vocabulary
	seqs  [][]int32
	paper []int // which paper each paragraph comes from
}

var stop = strings.Fields("the and of to in a is that for on as with by this are be from it its an or at which their has have was were not can also such more these both but than other into has been will")

// loadFixture tokenises the sample papers' paragraphs.
func loadFixture(t testing.TB) *fixture {
	sample := corpus.SampleFS()
	names, _ := fs.Glob(sample, "*.txt")
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := vectorize.New(vectorize.Config{Form: vectorize.FormLower, MinDF: 2, StopWords: stop})
	f := &fixture{}
	var counts []vectorize.DocCounts
	var forms [][]string
	df := vectorize.NewDFStats()
	for pi, name := range names {
		b, err := fs.ReadFile(sample, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(string(b), "\n\n") {
			if len(strings.Fields(p)) < 30 {
				continue
			}
			d := &document.Document{ID: name, Clean: p}
			if err := tok.Process(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			c := v.Count(d)
			counts = append(counts, c)
			forms = append(forms, v.Forms(d))
			df.Add(c)
			f.paper = append(f.paper, pi)
		}
	}
	f.voc = v.Vocabulary(df)
	f.X = f.voc.CountMatrix(counts)
	for _, fm := range forms {
		f.seqs = append(f.seqs, f.voc.Sequence(fm))
	}
	return f
}

func TestWindowCountsMatchBruteForceAndMerge(t *testing.T) {
	f := loadFixture(t)
	relevant := []int32{}
	for id := 0; id < f.voc.Len(); id += 37 {
		relevant = append(relevant, int32(id))
	}
	whole := NewWindowCounts(relevant, 10, f.voc.Len())
	a := NewWindowCounts(relevant, 10, f.voc.Len())
	b := NewWindowCounts(relevant, 10, f.voc.Len())
	whole.Exact, a.Exact, b.Exact = true, true, true
	for i, s := range f.seqs {
		whole.Add(s)
		if i%3 == 0 {
			a.Add(s)
		} else {
			b.Add(s)
		}
	}
	whole.Add(nil) // an empty document is one (empty) window
	a.Add(nil)
	if err := a.Merge(b); err != nil {
		t.Fatal(err)
	}
	// Brute force: enumerate windows, test membership directly.
	var windows [][]int32
	for _, s := range append(f.seqs, nil) {
		if len(s) < 10 {
			windows = append(windows, s)
			continue
		}
		for i := 0; i+10 <= len(s); i++ {
			windows = append(windows, s[i:i+10])
		}
	}
	if whole.Windows != int64(len(windows)) || a.Windows != whole.Windows {
		t.Fatalf("windows %d / merged %d, brute force %d", whole.Windows, a.Windows, len(windows))
	}
	has := func(w []int32, id int32) bool {
		for _, x := range w {
			if x == id {
				return true
			}
		}
		return false
	}
	for x := 0; x < len(relevant); x += 3 {
		for y := x; y < len(relevant); y += 5 {
			var n int64
			for _, w := range windows {
				if has(w, relevant[x]) && has(w, relevant[y]) {
					n++
				}
			}
			if got := whole.Count(relevant[x], relevant[y]); got != n {
				t.Fatalf("pair (%d,%d): %d windows, brute force %d", relevant[x], relevant[y], got, n)
			}
			if a.Count(relevant[x], relevant[y]) != n {
				t.Fatalf("merged shards disagree on pair (%d,%d)", relevant[x], relevant[y])
			}
		}
	}
	// NPMI from the counts, by the formula.
	top := [][]int32{relevant[:4]}
	per, mean := whole.NPMI(top)
	nw := float64(whole.Windows)
	sum := 0.0
	for i, p := range top[0] {
		for j, q := range top[0] {
			if i == j {
				continue
			}
			pab := float64(whole.Count(p, q)) / nw
			pa, pb := float64(whole.Count(p, -1))/nw, float64(whole.Count(q, -1))/nw
			sum += math.Log((pab+1e-12)/(pa*pb)) / -math.Log(pab+1e-12)
		}
	}
	if math.Abs(per[0]-sum/12) > 1e-15 || mean != per[0] {
		t.Fatalf("NPMI %v, by formula %v", per[0], sum/12)
	}
}

// TestWindowCountsGensimSliding checks gensim's incremental window update
// on a hand-worked sequence: with window 3 over [1 2 1 3], the second
// window (2 1 3) loses term 1 when the first token (a 1) leaves, although
// another 1 is still inside.
func TestWindowCountsGensimSliding(t *testing.T) {
	seq := []int32{1, 2, 1, 3}
	g := NewWindowCounts([]int32{1, 2, 3}, 3, 5)
	g.Add(seq)
	e := NewWindowCounts([]int32{1, 2, 3}, 3, 5)
	e.Exact = true
	e.Add(seq)
	if g.Windows != 2 || e.Windows != 2 {
		t.Fatalf("windows %d, %d; want 2", g.Windows, e.Windows)
	}
	if g.Count(1, -1) != 1 || e.Count(1, -1) != 2 {
		t.Fatalf("term 1 in %d (gensim) / %d (exact) windows, want 1 / 2", g.Count(1, -1), e.Count(1, -1))
	}
	if g.Count(1, 3) != 0 || e.Count(1, 3) != 1 || g.Count(2, 3) != 1 {
		t.Fatalf("pair counts gensim (1,3)=%d (2,3)=%d exact (1,3)=%d", g.Count(1, 3), g.Count(2, 3), e.Count(1, 3))
	}
	// A document shorter than the window is one window; an empty one too.
	g.Add([]int32{2, 3})
	g.Add(nil)
	if g.Windows != 4 || g.Count(2, 3) != 2 {
		t.Fatalf("short documents: windows %d, pair (2,3) %d", g.Windows, g.Count(2, 3))
	}
}

// TestNMFRecoversPlantedFactorisation fits an exactly rank-3 non-negative
// matrix and must reconstruct it.
func TestNMFRecoversPlantedFactorisation(t *testing.T) {
	n, m, k := 60, 40, 3
	rng := rand.New(rand.NewPCG(5, 6))
	W0 := make([]float64, n*k)
	H0 := make([]float64, k*m)
	for i := range W0 {
		if rng.Float64() < 0.5 {
			W0[i] = rng.Float64()
		}
	}
	for i := range H0 {
		if rng.Float64() < 0.4 {
			H0[i] = rng.Float64()
		}
	}
	X := &vectorize.CSR{Rows: n, Cols: m, Ptr: make([]int, n+1)}
	norm := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			v := 0.0
			for r := 0; r < k; r++ {
				v += W0[i*k+r] * H0[r*m+j]
			}
			if v != 0 {
				X.Ind = append(X.Ind, int32(j))
				X.Val = append(X.Val, v)
				norm += v * v
			}
		}
		X.Ptr[i+1] = len(X.Ind)
	}
	cfg := Config{K: k, Seed: 1, MaxIter: 2000, Tol: 1e-12}
	if err := cfg.fill(); err != nil {
		t.Fatal(err)
	}
	res, err := fitNMF(context.Background(), X, X.T(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if e := nmfLoss(X, res, k); math.Sqrt(e/norm) > 1e-3 {
		t.Fatalf("relative reconstruction error %v on an exactly rank-%d matrix", math.Sqrt(e/norm), k)
	}
}

func nmfLoss(X *vectorize.CSR, r *nmfResult, k int) float64 {
	e := 0.0
	for i := 0; i < X.Rows; i++ {
		for j := 0; j < X.Cols; j++ {
			v := 0.0
			for t := 0; t < k; t++ {
				v += r.W[i*k+t] * r.Ht[j*k+t]
			}
			d := X.At(i, j) - v
			e += d * d
		}
	}
	return e
}

// TestNMFLossOnPapers: on the papers' TF-IDF the loss falls with more
// iterations and stays above the rank-K optimum (the truncated SVD).
func TestNMFLossOnPapers(t *testing.T) {
	f := loadFixture(t)
	W := f.voc.Weight(f.X)
	var prev float64
	for i, iters := range []int{1, 10, 100} {
		cfg := Config{K: 4, Seed: 2, MaxIter: iters, Tol: 1e-12}
		cfg.fill()
		res, err := fitNMF(context.Background(), W, W.T(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		loss := nmfLoss(W, res, 4)
		if i > 0 && loss > prev {
			t.Fatalf("loss rose from %v to %v between runs of more iterations", prev, loss)
		}
		prev = loss
	}
	svd, _ := randomizedSVD(W, W.T(), 4, 10, 12, 1, 2)
	total := 0.0
	for _, v := range W.Val {
		total += v * v
	}
	opt := total
	for _, s := range svd.S {
		opt -= s * s
	}
	if prev < opt*(1-1e-6) || prev > 1.2*opt {
		t.Fatalf("NMF loss %v vs rank-4 optimum %v", prev, opt)
	}
}

// TestLDASeparatesPlantedTopics draws documents from two disjoint halves of
// the papers' vocabulary; LDA with K=2 must put each document in its half.
func TestLDASeparatesPlantedTopics(t *testing.T) {
	f := loadFixture(t)
	m := f.voc.Len()
	rng := rand.New(rand.NewPCG(9, 9))
	var counts []vectorize.DocCounts
	var truth []int
	for d := 0; d < 200; d++ {
		half := d % 2
		dc := vectorize.DocCounts{}
		for i := 0; i < 40; i++ {
			id := half*(m/2) + rng.IntN(m/2)
			dc[f.voc.Terms[id].Term]++
		}
		counts = append(counts, dc)
		truth = append(truth, half)
	}
	X := f.voc.CountMatrix(counts)
	mod, err := Fit(context.Background(), X, f.voc, Config{Model: ModelLDA, K: 2, Seed: 4, Workers: 2, MaxIter: 100})
	if err != nil {
		t.Fatal(err)
	}
	agree := 0
	for d, h := range truth {
		top := 0
		if mod.DocTopic[2*d+1] > mod.DocTopic[2*d] {
			top = 1
		}
		if top == h {
			agree++
		}
	}
	if agree < 190 && agree > 10 {
		t.Fatalf("LDA put %d of 200 documents with their planted topic", agree)
	}
	for i := 0; i < mod.Docs; i++ {
		if s := mod.DocTopic[2*i] + mod.DocTopic[2*i+1]; math.Abs(s-1) > 1e-12 {
			t.Fatalf("doc %d topic weights sum to %v", i, s)
		}
	}
}

func TestSameSeedAndWorkersBitIdentical(t *testing.T) {
	f := loadFixture(t)
	for _, model := range []string{ModelNMF, ModelLDA, ModelLSA} {
		cfg := Config{Model: model, K: 5, Seed: 11, Workers: 2, MaxIter: 50}
		a, err := Fit(context.Background(), f.X, f.voc, cfg)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Fit(context.Background(), f.X, f.voc, cfg)
		for i := range a.TopicTerm {
			if math.Float64bits(a.TopicTerm[i]) != math.Float64bits(b.TopicTerm[i]) {
				t.Fatalf("%s: topic-term %d differs between runs: %v vs %v", model, i, a.TopicTerm[i], b.TopicTerm[i])
			}
		}
		for i := range a.DocTopic {
			if math.Float64bits(a.DocTopic[i]) != math.Float64bits(b.DocTopic[i]) {
				t.Fatalf("%s: doc-topic %d differs between runs", model, i)
			}
		}
		// Every model gives the same bits for any worker count.
		cfg.Workers = 1
		c, _ := Fit(context.Background(), f.X, f.voc, cfg)
		for i := range a.TopicTerm {
			if math.Float64bits(a.TopicTerm[i]) != math.Float64bits(c.TopicTerm[i]) {
				t.Fatalf("%s: 1 and 2 workers differ at %d", model, i)
			}
		}
	}
}

func TestLSAMatchesDenseSVD(t *testing.T) {
	f := loadFixture(t)
	m, err := Fit(context.Background(), f.X, f.voc, Config{Model: ModelLSA, K: 3, Seed: 1, PowerIters: 12})
	if err != nil {
		t.Fatal(err)
	}
	W := f.voc.Weight(f.X)
	d := mat.NewDense(W.Rows, W.Cols, nil)
	for i := 0; i < W.Rows; i++ {
		ind, val := W.Row(i)
		for p, j := range ind {
			d.Set(i, int(j), val[p])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(d, mat.SVDNone) {
		t.Fatal("dense SVD failed")
	}
	want := svd.Values(nil)
	for k := 0; k < 3; k++ {
		if math.Abs(m.Singular[k]-want[k]) > 1e-6*want[0] {
			t.Errorf("singular value %d: %v, dense %v", k, m.Singular[k], want[k])
		}
	}
}

func TestDiversity(t *testing.T) {
	if d := Diversity([][]int32{{1, 2, 3}, {3, 4, 5}}); math.Abs(d-5.0/6) > 1e-15 {
		t.Fatalf("diversity %v, want 5/6", d)
	}
}

func TestTopTermsExclusivity(t *testing.T) {
	m := &Model{K: 2, Terms: []string{"shared", "own", "other"},
		TopicTerm: []float64{1.0, 0.9, 0.1, 1.0, 0.0, 0.5}}
	if got := m.TopTerms(2)[0]; got[0] != "shared" || got[1] != "own" {
		t.Fatalf("raw ranking %v, want [shared own]", got)
	}
	// 1·(1/2)^0.5 ≈ 0.707 < 0.9·1^0.5: the term only this topic uses wins.
	m.Exclusivity = 0.5
	if got := m.TopTerms(2)[0]; got[0] != "own" || got[1] != "shared" {
		t.Fatalf("exclusivity ranking %v, want [own shared]", got)
	}
}
