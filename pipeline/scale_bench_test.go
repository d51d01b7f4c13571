package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
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
// over FRAMELENS_BENCH_GROUPS (default 10,000) documents of about 22 words (41 tokens)
// each, every document its own group: the each-vs-rest plan has as many
// comparisons as documents.
//
//	go test -run '^$' -bench ManyGroups -benchtime 1x ./pipeline
func BenchmarkManyGroups(b *testing.B) {
	groups := 10000
	if s := os.Getenv("FRAMELENS_BENCH_GROUPS"); s != "" {
		groups, _ = strconv.Atoi(s)
	}
	path := manyGroupsCorpus(b, b.TempDir(), groups, 22)
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
