package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/output/report"
	"github.com/framelens/framelens/stages/clean"
)

// openCorpus opens the configured corpus (the built-in sample when none).
func openCorpus(cfg Config) (*corpus.Stream, error) {
	if cfg.Corpus == "" {
		return corpus.OpenSample()
	}
	return corpus.Open(cfg.Corpus, cfg.Reader)
}

// countLines is the first pass of Config.RepeatedLines.
func countLines(ctx context.Context, cfg Config) (*clean.LineStats, error) {
	stream, err := openCorpus(cfg)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	stats := clean.NewLineStats()
	for n := 0; cfg.Limit <= 0 || n < cfg.Limit; n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		doc, err := stream.Next()
		// A document's error first: one that wraps io.EOF must not read
		// as the end of the corpus.
		var de *corpus.DocError
		if errors.As(err, &de) {
			n--
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		stats.Add(doc)
	}
	return stats, nil
}

// mapRun is the state of the map side of a run.
type mapRun struct {
	eng    *engine
	opts   Options
	ts     *tableSet
	man    *manifest
	blocks []*blockState
	stats  *corpusStats
	start  time.Time
	seen   int // documents of the stream, this run's or not (shard.json)
}

func (m *mapRun) progress(stage string, docs int, tokens int64, stream *corpus.Stream) {
	if m.opts.OnProgress != nil {
		read, total := stream.Progress()
		m.opts.OnProgress(Progress{Stage: stage, Docs: docs, Tokens: tokens, Elapsed: time.Since(m.start), BytesRead: read, BytesTotal: total})
	}
}

// mapCorpus streams the corpus through the per-document stages, writes the
// streamed tables block by block and returns the block states. Its pieces,
// each readable alone: prepareOut (the output folder before a run),
// startReader (corpus → jobs), startWorkers (jobs → results, the stages),
// reorder (results back in input order), blockCutter (documents → blocks
// and their part files), blockSaver (saved states and running totals), and
// loadSavedBlocks (the blocks of an interrupted run).
func mapCorpus(ctx context.Context, eng *engine, od *output.OutDir, opts Options, start time.Time) (*mapRun, error) {
	cfg := eng.cfg
	stream, err := openCorpus(cfg)
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	if err := checkColumns(cfg, stream, false); err != nil {
		return nil, err
	}
	saved, err := prepareOut(od, cfg, opts.Logger)
	if err != nil {
		return nil, err
	}
	ts, err := openStreamedTables(od, eng)
	if err != nil {
		return nil, err
	}
	m := &mapRun{eng: eng, opts: opts, ts: ts, man: newManifest(cfg, start), start: start, stats: newCorpusStats(eng)}
	ok := false
	defer func() {
		if !ok {
			ts.abortKeepParts()
		}
	}()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Reader → workers → writer → block saver, with bounded queues so
	// memory depends on the number of workers, not on the size of the
	// corpus. The queues are deep enough for the workers to go on while the
	// writer finishes a block's part files.
	rd := startReader(ctx, cancel, stream, cfg, opts.Logger)
	results := startWorkers(ctx, eng, rd.jobs, skipper(cfg, saved))
	saver := startSaver(cfg.Out, m, cancel)
	cut := &blockCutter{eng: eng, ts: ts, saver: saver, onDoc: func(docs int, tokens int64) { m.progress("documents", docs, tokens, stream) }}
	writeErr := reorder(ctx, results, func(r docResult) error {
		err := cut.add(r)
		if err != nil {
			cancel() // stop the reader and the workers at once
		}
		return err
	})
	if writeErr == nil && ctx.Err() == nil {
		writeErr = cut.endBlock()
	}
	m.seen = cut.seen
	saveErr := saver.wait()
	for _, err := range []error{rd.err, saveErr, writeErr, ctx.Err()} {
		if err != nil {
			return nil, err
		}
	}
	if err := checkColumns(cfg, stream, true); err != nil {
		return nil, err
	}
	m.man.columns, _, _ = stream.Columns()
	if err := m.loadSavedBlocks(saved); err != nil {
		return nil, err
	}
	m.man.StageSeconds["documents"] = time.Since(start).Seconds()
	m.man.DocStageSeconds = eng.stageTimes()
	m.man.Tokens = cut.tokens
	m.man.Inputs = stream.Inputs()
	m.man.DocumentErrors = rd.errs
	ok = true
	return m, nil
}

