package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

func TestLongJSONLLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "long.jsonl")
	big := strings.Repeat("Talent competition shapes research security policy. ", 100_000) // ~5 MB
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	enc.Encode(map[string]any{"id": "big", "text": big})
	enc.Encode(map[string]any{"id": "small", "text": "After the big one."})
	f.Close()
	s, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs := readAllDocs(t, s)
	if len(docs) != 2 || docs[0].Raw != big || docs[1].ID != "small" {
		t.Fatalf("long line: %d docs", len(docs))
	}
	if in := s.Inputs(); len(in) != 1 || in[0].Bytes < int64(len(big)) {
		t.Errorf("inputs %+v", in)
	}
}

// writeBenchJSONL writes about size bytes of JSONL documents built from the
// sample papers' paragraphs, streaming so the writer itself stays small.
func writeBenchJSONL(tb testing.TB, p string, size int64) {
	tb.Helper()
	var paras []string
	for _, n := range []string{"sun2025.txt", "zhang2024.txt"} {
		b, err := fs.ReadFile(SampleFS(), n)
		if err != nil {
			tb.Fatal(err)
		}
		for _, para := range strings.Split(string(b), "\n\n") {
			if len(para) > 200 {
				paras = append(paras, para)
			}
		}
	}
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	cw := &countingWriter{w: f}
	w := bufio.NewWriterSize(cw, 1<<20)
	enc := json.NewEncoder(w)
	for i := 0; cw.n+int64(w.Buffered()) < size; i++ {
		var sb strings.Builder
		for j := 0; j < 5+i%40; j++ { // 1–50 KB documents
			sb.WriteString(paras[(i*7+j)%len(paras)])
			sb.WriteString("\n\n")
		}
		rec := map[string]any{"id": "doc" + strconv.Itoa(i), "group": []string{"a", "b"}[i%2], "year": 2000 + i%25,
			"score": float64(i%100) / 10, "text": sb.String()}
		if err := enc.Encode(rec); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// peakRSS returns the process's peak resident set size in bytes (VmHWM).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb * 1024
		}
	}
	return 0
}

// resetPeakRSS resets VmHWM to the current RSS (Linux ≥ 4.0), so each
// sub-benchmark reports its own peak.
func resetPeakRSS() {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// BenchmarkStreamJSONL streams a generated JSONL row dump and reports the
// throughput and the peak RSS. The sub-benchmarks read a quarter of the size
// and the full size: peak RSS stays the same while the file grows, because
// only one line is held at a time.
//
// Size: FRAMELENS_BENCH_JSONL_MB (default 50). For the 1 GB run:
//
//	FRAMELENS_BENCH_JSONL_MB=1024 go test ./corpus -run '^$' -bench StreamJSONL -benchtime 1x
func BenchmarkStreamJSONL(b *testing.B) {
	mb := int64(50)
	if v := os.Getenv("FRAMELENS_BENCH_JSONL_MB"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			b.Fatalf("FRAMELENS_BENCH_JSONL_MB=%q", v)
		}
		mb = n
	}
	dir := b.TempDir()
	for _, size := range []int64{mb << 20 / 4, mb << 20} {
		p := filepath.Join(dir, fmt.Sprintf("bench-%d.jsonl", size))
		writeBenchJSONL(b, p, size)
		st, _ := os.Stat(p)
		b.Run(fmt.Sprintf("MB=%d", st.Size()>>20), func(b *testing.B) {
			resetPeakRSS()
			b.SetBytes(st.Size())
			docs := 0
			for i := 0; i < b.N; i++ {
				s, err := Open(p, Options{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					d, err := s.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					docs++
					_ = d
				}
				s.Close()
			}
			b.ReportMetric(peakRSS()/(1<<20), "peak_rss_MB")
			b.ReportMetric(float64(docs)/float64(b.N), "docs/op")
		})
	}
}
