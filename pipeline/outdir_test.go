package pipeline

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
)

// writeFiles writes files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// contentSnapshot maps every file under dir to its content.
func contentSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRunNeverTouchesUserFiles points runs at a folder of a user's files,
// folders named like tables included, and checks that none is removed or
// changed, whatever the run is told.
func TestRunNeverTouchesUserFiles(t *testing.T) {
	ctx := context.Background()
	user := map[string]string{
		"notes.txt":                        "my notes",
		"tokens/mine.csv":                  "a,b",
		"tokens/part-00000.parquet":        "not a table",
		"entities/people.txt":              "Ada",
		"sections/s.txt":                   "s",
		"keyness.parquet":                  "a user's file",
		"run.json":                         `{"mine": true}`,
		".framelens/block-00000.gob.gz":    "mine",
		"tfidf.partial/part-00001.parquet": "mine too",
	}
	out := t.TempDir()
	writeFiles(t, out, user)
	for _, overwrite := range []bool{false, true} {
		_, err := Run(ctx, Config{Out: out, Seed: 1}, Options{Overwrite: overwrite})
		want := output.ErrOutNotEmpty
		if overwrite {
			want = output.ErrNotOwned
		}
		if !errors.Is(err, want) {
			t.Errorf("overwrite %v: Run into a folder of user files: %v, want %v", overwrite, err, want)
		}
		if got := contentSnapshot(t, out); len(got) != len(user) {
			t.Errorf("overwrite %v: the folder holds %d files, want the user's %d", overwrite, len(got), len(user))
		}
		checkFiles(t, out, user)
	}

	// A folder of other files, with --overwrite: the tables go beside them,
	// twice, and a merge into it leaves them too.
	other := map[string]string{"notes.txt": "mine", "data/speeches.csv": "id,text\n"}
	out2 := t.TempDir()
	writeFiles(t, out2, other)
	for range 2 {
		if _, err := Run(ctx, Config{Out: out2, Seed: 1}, Options{Overwrite: true}); err != nil {
			t.Fatal(err)
		}
		checkFiles(t, out2, other)
	}
	if _, err := os.Stat(filepath.Join(out2, "run.json")); err != nil {
		t.Errorf("no run.json beside the user's files: %v", err)
	}
}

// TestRunRefusesOutAroundTheCorpus: a corpus whose group folders are named
// like tables (tokens/, entities/) cannot be written into, nor can a
// folder that holds it or lies inside it.
func TestRunRefusesOutAroundTheCorpus(t *testing.T) {
	root := t.TempDir()
	corpusDir := filepath.Join(root, "corpus")
	docs := map[string]string{
		"tokens/a.txt":   "The visa rules changed in 2019 for researchers from abroad.",
		"entities/b.txt": "A sense of belonging keeps scientists where they trained.",
	}
	writeFiles(t, corpusDir, docs)
	for _, out := range []string{corpusDir, root, filepath.Join(corpusDir, "out")} {
		_, err := Run(context.Background(), Config{Corpus: corpusDir, Out: out, Seed: 1}, Options{Overwrite: true})
		if !errors.Is(err, output.ErrUnsafeOut) {
			t.Errorf("--out %s around --corpus %s: %v, want ErrUnsafeOut", out, corpusDir, err)
		}
		checkFiles(t, corpusDir, docs)
	}
	if _, err := os.Stat(filepath.Join(corpusDir, "out")); err == nil {
		t.Error("an --out inside the corpus was created")
	}
}

// TestRunLocksOut: while one run holds the output folder, another fails at
// once naming it, and leaves it alone.
func TestRunLocksOut(t *testing.T) {
	out := t.TempDir()
	held, err := output.OpenOutDir(out, output.DirOptions{Command: "run"})
	if err != nil {
		t.Fatal(err)
	}
	before := contentSnapshot(t, out)
	_, err = Run(context.Background(), Config{Out: out, Seed: 1}, Options{})
	if !errors.Is(err, output.ErrOutLocked) || !strings.Contains(err.Error(), "pid") {
		t.Fatalf("Run into a held folder: %v, want ErrOutLocked naming the holder", err)
	}
	checkFiles(t, out, before)
	if _, err := Merge(context.Background(), out, []string{t.TempDir()}, Options{}); err == nil {
		t.Error("Merge into a held folder succeeded")
	}
	held.Close()
	if _, err := Run(context.Background(), Config{Out: out, Seed: 1, SkipStages: []string{"topics", "keyphrases"}}, Options{}); err != nil {
		t.Fatalf("Run once the folder is free: %v", err)
	}
}

func checkFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || string(b) != c {
			t.Errorf("%s: %q, %v; want it untouched", p, b, err)
		}
	}
}

