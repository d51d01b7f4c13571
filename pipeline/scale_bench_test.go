package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
)

// realSentences returns sentences of real text: the State of the Union
// addresses in ../shared/bench/sotu when present, else the built-in
// sample's papers. Benchmarks build their corpora from them at run time.
func realSentences(tb testing.TB) []string {
	tb.Helper()
	var texts []string
	if root := sharedtest.Root(); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "bench", "sotu", "txt", "*.txt"))
		slices.Sort(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	if len(texts) == 0 {
		tb.Log("../shared/bench/sotu not found: sentences of the built-in sample")
		sample := corpus.SampleFS()
		names, _ := fs.Glob(sample, "*.txt")
		for _, n := range names {
			b, err := fs.ReadFile(sample, n)
			if err != nil {
				tb.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	var out []string
	for _, t := range texts {
		for _, s := range strings.SplitAfter(strings.Join(strings.Fields(t), " "), ". ") {
			if s = strings.TrimSpace(s); len(strings.Fields(s)) >= 4 {
				out = append(out, s)
			}
		}
	}
	return out
}

// manyGroupsCorpus writes a JSONL corpus of n documents, each its own
// group, of about words words each, from consecutive real sentences.
func manyGroupsCorpus(tb testing.TB, dir string, n, words int) string {
	tb.Helper()
	sents := realSentences(tb)
	path := filepath.Join(dir, "groups.jsonl")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	enc := json.NewEncoder(f)
	k := 0
	for i := 0; i < n; i++ {
		var b strings.Builder
		for w := 0; w < words; {
			s := sents[k%len(sents)]
			k++
			b.WriteString(s)
			b.WriteByte(' ')
			w += len(strings.Fields(s))
		}
		id := fmt.Sprintf("d%05d", i)
		if err := enc.Encode(map[string]string{"id": id, "group": "g" + id, "text": b.String()}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkManyGroups runs the whole pipeline, every stage on, on one core
// over FRAMELENS_BENCH_GROUPS (default 10,000) documents of about 17 words (41 tokens)
// each, every document its own group: the each-vs-rest plan has as many
// comparisons as documents.
//
//	go test -run '^$' -bench ManyGroups -benchtime 1x ./pipeline
func BenchmarkManyGroups(b *testing.B) {
	groups := 10000
	if s := os.Getenv("FRAMELENS_BENCH_GROUPS"); s != "" {
		groups, _ = strconv.Atoi(s)
	}
	path := manyGroupsCorpus(b, b.TempDir(), groups, 17)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		t0, c0 := time.Now(), cpuSeconds()
		if _, err := Run(context.Background(), Config{Corpus: path, Out: out, Workers: 1}, Options{}); err != nil {
			b.Fatal(err)
		}
		sec, cpu := time.Since(t0).Seconds(), cpuSeconds()-c0
		m := readManifest(b, out)
		b.ReportMetric(sec, "s/run")
		b.ReportMetric(cpu, "cpu_s/run")
		b.ReportMetric(float64(m.Tokens), "tokens")
		b.ReportMetric(peakRSSMB(), "peakRSS_MB")
		for name, s := range m.StageSeconds {
			if name != "documents" {
				b.ReportMetric(s, "s_"+name)
			}
		}
		fmt.Fprintf(os.Stderr, "ManyGroups: %d one-document groups, %d tokens: %.1f s on one core (%.1f CPU s)\n", groups, m.Tokens, sec, cpu)
	}
}

// runOneDocument runs the whole pipeline, every stage on, on a folder
// holding one document, and reports wall and CPU seconds and peak RSS.
func runOneDocument(b *testing.B, name string, text []byte) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "doc.txt"), text, 0o644); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		t0, c0 := time.Now(), cpuSeconds()
		// The document is larger than the default reader.max_doc_bytes:
		// the bound is raised, as a user with such a document would.
		cfg := Config{Corpus: dir, Out: out, Reader: corpus.Options{MaxDocBytes: int64(len(text))}}
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			b.Fatal(err)
		}
		sec, cpu := time.Since(t0).Seconds(), cpuSeconds()-c0
		m := readManifest(b, out)
		b.ReportMetric(sec, "s/run")
		b.ReportMetric(cpu, "cpu_s/run")
		b.ReportMetric(float64(m.Tokens), "tokens")
		b.ReportMetric(peakRSSMB(), "peakRSS_MB")
		for name, s := range m.StageSeconds {
			if name != "documents" {
				b.ReportMetric(s, "s_"+name)
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %.1f MB, %d tokens: %.1f s (%.1f CPU s), peak RSS %.0f MiB\n",
			name, float64(len(text))/1e6, m.Tokens, sec, cpu, peakRSSMB())
	}
}

// benchMB reads the size in MB of a benchmark's input from env, or def.
func benchMB(env string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(env)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkLongWord runs a document that is one "word" of
// FRAMELENS_BENCH_WORD_MB (default 10) MB of letters and digits, as a
// base64 blob pasted into a text: every per-token path (frames' wildcard
// prefixes, entity features, key-phrase candidates) sees one huge token.
//
//	go test -run '^$' -bench LongWord -benchtime 1x -timeout 0 ./pipeline
func BenchmarkLongWord(b *testing.B) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	text := make([]byte, benchMB("FRAMELENS_BENCH_WORD_MB", 10)<<20)
	rng := rand.New(rand.NewPCG(10, 20))
	for i := range text {
		text[i] = alphabet[rng.IntN(len(alphabet))]
	}
	runOneDocument(b, "LongWord", append(text, '\n'))
}

// BenchmarkLongLine runs a document that is one line of
// FRAMELENS_BENCH_LINE_MB (default 50) MB of real sentences (realSentences)
// with no line break: one paragraph, one section, millions of tokens.
//
//	go test -run '^$' -bench LongLine -benchtime 1x -timeout 0 ./pipeline
func BenchmarkLongLine(b *testing.B) {
	size := benchMB("FRAMELENS_BENCH_LINE_MB", 50) << 20
	sents := realSentences(b)
	text := make([]byte, 0, size+1024)
	for k := 0; len(text) < size; k++ {
		text = append(text, sents[k%len(sents)]...)
		text = append(text, ' ')
	}
	runOneDocument(b, "LongLine", append(text[:size], '\n'))
}
