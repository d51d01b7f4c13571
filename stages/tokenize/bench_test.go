package tokenize

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jdkato/prose/v2"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// ungdcDocs reads UN General Debate speeches until about limit bytes of text.
func ungdcDocs(tb testing.TB, limit int) []*document.Document {
	tb.Helper()
	f, err := os.Open(sharedtest.Path(tb, "bench/ungdc.jsonl.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var docs []*document.Document
	total := 0
	for total < limit && sc.Scan() {
		var row struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			tb.Fatalf("ungdc.jsonl.gz: %v", err)
		}
		docs = append(docs, &document.Document{ID: row.ID, Clean: row.Text})
		total += len(row.Text)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return docs
}

func paperDoc(tb testing.TB, name string) *document.Document {
	tb.Helper()
	b, err := fs.ReadFile(corpus.SampleFS(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return &document.Document{ID: name, Clean: string(b)}
}

// cpuTime is the CPU time used by the process so far (all threads, so GC
// work counts). Under a shared machine it is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchDocs(b *testing.B, tk *Tokenizer, docs []*document.Document) {
	b.Helper()
	ctx := context.Background()
	bytes := 0
	for _, d := range docs {
		bytes += len(d.Clean)
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	cpu0 := cpuTime()
	tokens := 0
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			if err := tk.Process(ctx, d); err != nil {
				b.Fatal(err)
			}
			tokens += len(d.Tokens)
		}
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(tokens)/(cpuTime()-cpu0).Seconds(), "tokens/cpu-s")
}

func BenchmarkTokenize(b *testing.B) {
	tk, err := New(Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("paper", func(b *testing.B) {
		benchDocs(b, tk, []*document.Document{paperDoc(b, "zhang2024.txt")})
	})
	b.Run("ungdc2MB", func(b *testing.B) {
		benchDocs(b, tk, ungdcDocs(b, 2<<20))
	})
}

var samplePapers = []string{"sun2025.txt", "zhang2024.txt"}

// taggerInput splits docs into sentences of TagWords, as the Tokenizer
// hands them to the tagger.
func taggerInput(b *testing.B, tg *Tagger, docs []*document.Document) (sents [][]TagWord, texts [][]string, tokens int) {
	seg, _ := NewSegmenter(SegmenterConfig{})
	for _, d := range docs {
		for _, sp := range seg.Split(d.Clean) {
			var tw []TagWord
			var tx []string
			for _, w := range appendWords(nil, d.Clean, sp.Start, sp.End) {
				s := proseSpelling(d.Clean[w.Start:w.End])
				tw = append(tw, tg.Word(s))
				tx = append(tx, s)
			}
			sents = append(sents, tw)
			texts = append(texts, tx)
			tokens += len(tw)
		}
	}
	return sents, texts, tokens
}

// BenchmarkTagger measures prediction alone (features per word form are
// computed once, as the Tokenizer's cache does), and Tagger.Tag from token
// texts for comparison with prose.
func BenchmarkTagger(b *testing.B) {
	tg, err := NewTagger()
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range []struct {
		name string
		docs func() []*document.Document
	}{
		{"paper", func() []*document.Document { return []*document.Document{paperDoc(b, "zhang2024.txt")} }},
		{"ungdc2MB", func() []*document.Document { return ungdcDocs(b, 2<<20) }},
	} {
		b.Run(in.name+"/predict", func(b *testing.B) {
			sents, _, n := taggerInput(b, tg, in.docs())
			tags := make([]string, 1024)
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				for _, s := range sents {
					if len(s) > len(tags) {
						tags = make([]string, len(s))
					}
					tg.TagSentence(s, tags[:len(s)])
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
			b.ReportMetric(float64(n*b.N)/(cpuTime()-cpu0).Seconds(), "tokens/cpu-s")
		})
		b.Run(in.name+"/fromText", func(b *testing.B) {
			_, texts, n := taggerInput(b, tg, in.docs())
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, s := range texts {
					tg.Tag(s)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkProseBaseline is what the first version of this stage did:
// prose.NewDocument (Punkt segmentation, tokenization, tagging) over the
// whole text with a preloaded model, without lemmas or stems.
func BenchmarkProseBaseline(b *testing.B) {
	model := prose.ModelFromData("bench")
	run := func(b *testing.B, docs []*document.Document) {
		b.ResetTimer()
		cpu0 := cpuTime()
		tokens := 0
		for i := 0; i < b.N; i++ {
			for _, d := range docs {
				pd, err := prose.NewDocument(d.Clean, prose.UsingModel(model), prose.WithExtraction(false))
				if err != nil {
					b.Fatal(err)
				}
				tokens += len(pd.Tokens())
			}
		}
		b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		b.ReportMetric(float64(tokens)/(cpuTime()-cpu0).Seconds(), "tokens/cpu-s")
	}
	b.Run("paper", func(b *testing.B) { run(b, []*document.Document{paperDoc(b, "zhang2024.txt")}) })
	// A quarter of the Tokenize input: prose is slow.
	b.Run("ungdc512KB", func(b *testing.B) { run(b, ungdcDocs(b, 512<<10)) })
}

func BenchmarkSegmenter(b *testing.B) {
	seg, _ := NewSegmenter(SegmenterConfig{})
	docs := ungdcDocs(b, 2<<20)
	n := 0
	for _, d := range docs {
		n += len(d.Clean)
	}
	b.SetBytes(int64(n))
	b.ResetTimer()
	var spans []Span
	for i := 0; i < b.N; i++ {
		for _, d := range docs {
			spans = seg.AppendSplit(spans[:0], d.Clean)
		}
	}
}
