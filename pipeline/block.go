package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/framelens/framelens/corpus"
)

// This file is the library API of a run cut into blocks that some other
// scheduler (a distributed runner such as the framelens-beam module)
// processes in any order, on any number of machines:
//
//	info, _ := ReadBlocks(ctx, cfg, func(block int, docs []*corpus.Document) error { … })
//	p, _ := NewBlockProcessor(ctx, cfg, opts)
//	p.ProcessBlock(ctx, info, block, docs, dir) // for every block, anywhere
//	Merge(ctx, out, dirs, opts)                 // once, in one place
//
// Each block folder is the folder `framelens run --shard block/n` would
// write for a run cut into n = info.Blocks(cfg) shards: one block's part
// files and saved state and its shard.json. Merge absorbs the block states
// in block order, so the tables are those of Run, byte for byte, whatever
// order and concurrency the blocks were processed in.

// CorpusInfo is what reading the whole corpus learns that every block's
// folder records: the documents there are (which says how many blocks
// there are), the input files and the documents the readers refused.
type CorpusInfo struct {
	Documents      int
	Inputs         []corpus.InputFile
	DocumentErrors []string
}

// Blocks is the number of blocks of the corpus under cfg (its block_docs).
func (ci CorpusInfo) Blocks(cfg Config) int {
	bd := cfg.withDefaults().BlockDocs
	return (ci.Documents + bd - 1) / bd
}

// ReadBlocks reads the corpus of cfg with framelens's readers, exactly as
// Run does (ordinals, Limit, documents the readers refuse), and calls emit
// with each block's documents in corpus order: block b holds the documents
// whose ordinal (Document.Seq) divided by block_docs is b. It returns what
// the blocks' folders need to know of the whole corpus.
func ReadBlocks(ctx context.Context, cfg Config, emit func(block int, docs []*corpus.Document) error) (CorpusInfo, error) {
	var info CorpusInfo
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return info, err
	}
	stream, err := openCorpus(cfg)
	if err != nil {
		return info, err
	}
	defer stream.Close()
	if err := checkColumns(cfg, stream, false); err != nil {
		return info, err
	}
	cur, docs := -1, []*corpus.Document(nil)
	flush := func() error {
		if len(docs) == 0 {
			return nil
		}
		err := emit(cur, docs)
		docs = nil
		return err
	}
	for cfg.Limit <= 0 || info.Documents < cfg.Limit {
		if err := ctx.Err(); err != nil {
			return info, err
		}
		doc, err := stream.Next()
		// A document's error first: one that wraps io.EOF must not read
		// as the end of the corpus (as startReader).
		var de *corpus.DocError
		if errors.As(err, &de) {
			info.DocumentErrors = append(info.DocumentErrors, err.Error())
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return info, err
		}
		info.Documents++
		if b := doc.Seq / cfg.BlockDocs; b != cur {
			if err := flush(); err != nil {
				return info, err
			}
			cur = b
		}
		docs = append(docs, doc)
	}
	if err := flush(); err != nil {
		return info, err
	}
	if err := checkColumns(cfg, stream, true); err != nil {
		return info, err
	}
	info.Inputs = stream.Inputs()
	return info, nil
}

// BlockProcessor processes blocks of one run: it loads the stages and
// their models once. It is safe for concurrent use, one ProcessBlock per
// block at a time.
type BlockProcessor struct {
	eng  *engine
	opts Options
}

// NewBlockProcessor checks cfg and loads its stages. With repeated_lines
// it first counts the corpus's lines, as Run does (every processor reads
// the whole corpus once for it).
func NewBlockProcessor(ctx context.Context, cfg Config, opts Options) (*BlockProcessor, error) {
	cfg = cfg.withDefaults()
	cfg.Shard, cfg.Resume = Shard{}, false
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
	return &BlockProcessor{eng: eng, opts: opts}, nil
}

// ErrBlock marks a block handed to ProcessBlock that is not one block of
// the corpus ReadBlocks read.
var ErrBlock = errors.New("not a block of the corpus")

