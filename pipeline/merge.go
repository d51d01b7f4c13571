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
	"strings"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
)

// shardManifest is shard.json: written last by a shard run, it marks the
// shard complete and carries what run.json needs from it. It holds no
// time, and its config no output folder (the folder it is in, or for a
// block the temporary folder it was written in before its rename): a
// block written again (a retried Beam step) gives the same bytes.
type shardManifest struct {
	Framelens  string `json:"framelens_version"`
	ConfigHash string `json:"config_hash"`
	// ConfigFiles are the files the config names, with their digests.
	ConfigFiles []configFile `json:"config_files,omitempty"`
	Config      Config       `json:"config"`
	Shard       Shard        `json:"shard"`
	Blocks      []int        `json:"blocks"`
	// Documents is the number of documents in the whole corpus (every
	// shard reads it all), from which Merge knows every block there is.
	Documents int `json:"documents"`
	// Parts lists, per part-file table, the part files the shard wrote,
	// so that Merge can tell a lost part from a block without rows.
	Parts          map[string][]string `json:"parts"`
	Inputs         []corpus.InputFile  `json:"inputs"`
	DocumentErrors []string            `json:"document_errors"`
}

// finishShard completes the shard's part files and writes shard.json.
func (m *mapRun) finishShard() (*Summary, error) {
	cfg := m.eng.cfg
	if err := closeMarked(m.ts, cfg.Out); err != nil {
		return nil, err
	}
	rec := cfg
	rec.Out = ""
	sm := shardManifest{Framelens: Version, ConfigHash: cfg.Hash(), ConfigFiles: cfg.configFiles(), Config: rec, Shard: cfg.Shard, Documents: m.seen,
		Inputs: m.man.Inputs, DocumentErrors: m.man.DocumentErrors, Parts: map[string][]string{}}
	for _, name := range streamedTables(cfg.skip) {
		parts, err := os.ReadDir(filepath.Join(cfg.Out, name))
		if err != nil {
			return nil, err
		}
		sm.Parts[name] = []string{}
		for _, p := range parts {
			if output.IsPartFile(p.Name()) {
				sm.Parts[name] = append(sm.Parts[name], p.Name())
			}
		}
	}
	sum := &Summary{Out: cfg.Out, Groups: map[string]int{}}
	for _, b := range m.blocks {
		sm.Blocks = append(sm.Blocks, b.Block)
		sm.DocumentErrors = append(sm.DocumentErrors, b.Errors...)
		for _, d := range b.Docs {
			sum.Docs++
			sum.Groups[d.Group]++
			sum.addLang(d.Group, d.Row.Lang)
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
	m.opts.Logger.Info("shard complete", "shard", fmt.Sprintf("%d/%d", cfg.Shard.Index, cfg.Shard.Count), "blocks", len(sm.Blocks), "out", cfg.Out, "seconds", time.Since(m.start).Seconds())
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
	cfg = cfg.withDefaults().pinFiles()
	// The corpus-level stages read the files again: with other contents
	// they would reduce the shards' blocks under another config.
	if ch := changedFiles(first.ConfigFiles, cfg.configFiles()); len(ch) > 0 {
		return nil, fmt.Errorf("merge: the shards were made with other contents of %s: %w; put the file back as it was, or rerun the shards", describe(ch, "when the shards ran", "now"), ErrConfigFileChanged)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	start := time.Now()
	regs := registrations(opts.Analyses)
	if err := cfg.checkAnalyses(regs); err != nil {
		return nil, err
	}
	eng, err := newEngine(cfg, opts.Logger, regs)
	if err != nil {
		return nil, err
	}
	format, err := output.ParseFormat(cfg.Format)
	if err != nil {
		return nil, err
	}
	// The shards are read, never written: --out may be none of them and
	// neither inside nor around one.
	od, err := openOut(cfg.Out, "merge", opts.Overwrite, shardDirs...)
	if err != nil {
		return nil, err
	}
	defer od.Close()
	if err := checkPartition(shardDirs, cfg.Out); err != nil {
		return nil, err
	}
	if err := od.Remove("run.json"); err != nil {
		return nil, err
	}
	// The part-file tables are gathered into empty .partial folders: part
	// files an earlier merge (or run) left there, of blocks these shards
	// may not have, would otherwise join the merged tables.
	if err := clearPartials(od); err != nil {
		return nil, err
	}
	man := newManifest(cfg, start)
	blocks, err := gatherShards(shardDirs, first, cfg.Out, man)
	if err != nil {
		return nil, err
	}
	ts, err := newTableSet(od, eng.cat, output.Options{Format: format, Metadata: tableMeta(cfg), Resume: true}, cfg.skip)
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
	return reduceRun(ctx, eng, od, blocks, stats, ts, man, opts, start)
}

// gatherShards checks that the shards are one partition of the corpus,
// loads their block states, gathers their part files into out and adds
// their inputs and document errors to man.
func gatherShards(shardDirs []string, first *shardManifest, out string, man *manifest) ([]*blockState, error) {
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
		if err := gatherParts(dir, out); err != nil {
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
	return blocks, nil
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

// clearPartials claims the .partial folder of every part-file table
// under the output folder and removes its part files.
func clearPartials(od *output.OutDir) error {
	for _, t := range output.NewCatalog().Tables() {
		if t.Layout != output.Parts {
			continue
		}
		if err := od.Claim(t.Name + ".partial"); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if err := od.RemoveDir(t.Name+".partial", output.IsPartFile); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	return nil
}

// checkPartition checks, before anything is written, that the shard
// directories are one complete, disjoint partition of one corpus under
// one config: every shard i/n of one n once, the same corpus, every
// block of the corpus in exactly its shard, and every part file a shard
// listed present. A merge of anything less would write tables that look
// complete and are not.
func checkPartition(shardDirs []string, out string) error {
	var first *shardManifest
	byIndex := map[int]string{}
	for _, dir := range shardDirs {
		sm, err := readShardManifest(dir)
		if err != nil {
			return err
		}
		if first == nil {
			first = sm
		}
		switch ch := changedFiles(first.ConfigFiles, sm.ConfigFiles); {
		case len(ch) > 0:
			return fmt.Errorf("merge: shards %s and %s were made with different contents of %s: %w; rerun one of them with the file the other read", shardDirs[0], dir, describe(ch, "in "+shardDirs[0], "in "+dir), ErrConfigFileChanged)
		case sm.ConfigHash != first.ConfigHash:
			return fmt.Errorf("merge: shard %s ran with config %s, shard %s with %s: merge shards of one run", dir, sm.ConfigHash, shardDirs[0], first.ConfigHash)
		case sm.Shard.Count != first.Shard.Count:
			return fmt.Errorf("merge: shard %s is %d/%d, shard %s is %d/%d: the shards of one run are cut the same number of ways", dir, sm.Shard.Index, sm.Shard.Count, shardDirs[0], first.Shard.Index, first.Shard.Count)
		case sm.Documents != first.Documents || !sameInputs(sm.Inputs, first.Inputs):
			return fmt.Errorf("merge: shards %s and %s read different corpora (%d and %d documents): merge shards of one run", shardDirs[0], dir, first.Documents, sm.Documents)
		}
		if other, dup := byIndex[sm.Shard.Index]; dup {
			return fmt.Errorf("merge: %s and %s are both shard %d/%d", other, dir, sm.Shard.Index, sm.Shard.Count)
		}
		byIndex[sm.Shard.Index] = dir
		if err := checkShardBlocks(dir, sm); err != nil {
			return err
		}
	}
	if len(byIndex) != first.Shard.Count {
		var missing []string
		for i := 0; i < first.Shard.Count; i++ {
			if _, ok := byIndex[i]; !ok {
				missing = append(missing, fmt.Sprintf("%d/%d", i, first.Shard.Count))
			}
		}
		return fmt.Errorf("merge: the run was cut %d ways and shard(s) %s are missing", first.Shard.Count, strings.Join(missing, ", "))
	}
	return nil
}

// checkShardBlocks checks that a shard holds the state of every block
// that falls to it, and no other, and every part file it listed.
func checkShardBlocks(dir string, sm *shardManifest) error {
	saved, err := savedBlocks(dir)
	if err != nil {
		return err
	}
	bd := sm.Config.withDefaults().BlockDocs
	nBlocks := (sm.Documents + bd - 1) / bd
	var missing []int
	for b := sm.Shard.Index; b < nBlocks; b += sm.Shard.Count {
		if _, ok := saved[b]; !ok {
			missing = append(missing, b)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge: shard %s (%d/%d) lacks the state of block(s) %v: rerun that shard", dir, sm.Shard.Index, sm.Shard.Count, missing)
	}
	for b := range saved {
		if b%sm.Shard.Count != sm.Shard.Index || b >= nBlocks {
			return fmt.Errorf("merge: shard %s (%d/%d) holds block %d, which is not its own: rerun that shard into an empty folder", dir, sm.Shard.Index, sm.Shard.Count, b)
		}
	}
	if sm.Parts == nil {
		return fmt.Errorf("merge: %s lists no part files (written by an older framelens): rerun that shard", filepath.Join(dir, "shard.json"))
	}
	for table, parts := range sm.Parts {
		for _, p := range parts {
			if _, err := os.Stat(filepath.Join(dir, table, p)); err != nil {
				return fmt.Errorf("merge: shard %s lost part file %s of table %s: rerun that shard", dir, filepath.Join(table, p), table)
			}
		}
	}
	return nil
}

// sameInputs reports whether two shards read the same input files.
func sameInputs(a, b []corpus.InputFile) bool {
	return slices.EqualFunc(a, b, func(x, y corpus.InputFile) bool { return x == y })
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
