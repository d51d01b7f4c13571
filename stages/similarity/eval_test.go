//go:build unix

package similarity

import (
	"context"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/stages/vectorize"
)

// readTFIDF rebuilds a run's weighted document–term matrix from its tfidf
// table (rows in document order; documents without a term have no row and
// no neighbours, so leaving them out changes no recall).
func readTFIDF(t testing.TB, dir string) *vectorize.CSR {
	parts, _ := filepath.Glob(filepath.Join(dir, "tfidf", "part-*.parquet"))
	if len(parts) == 0 {
		t.Fatalf("%s: no tfidf/part-*.parquet: give FRAMELENS_SIMILARITY_RUN the --out folder of a framelens run", dir)
	}
	m := &vectorize.CSR{Ptr: []int{0}}
	last := ""
	for _, p := range parts {
		pf, err := file.OpenParquetFile(p, false)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		col := func(name string) int {
			is := tbl.Schema().FieldIndices(name)
			if len(is) != 1 {
				t.Fatalf("%s: no column %s", p, name)
			}
			return is[0]
		}
		rd := array.NewTableReader(tbl, 1<<16)
		di, ti, wi := col("doc_id"), col("term_id"), col("weight")
		for rd.Next() {
			rec := rd.Record()
			ids := rec.Column(di).(*array.Dictionary)
			dict := ids.Dictionary().(*array.String)
			terms := rec.Column(ti).(*array.Int32)
			ws := rec.Column(wi).(*array.Float64)
			for r := 0; r < int(rec.NumRows()); r++ {
				id := dict.Value(ids.GetValueIndex(r))
				if id != last && m.NNZ() > 0 {
					m.Ptr = append(m.Ptr, m.NNZ())
					m.Rows++
				}
				last = id
				j := terms.Value(r)
				m.Ind = append(m.Ind, j)
				m.Val = append(m.Val, ws.Value(r))
				m.Cols = max(m.Cols, int(j)+1)
			}
		}
		rd.Release()
		tbl.Release()
		pf.Close()
	}
	m.Ptr = append(m.Ptr, m.NNZ())
	m.Rows++
	return m
}

