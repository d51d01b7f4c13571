package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// peakRSSMB reads the process's peak resident set size (VmHWM) in MiB.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkRunUNGDC runs the whole pipeline, every stage on, over the UN
// General Debate corpus (../shared/bench/ungdc.jsonl.gz), first with one
// worker and then with two, and reports end-to-end tokens/s, each
// per-document stage's tokens/s (busy time summed over workers), the
// speed-up from one to two workers and the peak RSS. Each run keeps to as
// many cores as workers (GOMAXPROCS), as the CLI does. FRAMELENS_BENCH_DOCS
// limits the documents (default 1000; 0 = all 10,952, about 35 M tokens);
// FRAMELENS_BENCH_SKIP (comma-separated, as skip_stages) leaves stages out,
// e.g. collocations to time the work of a commit from before it.
func BenchmarkRunUNGDC(b *testing.B) {
	path := sharedtest.Path(b, "bench/ungdc.jsonl.gz")
	limit := 1000
	if s := os.Getenv("FRAMELENS_BENCH_DOCS"); s != "" {
		limit, _ = strconv.Atoi(s)
	}
	run := func(workers int) (float64, *manifest) {
		out := b.TempDir()
		cfg := Config{Corpus: path, Out: out, Workers: workers, Limit: limit}
		cfg.Reader.GroupColumn = "iso3"
		if s := os.Getenv("FRAMELENS_BENCH_SKIP"); s != "" {
			cfg.SkipStages = strings.Split(s, ",")
		}
		// As `framelens run --workers N`: N workers on N cores.
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
		t0 := time.Now()
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			b.Fatal(err)
		}
		sec := time.Since(t0).Seconds()
		man := readManifest(b, out)
		return sec, man
	}
	for i := 0; i < b.N; i++ {
		t1, m1 := run(1)
		t2, m2 := run(2)
		tokens := float64(m1.Tokens)
		b.ReportMetric(tokens, "tokens")
		b.ReportMetric(tokens/t1, "tokens/s_1worker")
		b.ReportMetric(tokens/t2, "tokens/s_2workers")
		b.ReportMetric(t1/t2, "speedup_1to2")
		for name, sec := range m1.DocStageSeconds {
			if sec > 0 {
				b.ReportMetric(tokens/sec, "tok/s_"+name)
			}
		}
		// The corpus-level steps of both runs: on two workers they run
		// concurrently, so their sum is not the time after the documents.
		for name, sec := range m1.StageSeconds {
			if name != "documents" {
				b.ReportMetric(sec, "s_"+name)
			}
		}
		for name, sec := range m2.StageSeconds {
			b.ReportMetric(sec, "s2_"+name)
		}
		b.ReportMetric(m1.StageSeconds["documents"], "s_documents")
		b.ReportMetric(m1.Seconds-m1.StageSeconds["documents"], "s_after_documents")
		b.ReportMetric(m2.Seconds-m2.StageSeconds["documents"], "s2_after_documents")
		b.ReportMetric(peakRSSMB(), "peakRSS_MB")
		fmt.Fprintf(os.Stderr, "UNGDC %d docs, %.0f tokens: 1 worker %.1fs (%.0f tokens/s), 2 workers %.1fs (%.0f tokens/s), speed-up %.2f, peak RSS %.0f MiB\n",
			limit, tokens, t1, tokens/t1, t2, tokens/t2, t1/t2, peakRSSMB())
	}
}

// readManifest reads a run.json (for tests and benchmarks).
func readManifest(tb interface{ Fatal(...any) }, dir string) *manifest {
	b, err := os.ReadFile(filepath.Join(dir, "run.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	return &m
}
