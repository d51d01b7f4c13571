package pipeline

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// pIdle returns the seconds the process's Ps (GOMAXPROCS) had nothing to
// run, GC's idle-time marking counted as idle. The runtime updates these
// counters at each GC: it runs one first.
func pIdle() float64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/cpu/classes/idle:cpu-seconds"}, {Name: "/cpu/classes/gc/mark/idle:cpu-seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64() + s[1].Value.Float64()
}

// BenchmarkRunUNGDCIdle runs the UN corpus once on FRAMELENS_BENCH_WORKERS
// workers (default 2; FRAMELENS_BENCH_DOCS as BenchmarkRunUNGDC) and
// reports, for the document phase and for what follows it, the CPU time
// and the share of the workers' cores that had nothing to run: on a
// machine shared with other work, where wall time says little, these
// estimate the run on an idle one (wall = CPU / (workers × (1 − idle))),
// and the idle share is what running work side by side can win. It also
// prints the largest live heap and RSS while each corpus-level step was
// the last one started, and the peak RSS. It runs a GC at the start, at
// the end of the document phase and at the end of the run.
func BenchmarkRunUNGDCIdle(b *testing.B) {
	path := sharedtest.Path(b, "bench/ungdc.jsonl.gz")
	limit := 1000
	if s := os.Getenv("FRAMELENS_BENCH_DOCS"); s != "" {
		limit, _ = strconv.Atoi(s)
	}
	workers := 2
	if s := os.Getenv("FRAMELENS_BENCH_WORKERS"); s != "" {
		workers, _ = strconv.Atoi(s)
	}
	for i := 0; i < b.N; i++ {
		out := b.TempDir()
		cfg := Config{Corpus: path, Out: out, Workers: workers, Limit: limit}
		cfg.Reader.GroupColumn = "iso3"
		prev := runtime.GOMAXPROCS(workers)
		idle0, cpu0 := pIdle(), cpuSeconds()
		t0 := time.Now()
		var idleD, cpuD float64
		var tD time.Time
		// The largest heap of each corpus-level step (exact on one worker,
		// where they run one after the other).
		var mu sync.Mutex
		stage, peak, rss := "documents", map[string]float64{}, map[string]float64{}
		stop := make(chan struct{})
		go func() {
			s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for {
				select {
				case <-stop:
					return
				case <-time.After(10 * time.Millisecond):
				}
				metrics.Read(s)
				r := residentMB()
				mu.Lock()
				peak[stage] = max(peak[stage], float64(s[0].Value.Uint64())/(1<<20))
				rss[stage] = max(rss[stage], r)
				mu.Unlock()
			}
		}()
		if _, err := Run(context.Background(), cfg, Options{OnProgress: func(p Progress) {
			if p.Stage != "documents" && tD.IsZero() {
				tD = time.Now()
				idleD, cpuD = pIdle(), cpuSeconds()
			}
			mu.Lock()
			stage = p.Stage
			mu.Unlock()
		}}); err != nil {
			b.Fatal(err)
		}
		close(stop)
		mu.Lock()
		var ps []string
		for k, v := range peak {
			ps = append(ps, fmt.Sprintf("%s=%.0f/%.0f", k, v, rss[k]))
		}
		mu.Unlock()
		sort.Strings(ps)
		fmt.Fprintf(os.Stderr, "live heap/RSS MiB by step started last: %s; peak RSS %.0f MiB\n", strings.Join(ps, " "), peakRSSMB())
		t1 := time.Now()
		idle1, cpu1 := pIdle(), cpuSeconds()
		runtime.GOMAXPROCS(prev)
		wall := t1.Sub(t0).Seconds()
		w := float64(workers)
		dw, rw := tD.Sub(t0).Seconds(), t1.Sub(tD).Seconds()
		di, ri := (idleD-idle0)/(w*dw), (idle1-idleD)/(w*rw)
		dc, rc := cpuD-cpu0, cpu1-cpuD
		// Machine-free estimate of each phase's wall time.
		de, re := dc/(w*(1-di)), rc/(w*(1-ri))
		m := readManifest(b, out)
		b.ReportMetric(wall, "wall_s")
		b.ReportMetric(di, "idle_docs")
		b.ReportMetric(ri, "idle_reduce")
		b.ReportMetric(dc, "cpu_docs_s")
		b.ReportMetric(rc, "cpu_reduce_s")
		b.ReportMetric(de+re, "est_wall_s")
		b.ReportMetric(float64(m.Tokens)/(de+re), "est_tokens/s")
		fmt.Fprintf(os.Stderr, "UNGDC %d docs, %d workers: wall %.1fs; docs: cpu %.2fs idle %.3f est %.2fs; reduce: cpu %.2fs idle %.3f est %.2fs; est total %.2fs, %.0f tokens/s\n",
			limit, workers, wall, dc, di, de, rc, ri, re, de+re, float64(m.Tokens)/(de+re))
	}
}

// residentMB reads the process's resident set size in MiB.
func residentMB() float64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, res float64
	fmt.Sscan(string(b), &size, &res)
	return res * float64(os.Getpagesize()) / (1 << 20)
}
