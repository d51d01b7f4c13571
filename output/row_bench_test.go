package output

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
)

// benchToken is a token of the sample corpus, as the pipeline has it.
type benchToken struct {
	sent, start, end  int
	text, lower, stem string
	pos               string
	stop, punct       bool
}

func sampleTokens(b *testing.B) []benchToken {
	var toks []benchToken
	off, sent := 0, 0
	tags := []string{"NN", "VB", "JJ", "IN", "DT", "NNS", "RB"}
	for _, name := range []string{"sun2025.txt", "zhang2024.txt"} {
		text, err := os.ReadFile("../corpus/sample/" + name)
		if err != nil {
			b.Skipf("sample corpus: %v", err)
		}
		for _, w := range strings.Fields(string(text)) {
			lw := strings.ToLower(w)
			stem := lw
			if len(stem) > 5 {
				stem = stem[:5]
			}
			toks = append(toks, benchToken{sent: sent, start: off, end: off + len(w), text: w, lower: lw, stem: stem,
				pos: tags[len(w)%len(tags)], stop: len(w) < 4, punct: strings.Trim(w, ".,;:") == ""})
			off += len(w) + 1
			if strings.HasSuffix(w, ".") {
				sent++
			}
		}
	}
	return toks
}

// resetBatch ends a batch as Writer.flush does, without encoding it.
func resetBatch(w *Writer) {
	w.b.NewRecord().Release()
	for _, f := range w.b.Fields() {
		if db, ok := f.(array.DictionaryBuilder); ok {
			db.ResetFull()
		}
	}
}

// Appending the sample's tokens (about 8,000 rows a batch).
func BenchmarkAppendTokens(b *testing.B) {
	toks := sampleTokens(b)
	benchAppend(b, "tokens", len(toks), func(w *Writer) {
		a, err := NewAppender[TokenRow](w)
		if err != nil {
			b.Fatal(err)
		}
		for i, tk := range toks {
			a.Append(&TokenRow{
				DocID: "zhang2024", Group: "security", SentenceID: int32(tk.sent), TokenID: int32(i),
				Start: int32(tk.start), End: int32(tk.end), Text: tk.text, Lower: tk.lower, Lemma: tk.lower,
				Stem: tk.stem, POS: tk.pos, IsStop: tk.stop, IsPunct: tk.punct,
			})
		}
	})
}

// benchAppend runs one appending pass per iteration over n rows of table,
// through fill, reporting CPU time a row.
func benchAppend(b *testing.B, table string, n int, fill func(w *Writer)) {
	w, err := NewWriter(testOutDir(b, b.TempDir()), NewCatalog().MustTable(table), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuSeconds()
	for i := 0; i < b.N; i++ {
		fill(w)
		resetBatch(w)
	}
	b.ReportMetric((cpuSeconds()-cpu)*1e9/float64(b.N*n), "cpu-ns/row")
}

// The big reduce-side tables, the sample's words standing in for terms
// and features: tfidf, keyness (nullable columns, a NaN in some) and
// doc_topics (20 topics a document).
func BenchmarkAppendTfidf(b *testing.B) {
	toks := sampleTokens(b)
	benchAppend(b, "tfidf", len(toks), func(w *Writer) {
		a, err := NewAppender[TfidfRow](w)
		if err != nil {
			b.Fatal(err)
		}
		// As pipeline's writeTerms: one row value a document.
		row := TfidfRow{DocID: "zhang2024", Group: "security"}
		for i, tk := range toks {
			row.TermID, row.Term, row.Count, row.Weight = int32(i), tk.lower, int32(tk.end-tk.start), float64(tk.start)*0.001
			a.Append(&row)
		}
	})
}

func BenchmarkAppendKeyness(b *testing.B) {
	toks := sampleTokens(b)
	val := func(tk benchToken) float64 {
		if tk.stop {
			return math.NaN()
		}
		return float64(tk.start) * 0.001
	}
	benchAppend(b, "keyness", len(toks), func(w *Writer) {
		a, err := NewAppender[KeynessRow](w)
		if err != nil {
			b.Fatal(err)
		}
		for _, tk := range toks {
			v := val(tk)
			a.Append(&KeynessRow{Comparison: "security vs economy", GroupA: "security", GroupB: "economy",
				FeatureKind: "term", Feature: tk.lower, CountA: int64(tk.start), CountB: int64(tk.end),
				RateA: v, RateB: v, LogOdds: v, Z: NullIfNaN(v), G2: NullIfNaN(v), P: NullIfNaN(v), PAdj: NullIfNaN(v),
				LogRatio: v, Side: "security", DocsA: int32(tk.sent), DocsB: int32(tk.sent),
				DpA: NullIfNaN(v), DpB: NullIfNaN(v), DocT: NullIfNaN(v), DocP: NullIfNaN(v), DocPAdj: NullIfNaN(v),
				Concentrated: tk.punct})
		}
	})
}

func BenchmarkAppendDocTopics(b *testing.B) {
	toks := sampleTokens(b)
	benchAppend(b, "doc_topics", len(toks), func(w *Writer) {
		a, err := NewAppender[DocTopicRow](w)
		if err != nil {
			b.Fatal(err)
		}
		// As pipeline's writeDocTopics: one row value a document.
		var row DocTopicRow
		for i, tk := range toks {
			if i%20 == 0 {
				row = DocTopicRow{DocID: tk.lower, Group: "security"}
			}
			row.Topic, row.Weight = int32(i%20), float64(tk.start)*0.001
			a.Append(&row)
		}
	})
}
