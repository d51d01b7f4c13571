package flbeam

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/pipeline"
)

func TestMain(m *testing.M) {
	// sharedtest looks for shared/ beside the module root, which for this
	// nested module is beside the framelens repository.
	if os.Getenv("FRAMELENS_SHARED") == "" {
		if abs, err := filepath.Abs("../../shared"); err == nil {
			if st, err := os.Stat(abs); err == nil && st.IsDir() {
				os.Setenv("FRAMELENS_SHARED", abs)
			}
		}
	}
	beam.Init()
	os.Exit(m.Run())
}

// tableFiles lists the files of the tables under dir, relative to it: all
// but run.json and the folders of the run's state.
func tableFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if info.IsDir() && strings.HasPrefix(info.Name(), ".") && rel != "." {
			return filepath.SkipDir
		}
		if !info.IsDir() && rel != "run.json" && !strings.HasPrefix(info.Name(), ".") {
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// sameTables fails unless a and b hold the same table files, byte for byte.
func sameTables(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := tableFiles(t, a), tableFiles(t, b)
	if strings.Join(fa, ",") != strings.Join(fb, ",") {
		t.Fatalf("different files:\n%v\n%v", fa, fb)
	}
	if len(fa) < 10 {
		t.Fatalf("only %d table files: %v", len(fa), fa)
	}
	for _, rel := range fa {
		x, _ := os.ReadFile(filepath.Join(a, rel))
		y, _ := os.ReadFile(filepath.Join(b, rel))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs (%d and %d bytes)", rel, len(x), len(y))
		}
	}
	t.Logf("%d table files identical", len(fa))
}

// runBoth runs cfg with pipeline.Run and with Beam on prism and returns
// both output folders, and the trace folder of the Beam run.
func runBoth(t *testing.T, cfg pipeline.Config, o Options) (plain, viaBeam, trace string) {
	t.Helper()
	ctx := context.Background()
	plain, viaBeam, trace = t.TempDir(), t.TempDir(), t.TempDir()
	c := cfg
	c.Out = plain
	if _, err := pipeline.Run(ctx, c, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	o.Config = cfg
	o.Config.Out = viaBeam
	o.TraceDir = trace
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	return plain, viaBeam, trace
}

// inFlight reads the block spans of a trace folder and returns the number
// of blocks and the most processed at one time.
func inFlight(t *testing.T, trace string) (blocks, most int) {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(trace, "block-*"))
	type ev struct {
		at    int64
		delta int
	}
	var evs []ev
	for _, p := range names {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var start, end int64
		if _, err := fmt.Sscanf(string(b), "%d %d", &start, &end); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		evs = append(evs, ev{start, 1}, ev{end, -1})
	}
	// Ends before starts at the same instant: touching is not overlapping.
	sort.Slice(evs, func(i, j int) bool {
		return evs[i].at < evs[j].at || evs[i].at == evs[j].at && evs[i].delta < evs[j].delta
	})
	cur := 0
	for _, e := range evs {
		cur += e.delta
		most = max(most, cur)
	}
	return len(names), most
}