// ProcessBlock runs the per-document stages over one block's documents
// (as ReadBlocks gave them) and writes the block's folder at dir: its part
// files, its saved state and shard.json, the folder of shard
// block/info.Blocks(cfg). The folder is written beside dir and renamed into
// place, so dir is either absent or complete; when dir is already a
// complete folder of this block of the same input files under the same
// config (a retried step, a rerun pipeline), it is kept: however often a
// block is made, its part files and shard.json have the same bytes, and
// its state the same statistics (not the same bytes: gob writes maps in
// Go's random order), which merge into the same tables.
func (p *BlockProcessor) ProcessBlock(ctx context.Context, info CorpusInfo, block int, docs []*corpus.Document, dir string) error {
	cfg := p.eng.cfg
	n := info.Blocks(cfg)
	if block < 0 || block >= n || len(docs) == 0 {
		return fmt.Errorf("block %d of %d documents (%d blocks): %w", block, len(docs), n, ErrBlock)
	}
	for i, d := range docs {
		if d.Seq/cfg.BlockDocs != block || i > 0 && d.Seq <= docs[i-1].Seq {
			return fmt.Errorf("block %d: document %s has ordinal %d, which is not in it or out of order: %w", block, d.ID, d.Seq, ErrBlock)
		}
	}
	if sm, err := readShardManifest(dir); err == nil && sm.ConfigHash == cfg.Hash() && sm.Shard == (Shard{Index: block, Count: n}) && sm.Documents == info.Documents && sameInputs(sm.Inputs, info.Inputs) {
		return nil
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := p.writeBlock(ctx, info, block, n, docs, tmp); err != nil {
		return fmt.Errorf("block %d: %w", block, err)
	}
	// A folder of this block left by a failed or concurrent attempt is
	// replaced: every attempt writes the same bytes.
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// writeBlock writes the folder of one block into the empty folder dir.
func (p *BlockProcessor) writeBlock(ctx context.Context, info CorpusInfo, block, n int, docs []*corpus.Document, dir string) error {
	// The engine's stages are shared; its config says where this block
	// goes and which shard it is.
	eng := *p.eng
	eng.cfg.Out = dir
	eng.cfg.Shard = Shard{Index: block, Count: n}
	cfg := eng.cfg
	start := time.Now()
	od, err := openOut(dir, "run", false, cfg.Corpus)
	if err != nil {
		return err
	}
	defer od.Close()
	if _, err := prepareOut(od, cfg, p.opts.Logger); err != nil {
		return err
	}
	ts, err := openStreamedTables(od, &eng)
	if err != nil {
		return err
	}
	m := &mapRun{eng: &eng, opts: p.opts, ts: ts, man: newManifest(cfg, start), start: start, stats: newCorpusStats(&eng)}
	ok := false
	defer func() {
		if !ok {
			ts.abortKeepParts()
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := feedCopies(ctx, docs)
	// The results come back by Seq from the block's first document.
	first := docs[0].Seq
	results := make(chan docResult)
	go func() {
		defer close(results)
		for r := range startWorkers(ctx, &eng, jobs, func(int) bool { return false }) {
			r.doc.Seq -= first
			results <- r
		}
	}()
	saver := startSaver(dir, m, cancel)
	cut := &blockCutter{eng: &eng, ts: ts, saver: saver, onDoc: func(int, int64) {}}
	writeErr := reorder(ctx, results, func(r docResult) error {
		r.doc.Seq += first
		err := cut.add(r)
		if err != nil {
			cancel()
		}
		return err
	})
	if writeErr == nil && ctx.Err() == nil {
		writeErr = cut.endBlock()
	}
	saveErr := saver.wait()
	for _, err := range []error{saveErr, writeErr, ctx.Err()} {
		if err != nil {
			return err
		}
	}
	m.seen = info.Documents
	m.man.Inputs = info.Inputs
	m.man.DocumentErrors = info.DocumentErrors
	if _, err := m.finishShard(); err != nil {
		return err
	}
	ok = true
	return nil
}

// feedCopies sends a copy of each document, in order, until ctx ends: the
// stages annotate the document, and a copy leaves the caller's as read,
// for a retry.
func feedCopies(ctx context.Context, docs []*corpus.Document) <-chan *corpus.Document {
	jobs := make(chan *corpus.Document)
	go func() {
		defer close(jobs)
		for _, d := range docs {
			c := *d
			select {
			case jobs <- &c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return jobs
}
