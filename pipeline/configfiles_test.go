package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A lexicon edited between an interrupted run and --resume, or between
// shards and their merge, is another config: the hash covers the file's
// contents, and the blocks made with the old contents are refused, naming
// the file, before a table is written.
func TestEditedConfigFileIsAnotherConfig(t *testing.T) {
	skipShort(t)
	ctx := context.Background()
	lex := filepath.Join(t.TempDir(), "lex.yaml")
	v1 := []byte("security: [visa*, sanction*, security]\nbelonging: [belong*, identity]\n")
	v2 := []byte("security: [visa*, sanction*, security]\nbelonging: [belong*, identity, talent*]\n")
	write := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(lex, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(v1)
	cfg := Config{BlockDocs: 1, Seed: 3, Workers: 2}
	cfg.Frames.LexiconPath = lex
	h1 := cfg.withDefaults().Hash()
	write(v2)
	if h2 := cfg.withDefaults().Hash(); h2 == h1 {
		t.Fatalf("the config hash %s is the same after the lexicon %s was edited", h1, lex)
	}
	write(v1)
	if h := cfg.withDefaults().Hash(); h != h1 {
		t.Fatalf("the config hash is %s for the lexicon as it was, want %s", h, h1)
	}
	refused := func(t *testing.T, err error, what string) {
		t.Helper()
		if !errors.Is(err, ErrConfigFileChanged) {
			t.Fatalf("%s with the lexicon edited: %v, want ErrConfigFileChanged", what, err)
		}
		t.Logf("%s: %v", what, err)
		for _, want := range []string{"frames.lexicon", lex} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not name %q", what, err, want)
			}
		}
	}

	t.Run("resume", func(t *testing.T) {
		write(v1)
		out := t.TempDir()
		c := cfg
		c.Out = out
		// Stopped in its corpus-level stages: every block saved.
		stop, cancel := context.WithCancel(ctx)
		defer cancel()
		if _, err := Run(stop, c, Options{OnProgress: func(p Progress) {
			if p.Stage == "topics" {
				cancel()
			}
		}}); err == nil {
			t.Fatal("the run was not stopped")
		}
		if blocks, _ := savedBlocks(out); len(blocks) != 2 {
			t.Fatalf("%d block states saved, want 2", len(blocks))
		}
		write(v2)
		before := dirSnapshot(t, out)
		c.Resume = true
		_, err := Run(ctx, c, Options{})
		refused(t, err, "--resume")
		after := dirSnapshot(t, out)
		if len(after) != len(before) {
			t.Errorf("the refused resume changed the folder: %d files, then %d", len(before), len(after))
		}
		for p, d := range before {
			if after[p] != d {
				t.Errorf("%s changed", p)
			}
		}
		write(v1)
		if _, err := Run(ctx, c, Options{}); err != nil {
			t.Fatalf("resuming with the lexicon as it was: %v", err)
		}
		// run.json says which contents the tables were made with.
		b, err := os.ReadFile(filepath.Join(out, "run.json"))
		if err != nil {
			t.Fatal(err)
		}
		var man struct {
			ConfigHash  string       `json:"config_hash"`
			ConfigFiles []configFile `json:"config_files"`
		}
		if err := json.Unmarshal(b, &man); err != nil {
			t.Fatal(err)
		}
		if man.ConfigHash != h1 || len(man.ConfigFiles) != 1 || man.ConfigFiles[0].Path != lex || man.ConfigFiles[0].SHA256 != fileDigest(lex) || len(man.ConfigFiles[0].SHA256) != 64 {
			t.Errorf("run.json: config_hash %s (want %s), config_files %+v", man.ConfigHash, h1, man.ConfigFiles)
		}
	})

	t.Run("merge", func(t *testing.T) {
		shard := func(i int, b []byte) string {
			t.Helper()
			write(b)
			c := cfg
			c.Out = t.TempDir()
			c.Shard = Shard{Index: i, Count: 2}
			if _, err := Run(ctx, c, Options{}); err != nil {
				t.Fatal(err)
			}
			return c.Out
		}
		// One shard made with each version.
		s0, s1 := shard(0, v1), shard(1, v2)
		write(v1)
		_, err := Merge(ctx, t.TempDir(), []string{s0, s1}, Options{})
		refused(t, err, "merging shards made with two lexicons")
		// Both made with v1, the lexicon edited before the merge.
		s1 = shard(1, v1)
		write(v2)
		merged := t.TempDir()
		_, err = Merge(ctx, merged, []string{s0, s1}, Options{})
		refused(t, err, "merging after the lexicon was edited")
		if entries, _ := os.ReadDir(merged); len(entries) > 0 {
			t.Errorf("the refused merge wrote %d files", len(entries))
		}
		write(v1)
		if _, err := Merge(ctx, merged, []string{s0, s1}, Options{}); err != nil {
			t.Fatalf("merging with the lexicon as it was: %v", err)
		}
	})
}
