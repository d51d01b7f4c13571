package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/framelens/framelens/corpus"
)

// Blocks read with ReadBlocks, processed concurrently in reverse order
// through ProcessBlock and merged give the tables of Run, byte for byte.
func TestBlocksOutOfOrderEqualRun(t *testing.T) {
	ctx := context.Background()
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 1}
	single := t.TempDir()
	c := cfg
	c.Out = single
	if _, err := Run(ctx, c, Options{}); err != nil {
		t.Fatal(err)
	}
	type blk struct {
		n    int
		docs []*corpus.Document
	}
	var blocks []blk
	info, err := ReadBlocks(ctx, cfg, func(b int, docs []*corpus.Document) error {
		blocks = append(blocks, blk{b, docs})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) < 2 || info.Blocks(cfg) != len(blocks) || info.Documents != len(blocks) {
		t.Fatalf("%d blocks of %d documents, info %+v", len(blocks), info.Documents, info)
	}
	p, err := NewBlockProcessor(ctx, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	dirs := make([]string, len(blocks))
	var wg sync.WaitGroup
	errs := make([]error, len(blocks))
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		dirs[i] = filepath.Join(work, fmt.Sprint(b.n))
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.ProcessBlock(ctx, info, b.n, b.docs, dirs[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	// A retried block keeps its folder; the documents were not changed.
	if blocks[0].docs[0].Clean != "" {
		t.Error("ProcessBlock annotated the caller's document")
	}
	before, _ := os.Stat(filepath.Join(dirs[0], "shard.json"))
	if err := p.ProcessBlock(ctx, info, blocks[0].n, blocks[0].docs, dirs[0]); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(filepath.Join(dirs[0], "shard.json")); !after.ModTime().Equal(before.ModTime()) {
		t.Error("a complete block folder was written again")
	}
	// A block that is not one of the corpus is refused.
	if err := p.ProcessBlock(ctx, info, blocks[1].n, blocks[0].docs, filepath.Join(work, "x")); !errors.Is(err, ErrBlock) {
		t.Errorf("documents of block %d as block %d: %v, want ErrBlock", blocks[0].n, blocks[1].n, err)
	}
	merged := t.TempDir()
	// Merge in any order of folders: it absorbs the blocks in block order.
	rev := append([]string(nil), dirs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if _, err := Merge(ctx, merged, rev, Options{}); err != nil {
		t.Fatal(err)
	}
	sameTables(t, single, merged)
}

// A block written twice — a retried step, on another worker, later —
// gives the same bytes in its part files and shard.json (no time, no
// temporary folder in it), and block state that merges into the same
// tables. (The state's gob files are not the same bytes: gob writes a map
// in Go's random iteration order.)
func TestBlockWrittenTwiceHasTheSameBytes(t *testing.T) {
	ctx := context.Background()
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 1}
	blocks := map[int][]*corpus.Document{}
	info, err := ReadBlocks(ctx, cfg, func(b int, d []*corpus.Document) error {
		blocks[b] = d
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2 {
		t.Fatalf("%d blocks, want the sample's 2", len(blocks))
	}
	process := func(b int) string {
		t.Helper()
		p, err := NewBlockProcessor(ctx, cfg, Options{})
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("%05d", b))
		if err := p.ProcessBlock(ctx, info, b, blocks[b], dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	first, again := process(1), process(1)
	files := func(dir string) map[string][]byte {
		out := map[string][]byte{}
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[rel], err = os.ReadFile(p)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := files(first), files(again)
	for _, want := range []string{"shard.json", filepath.Join(stateDir, "block-00001.gob.gz"), filepath.Join("tokens", "part-00001.parquet")} {
		if _, ok := a[want]; !ok {
			t.Errorf("the block folder has no %s (files: %d)", want, len(a))
		}
	}
	if len(a) != len(b) {
		t.Errorf("%d files, then %d", len(a), len(b))
	}
	for rel, x := range a {
		y, ok := b[rel]
		switch {
		case !ok:
			t.Errorf("%s: only in the first attempt", rel)
		case strings.HasSuffix(rel, ".gob.gz"):
		case !bytes.Equal(x, y):
			t.Errorf("%s differs between two attempts (%d and %d bytes)", rel, len(x), len(y))
		}
	}
	// Either attempt's state merges into the same tables.
	other := process(0)
	outA, outB := t.TempDir(), t.TempDir()
	if _, err := Merge(ctx, outA, []string{other, first}, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(ctx, outB, []string{other, again}, Options{}); err != nil {
		t.Fatal(err)
	}
	sameTables(t, outA, outB)
}