// repeatedSample writes a JSONL corpus of n documents: the built-in
// sample's texts over and over, each with an id and group of its own.
func repeatedSample(t *testing.T, n int) string {
	t.Helper()
	st, err := corpus.OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for {
		d, err := st.Next()
		if err != nil {
			break
		}
		texts = append(texts, d.Raw)
	}
	st.Close()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := 0; i < n; i++ {
		enc.Encode(map[string]string{"id": fmt.Sprintf("doc%03d", i), "group": []string{"a", "b"}[i%2], "text": texts[i%len(texts)]})
	}
	p := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The built-in sample on prism gives the tables of framelens run.
func TestSampleEqualsRun(t *testing.T) {
	plain, viaBeam, trace := runBoth(t, pipeline.Config{BlockDocs: 1, Seed: 3}, Options{})
	sameTables(t, plain, viaBeam)
	if n, _ := inFlight(t, trace); n != 2 {
		t.Errorf("%d blocks processed, want the sample's 2", n)
	}
	if _, err := os.Stat(viaBeam + ".framelens-beam"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the work folder is left after a successful run: %v", err)
	}
}

// Blocks of a larger corpus are processed several at a time, and the tables
// are still those of framelens run.
func TestBlocksInFlight(t *testing.T) {
	cfg := pipeline.Config{Corpus: repeatedSample(t, 24), BlockDocs: 2, Seed: 1, Workers: 1}
	plain, viaBeam, trace := runBoth(t, cfg, Options{})
	sameTables(t, plain, viaBeam)
	n, most := inFlight(t, trace)
	t.Logf("%d blocks, at most %d in flight", n, most)
	if n != 12 {
		t.Errorf("%d blocks processed, want 12", n)
	}
	if most < 2 {
		t.Errorf("at most %d block in flight: the blocks were processed one after the other", most)
	}
}

// A block step that fails (leaving a half-written folder, as a killed
// worker does) and the pipeline retried or rerun give the same tables.
func TestFailedBlockRerun(t *testing.T) {
	cfg := pipeline.Config{Corpus: repeatedSample(t, 8), BlockDocs: 2, Seed: 2, Workers: 1}
	ctx := context.Background()
	plain, viaBeam := t.TempDir(), t.TempDir()
	c := cfg
	c.Out = plain
	if _, err := pipeline.Run(ctx, c, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	o := Options{Config: cfg, FailOnce: filepath.Join(t.TempDir(), "failed-once")}
	o.Config.Out = viaBeam
	_, err := Run(ctx, o)
	if _, serr := os.Stat(o.FailOnce); serr != nil {
		t.Fatalf("the failure was not injected: %v", serr)
	}
	if err != nil {
		// The runner did not retry the step: rerun the pipeline, which
		// keeps the blocks the first run completed.
		t.Logf("first run failed as injected: %v", err)
		if !errors.Is(err, ErrInjected) || err.Error() != ErrInjected.Error() {
			t.Errorf("the first run failed otherwise: %v; want %v", err, ErrInjected)
		}
		if _, err := Run(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	sameTables(t, plain, viaBeam)
}

// A block crosses the wire as it was read: empty lists stay empty, typed
// metadata keeps its type.
func TestBlockCoderRoundTrip(t *testing.T) {
	check := func(t *testing.T, cfg pipeline.Config) {
		blocks := 0
		_, err := pipeline.ReadBlocks(context.Background(), cfg, func(n int, docs []*corpus.Document) error {
			blocks++
			b := Block{N: n, Docs: docs}
			p, err := encodeBlock(b)
			if err != nil {
				return err
			}
			back, err := decodeBlock(p)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(b, back) {
				for i := range docs {
					if !reflect.DeepEqual(docs[i], back.Docs[i]) {
						return fmt.Errorf("block %d: document %s: %#v became %#v", n, docs[i].ID, docs[i], back.Docs[i])
					}
				}
				return fmt.Errorf("block %d changed", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if blocks == 0 {
			t.Fatal("no block read")
		}
	}
	t.Run("sample", func(t *testing.T) { check(t, pipeline.Config{BlockDocs: 1}) })
	t.Run("sotu", func(t *testing.T) {
		check(t, pipeline.Config{Corpus: sotuManifest(t), BlockDocs: 50, Reader: corpus.Options{AllowOutsidePaths: true}})
	})
	t.Run("ungdc", func(t *testing.T) {
		check(t, pipeline.Config{Corpus: sharedtest.Path(t, "bench/ungdc.jsonl.gz"), Limit: 2000, BlockDocs: 500})
	})
}

// sotuManifest writes a manifest of the State of the Union addresses of
// ../shared/bench/sotu (group: the president's party).
func sotuManifest(t *testing.T) string {
	t.Helper()
	dir := sharedtest.Path(t, "bench/sotu")
	f, err := os.Open(filepath.Join(dir, "meta.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var man bytes.Buffer
	enc := json.NewEncoder(&man)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m struct {
			ID    string `json:"id"`
			Party string `json:"party"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		enc.Encode(map[string]string{"id": m.ID, "path": filepath.Join(dir, "txt", m.ID+".txt"), "group": m.Party})
	}
	p := filepath.Join(t.TempDir(), "sotu.jsonl")
	if err := os.WriteFile(p, man.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The State of the Union addresses on prism give the tables of framelens
// run, with several blocks in flight.
func TestSOTUEqualsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("two whole runs of the SOTU corpus")
	}
	cfg := pipeline.Config{Corpus: sotuManifest(t), BlockDocs: 25, Seed: 7}
	cfg.Reader.AllowOutsidePaths = true
	plain, viaBeam, trace := runBoth(t, cfg, Options{})
	sameTables(t, plain, viaBeam)
	n, most := inFlight(t, trace)
	t.Logf("%d blocks, at most %d in flight", n, most)
	if most < 2 {
		t.Errorf("at most %d block in flight", most)
	}
}

// The first 2,000 UN General Debate speeches (FRAMELENS_BEAM_UN=1: two runs
// of some minutes each).
func TestUNGDC2000EqualsRun(t *testing.T) {
	if os.Getenv("FRAMELENS_BEAM_UN") == "" {
		t.Skip("set FRAMELENS_BEAM_UN=1 to compare 2,000 UN speeches (two runs of some minutes)")
	}
	cfg := pipeline.Config{Corpus: sharedtest.Path(t, "bench/ungdc.jsonl.gz"), Limit: 2000, Seed: 7}
	cfg.Reader.GroupColumn = "iso3" // as the UN benchmark (pipeline/bench_test.go)
	plain, viaBeam, trace := runBoth(t, cfg, Options{})
	sameTables(t, plain, viaBeam)
	n, most := inFlight(t, trace)
	t.Logf("%d blocks, at most %d in flight", n, most)
}

// A corpus without a document fails as `framelens run` fails on it: with
// pipeline.ErrNoDocuments and the same message, the same empty tables and
// a run.json saying why.
func TestEmptyCorpusFailsAsRun(t *testing.T) {
	ctx := context.Background()
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := pipeline.Config{Corpus: empty, Seed: 1}
	plain, viaBeam := t.TempDir(), t.TempDir()
	c := cfg
	c.Out = plain
	_, want := pipeline.Run(ctx, c, pipeline.Options{})
	if !errors.Is(want, pipeline.ErrNoDocuments) {
		t.Fatalf("framelens run on an empty corpus: %v, want ErrNoDocuments", want)
	}
	o := Options{Config: cfg}
	o.Config.Out = viaBeam
	_, err := Run(ctx, o)
	if !errors.Is(err, pipeline.ErrNoDocuments) || err.Error() != want.Error() {
		t.Fatalf("Beam on an empty corpus: %v; want %v", err, want)
	}
	sameTables(t, plain, viaBeam)
	if _, err := os.Stat(filepath.Join(viaBeam, "run.json")); err != nil {
		t.Errorf("no run.json: %v", err)
	}
	if _, err := os.Stat(viaBeam + ".framelens-beam"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the work folder is left: %v", err)
	}
}

// The merge step, which runs for most of a run's reductions, has an output
// that a step beyond a GroupByKey (so in a stage of its own) reads: prism
// waits on a bundle of a stage without outputs by spinning, which held a
// core for the whole merge.
func TestMergeStepHasOutput(t *testing.T) {
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, Options{Config: pipeline.Config{Out: filepath.Join(t.TempDir(), "out")}}); err != nil {
		t.Fatal(err)
	}
	edges, _, err := p.Build()
	if err != nil {
		t.Fatal(err)
	}
	consumers := map[*graph.Node][]*graph.MultiEdge{}
	var merge *graph.MultiEdge
	for _, e := range edges {
		for _, in := range e.Input {
			consumers[in.From] = append(consumers[in.From], e)
		}
		if e.Op == graph.ParDo && e.Scope().Label == "merge" {
			merge = e
		}
	}
	if merge == nil {
		t.Fatal("no ParDo in a scope named merge")
	}
	// From the merge step's outputs through the ParDos fused with it to a
	// GroupByKey.
	var reaches func(e *graph.MultiEdge) bool
	reaches = func(e *graph.MultiEdge) bool {
		for _, out := range e.Output {
			for _, c := range consumers[out.To] {
				if c.Op == graph.CoGBK || c.Op == graph.ParDo && reaches(c) {
					return true
				}
			}
		}
		return false
	}
	if !reaches(merge) {
		t.Error("no step beyond a GroupByKey reads the merge step's output: prism spins a core while it runs")
	}
}

// A folder of the user's own files, one of them named run.json, is refused
// before any step runs, as framelens run refuses it, and nothing in it is
// touched: the work folder is never made.
func TestUserFolderRefusedBeforeSteps(t *testing.T) {
	out := t.TempDir()
	mine := filepath.Join(out, "run.json")
	if err := os.WriteFile(mine, []byte(`{"mine": true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := pipeline.Config{Out: out, Seed: 1}
	_, want := pipeline.Run(context.Background(), cfg, pipeline.Options{})
	if !errors.Is(want, output.ErrOutNotEmpty) {
		t.Fatalf("framelens run into a user's folder: %v, want ErrOutNotEmpty", want)
	}
	_, err := Run(context.Background(), Options{Config: cfg})
	if !errors.Is(err, output.ErrOutNotEmpty) {
		t.Fatalf("Beam into a user's folder: %v, want ErrOutNotEmpty", err)
	}
	if b, err := os.ReadFile(mine); err != nil || string(b) != `{"mine": true}` {
		t.Errorf("the user's run.json: %q, %v", b, err)
	}
	if _, err := os.Stat(out + ".framelens-beam"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a step ran: the work folder exists (%v)", err)
	}
}