// prepareOut readies the output folder for a run's blocks and returns the
// blocks an interrupted run completed (--resume), by number.
func prepareOut(od *output.OutDir, cfg Config, log *slog.Logger) (map[int]string, error) {
	// A run is complete only when run.json (shard.json) exists: remove the
	// old one first.
	for _, name := range []string{"run.json", "shard.json"} {
		if err := od.Remove(name); err != nil {
			return nil, err
		}
	}
	// A report of the previous run's tables must not outlive them.
	if od.Owns(report.FileName) {
		if err := od.Remove(report.FileName); err != nil {
			return nil, err
		}
	}
	saved := map[int]string{}
	if cfg.Resume {
		var err error
		if saved, err = savedBlocks(cfg.Out); err != nil {
			return nil, err
		}
		log.Info("resuming", "completed_blocks", len(saved))
		if saved, err = recoverClosedTables(od, streamedTables(cfg.skip), saved, log); err != nil {
			return nil, err
		}
		if err := dropStaleParts(od, saved); err != nil {
			return nil, err
		}
	} else if err := od.RemoveDir(stateDir, isStateFile); err != nil {
		return nil, err
	}
	// The blocks this run saves are of this config (checkResume checked
	// the kept ones).
	return saved, writeStateHeader(cfg.Out, cfg)
}

// openStreamedTables opens the writers of the tables written as the
// documents stream, with the run's metadata.
func openStreamedTables(od *output.OutDir, eng *engine) (*tableSet, error) {
	cfg := eng.cfg
	format, err := output.ParseFormat(cfg.Format)
	if err != nil {
		return nil, err
	}
	return newTableSet(od, eng.cat, output.Options{Format: format, Metadata: tableMeta(cfg), Resume: cfg.Resume}, cfg.skip)
}

// tableMeta is the metadata every table file of a run carries.
func tableMeta(cfg Config) map[string]string {
	return map[string]string{
		"framelens.schema_version": fmt.Sprint(output.SchemaVersion),
		"framelens.version":        Version,
		"framelens.config_hash":    cfg.Hash(),
		"framelens.run_id":         cfg.RunID(),
	}
}

// skipper says whether this run leaves a document to another shard or to
// a block a previous run completed.
func skipper(cfg Config, saved map[int]string) func(seq int) bool {
	return func(seq int) bool {
		b := seq / cfg.BlockDocs
		if cfg.Shard.Count > 1 && b%cfg.Shard.Count != cfg.Shard.Index {
			return true
		}
		_, done := saved[b]
		return done
	}
}

// reader is the goroutine that reads the corpus into jobs. err and errs
// are set before jobs is closed.
type reader struct {
	jobs chan *corpus.Document
	err  error    // the corpus cannot be read on: the run stops
	errs []string // documents that could not be read: the run goes on
}

// startReader reads the corpus (up to cfg.Limit documents) into a bounded
// queue; an error that stops the corpus cancels the run.
func startReader(ctx context.Context, cancel func(), stream *corpus.Stream, cfg Config, log *slog.Logger) *reader {
	rd := &reader{jobs: make(chan *corpus.Document, 4*cfg.Workers)}
	go func() {
		defer close(rd.jobs)
		for n := 0; cfg.Limit <= 0 || n < cfg.Limit; n++ {
			doc, err := stream.Next()
			// A document's error first: one that wraps io.EOF must not
			// read as the end of the corpus.
			var de *corpus.DocError
			if errors.As(err, &de) {
				log.Warn("skipping document", "error", err)
				rd.errs = append(rd.errs, err.Error())
				n-- // Limit counts documents, not failures
				continue
			}
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				rd.err = err
				cancel()
				return
			}
			select {
			case rd.jobs <- doc:
			case <-ctx.Done():
				return
			}
		}
	}()
	return rd
}

