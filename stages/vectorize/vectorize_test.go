package vectorize

import (
	"context"
	"io/fs"
	"math"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/stages/tokenize"
)

func tokenized(t testing.TB, text string) *document.Document {
	t.Helper()
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	d := &document.Document{ID: "t", Clean: text}
	if err := tok.Process(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// paragraphs tokenises the sample papers' paragraphs (≥ 5 words each).
func paragraphs(t testing.TB) []*document.Document {
	sample := corpus.SampleFS()
	names, _ := fs.Glob(sample, "*.txt")
	tok, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*document.Document
	for _, name := range names {
		b, err := fs.ReadFile(sample, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(string(b), "\n\n") {
			if len(strings.Fields(p)) < 5 {
				continue
			}
			d := &document.Document{ID: name, Clean: p}
			if err := tok.Process(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			docs = append(docs, d)
			if len(docs) == 120 {
				return docs
			}
		}
	}
	return docs
}

func TestCountNGramsStopAtSentencesAndRemovedTokens(t *testing.T) {
	d := tokenized(t, "International talent mobility has become a key arena of national competition. This paper builds a dual-drive model.")
	v, err := New(Config{Form: FormLower, NGramMax: 3, StopWords: []string{"has", "of", "this"}})
	if err != nil {
		t.Fatal(err)
	}
	c := v.Count(d)
	for _, want := range []string{"talent", "talent mobility", "international talent mobility", "key arena", "national competition", "paper builds"} {
		if c[want] != 1 {
			t.Errorf("count[%q] = %d, want 1", want, c[want])
		}
	}
	// "a" (too short), "has" and "of" (stop words) break runs; the full stop
	// ends the sentence.
	for _, bad := range []string{"mobility become", "become key", "arena national", "competition paper", "mobility has"} {
		if c[bad] != 0 {
			t.Errorf("count[%q] = %d, want 0 (n-gram across a removed token or sentence end)", bad, c[bad])
		}
	}
	if c["has"] != 0 || c["."] != 0 || c["a"] != 0 {
		t.Errorf("stop word, punctuation or short token counted: %v", c)
	}
	// Unigram counts are the histogram of Forms.
	v1, _ := New(Config{Form: FormLower, StopWords: []string{"has", "of", "this"}})
	h := DocCounts{}
	for _, f := range v1.Forms(d) {
		h[f]++
	}
	c1 := v1.Count(d)
	if len(h) != len(c1) {
		t.Fatalf("Forms histogram has %d terms, Count %d", len(h), len(c1))
	}
	for k, n := range h {
		if c1[k] != n {
			t.Errorf("term %q: Forms %d, Count %d", k, n, c1[k])
		}
	}
}

// TestWeightsMatchFormulas recomputes every scheme's weights from the
// documented formulas, term by term, on paragraphs of the sample papers.
func TestWeightsMatchFormulas(t *testing.T) {
	docs := paragraphs(t)
	for _, scheme := range []string{SchemeSklearn, SchemeSublinear, SchemeIDFPlain, SchemeBM25} {
		v, err := New(Config{Scheme: scheme, Form: FormLower, MinDF: 2})
		if err != nil {
			t.Fatal(err)
		}
		df := NewDFStats()
		counts := make([]DocCounts, len(docs))
		for i, d := range docs {
			counts[i] = v.Count(d)
			df.Add(counts[i])
		}
		voc := v.Vocabulary(df)
		W := voc.Weight(voc.CountMatrix(counts))
		n := float64(len(docs))
		// Expected, from maps only.
		avgdl := 0.0
		dls := make([]float64, len(docs))
		for i, dc := range counts {
			for term, c := range dc {
				if df.DF[term] >= 2 {
					dls[i] += float64(c)
				}
			}
			avgdl += dls[i]
		}
		avgdl /= n
		checked := 0
		for i, dc := range counts {
			want := map[string]float64{}
			norm := 0.0
			for term, c := range dc {
				d := float64(df.DF[term])
				if d < 2 {
					continue
				}
				tf := float64(c)
				var w float64
				switch scheme {
				case SchemeSklearn:
					w = tf * (math.Log((1+n)/(1+d)) + 1)
				case SchemeSublinear:
					w = (1 + math.Log(tf)) * (math.Log((1+n)/(1+d)) + 1)
				case SchemeIDFPlain:
					w = tf * math.Log(n/d)
				case SchemeBM25:
					w = math.Log(1+(n-d+0.5)/(d+0.5)) * tf * 2.2 / (tf + 1.2*(0.25+0.75*dls[i]/avgdl))
				}
				want[term] = w
				norm += w * w
			}
			ind, val := W.Row(i)
			if len(ind) != len(want) {
				t.Fatalf("%s row %d: %d entries, want %d", scheme, i, len(ind), len(want))
			}
			for p, j := range ind {
				exp := want[voc.Terms[j].Term] / math.Sqrt(norm)
				if math.Abs(val[p]-exp) > 1e-12 {
					t.Fatalf("%s row %d term %q: %.17g, want %.17g", scheme, i, voc.Terms[j].Term, val[p], exp)
				}
				checked++
			}
		}
		if checked < 1000 {
			t.Fatalf("%s: only %d weights checked", scheme, checked)
		}
	}
}

func TestVocabularyPruningMergeAndStableIDs(t *testing.T) {
	docs := paragraphs(t)
	v, _ := New(Config{Form: FormLower, MinDF: 3, MaxDF: 0.5, MaxTerms: 200})
	all := NewDFStats()
	a, b := NewDFStats(), NewDFStats()
	for i, d := range docs {
		c := v.Count(d)
		all.Add(c)
		if i%2 == 0 {
			a.Add(c)
		} else {
			b.Add(c)
		}
	}
	// Shards merged in either order give the same vocabulary, ids included.
	ab, ba := NewDFStats(), NewDFStats()
	ab.Merge(a)
	ab.Merge(b)
	ba.Merge(b)
	ba.Merge(a)
	v1, v2, v3 := v.Vocabulary(all), v.Vocabulary(ab), v.Vocabulary(ba)
	if v1.Len() != 200 || v2.Len() != 200 || v3.Len() != 200 {
		t.Fatalf("vocabulary sizes %d %d %d, want 200 (max_terms)", v1.Len(), v2.Len(), v3.Len())
	}
	minTF := math.MaxInt
	for i, term := range v1.Terms {
		if term != v2.Terms[i] || term != v3.Terms[i] {
			t.Fatalf("term %d differs across shard merges: %+v %+v %+v", i, term, v2.Terms[i], v3.Terms[i])
		}
		if i > 0 && v1.Terms[i-1].Term >= term.Term {
			t.Fatalf("ids not in sorted term order at %d", i)
		}
		if term.DF < 3 || float64(term.DF) > 0.5*float64(all.N) {
			t.Fatalf("%q has df %d outside [3, %v]", term.Term, term.DF, 0.5*float64(all.N))
		}
		if v1.ID(term.Term) != i {
			t.Fatalf("ID(%q) = %d, want %d", term.Term, v1.ID(term.Term), i)
		}
		minTF = min(minTF, term.TF)
	}
	// max_terms keeps the most frequent: no dropped eligible term is more frequent.
	for term, d := range all.DF {
		if d >= 3 && float64(d) <= 0.5*float64(all.N) && v1.ID(term) < 0 && all.TF[term] > minTF {
			t.Fatalf("%q (tf %d) dropped while a term of tf %d was kept", term, all.TF[term], minTF)
		}
	}
	// A literal Vocabulary (no index) finds ids by binary search.
	lit := &Vocabulary{Terms: v1.Terms}
	if id := lit.ID(v1.Terms[57].Term); id != 57 {
		t.Fatalf("literal vocabulary ID = %d, want 57", id)
	}
	if lit.ID("zzzz-not-a-term") != -1 {
		t.Fatal("unknown term must have id -1")
	}
}

func TestNeighboursNeverNaN(t *testing.T) {
	docs := paragraphs(t)
	v, _ := New(Config{Form: FormLower})
	df := NewDFStats()
	counts := []DocCounts{}
	for _, d := range docs[:40] {
		counts = append(counts, v.Count(d))
	}
	counts = append(counts, DocCounts{}, counts[3]) // an empty document and a duplicate of row 3
	for _, c := range counts {
		df.Add(c)
	}
	voc := v.Vocabulary(df)
	W := voc.Weight(voc.CountMatrix(counts))
	nb := TopNeighbours(W, 5, 2)
	empty, dup := len(counts)-2, len(counts)-1
	if len(nb[empty]) != 0 {
		t.Errorf("empty document has neighbours %v", nb[empty])
	}
	if len(nb[3]) == 0 || nb[3][0].Doc != dup || math.Abs(nb[3][0].Sim-1) > 1e-12 {
		t.Errorf("row 3's best neighbour = %v, want its duplicate %d with similarity 1", nb[3], dup)
	}
	for i, row := range nb {
		for _, x := range row {
			if math.IsNaN(x.Sim) || x.Sim <= 0 || x.Sim > 1+1e-12 || x.Doc == i {
				t.Fatalf("row %d: bad neighbour %+v", i, x)
			}
			if c := Cosine(W, i, x.Doc); math.Abs(c-x.Sim) > 1e-12 {
				t.Fatalf("row %d: Cosine %v vs neighbour sim %v", i, c, x.Sim)
			}
		}
	}
	if c := Cosine(W, empty, 0); c != 0 {
		t.Errorf("cosine with an empty document = %v, want 0", c)
	}
	// Interop copy agrees with the original.
	sp := W.Sparse()
	for i := 0; i < W.Rows; i += 7 {
		ind, val := W.Row(i)
		for p, j := range ind {
			if sp.At(i, int(j)) != val[p] {
				t.Fatalf("sparse copy differs at (%d,%d)", i, j)
			}
		}
	}
}

func TestPruneRowsKeepsTheHeaviestEntries(t *testing.T) {
	m := &CSR{Rows: 2, Cols: 5, Ptr: []int{0, 4, 5}, Ind: []int32{0, 1, 3, 4, 2}, Val: []float64{0.1, 0.9, -0.5, 0.3, 0.7}}
	p := PruneRows(m, 2)
	ind, val := p.Row(0)
	if len(ind) != 2 || ind[0] != 1 || ind[1] != 3 || val[0] != 0.9 || val[1] != -0.5 {
		t.Errorf("row 0 pruned to %v %v, want columns 1 and 3", ind, val)
	}
	if ind, _ := p.Row(1); len(ind) != 1 || ind[0] != 2 {
		t.Errorf("row 1 = %v", ind)
	}
}
