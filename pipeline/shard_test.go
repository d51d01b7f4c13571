package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/framelens/framelens/corpus/sharedtest"
)

// parquetFiles lists the Parquet files under dir, relative to it.
func parquetFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".parquet") {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return files
}

// sameTables fails unless a and b hold the same Parquet files, byte for byte.
func sameTables(t *testing.T, a, b string) {
	t.Helper()
	fa, fb := parquetFiles(t, a), parquetFiles(t, b)
	if strings.Join(fa, ",") != strings.Join(fb, ",") {
		t.Fatalf("different files:\n%v\n%v", fa, fb)
	}
	if len(fa) < 10 {
		t.Fatalf("only %d parquet files", len(fa))
	}
	for _, rel := range fa {
		x, _ := os.ReadFile(filepath.Join(a, rel))
		y, _ := os.ReadFile(filepath.Join(b, rel))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs", rel)
		}
	}
}

// Two shards and a merge give the tables of a single run.
func TestShardsAndMergeEqualSingleRun(t *testing.T) {
	ctx := context.Background()
	single, s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 2}
	cfg.Out = single
	if _, err := Run(ctx, cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	for i, dir := range []string{s0, s1} {
		c := cfg
		c.Out = dir
		c.Shard = Shard{Index: i, Count: 2}
		sum, err := Run(ctx, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Docs != 1 {
			t.Errorf("shard %d analysed %d documents, want 1", i, sum.Docs)
		}
		if _, err := os.Stat(filepath.Join(dir, "shard.json")); err != nil {
			t.Errorf("shard %d: %v", i, err)
		}
	}
	if _, err := Merge(ctx, merged, []string{s0, s1}, Options{}); err != nil {
		t.Fatal(err)
	}
	sameTables(t, single, merged)
	if _, err := os.Stat(filepath.Join(merged, "run.json")); err != nil {
		t.Error(err)
	}
	if _, err := Merge(ctx, t.TempDir(), []string{s0}, Options{}); err == nil {
		t.Error("merging one shard of two succeeded")
	}
}

// A run killed mid-way and resumed gives the tables of an uninterrupted run.
func TestKilledRunResumes(t *testing.T) {
	skipShort(t)
	sotu := sharedtest.Path(t, "bench/sotu/txt")
	// 24 addresses of the 1930s–50s, in a folder of their own.
	corpusDir := t.TempDir()
	names, _ := filepath.Glob(filepath.Join(sotu, "19[345]*.txt"))
	sort.Strings(names)
	if len(names) < 24 {
		t.Fatalf("only %d SOTU addresses of 1930-1959", len(names))
	}
	for _, p := range names[:24] {
		b, _ := os.ReadFile(p)
		os.WriteFile(filepath.Join(corpusDir, filepath.Base(p)), b, 0o644)
	}
	bin := filepath.Join(t.TempDir(), "framelens")
	build := exec.Command("go", "build", "-o", bin, "../cmd/framelens")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := func(out string, extra ...string) []string {
		return append([]string{"run", "--corpus", corpusDir, "--out", out, "--block-docs", "2", "--workers", "2", "--quiet", "--skip", "keyphrases"}, extra...)
	}
	whole := t.TempDir()
	if out, err := exec.Command(bin, args(whole)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}

	// SIGKILL, or SIGTERM (the run stops itself, exit status 130): either
	// way the completed blocks are resumed into the same tables.
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		killed := t.TempDir()
		cmd := exec.Command(bin, args(killed)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Stop it once a few blocks are complete, before the end.
		deadline := time.Now().Add(2 * time.Minute)
		for {
			done, _ := filepath.Glob(filepath.Join(killed, stateDir, "block-*.gob.gz"))
			if len(done) >= 3 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("no block completed within two minutes")
			}
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		if _, err := os.Stat(filepath.Join(killed, "run.json")); err == nil {
			t.Fatalf("%v: the run finished before it was stopped: nothing to resume", sig)
		}
		var exit *exec.ExitError
		if sig == syscall.SIGTERM && (!errors.As(err, &exit) || exit.ExitCode() != 130) {
			t.Errorf("SIGTERM: %v, want exit status 130", err)
		}
		if _, err := os.Stat(filepath.Join(killed, "tokens")); err == nil {
			t.Errorf("%v: a stopped run left a tokens table that looks complete", sig)
		}
		if out, err := exec.Command(bin, args(killed, "--resume")...).CombinedOutput(); err != nil {
			t.Fatalf("%v: resumed run: %v\n%s", sig, err, out)
		}
		sameTables(t, whole, killed)
	}
}

// TestOtherStateFormatIsRefused checks that a block state saved in another
// layout is refused with a message, not misread by --resume or merge.
func TestOtherStateFormatIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "block-00000.gob.gz")
	if err := writeGob(path, &blockState{Format: 1, Block: 0, ConfigHash: "x"}); err != nil {
		t.Fatal(err)
	}
	_, err := loadBlock(path)
	if err == nil || !strings.Contains(err.Error(), "format 1") || !strings.Contains(err.Error(), path) {
		t.Fatalf("loadBlock of a format-1 state: %v; want an error naming the file and its format", err)
	}
	good := filepath.Join(t.TempDir(), "block-00001.gob.gz")
	if err := writeGob(good, &blockState{Format: stateFormat, Block: 1}); err != nil {
		t.Fatal(err)
	}
	if b, err := loadBlock(good); err != nil || b.Block != 1 {
		t.Fatalf("loadBlock of a current state: %v", err)
	}
}