// TestMergeChecksPartition: merge refuses, before writing, shards that are
// not one complete, disjoint partition of one corpus under one config, and
// an --out that is one of its inputs.
func TestMergeChecksPartition(t *testing.T) {
	skipShort(t)
	ctx := context.Background()
	base := Config{BlockDocs: 1, Seed: 3, Workers: 2, SkipStages: []string{"topics", "keyphrases", "entities"}}
	shard := func(i, n, limit int) string {
		c := base
		c.Out = t.TempDir()
		c.Shard = Shard{Index: i, Count: n}
		c.Limit = limit
		if _, err := Run(ctx, c, Options{}); err != nil {
			t.Fatal(err)
		}
		return c.Out
	}
	a0, a1 := shard(0, 2, 0), shard(1, 2, 0)
	b1 := shard(1, 3, 0)
	short1 := shard(1, 2, 1)
	lost := shard(1, 2, 0)
	if err := os.Remove(filepath.Join(lost, "tokens", "part-00001.parquet")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		out    string
		shards []string
		say    string
	}{
		{"shards of two cuts", "", []string{a0, b1}, "cut the same number of ways"},
		{"a shard missing", "", []string{a0}, "1/2 are missing"},
		{"a shard twice", "", []string{a0, a0}, "are both shard 0/2"},
		{"shards of different configs", "", []string{a0, short1}, "ran with config"},
		{"a lost part file", "", []string{a0, lost}, "lost part file"},
		{"--out is a shard", a1, []string{a0, a1}, "unsafe output folder"},
		{"--out inside a shard", filepath.Join(a0, "merged"), []string{a0, a1}, "unsafe output folder"},
	} {
		out := tc.out
		if out == "" {
			out = filepath.Join(t.TempDir(), "merged")
		}
		before := map[string]map[string]string{}
		for _, s := range tc.shards {
			before[s] = contentSnapshot(t, s)
		}
		_, err := Merge(ctx, out, tc.shards, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.say) {
			t.Errorf("%s: Merge: %v, want an error saying %q", tc.name, err, tc.say)
		}
		if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil && tc.out == "" {
			t.Errorf("%s: a refused merge wrote run.json", tc.name)
		}
		for s, files := range before {
			checkFiles(t, s, files)
		}
	}
	if _, err := Merge(ctx, filepath.Join(t.TempDir(), "merged"), []string{a1, a0}, Options{}); err != nil {
		t.Fatalf("the complete partition: %v", err)
	}
}

// TestFullDisk runs into a small tmpfs: a full disk stops the run with an
// error naming the file and the cause (Arrow's Parquet writer panicked),
// nothing is vouched for by run.json, and once there is room --resume
// gives the tables of an uninterrupted run. It needs root (mount).
func TestFullDisk(t *testing.T) {
	skipShort(t)
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	ctx := context.Background()
	mnt := t.TempDir()
	for _, size := range []string{"150k", "300k", "600k"} {
		t.Run(size, func(t *testing.T) {
			if err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", mnt).Run(); err != nil {
				t.Skipf("cannot mount a tmpfs: %v", err)
			}
			defer exec.Command("umount", mnt).Run()
			cfg := Config{Out: filepath.Join(mnt, "out"), Seed: 3, BlockDocs: 1, Workers: 2}
			_, err := Run(ctx, cfg, Options{})
			if err == nil {
				t.Skipf("the run fit in %s", size)
			}
			if !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), mnt) {
				t.Fatalf("Run on a full disk: %v, want an error naming the file and saying no space left on device", err)
			}
			if _, err := os.Stat(filepath.Join(cfg.Out, "run.json")); err == nil {
				t.Fatal("a run that failed on a full disk wrote run.json")
			}
			if err := exec.Command("mount", "-o", "remount,size=8m", mnt).Run(); err != nil {
				t.Fatalf("remount: %v", err)
			}
			cfg.Resume = true
			if _, err := Run(ctx, cfg, Options{}); err != nil {
				t.Fatalf("--resume once there is room: %v", err)
			}
			single := t.TempDir()
			c := cfg
			c.Out, c.Resume = single, false
			if _, err := Run(ctx, c, Options{}); err != nil {
				t.Fatal(err)
			}
			sameTables(t, single, cfg.Out)
		})
	}
}

// panicStage is a stage that panics on the document with the given id.
type panicStage struct {
	stage.Doc
	id string
}

func (p panicStage) Process(ctx context.Context, doc *corpus.Document) error {
	if doc.ID == p.id {
		var m map[string]int
		m["x"]++ // a nil-map write: the kind of bug one input can reach
	}
	return p.Doc.Process(ctx, doc)
}

// TestStagePanicFailsOneDocument: a stage that panics on one document
// fails that document (a StageError wrapping ErrStagePanic, naming the
// stage), and the engine goes on with the next.
func TestStagePanicFailsOneDocument(t *testing.T) {
	cfg := Config{Out: t.TempDir(), Seed: 1}.withDefaults()
	eng, err := newEngine(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), Analyses())
	if err != nil {
		t.Fatal(err)
	}
	last := len(eng.stages) - 1
	name := eng.stages[last].Name()
	eng.stages[last] = panicStage{Doc: eng.stages[last], id: "bad"}
	bad := eng.process(context.Background(), &corpus.Document{ID: "bad", Raw: "Visa rules changed for researchers."})
	var se *StageError
	if !errors.As(bad.err, &se) || se.Stage != name || !errors.Is(bad.err, ErrStagePanic) {
		t.Fatalf("a panicking stage: %v, want a StageError of stage %s wrapping ErrStagePanic", bad.err, name)
	}
	good := eng.process(context.Background(), &corpus.Document{ID: "good", Raw: "A sense of belonging keeps scientists at home."})
	if good.err != nil || len(good.doc.Tokens) == 0 {
		t.Fatalf("the next document: %v, %d tokens", good.err, len(good.doc.Tokens))
	}
}
