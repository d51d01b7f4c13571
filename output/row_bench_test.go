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

// Appending the sample's tokens (about 8,000 rows a batch) through the
// typed Appender and through the name-bound closures of Cols.
func BenchmarkAppendTokens(b *testing.B) {
	toks := sampleTokens(b)
	w, err := NewWriter(testOutDir(b, b.TempDir()), NewCatalog().MustTable("tokens"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	b.Run("closures", func(b *testing.B) {
		b.ReportAllocs()
		cpu := cpuSeconds()
		for n := 0; n < b.N; n++ {
			c := ColsOf(w)
			docID, group, sent, id := c.Str("doc_id"), c.Str("group"), c.Int32("sentence_id"), c.Int32("token_id")
			s, e, text, lower, lemma, stem, pos := c.Int32("start"), c.Int32("end"), c.Str("text"), c.Str("lower"), c.Str("lemma"), c.Str("stem"), c.Str("pos")
			stop, punct := c.Bool("is_stop"), c.Bool("is_punct")
			for i, tk := range toks {
				docID("zhang2024")
				group("security")
				sent(int32(tk.sent))
				id(int32(i))
				s(int32(tk.start))
				e(int32(tk.end))
				text(tk.text)
				lower(tk.lower)
				lemma(tk.lower)
				stem(tk.stem)
				pos(tk.pos)
				stop(tk.stop)
				punct(tk.punct)
			}
			resetBatch(w)
		}
		b.ReportMetric((cpuSeconds()-cpu)*1e9/float64(b.N*len(toks)), "cpu-ns/row")
	})
	b.Run("typed", func(b *testing.B) {
		b.ReportAllocs()
		cpu := cpuSeconds()
		for n := 0; n < b.N; n++ {
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
			resetBatch(w)
		}
		b.ReportMetric((cpuSeconds()-cpu)*1e9/float64(b.N*len(toks)), "cpu-ns/row")
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
	b.Run("closures", func(b *testing.B) {
		benchAppend(b, "tfidf", len(toks), func(w *Writer) {
			c := ColsOf(w)
			docID, group, tid, term, count, weight := c.Str("doc_id"), c.Str("group"), c.Int32("term_id"), c.Str("term"), c.Int32("count"), c.Float64("weight")
			for i, tk := range toks {
				docID("zhang2024")
				group("security")
				tid(int32(i))
				term(tk.lower)
				count(int32(tk.end - tk.start))
				weight(float64(tk.start) * 0.001)
			}
		})
	})
	b.Run("typed", func(b *testing.B) {
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
	b.Run("closures", func(b *testing.B) {
		benchAppend(b, "keyness", len(toks), func(w *Writer) {
			c := ColsOf(w)
			cmpName, ga, gb, fkind, feature := c.Str("comparison"), c.Str("group_a"), c.Str("group_b"), c.Str("feature_kind"), c.Str("feature")
			ca, cb, ra, rb := c.Int64("count_a"), c.Int64("count_b"), c.Float64("rate_a"), c.Float64("rate_b")
			lo, z, g2, p, padj, lr, side := c.Float64("log_odds"), c.Float64OrNull("z"), c.Float64OrNull("g2"), c.Float64OrNull("p"), c.Float64OrNull("p_adj"), c.Float64("log_ratio"), c.Str("side")
			docsA, docsB, dpA, dpB := c.Int32("docs_a"), c.Int32("docs_b"), c.Float64OrNull("dp_a"), c.Float64OrNull("dp_b")
			docT, docP, docPAdj, conc := c.Float64OrNull("doc_t"), c.Float64OrNull("doc_p"), c.Float64OrNull("doc_p_adj"), c.Bool("concentrated")
			for _, tk := range toks {
				v := val(tk)
				cmpName("security vs economy")
				ga("security")
				gb("economy")
				fkind("term")
				feature(tk.lower)
				ca(int64(tk.start))
				cb(int64(tk.end))
				ra(v)
				rb(v)
				lo(v)
				z(v)
				g2(v)
				p(v)
				padj(v)
				lr(v)
				docsA(int32(tk.sent))
				docsB(int32(tk.sent))
				dpA(v)
				dpB(v)
				docT(v)
				docP(v)
				docPAdj(v)
				conc(tk.punct)
				side("security")
			}
		})
	})
	b.Run("typed", func(b *testing.B) {
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
	})
}

func BenchmarkAppendDocTopics(b *testing.B) {
	toks := sampleTokens(b)
	b.Run("closures", func(b *testing.B) {
		benchAppend(b, "doc_topics", len(toks), func(w *Writer) {
			c := ColsOf(w)
			docID, group, topic, weight := c.Str("doc_id"), c.Str("group"), c.Int32("topic"), c.Float64("weight")
			for i, tk := range toks {
				docID(toks[i/20*20].lower)
				group("security")
				topic(int32(i % 20))
				weight(float64(tk.start) * 0.001)
			}
		})
	})
	b.Run("typed", func(b *testing.B) {
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
	})
}
