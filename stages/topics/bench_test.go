package topics

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/framelens/framelens/corpus/document"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/vectorize"
)

// splitTokens is a plain letter-run splitter standing in for the prose
// tokenizer, whose tagging of 35 M tokens would take most of an hour: the
// memory benchmark measures vectorising and fitting, not tagging.
func splitTokens(text string) []document.Token {
	var toks []document.Token
	sent := 0
	start := -1
	for i, r := range text + " " {
		if unicode.IsLetter(r) || r == '\'' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := text[start:i]
			l := strings.ToLower(w)
			toks = append(toks, document.Token{Start: start, End: i, Text: w, Lower: l, Lemma: l, Stem: l, Sentence: sent})
			start = -1
		}
		if r == '.' || r == '!' || r == '?' {
			sent++
		}
	}
	return toks
}

// eachUNGDC calls f with every speech of the UN General Debate corpus.
func eachUNGDC(b *testing.B, f func(*document.Document)) {
	path := sharedtest.Path(b, "bench/ungdc.jsonl.gz")
	fh, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	line := 0
	for sc.Scan() {
		line++
		var rec struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatalf("%s:%d: %v", path, line, err)
		}
		d := &document.Document{ID: rec.ID, Clean: rec.Text}
		d.Tokens = splitTokens(rec.Text)
		f(d)
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
}

// vmHWM returns the process's peak resident set size in bytes.
func vmHWM(b *testing.B) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status")
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(l)[1], 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkUNGDCMemory vectorises the 199 M-character UN General Debate
// corpus in two streaming passes (document frequencies, then matrix rows)
// and fits a 20-topic NMF, reporting peak RSS (VmHWM).
//
//	go test ./stages/topics -run '^$' -bench UNGDCMemory -benchtime 1x
func BenchmarkUNGDCMemory(b *testing.B) {
	for it := 0; it < b.N; it++ {
		vec, err := vectorize.New(vectorize.Config{MinDF: 5, MaxDF: 0.95})
		if err != nil {
			b.Fatal(err)
		}
		df := vectorize.NewDFStats()
		eachUNGDC(b, func(d *document.Document) { df.Add(vec.Count(d)) })
		voc := vec.Vocabulary(df)
		df = nil
		X := &vectorize.CSR{}
		eachUNGDC(b, func(d *document.Document) { voc.AppendRow(X, vec.Count(d)) })
		m, err := Fit(context.Background(), X, voc, Config{K: 20, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(X.Rows), "docs")
		b.ReportMetric(float64(X.Cols), "terms")
		b.ReportMetric(float64(X.NNZ()), "nnz")
		b.ReportMetric(float64(m.Iter), "iter")
	}
	b.ReportMetric(vmHWM(b)/(1<<20), "peakRSS-MiB")
}