// TestRecallOnRun measures recall@10 and time of the LSH index against the
// exact search on a run's TF-IDF matrix (docs/EVAL.md#nearest-documents):
//
//	framelens run --corpus ../shared/bench/ungdc.jsonl.gz --out /tmp/un --skip entities,keyphrases,frames,topics,keyness
//	FRAMELENS_SIMILARITY_RUN=/tmp/un go test ./stages/similarity -run RecallOnRun -v -timeout 1h
//
// FRAMELENS_LSH_GRID lists bits×tables×probes×candidates settings (default
// the defaults); FRAMELENS_SIMILARITY_EXACT reads the exact neighbours from
// such a dump instead of searching again; FRAMELENS_SIMILARITY_ROWS keeps the first N documents;
// FRAMELENS_SIMILARITY_DUMP writes the matrix and the exact
// neighbours as gob for peers, and FRAMELENS_SIMILARITY_RUN may name such
// a dump instead of a run (FRAMELENS_SIMILARITY_RETIME=1 then times the
// exact search again).
func TestRecallOnRun(t *testing.T) {
	dir := os.Getenv("FRAMELENS_SIMILARITY_RUN")
	if dir == "" {
		t.Skip("FRAMELENS_SIMILARITY_RUN (a run's --out folder) not set")
	}
	var W *vectorize.CSR
	var exact [][]vectorize.Neighbour
	if strings.HasSuffix(dir, ".gob") {
		// A FRAMELENS_SIMILARITY_DUMP: the matrix and its exact neighbours.
		W, exact = readDump(t, dir)
	} else {
		W = readTFIDF(t, dir)
	}
	if n, err := strconv.Atoi(os.Getenv("FRAMELENS_SIMILARITY_ROWS")); err == nil && n > 0 && n < W.Rows {
		// The first n documents, for how time grows with the corpus.
		W = &vectorize.CSR{Rows: n, Cols: W.Cols, Ptr: W.Ptr[:n+1], Ind: W.Ind[:W.Ptr[n]], Val: W.Val[:W.Ptr[n]]}
	}
	t.Logf("%s: %d documents, %d terms, %d non-zeros", dir, W.Rows, W.Cols, W.NNZ())
	workers := runtime.GOMAXPROCS(0)
	// CPU seconds (the machine is shared, so wall time says little) and
	// bytes allocated.
	timed := func(f func()) (time.Duration, float64) {
		runtime.GC()
		var a, b runtime.MemStats
		runtime.ReadMemStats(&a)
		start := cpuTime()
		f()
		d := cpuTime() - start
		runtime.ReadMemStats(&b)
		return d, float64(b.TotalAlloc-a.TotalAlloc) / (1 << 20)
	}
	if path := os.Getenv("FRAMELENS_SIMILARITY_EXACT"); path != "" {
		// The exact neighbours a FRAMELENS_SIMILARITY_DUMP wrote: the
		// exact search of a large corpus takes minutes.
		_, exact = readDump(t, path)
	}
	if exact != nil {
		exact = exact[:W.Rows]
		if os.Getenv("FRAMELENS_SIMILARITY_RETIME") != "" {
			// Time the exact search on this matrix beside the others,
			// and check the dump's neighbours are its result.
			var again [][]vectorize.Neighbour
			d, mb := timed(func() { again = vectorize.TopNeighbours(W, 10, workers) })
			if !reflect.DeepEqual(again, exact) {
				t.Fatal("the exact search differs from the dump's neighbours")
			}
			t.Logf("exact: %.2f CPU s, %.0f MiB allocated, %d workers", d.Seconds(), mb, workers)
		}
	} else {
		d, mb := timed(func() { exact = vectorize.TopNeighbours(W, 10, workers) })
		t.Logf("exact: %.2f CPU s, %.0f MiB allocated, %d workers", d.Seconds(), mb, workers)
	}
	if path := os.Getenv("FRAMELENS_SIMILARITY_DUMP"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(f).Encode(struct {
			W     *vectorize.CSR
			Exact [][]vectorize.Neighbour
		}{W, exact}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if os.Getenv("FRAMELENS_SIMILARITY_EXACT") == "" && !strings.HasSuffix(dir, ".gob") {
		var pruned [][]vectorize.Neighbour
		d, mb := timed(func() { pruned = vectorize.TopNeighbours(vectorize.PruneRows(W, 100), 10, workers) })
		t.Logf("exact on each row's 100 heaviest terms: recall@10 %.4f, %.2f CPU s, %.0f MiB allocated", Recall(pruned, exact), d.Seconds(), mb)
	}
	for _, g := range strings.Split(os.Getenv("FRAMELENS_PRUNE_GRID"), ",") {
		var keep, cands int
		if _, err := fmt.Sscanf(g, "%dx%d", &keep, &cands); err != nil {
			continue
		}
		var got [][]vectorize.Neighbour
		d, mb := timed(func() { got = Pruned(W, 10, keep, cands, workers) })
		t.Logf("pruned to %d terms, %d candidates rescored: recall@10 %.4f, %.2f CPU s, %.0f MiB allocated", keep, cands, Recall(got, exact), d.Seconds(), mb)
	}
	grid := os.Getenv("FRAMELENS_LSH_GRID")
	if grid == "" {
		grid = fmt.Sprintf("%dx%dx%dx%d", DefaultBits, DefaultTables, DefaultProbes, DefaultLSHCandidates)
	}
	for _, g := range strings.Split(grid, ",") {
		if g == "none" {
			continue
		}
		var cfg Config
		if _, err := fmt.Sscanf(g, "%dx%dx%dx%d", &cfg.Bits, &cfg.Tables, &cfg.Probes, &cfg.LSHCandidates); err != nil {
			t.Fatalf("FRAMELENS_LSH_GRID %q: want bits×tables×probes×candidates like 10x64x1x100", g)
		}
		var got [][]vectorize.Neighbour
		var st stats
		d, mb := timed(func() { got, st = lsh(W, 10, cfg, 1, workers) })
		t.Logf("lsh bits=%d tables=%d probes=%d candidates=%d: recall@10 %.4f, %.2f CPU s (wall: hash %.2f, index %.2f, search %.2f), %.0f MiB allocated, pool %.0f, %.0f candidates a document",
			cfg.Bits, cfg.Tables, cfg.Probes, cfg.LSHCandidates, Recall(got, exact), d.Seconds(), st.hash.Seconds(), st.index.Seconds(), st.search.Seconds(), mb, st.meanPool, st.meanCandidates)
	}
}

// readDump reads what FRAMELENS_SIMILARITY_DUMP wrote.
func readDump(t testing.TB, path string) (*vectorize.CSR, [][]vectorize.Neighbour) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var dump struct {
		W     *vectorize.CSR
		Exact [][]vectorize.Neighbour
	}
	if err := gob.NewDecoder(f).Decode(&dump); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return dump.W, dump.Exact
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
