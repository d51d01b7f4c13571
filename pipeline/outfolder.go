package pipeline

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
)

// dropStaleParts removes, before a resumed run, the part files of blocks
// that were not completed: they are rewritten, and a part left over from a
// block the new run does not reach must not join the table.
func dropStaleParts(od *output.OutDir, saved map[int]string) error {
	paths, err := filepath.Glob(filepath.Join(od.Path(), "*.partial", "part-*"))
	if err != nil {
		return err
	}
	for _, p := range paths {
		rel, _ := filepath.Rel(od.Path(), p)
		if !od.Owns(rel) || !output.IsPartFile(filepath.Base(p)) {
			continue
		}
		var n int
		if _, err := fmt.Sscanf(filepath.Base(p), "part-%05d", &n); err != nil {
			continue
		}
		if _, ok := saved[n]; !ok {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// closingMarker, a file in the state directory, says that the run's tables
// were being closed: every block was complete, and each streamed table's
// part files were in <name>.partial/ or, once the table was closed, in
// <name>/. It is written before the tables are closed and removed with the
// state directory once run.json (shard.json) is written.
const closingMarker = "closing"

// markClosing writes the closing marker in dir's state directory.
func markClosing(dir string) error {
	p := filepath.Join(dir, stateDir, closingMarker)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return output.WriteFileAtomic(p, 0o644, func(io.Writer) error { return nil })
}

// closeMarked closes the tables of a run (or shard) writing to out under
// the closing marker. A table that failed to close dropped its part files:
// the marker goes, so that --resume processes the blocks again.
func closeMarked(ts *tableSet, out string) error {
	if err := markClosing(out); err != nil {
		return err
	}
	if err := ts.close(); err != nil {
		os.Remove(filepath.Join(out, stateDir, closingMarker))
		return err
	}
	return nil
}

// recoverClosedTables makes a resumed run's streamed tables hold the part
// files of its completed blocks in <name>.partial/ again. A run killed
// after closing its tables (<name>.partial/ renamed to <name>/) but before
// writing run.json left every block state: the resumed run processes no
// block, and a fresh <name>.partial/ would become an empty table. When the
// closing marker says the tables were being closed, a closed table is
// moved back to <name>.partial/. A streamed table with neither (or a
// closed one without the marker, which may be an earlier run's) has lost
// the completed blocks' rows: the blocks are processed again.
func recoverClosedTables(od *output.OutDir, tables []string, saved map[int]string, log *slog.Logger) (map[int]string, error) {
	out := od.Path()
	marker := filepath.Join(out, stateDir, closingMarker)
	_, err := os.Stat(marker)
	closing := err == nil
	isDir := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && st.IsDir()
	}
	if len(saved) > 0 {
		for _, name := range tables {
			partial, final := filepath.Join(out, name+".partial"), filepath.Join(out, name)
			if isDir(partial) {
				continue
			}
			if closing && isDir(final) {
				if err := os.Rename(final, partial); err != nil {
					return nil, fmt.Errorf("--resume: %w", err)
				}
				continue
			}
			log.Warn("resuming: the part files of the completed blocks are missing; processing every block again", "table", name)
			if err := od.RemoveDir(stateDir, isStateFile); err != nil {
				return nil, err
			}
			return map[int]string{}, nil
		}
	}
	if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return saved, nil
}

// openOut opens and locks the output folder of a run or merge. It
// refuses a folder that is, holds or lies inside one of the inputs (the
// corpus, a merge's shards), and claims the names every run writes
// besides its tables.
func openOut(out, command string, overwrite bool, inputs ...string) (*output.OutDir, error) {
	legacy := []string{"run.json", "shard.json", stateDir}
	cat, err := Catalog()
	if err != nil {
		return nil, err
	}
	for _, t := range cat.Tables() {
		legacy = append(legacy, t.Paths(output.FormatBoth)...)
		if t.Layout == output.Parts {
			legacy = append(legacy, t.Name+".partial")
		}
	}
	var protect []string
	for _, in := range inputs {
		if in != corpus.StdinPath { // standard input is no folder to protect
			protect = append(protect, in)
		}
	}
	od, err := output.OpenOutDir(out, output.DirOptions{Overwrite: overwrite, Protect: protect, Command: command, Legacy: legacy})
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"run.json", "shard.json", stateDir} {
		if err := od.Claim(name); err != nil {
			od.Close()
			return nil, err
		}
	}
	// A table name taken by another file would stop the run when that
	// table is written, perhaps hours later: say so now.
	for _, name := range legacy {
		if _, err := os.Lstat(od.Join(name)); err == nil && !od.Owns(name) {
			od.Close()
			return nil, fmt.Errorf("%s: %w, and framelens writes a table there; move it, or choose another --out", od.Join(name), output.ErrNotOwned)
		}
	}
	return od, nil
}

// isStateFile reports whether name is one framelens gives the files of
// its state folder: block states, their side and record files, the header and
// the closing marker, and their temporary files.
func isStateFile(name string) bool {
	name = strings.TrimSuffix(name, ".tmp")
	if name == stateHeaderFile || name == closingMarker || isRecordFile(name) {
		return true
	}
	kind, rest, ok := strings.Cut(name, "-")
	if !ok || kind == "" || !strings.HasSuffix(rest, ".gob.gz") {
		return false
	}
	for _, r := range kind {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	n := strings.TrimSuffix(rest, ".gob.gz")
	return len(n) >= 5 && strings.Trim(n, "0123456789") == ""
}

// CheckOut checks cfg and its output folder as Run does before it reads
// the corpus — the config, the registered analyses' sections, and a folder
// that is safe, not in use, and empty or framelens's (unless overwrite) —
// and removes an earlier run's run.json there, which framelens wrote. A
// runner that does Run's work in steps of its own (framelens-beam) calls it
// before it starts any, so that a mistake stops it at once, and its merge
// step's run.json cannot be confused with an earlier one.
func CheckOut(cfg Config, opts Options, command string, overwrite bool) error {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return err
	}
	if err := cfg.checkAnalyses(registrations(opts.Analyses)); err != nil {
		return err
	}
	od, err := openOut(cfg.Out, command, overwrite, cfg.Corpus)
	if err != nil {
		return err
	}
	defer od.Close()
	return od.Remove("run.json")
}
