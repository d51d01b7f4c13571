package kwic

import (
	"context"
	"os"
	"path"
	filepathpkg "path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/pipeline"
)

var (
	sampleOnce sync.Once
	sampleOut  string
	sampleErr  error
)

// sampleRun runs the pipeline on the built-in sample once for the tests.
func sampleRun(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kwic-sample")
		if err != nil {
			sampleErr = err
			return
		}
		sampleOut = dir + "/out"
		_, sampleErr = pipeline.Run(context.Background(), pipeline.Config{Out: sampleOut, Seed: 1,
			SkipStages: []string{"topics", "keyphrases", "entities", "frames", "keyness"}}, pipeline.Options{})
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleOut
}

type tok struct {
	doc, group, text, lower string
}

// allTokens reads the whole tokens table the plain way, for brute force.
func allTokens(t *testing.T, out string) []tok {
	t.Helper()
	parts, _ := filepathGlob(out + "/tokens/part-*.parquet")
	var toks []tok
	for _, p := range parts {
		pf, err := file.OpenParquetFile(p, false)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tb, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string][]string{}
		for _, name := range []string{"doc_id", "group", "text", "lower"} {
			cols[name] = columnStrings(tb, name)
		}
		for i := range cols["doc_id"] {
			toks = append(toks, tok{cols["doc_id"][i], cols["group"][i], cols["text"][i], cols["lower"][i]})
		}
		tb.Release()
		pf.Close()
	}
	return toks
}

