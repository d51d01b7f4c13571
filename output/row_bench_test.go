package output

import (
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