// startWorkers runs cfg.Workers goroutines of the per-document stages over
// jobs; a document another shard or block takes care of comes back marked
// skipped. results is closed when every worker is done.
func startWorkers(ctx context.Context, eng *engine, jobs <-chan *corpus.Document, skip func(int) bool) <-chan docResult {
	results := make(chan docResult, 4*eng.cfg.Workers)
	var wg sync.WaitGroup
	for i := 0; i < eng.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for doc := range jobs {
				if skip(doc.Seq) {
					results <- docResult{doc: &corpus.Document{Seq: doc.Seq}, skipped: true}
					continue
				}
				results <- eng.process(ctx, doc)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	return results
}

// reorder hands results to emit in input order (Document.Seq), whatever
// order the workers finish in. After emit's first error, or once ctx is
// done (an interrupt: no half-processed block is saved), it drains the
// results and returns that error.
func reorder(ctx context.Context, results <-chan docResult, emit func(docResult) error) error {
	pending := map[int]docResult{}
	next := 0
	var err error
	for r := range results {
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		if err != nil {
			continue // drain
		}
		pending[r.doc.Seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err = emit(r); err != nil {
				break
			}
		}
	}
	return err
}

// blockCutter takes documents in input order, cuts them into blocks of
// block_docs, writes each document's rows to its block's part files and
// hands each complete block to the saver.
type blockCutter struct {
	eng   *engine
	ts    *tableSet
	saver *blockSaver
	onDoc func(docs int, tokens int64)
	cur   *blockState
	// seen counts the documents of the stream, this run's or not; docs and
	// tokens this run's.
	seen   int
	docs   int
	tokens int64
}

func (c *blockCutter) add(r docResult) error {
	c.seen++
	cfg := c.eng.cfg
	block := r.doc.Seq / cfg.BlockDocs
	if c.cur != nil && c.cur.Block != block {
		if err := c.endBlock(); err != nil {
			return err
		}
	}
	if r.skipped {
		return nil
	}
	if c.cur == nil {
		c.cur = newBlockState(block, c.eng)
		if err := c.ts.startPart(block); err != nil {
			return err
		}
	}
	if r.err != nil {
		c.eng.log.Warn("document failed", "error", r.err)
		r.doc.Warnings = append(r.doc.Warnings, r.err.Error())
	}
	if err := c.ts.writeDoc(r); err != nil {
		return err
	}
	if err := c.cur.add(r, c.eng); err != nil {
		return err
	}
	c.docs++
	c.tokens += int64(len(r.doc.Tokens))
	c.onDoc(c.docs, c.tokens)
	return nil
}

// endBlock completes the current block's part files and hands it over.
func (c *blockCutter) endBlock() error {
	if c.cur == nil {
		return nil
	}
	b := c.cur
	c.cur = nil
	if err := c.ts.endPart(); err != nil {
		return err
	}
	c.saver.blocks <- b
	return nil
}

// blockSaver is the goroutine that saves each complete block's state (the
// completion marker), lets its texts and side state go and adds its
// statistics to the running totals, in block order, while the writer goes
// on with the next block.
type blockSaver struct {
	blocks chan *blockState
	done   chan error
	closed bool
}

func startSaver(out string, m *mapRun, cancel func()) *blockSaver {
	s := &blockSaver{blocks: make(chan *blockState, 1), done: make(chan error, 1)}
	go func() {
		var err error
		for b := range s.blocks {
			if err != nil {
				continue // drain
			}
			if err = b.save(out); err == nil {
				b.dropTexts()
				b.spill()
				err = m.stats.absorb(b)
			}
			if err != nil {
				cancel()
				continue
			}
			m.blocks = append(m.blocks, b)
		}
		s.done <- err
	}()
	return s
}

// wait lets the saver finish the blocks handed over and returns its error.
func (s *blockSaver) wait() error {
	if s.closed {
		return nil
	}
	close(s.blocks)
	s.closed = true
	return <-s.done
}

// loadSavedBlocks adds the blocks an earlier run of a resumed one
// completed, then sums every block's statistics again in block order, so
// that n-grams are pruned exactly as in an uninterrupted run (whose blocks
// complete in order).
func (m *mapRun) loadSavedBlocks(saved map[int]string) error {
	cfg := m.eng.cfg
	for b, path := range saved {
		if cfg.Shard.Count > 1 && b%cfg.Shard.Count != cfg.Shard.Index {
			continue
		}
		st, err := loadBlock(path)
		if err != nil {
			return err
		}
		st.dropTexts()
		if st.ConfigHash != cfg.Hash() {
			return fmt.Errorf("--resume: %s was made with another config (hash %s, this run %s); run without --resume", path, st.ConfigHash, cfg.Hash())
		}
		m.blocks = append(m.blocks, st)
	}
	sortedBlocks(m.blocks)
	if len(saved) == 0 {
		return nil
	}
	m.stats = newCorpusStats(m.eng)
	for _, b := range m.blocks {
		if b.absorbed { // absorbed while streaming: its statistics are on disk
			st, err := loadBlock(b.path)
			if err != nil {
				return err
			}
			b.Partials = st.Partials
		}
		if err := m.stats.absorb(b); err != nil {
			return err
		}
	}
	return nil
}
