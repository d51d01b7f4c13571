package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
)

// shardManifest is shard.json: written last by a shard run, it marks the
// shard complete and carries what run.json needs from it.
type shardManifest struct {
	Framelens      string             `json:"framelens_version"`
	ConfigHash     string             `json:"config_hash"`
	Config         Config             `json:"config"`
	Shard          Shard              `json:"shard"`
	Blocks         []int              `json:"blocks"`
	Inputs         []corpus.InputFile `json:"inputs"`
	DocumentErrors []string           `json:"document_errors"`
	Seconds        float64            `json:"seconds"`
}

// finishShard completes the shard's part files and writes shard.json.
func (m *mapRun) finishShard() (*Summary, error) {
	cfg := m.eng.cfg
	if err := closeMarked(m.ts, cfg.Out); err != nil {
		return nil, err
	}
	sm := shardManifest{Framelens: Version, ConfigHash: cfg.Hash(), Config: cfg, Shard: cfg.Shard,
		Inputs: m.man.Inputs, DocumentErrors: m.man.DocumentErrors, Seconds: time.Since(m.start).Seconds()}
	sum := &Summary{Out: cfg.Out, Groups: map[string]int{}}
	for _, b := range m.blocks {
		sm.Blocks = append(sm.Blocks, b.Block)
		sm.DocumentErrors = append(sm.DocumentErrors, b.Errors...)
		for _, d := range b.Docs {
			sum.Docs++
			sum.Groups[d.Group]++
			sum.Tokens += int64(d.Tokens)
		}
	}
	sum.Errors = sm.DocumentErrors
	b, err := json.MarshalIndent(sm, "", "  ")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.Out, "shard.json")
	if err := output.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return nil, err
	}
	m.opts.Logger.Info("shard complete", "shard", fmt.Sprintf("%d/%d", cfg.Shard.Index, cfg.Shard.Count), "blocks", len(sm.Blocks), "out", cfg.Out)
	return sum, nil
}

// Merge combines the shard directories of a sharded run (framelens run
// --shard i/n) into the complete tables under out: it gathers the shards'
// part files, merges their block states and runs the corpus-level stages
// once, with the config the shards ran with (from their shard.json).
func Merge(ctx context.Context, out string, shardDirs []string, opts Options) (*Summary, error) {
	if len(shardDirs) == 0 {
		return nil, errors.New("merge: no shard directories")
	}
	first, err := readShardManifest(shardDirs[0])
	if err != nil {
		return nil, err
	}
	cfg := first.Config
	cfg.Out = out
	cfg.Shard = Shard{}
	cfg.Resume = false
	cfg = cfg.withDefaults()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	start := time.Now()
	eng, err := newEngine(cfg, opts.Logger)
	if err != nil {
		return nil, err
	}
	format, err := output.ParseFormat(cfg.Format)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(cfg.Out, "run.json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	// The part-file tables are gathered into empty .partial folders: part
	// files an earlier merge (or run) left there, of blocks these shards
	// may not have, would otherwise join the merged tables.
	if err := clearPartials(cfg.Out); err != nil {
		return nil, err
	}
	man := newManifest(cfg, start)
	var blocks []*blockState
	seen := map[int]string{}
	var count int
	for _, dir := range shardDirs {
		sm, err := readShardManifest(dir)
		if err != nil {
			return nil, err
		}
		if sm.ConfigHash != first.ConfigHash {
			return nil, fmt.Errorf("merge: shard %s ran with config %s, shard %s with %s", dir, sm.ConfigHash, shardDirs[0], first.ConfigHash)
		}
		if count == 0 {
			count = sm.Shard.Count
			man.Inputs = sm.Inputs
		}
		man.DocumentErrors = append(man.DocumentErrors, sm.DocumentErrors...)
		saved, err := savedBlocks(dir)
		if err != nil {
			return nil, err
		}
		for n, path := range saved {
			if other, dup := seen[n]; dup {
				return nil, fmt.Errorf("merge: block %d is in both %s and %s", n, other, dir)
			}
			seen[n] = dir
			st, err := loadBlock(path)
			if err != nil {
				return nil, err
			}
			st.Errors = nil // counted from shard.json
			st.dropTexts()
			blocks = append(blocks, st)
		}
		if err := gatherParts(dir, cfg.Out); err != nil {
			return nil, err
		}
	}
	if len(shardDirs) != count {
		return nil, fmt.Errorf("merge: the shards were cut %d ways, %d shard directories given", count, len(shardDirs))
	}
	// Every shard reads the whole stream, so a document the reader refused
	// is in every shard's list: keep one of each. (Errors of analysed
	// documents name their document and come from one shard only.)
	sort.Strings(man.DocumentErrors)
	man.DocumentErrors = slices.Compact(man.DocumentErrors)
	meta := map[string]string{
		"framelens.schema_version": fmt.Sprint(output.SchemaVersion),
		"framelens.version":        Version,
		"framelens.config_hash":    cfg.Hash(),
		"framelens.run_id":         cfg.RunID(),
	}
	ts, err := newTableSet(cfg.Out, output.Options{Format: format, Metadata: meta, Resume: true}, cfg.skip)
	if err != nil {
		return nil, err
	}
	sortedBlocks(blocks)
	stats := newCorpusStats(eng)
	for _, b := range blocks {
		if err := stats.absorb(b); err != nil {
			return nil, err
		}
	}
	return reduceRun(ctx, eng, blocks, stats, ts, man, opts, start)
}

func readShardManifest(dir string) (*shardManifest, error) {
	var sm shardManifest
	b, err := os.ReadFile(filepath.Join(dir, "shard.json"))
	if err != nil {
		return nil, fmt.Errorf("merge: %s is not a complete shard (no shard.json): %w", dir, err)
	}
	if err := json.Unmarshal(b, &sm); err != nil {
		return nil, fmt.Errorf("merge: %s: %w", filepath.Join(dir, "shard.json"), err)
	}
	return &sm, nil
}

// clearPartials removes the .partial folder of every part-file table
// under out.
func clearPartials(out string) error {
	for _, t := range output.NewCatalog().Tables() {
		if t.Layout != output.Parts {
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, t.Name+".partial")); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	return nil
}

// gatherParts links (or copies) a shard's part files into the output's
// .partial table directories.
func gatherParts(shardDir, out string) error {
	for _, t := range output.NewCatalog().Tables() {
		if t.Layout != output.Parts {
			continue
		}
		parts, _ := filepath.Glob(filepath.Join(shardDir, t.Name, "part-*"))
		if len(parts) == 0 {
			continue
		}
		dst := filepath.Join(out, t.Name+".partial")
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return err
		}
		for _, p := range parts {
			target := filepath.Join(dst, filepath.Base(p))
			os.Remove(target)
			if err := os.Link(p, target); err == nil {
				continue
			}
			if err := copyFile(p, target); err != nil {
				return fmt.Errorf("merge: %w", err)
			}
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return output.WriteFileAtomic(dst, 0o666, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}