// A document the reader refuses is read by every shard, but listed once in
// the merged run.json.
func TestMergeListsReadErrorsOnce(t *testing.T) {
	skipShort(t)
	ctx := context.Background()
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	rows := `{"id":"a","group":"x","text":"Visa reviews tightened research security for Chinese scholars in 2019."}
{"id":"b","group":"y","text":"Belonging and cultural identity draw talent home, the survey found."}
{"id":"a","group":"y","text":"A second document with the first one's id."}
`
	if err := os.WriteFile(in, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir()
	cfg := Config{Corpus: in, BlockDocs: 1, Seed: 3, Workers: 1}
	for i, dir := range []string{s0, s1} {
		c := cfg
		c.Out = dir
		c.Shard = Shard{Index: i, Count: 2}
		if _, err := Run(ctx, c, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Merge(ctx, merged, []string{s0, s1}, Options{}); err != nil {
		t.Fatal(err)
	}
	errs := readManifest(t, merged).DocumentErrors
	if len(errs) != 1 || !strings.Contains(errs[0], "duplicate document id") {
		t.Errorf("document_errors = %q, want the duplicate id once", errs)
	}
}

// Merge starts every part-file table from an empty .partial folder: part
// files an earlier, failed merge (or any other run) left in the output's
// .partial folders are not joined into the merged tables.
func TestMergeIgnoresLeftoverPartialFolders(t *testing.T) {
	skipShort(t)
	ctx := context.Background()
	single, s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 2}
	cfg.Out = single
	if _, err := Run(ctx, cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	for i, dir := range []string{s0, s1} {
		c := cfg
		c.Out = dir
		c.Shard = Shard{Index: i, Count: 2}
		if _, err := Run(ctx, c, Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Merge(ctx, merged, []string{s0, s1}, Options{}); err != nil {
		t.Fatal(err)
	}
	// An earlier merge that failed left part files of blocks this merge
	// does not have, in a streamed table and in one written at the end.
	for _, name := range []string{"tokens", "tfidf"} {
		part, err := os.ReadFile(filepath.Join(single, name, "part-00000.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(merged, name+".partial"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(merged, name+".partial", "part-00007.parquet"), part, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Merge(ctx, merged, []string{s0, s1}, Options{}); err != nil {
		t.Fatal(err)
	}
	sameTables(t, single, merged)
}

// A run killed after its tables were closed (each <name>.partial renamed
// to <name>) but before run.json was written still has every block state:
// --resume must give the tables of an uninterrupted run, not empty
// streamed tables (it wrote a schema-only part in place of each closed
// table). So must a run killed half-way through closing them. With the
// closing marker the resumed run keeps the closed part files and processes
// no document; without it (a closed table that may be an earlier run's) it
// processes every block again.
func TestResumeAfterTablesClosed(t *testing.T) {
	skipShort(t)
	ctx := context.Background()
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 2}
	whole := t.TempDir()
	cfg.Out = whole
	if _, err := Run(ctx, cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	streamed := streamedTables(cfg.skip)
	for _, tc := range []struct {
		closed int
		marker bool
	}{{len(streamed), true}, {3, true}, {len(streamed), false}} {
		t.Run(fmt.Sprintf("%d of %d closed, marker %v", tc.closed, len(streamed), tc.marker), func(t *testing.T) {
			// Stop the run in its corpus-level stages, with every block
			// complete and the streamed tables' part files in .partial.
			out := t.TempDir()
			c := cfg
			c.Out = out
			stop, cancel := context.WithCancel(ctx)
			defer cancel()
			_, err := Run(stop, c, Options{OnProgress: func(p Progress) {
				if p.Stage == "topics" {
					cancel()
				}
			}})
			if err == nil {
				t.Fatal("the run was not stopped")
			}
			if blocks, _ := savedBlocks(out); len(blocks) != 2 {
				t.Fatalf("%d block states saved, want 2", len(blocks))
			}
			// Then what reduceRun does before run.json: the marker, and
			// closing each table (output.Writer.Close renames it).
			if tc.marker {
				if err := markClosing(out); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range streamed[:tc.closed] {
				if err := os.Rename(filepath.Join(out, name+".partial"), filepath.Join(out, name)); err != nil {
					t.Fatal(err)
				}
			}
			c.Resume = true
			if _, err := Run(ctx, c, Options{}); err != nil {
				t.Fatalf("resumed run: %v", err)
			}
			sameTables(t, whole, out)
			if n := readManifest(t, out).Tokens; tc.marker && n != 0 {
				t.Errorf("the resumed run analysed %d tokens, want none: every block was complete", n)
			} else if !tc.marker && n == 0 {
				t.Error("the resumed run analysed nothing, without the part files of the closed tables")
			}
		})
	}
	// A shard killed after closing its tables, before shard.json.
	t.Run("shard", func(t *testing.T) {
		s0, s1, merged := t.TempDir(), t.TempDir(), t.TempDir()
		for i, dir := range []string{s0, s1} {
			c := cfg
			c.Out = dir
			c.Shard = Shard{Index: i, Count: 2}
			if _, err := Run(ctx, c, Options{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Remove(filepath.Join(s0, "shard.json")); err != nil {
			t.Fatal(err)
		}
		c := cfg
		c.Out, c.Shard, c.Resume = s0, Shard{Index: 0, Count: 2}, true
		sum, err := Run(ctx, c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Docs != 1 {
			t.Errorf("resumed shard has %d documents, want 1", sum.Docs)
		}
		if _, err := Merge(ctx, merged, []string{s0, s1}, Options{}); err != nil {
			t.Fatal(err)
		}
		sameTables(t, whole, merged)
	})
}

// dirSnapshot describes every file under dir: path, size, mode, time and
// content.
func dirSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		desc := fmt.Sprintf("%v %d %s", info.Mode(), info.Size(), info.ModTime())
		if !info.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += " " + string(b)
		}
		out[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// --resume with another config than the saved blocks' fails before a
// document is read (the corpus is not even opened) and before anything is
// written, naming the output directory and both config hashes: with the
// state header, and with the first block state's header when an earlier
// framelens wrote none.
func TestResumeWithAnotherConfigFailsFast(t *testing.T) {
	skipShort(t)
	ctx := context.Background()
	out := t.TempDir()
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 2, Out: out}
	// Stop the run in its corpus-level stages: every block saved, no
	// run.json.
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	if _, err := Run(stop, cfg, Options{OnProgress: func(p Progress) {
		if p.Stage == "topics" {
			cancel()
		}
	}}); err == nil {
		t.Fatal("the run was not stopped")
	}
	if blocks, _ := savedBlocks(out); len(blocks) != 2 {
		t.Fatalf("%d block states saved, want 2", len(blocks))
	}
	if _, err := os.Stat(filepath.Join(out, stateDir, stateHeaderFile)); err != nil {
		t.Fatalf("no state header: %v", err)
	}
	other := cfg
	other.Seed = 4
	anotherCorpus := cfg
	anotherCorpus.Corpus = filepath.Join(t.TempDir(), "missing.jsonl") // cannot be opened
	anotherCorpus.RepeatedLines = true                                 // its first pass would read it first
	for _, withHeader := range []bool{true, false} {
		if !withHeader {
			if err := os.Remove(filepath.Join(out, stateDir, stateHeaderFile)); err != nil {
				t.Fatal(err)
			}
		}
		for name, c := range map[string]Config{"seed": other, "corpus": anotherCorpus} {
			t.Run(fmt.Sprintf("%s, state header %v", name, withHeader), func(t *testing.T) {
				before := dirSnapshot(t, out)
				c.Resume = true
				progress := 0
				_, err := Run(ctx, c, Options{OnProgress: func(Progress) { progress++ }})
				if err == nil {
					t.Fatal("resuming with another config succeeded")
				}
				for _, want := range []string{out, cfg.withDefaults().Hash(), c.withDefaults().Hash(), "another config"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
				if progress > 0 {
					t.Errorf("%d progress reports before failing, want none", progress)
				}
				after := dirSnapshot(t, out)
				for p, d := range before {
					if after[p] != d {
						t.Errorf("%s changed", p)
					}
				}
				for p := range after {
					if _, ok := before[p]; !ok {
						t.Errorf("%s written", p)
					}
				}
			})
		}
	}
	// The same config resumes (from the first block's header), and the
	// tables are those of an uninterrupted run.
	whole := t.TempDir()
	w := cfg
	w.Out = whole
	if _, err := Run(ctx, w, Options{}); err != nil {
		t.Fatal(err)
	}
	cfg.Resume = true
	if _, err := Run(ctx, cfg, Options{}); err != nil {
		t.Fatalf("resuming with the same config: %v", err)
	}
	sameTables(t, whole, out)
}