// TestKWICMatchesBruteForce: every line kwic gives is an occurrence found
// by scanning all tokens, and every occurrence has its line.
func TestKWICMatchesBruteForce(t *testing.T) {
	out := sampleRun(t)
	toks := allTokens(t, out)
	for _, tc := range []struct {
		pattern string
		groups  []string
	}{
		{"talent*", nil},
		{"research security", nil},
		{"china", []string{"emotion_retention"}},
		{"visa*", nil},
		{"sanction?", nil},
		{"the * of", []string{"security_restriction"}},
	} {
		words := strings.Fields(tc.pattern)
		want := map[string]bool{}
		for i := 0; i+len(words) <= len(toks); i++ {
			ok := len(tc.groups) == 0 || tc.groups[0] == toks[i].group
			for w := 0; ok && w < len(words); w++ {
				m, _ := path.Match(words[w], toks[i+w].lower)
				ok = m && toks[i+w].doc == toks[i].doc
			}
			if ok {
				want[toks[i].doc+"/"+strconv.Itoa(i)] = true
			}
		}
		var got []Line
		err := Run(context.Background(), out, Query{Pattern: tc.pattern, Groups: tc.groups, Window: 5}, func(l Line) error {
			got = append(got, l)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(want) == 0 {
			t.Errorf("%q %v: %d lines, brute force finds %d", tc.pattern, tc.groups, len(got), len(want))
		}
		for _, l := range got {
			if len(tc.groups) > 0 && l.Group != tc.groups[0] {
				t.Errorf("%q: line of group %s, want only %v", tc.pattern, l.Group, tc.groups)
			}
			if n := len(strings.Fields(l.Left)); n > 5+2 {
				t.Errorf("%q: left context %q longer than the window", tc.pattern, l.Left)
			}
			if m, _ := path.Match(words[0], strings.ToLower(strings.Fields(l.Match)[0])); !m {
				t.Errorf("%q: line matched %q", tc.pattern, l.Match)
			}
		}
	}
	// Both papers speak of talent.
	docs := map[string]int{}
	Run(context.Background(), out, Query{Pattern: "talent*"}, func(l Line) error { docs[l.DocID]++; return nil })
	if docs["sun2025"] == 0 || docs["zhang2024"] == 0 {
		t.Errorf("talent* lines per document: %v, want both papers", docs)
	}
}

// TestFastPathEqualsPqarrow: the lines read from the pages (fast.go) are
// those read through pqarrow, for words, wildcards, phrases, forms and a
// group filter.
func TestFastPathEqualsPqarrow(t *testing.T) {
	out := sampleRun(t)
	parts, _ := filepathGlob(out + "/tokens/part-*.parquet")
	for _, q := range []Query{{Pattern: "talent*"}, {Pattern: "research security", Window: 3}, {Pattern: "the * of"},
		{Pattern: "retain", Form: FormLemma}, {Pattern: "China", Form: FormText}, {Pattern: "visa*", Groups: []string{"security_restriction"}},
		{Pattern: "*tion"}, {Pattern: "[st]anction*"}} {
		var got [2][]Line
		for k, slow := range []bool{false, true} {
			pat, err := compile(q)
			if err != nil {
				t.Fatal(err)
			}
			st := newScanState(pat)
			st.slow = slow
			for _, p := range parts {
				if err := scanFile(context.Background(), p, pat, st, 8, func(l Line) error { got[k] = append(got[k], l); return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
		if len(got[0]) == 0 || len(got[0]) != len(got[1]) {
			t.Errorf("%+v: %d lines from the pages, %d through pqarrow", q, len(got[0]), len(got[1]))
			continue
		}
		for i := range got[0] {
			if got[0][i] != got[1][i] {
				t.Errorf("%+v: line %d from the pages %+v, through pqarrow %+v", q, i, got[0][i], got[1][i])
				break
			}
		}
	}
}

// TestRLEIndices decodes the RLE / bit-packed hybrid by hand-made pages.
func TestRLEIndices(t *testing.T) {
	// Bit width 3: a run of 5 sevens, then one bit-packed group of 8
	// values 0..7 (LSB first: 0b10001000, 0b11000110, 0b11111010), of
	// which the page holds 6.
	page := []byte{3, 5 << 1, 7, 1<<1 | 1, 0x88, 0xC6, 0xFA}
	got, err := rleIndices(page, 11, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []int32{7, 7, 7, 7, 7, 0, 1, 2, 3, 4, 5}
	if len(got) != len(want) {
		t.Fatalf("%v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%v, want %v", got, want)
		}
	}
	if _, err := rleIndices([]byte{3, 5 << 1}, 5, nil); err == nil {
		t.Errorf("a run without its value: no error")
	}
	if _, err := rleIndices([]byte{3, 2<<1 | 1, 0x88}, 16, nil); err == nil {
		t.Errorf("bit-packed values past the end: no error")
	}
}

func TestKWICErrors(t *testing.T) {
	out := sampleRun(t)
	for _, q := range []Query{{Pattern: ""}, {Pattern: "[a"}, {Pattern: "talent", Form: "stem2"}} {
		if err := Run(context.Background(), out, q, func(Line) error { return nil }); err == nil {
			t.Errorf("query %+v: no error", q)
		}
	}
	if err := Run(context.Background(), t.TempDir(), Query{Pattern: "talent"}, func(Line) error { return nil }); err == nil || !strings.Contains(err.Error(), "tokens") {
		t.Errorf("a folder without tables: %v, want an error saying there is no tokens table", err)
	}
	n := 0
	Run(context.Background(), out, Query{Pattern: "the", Limit: 7}, func(Line) error { n++; return nil })
	if n != 7 {
		t.Errorf("Limit 7: %d lines", n)
	}
}

// BenchmarkKWICSample answers a wildcard and a phrase over the sample's
// tokens, from the pages (fast) and through pqarrow (slow).
func BenchmarkKWICSample(b *testing.B) {
	out := sampleRun(&testing.T{})
	parts, _ := filepathGlob(out + "/tokens/part-*.parquet")
	for _, slow := range []bool{false, true} {
		name := "fast"
		if slow {
			name = "pqarrow"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, q := range []string{"talent*", "research security"} {
					pat, _ := compile(Query{Pattern: q})
					st := newScanState(pat)
					st.slow = slow
					for _, p := range parts {
						if err := scanFile(context.Background(), p, pat, st, 8, func(Line) error { return nil }); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
}

// BenchmarkKWICUNGDC answers "talent*" over a run of the UN General Debate
// corpus on one core. The run is made once outside the timing
// (FRAMELENS_BENCH_DOCS documents, default 1000; 0 = all), or taken from
// FRAMELENS_KWIC_OUT, the output folder of an earlier run.
func BenchmarkKWICUNGDC(b *testing.B) {
	out := os.Getenv("FRAMELENS_KWIC_OUT")
	if out == "" {
		corpusPath := sharedtest.Path(b, "bench/ungdc.jsonl.gz")
		limit := 1000
		if s := os.Getenv("FRAMELENS_BENCH_DOCS"); s != "" {
			limit, _ = strconv.Atoi(s)
		}
		out = b.TempDir() + "/out"
		cfg := pipeline.Config{Corpus: corpusPath, Out: out, Limit: limit, SkipStages: []string{"topics", "keyphrases", "entities", "frames", "keyness"}}
		if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		n := 0
		if err := Run(context.Background(), out, Query{Pattern: "talent*"}, func(Line) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "lines")
		b.ReportMetric(time.Since(t0).Seconds(), "s/query")
	}
}

func filepathGlob(p string) ([]string, error) { return filepathpkg.Glob(p) }

func columnStrings(tb arrow.Table, name string) []string {
	idx := tb.Schema().FieldIndices(name)
	c := newStrCol(tb.Column(idx[0]).Data().Chunks(), nil)
	out := make([]string, c.n)
	for i := range out {
		out[i] = c.at(i)
	}
	return out
}
