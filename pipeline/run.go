package pipeline

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"time"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/stages/stage"
)

// Version is framelens's version, recorded in run.json and table metadata.
const Version = "0.1.0"

// Progress is a snapshot of a running pipeline, for progress displays.
type Progress struct {
	Stage   string // "documents" while streaming, then the corpus-level stage
	Docs    int
	Tokens  int64
	Elapsed time.Duration
	// BytesRead and BytesTotal measure the input read so far (BytesTotal 0
	// when unknown), for an estimate of the time left.
	BytesRead, BytesTotal int64
}

// Options are the run's collaborators, not part of its configuration.
type Options struct {
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
	// OnProgress is called from the writer goroutine after each document
	// and at each corpus-level stage; it must return quickly.
	OnProgress func(Progress)
	// Overwrite lets the output folder be a non-empty folder framelens did
	// not write: the tables go beside the files there, none of which is
	// ever removed or replaced (see output.OutDir).
	Overwrite bool
	// Analyses are corpus-level stages to run besides the built-in ones
	// (Analyses()), each configured by its section of the config.
	Analyses []stage.Registration
}

// Run analyses the corpus of cfg and writes every table under cfg.Out.
// With cfg.Shard set it runs the map side of one shard only, writing the
// shard's part files and block states for Merge. With cfg.Resume it keeps
// the blocks a previous, interrupted run of the same config completed.
func Run(ctx context.Context, cfg Config, opts Options) (*Summary, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.pinFiles()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	regs := registrations(opts.Analyses)
	if err := cfg.checkAnalyses(regs); err != nil {
		return nil, err
	}
	if cfg.Resume {
		// Before the first pass of repeated_lines, the models and the
		// corpus: a resume that cannot keep the saved blocks fails at once,
		// leaving the folder as it was.
		if err := checkResume(cfg); err != nil {
			return nil, err
		}
	}
	od, err := openOut(cfg.Out, "run", opts.Overwrite, cfg.Corpus)
	if err != nil {
		return nil, err
	}
	defer od.Close()
	start := time.Now()
	if cfg.RepeatedLines {
		stats, err := countLines(ctx, cfg)
		if err != nil {
			return nil, err
		}
		cfg.Clean.RepeatedLines = stats
	}
	eng, err := newEngine(cfg, opts.Logger, regs)
	if err != nil {
		return nil, err
	}
	m, err := mapCorpus(ctx, eng, od, opts, start)
	if err != nil {
		return nil, err
	}
	if cfg.Shard.Count > 1 {
		return m.finishShard()
	}
	return reduceRun(ctx, eng, od, m.blocks, m.stats, m.ts, m.man, opts, start)
}

// reduceRun computes the corpus-level tables from the block states and
// writes run.json last.
func reduceRun(ctx context.Context, eng *engine, od *output.OutDir, blocks []*blockState, stats *corpusStats, ts *tableSet, man *manifest, opts Options, start time.Time) (*Summary, error) {
	cfg := eng.cfg
	for _, b := range blocks {
		man.DocumentErrors = append(man.DocumentErrors, b.Errors...)
	}
	sort.Strings(man.DocumentErrors)
	red, err := newReducer(eng, blocks, stats)
	if err != nil {
		return nil, err
	}
	progress := func(stage string) {
		if opts.OnProgress != nil {
			opts.OnProgress(Progress{Stage: stage, Docs: len(red.states), Tokens: red.tokens, Elapsed: time.Since(start)})
		}
	}
	sum, err := red.finish(ctx, ts, man, progress)
	if err != nil {
		ts.abortKeepParts()
		return nil, err
	}
	if err := closeMarked(ts, cfg.Out); err != nil {
		return nil, err
	}
	if man.Rows, err = ts.countRows(); err != nil {
		return nil, err
	}
	if err := ts.removeStale(); err != nil {
		return nil, err
	}
	man.Seconds = time.Since(start).Seconds()
	if err := man.write(filepath.Join(cfg.Out, "run.json")); err != nil {
		return nil, err
	}
	// The block states are only needed to resume or merge an unfinished run.
	if err := od.RemoveDir(stateDir, isStateFile); err != nil {
		return nil, err
	}
	sum.Out = cfg.Out
	sum.Errors = man.DocumentErrors
	opts.Logger.Info("run complete", "out", cfg.Out, "documents", len(red.states), "tokens", red.tokens, "seconds", man.Seconds)
	return sum, usable(cfg, sum, man.columns)
}
