package similarity

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"math/bits"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
	"github.com/framelens/framelens/stages/vectorize"
)

// sampleMatrix is the TF-IDF matrix of the built-in sample's paragraphs
// (at least 5 words each), with an empty row and a duplicate of row 3
// appended.
func sampleMatrix(t testing.TB) *vectorize.CSR {
	t.Helper()
	var texts []string
	names, _ := fs.Glob(corpus.SampleFS(), "*.txt")
	for _, name := range names {
		b, err := fs.ReadFile(corpus.SampleFS(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(string(b), "\n\n") {
			if len(strings.Fields(p)) >= 5 {
				texts = append(texts, p)
			}
		}
	}
	return tfidf(t, texts, func(c []vectorize.DocCounts) []vectorize.DocCounts {
		return append(c, vectorize.DocCounts{}, c[3])
	})
}

// tfidf is the default TF-IDF matrix of texts, one row each; extra may
// append rows before the vocabulary is built.
func tfidf(t testing.TB, texts []string, extra func([]vectorize.DocCounts) []vectorize.DocCounts) *vectorize.CSR {
	t.Helper()
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := vectorize.New(vectorize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var counts []vectorize.DocCounts
	for i, text := range texts {
		d := &corpus.Document{ID: strconv.Itoa(i), Clean: text}
		if err := tok.Process(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, v.Count(d))
	}
	if extra != nil {
		counts = extra(counts)
	}
	df := vectorize.NewDFStats()
	for _, c := range counts {
		df.Add(c)
	}
	voc := v.Vocabulary(df)
	return voc.Weight(voc.CountMatrix(counts))
}

func TestLSHIsDeterministicAcrossRunsAndWorkers(t *testing.T) {
	W := sampleMatrix(t)
	if W.Rows < 100 {
		t.Fatalf("sample gives %d paragraphs, want ≥ 100 for a meaningful index", W.Rows)
	}
	cfg := Config{Bits: 6, Tables: 4, LSHCandidates: 20}
	first := LSH(W, 10, cfg, 7, 1)
	for _, workers := range []int{1, 2, 3} {
		if got := LSH(W, 10, cfg, 7, workers); !reflect.DeepEqual(got, first) {
			t.Fatalf("workers=%d: neighbours differ from the first run", workers)
		}
	}
	// Another seed draws other hyperplanes: other buckets, other misses.
	if reflect.DeepEqual(LSH(W, 10, cfg, 8, 2), first) {
		t.Error("seeds 7 and 8 gave identical approximate neighbours: the seed is not used")
	}
}

// Two rows at angle θ fall on the same side of a random hyperplane with
// probability 1 − θ/π (Charikar 2002): the share of differing signature
// bits estimates θ/π. Hyperplanes that are not random, or projections of
// the wrong vectors, break it.
func TestSignaturesEstimateAngles(t *testing.T) {
	W := sampleMatrix(t)
	n := normalised(W)
	const nbits = 4096
	sig, _ := signatures(n, nbits, 3, 2)
	words := nbits / 64
	var sumErr float64
	pairs := 0
	for i := 0; i < n.Rows-2; i += 3 {
		for j := i + 1; j < n.Rows-2; j += 7 {
			d := 0
			for w := 0; w < words; w++ {
				d += bits.OnesCount64(sig[i*words+w] ^ sig[j*words+w])
			}
			theta := math.Acos(min(1, vectorize.Cosine(W, i, j))) / math.Pi
			sumErr += math.Abs(float64(d)/nbits - theta)
			pairs++
		}
	}
	// The estimate's standard error at 4,096 bits is at most 0.008.
	if e := sumErr / float64(pairs); e > 0.015 {
		t.Errorf("mean |Hamming share − θ/π| = %.4f over %d pairs, want ≤ 0.015", e, pairs)
	}
}

func TestLSHFindsTrueNeighboursWithExactCosines(t *testing.T) {
	W := sampleMatrix(t)
	exact := vectorize.TopNeighbours(W, 10, 2)
	empty, dup := W.Rows-2, W.Rows-1

	// One bit, probed both ways, and every row rescored: the brute-force
	// search, bit for bit.
	if got := LSH(W, 10, Config{Bits: 1, Tables: 1, Probes: 1, LSHCandidates: W.Rows}, 1, 2); !reflect.DeepEqual(got, exact) {
		t.Fatal("LSH over all rows as candidates differs from the exact search")
	}
	// Every row in the pool, the 20 nearest by Hamming distance rescored:
	// the candidates are the brute-force Hamming ranking's first 20.
	cfg := Config{Bits: 1, Tables: 64, Probes: 1, LSHCandidates: 20}
	got := LSH(W, W.Rows, cfg, 5, 2)
	sig, _ := signatures(normalised(W), 64, 5, 1)
	for i := 0; i < W.Rows; i += 17 {
		if i == empty {
			continue
		}
		order := make([]hamCand, 0, W.Rows)
		for j := 0; j < W.Rows; j++ {
			if j != i && j != empty {
				order = append(order, hamCand{int32(bits.OnesCount64(sig[i] ^ sig[j])), int32(j)})
			}
		}
		slices.SortFunc(order, func(a, b hamCand) int {
			if a.less(b) {
				return -1
			}
			return 1
		})
		var want []int
		for _, c := range order[:20] {
			if vectorize.Cosine(W, i, int(c.row)) > 0 {
				want = append(want, int(c.row))
			}
		}
		var have []int
		for _, nb := range got[i] {
			have = append(have, nb.Doc)
		}
		slices.Sort(want)
		slices.Sort(have)
		if !slices.Equal(have, want) {
			t.Fatalf("row %d: rescored %v, brute-force Hamming ranking's first 20 (cosine > 0) %v", i, have, want)
		}
	}

	got = LSH(W, 10, Config{Bits: 6, Tables: 64, Probes: 1, LSHCandidates: 50}, 1, 2)
	if len(got[empty]) != 0 {
		t.Errorf("empty row has neighbours %v", got[empty])
	}
	if len(got[3]) == 0 || got[3][0].Doc != dup {
		t.Errorf("row 3's best neighbour = %v, want its duplicate %d", got[3], dup)
	}
	sims := map[[2]int]float64{}
	for i, ns := range exact {
		for _, n := range ns {
			sims[[2]int{i, n.Doc}] = n.Sim
		}
	}
	for i, ns := range got {
		for r, n := range ns {
			if n.Doc == i || n.Sim <= 0 {
				t.Fatalf("row %d: bad neighbour %+v", i, n)
			}
			if r > 0 && better(n, ns[r-1]) {
				t.Fatalf("row %d: neighbours out of order: %v", i, ns)
			}
			if s, ok := sims[[2]int{i, n.Doc}]; ok && s != n.Sim {
				t.Fatalf("row %d → %d: cosine %v, exact search %v (must be bit-identical)", i, n.Doc, n.Sim, s)
			}
		}
	}
	// Paragraphs share few terms (cosines of 0.1–0.3), and 384 bits
	// estimate such angles loosely: 0.90 of the true neighbours are among
	// the 50 of 128 rows nearest in Hamming distance (50 random rows: 0.39).
	if r := Recall(got, exact); r < 0.85 {
		t.Errorf("recall@10 = %.3f with 64 tables of 6 bits, 50 candidates, want ≥ 0.85", r)
	}
	if r := Recall(LSH(W, 10, Config{Bits: 12, Tables: 1, Probes: -1}, 1, 2), exact); r > 0.5 {
		t.Errorf("recall@10 = %.3f with one table of 12 bits: the index finds too much to be an index", r)
	}
}

// TestLSHRecallOnUN holds the LSH search's recall@10 against the exact
// search on the first 1,000 UN General Debate speeches, with the default
// settings, above a floor a broken index falls through (rescoring 100
// random candidates of 1,000 would find 0.1).
func TestLSHRecallOnUN(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenizes 1,000 UN speeches")
	}
	path := sharedtest.Path(t, "bench/ungdc.jsonl.gz")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var texts []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() && len(texts) < 1000 {
		var row struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("%s: line %d: %v", path, len(texts)+1, err)
		}
		texts = append(texts, row.Text)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	W := tfidf(t, texts, nil)
	exact := vectorize.TopNeighbours(W, 10, 2)
	got := LSH(W, 10, Config{}, 1, 2)
	// The defaults find 0.973 of the true 10 nearest among these speeches.
	if r := Recall(got, exact); r < 0.85 {
		t.Errorf("recall@10 = %.3f on %d UN speeches with the default LSH settings, want ≥ 0.85", r, W.Rows)
	} else {
		t.Logf("recall@10 = %.3f on %d UN speeches", r, W.Rows)
	}
}

func TestNeighboursChoosesByCorpusSize(t *testing.T) {
	W := sampleMatrix(t)
	exact := vectorize.TopNeighbours(W, 10, 1)
	if got, m := Neighbours(W, 10, Config{}, 1, 2); m != MethodExact || !reflect.DeepEqual(got, exact) {
		t.Errorf("default config on %d rows: method %s, equal to exact %v", W.Rows, m, reflect.DeepEqual(got, exact))
	}
	if _, m := Neighbours(W, 10, Config{ExactDocs: W.Rows - 1}, 1, 2); m != MethodPrune {
		t.Errorf("exact_docs below the corpus size: method %s, want %s", m, MethodPrune)
	}
	if _, m := Neighbours(W, 10, Config{ExactDocs: W.Rows - 1, Approximate: MethodLSH}, 1, 2); m != MethodLSH {
		t.Errorf("exact_docs below the corpus size: method %s, want %s", m, MethodLSH)
	}
	if _, m := Neighbours(W, 10, Config{ExactDocs: -1}, 1, 2); m != MethodExact {
		t.Errorf("exact_docs -1: method %s, want %s", m, MethodExact)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{ExactDocs: -2}, {LSHCandidates: -1}, {Bits: 63, Tables: 100}, {Bits: 64}, {Tables: -1}, {Probes: 2}, {Probes: -2}, {Approximate: "annoy"}, {Candidates: -1}} {
		if err := c.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: error %v, want ErrConfig", c, err)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
}

func TestPrunedRescoresCandidatesExactly(t *testing.T) {
	W := sampleMatrix(t)
	exact := vectorize.TopNeighbours(W, 10, 2)
	// Rows unpruned and every row a candidate: the exact search, bit for bit.
	if got := Pruned(W, 10, W.Cols, W.Rows, 2); !reflect.DeepEqual(got, exact) {
		t.Fatal("Pruned over whole rows and all candidates differs from the exact search")
	}
	got := Pruned(W, 10, 20, 30, 1)
	if !reflect.DeepEqual(Pruned(W, 10, 20, 30, 3), got) {
		t.Fatal("Pruned depends on workers")
	}
	// Twenty terms a paragraph still find most true neighbours among 30
	// candidates, and their cosines are those of the whole rows.
	if r := Recall(got, exact); r < 0.8 || r == 1 {
		t.Errorf("recall@10 = %.3f with 20 terms and 30 candidates, want in [0.8, 1)", r)
	}
	for i, ns := range got {
		for _, n := range ns {
			if c := vectorize.Cosine(W, i, n.Doc); math.Abs(c-n.Sim) > 1e-12 {
				t.Fatalf("row %d → %d: cosine %v, whole rows %v", i, n.Doc, n.Sim, c)
			}
		}
	}
}
