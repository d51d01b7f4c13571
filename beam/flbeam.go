// Package flbeam runs framelens's pipeline on Apache Beam: locally on the
// in-process prism runner, or on Flink, Spark and Google Cloud Dataflow
// through Beam's portable runners. Its tables are those of `framelens
// run` with the same config, byte for byte.
//
// The pipeline (docs/distributed.md):
//
//	Impulse → read (framelens's readers, one element per block of
//	          block_docs documents, keyed by block; then the corpus's
//	          CorpusInfo once per block, keyed the same)
//	        → CoGroupByKey (each block with the CorpusInfo; the blocks
//	          spread over workers)
//	        → process (pipeline.BlockProcessor: each block's part files and
//	          state into a folder of its own under Options.Work)
//	        → one key → GroupByKey
//	        → merge (pipeline.Merge, once: the block states absorbed in
//	          block order, the corpus-level tables, run.json last; its
//	          summary left in Options.Work for Run: outcome.go)
//	        → one key → GroupByKey → done (a step of its own: see Build)
//
// It is a Go module of its own so that the core module, its go.sum and its
// binary do not carry Beam's dependencies.
package flbeam

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/pipeline"
)

// Options are what a Beam run of framelens needs besides Beam's own
// pipeline options (--runner and the runner's flags).
type Options struct {
	// Config is the run's config, as `framelens run` would take it; its
	// Out is where the tables go.
	Config pipeline.Config
	// Work holds a folder per block while the pipeline runs; default
	// Config.Out + ".framelens-beam". It must be outside Out, and every
	// worker must see it (a local path on prism; a shared file system
	// elsewhere). Complete blocks in it are kept by a rerun of the same
	// config on the same input files.
	Work string
	// KeepWork leaves Work in place after a successful run.
	KeepWork bool
	// Overwrite is `framelens run --overwrite` for Out.
	Overwrite bool
	// Parallel is the number of blocks a worker processes at once
	// (default: its CPUs).
	Parallel int

	// TraceDir, when set, receives one file per processed block with the
	// start and end times of its step (tests: blocks in flight).
	TraceDir string
	// FailOnce, when set, is a file: the first attempt at block 1 that
	// finds it absent creates it, leaves a half-written block folder (as a
	// killed worker does) and fails (tests: retries and reruns).
	FailOnce string
}

// ErrNoTables is returned when the pipeline finished without its merge
// step although the corpus, read again, holds documents (it changed while
// the pipeline ran). A corpus without a document is
// pipeline.ErrNoDocuments, as with `framelens run`.
var ErrNoTables = errors.New("the pipeline wrote no tables")

// Block is the element of the pipeline: one block of documents, in corpus
// order, with their ordinals (Document.Seq).
type Block struct {
	N    int
	Docs []*corpus.Document
}

func init() {
	// One named coder function per type: Beam looks coders up by type, and
	// generic functions registered for several types decode the wrong one.
	beam.RegisterCoder(reflect.TypeOf(Block{}), encodeBlock, decodeBlock)
	beam.RegisterCoder(reflect.TypeOf(pipeline.CorpusInfo{}), encodeInfo, decodeInfo)
	register.DoFn4x1[context.Context, []byte, func(int, Block), func(int, pipeline.CorpusInfo), error](&readFn{})
	register.Emitter2[int, Block]()
	register.Emitter2[int, pipeline.CorpusInfo]()
	register.DoFn5x1[context.Context, int, func(*Block) bool, func(*pipeline.CorpusInfo) bool, func(int), error](&processFn{})
	register.Iter1[Block]()
	register.Iter1[pipeline.CorpusInfo]()
	register.Emitter1[int]()
	register.DoFn4x1[context.Context, int, func(*int) bool, func(int), error](&mergeFn{})
	register.Iter1[int]()
	register.DoFn2x0[int, func(*int) bool](&doneFn{})
}

// workDir is Options.Work or its default.
func (o Options) workDir() string {
	if o.Work != "" {
		return o.Work
	}
	return filepath.Clean(o.Config.Out) + ".framelens-beam"
}

// blockDir is the folder of block n under work.
func blockDir(work string, n int) string {
	return filepath.Join(work, "blocks", fmt.Sprintf("%05d", n))
}

// encodeConfig is the config as the DoFns carry it to the workers. A config
// whose hash does not survive JSON (settings only code can set: an inline
// lexicon, a reference corpus) cannot travel.
func encodeConfig(cfg pipeline.Config) (string, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", err
	}
	back, err := decodeConfig(string(b))
	if err != nil {
		return "", err
	}
	if back.Hash() != cfg.Hash() {
		return "", fmt.Errorf("flbeam: the config holds settings set by code (an inline lexicon, a reference corpus) that do not reach Beam workers; give them as files in the config")
	}
	return string(b), nil
}

func decodeConfig(s string) (pipeline.Config, error) {
	var cfg pipeline.Config
	if err := json.Unmarshal([]byte(s), &cfg); err != nil {
		return cfg, fmt.Errorf("flbeam: the config a worker received: %w", err)
	}
	return cfg, nil
}

// Build adds the framelens pipeline to s.
func Build(s beam.Scope, o Options) error {
	if o.Config.Out == "" {
		return errors.New("flbeam: no output folder (Config.Out)")
	}
	cfg, err := encodeConfig(o.Config)
	if err != nil {
		return err
	}
	work, err := filepath.Abs(o.workDir())
	if err != nil {
		return err
	}
	out, err := filepath.Abs(o.Config.Out)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(out, work); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("flbeam: the work folder %s is inside the output folder %s: give a work folder beside it", work, out)
	}
	blocks, info := beam.ParDo2(s.Scope("read"), &readFn{Cfg: cfg, Work: work}, beam.Impulse(s))
	// The CorpusInfo joins each block by key, not as a side input: prism
	// (v2.77.0) polls a stage with a side input in a busy loop while its
	// bundle runs (it finds the stage ready, with nothing pending).
	withInfo := beam.CoGroupByKey(s, blocks, info)
	done := beam.ParDo(s.Scope("process"), &processFn{Cfg: cfg, Work: work, Parallel: o.Parallel, TraceDir: o.TraceDir, FailOnce: o.FailOnce},
		withInfo)
	all := beam.GroupByKey(s, beam.AddFixedKey(s, done))
	merged := beam.ParDo(s.Scope("merge"), &mergeFn{Work: work, Out: out, Overwrite: o.Overwrite}, all)
	// The merge step has an output, read by a step of its own: prism
	// (v2.77.0) waits for a bundle of a step without outputs by spinning
	// on a closed channel, which held a core for the whole merge and left
	// its reductions one core.
	beam.ParDo0(s.Scope("done"), &doneFn{}, beam.GroupByKey(s, beam.AddFixedKey(s, merged)))
	return nil
}

// Run builds the pipeline and runs it on the runner of Beam's --runner
// flag (prism, in process, by default), then removes the work folder.
// beam.Init must have been called.
//
// It returns what pipeline.Run returns for the same config: the summary
// of a complete run, in which some documents may have failed
// (Summary.FailuresErr); the summary and an error matching
// pipeline.ErrNoDocuments when no document could be analysed; or the
// error that stopped the run, with the message pipeline.Run gives and, for
// errors.Is, the sentinel errors it wraps, although a runner reports a
// step's error as text (see outcome.go).
func Run(ctx context.Context, o Options) (*pipeline.Summary, error) {
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, o); err != nil {
		return nil, err
	}
	work, err := filepath.Abs(o.workDir())
	if err != nil {
		return nil, err
	}
	// A run.json, summary or step error of an earlier run must not pass
	// for this one's.
	// Config and folder mistakes stop the run before any step starts
	// (they would surface only in the read or merge step); an earlier
	// run's run.json goes, and nothing framelens did not write is touched.
	if err := pipeline.CheckOut(o.Config, pipeline.Options{}, "framelens-beam", o.Overwrite); err != nil {
		return nil, err
	}
	if err := clearOutcome(work); err != nil {
		return nil, err
	}
	if err := beamx.Run(ctx, p); err != nil {
		return nil, stepErrors(work, err)
	}
	oc, err := readOutcome(work)
	if err != nil {
		return nil, err
	}
	if oc == nil {
		return noBlocks(ctx, o)
	}
	sum := oc.Summary
	sum.Out = o.Config.Out // as pipeline.Run names it, not the worker's absolute path
	var runErr error
	if oc.Failure != nil {
		runErr = oc.Failure.err()
	}
	if !o.KeepWork {
		if err := os.RemoveAll(work); err != nil && runErr == nil {
			return sum, err
		}
	}
	return sum, runErr
}

// noBlocks ends a pipeline that read no block, so no final step ran: the
// corpus gave no document (an empty file, a header without rows, every
// row unreadable). `framelens run` then writes its tables, empty, and
// run.json listing why, and fails with pipeline.ErrNoDocuments; so does
// this, by running it here, where there is nothing to analyse.
func noBlocks(ctx context.Context, o Options) (*pipeline.Summary, error) {
	// Read again, the corpus must still give no block.
	errBlock := errors.New("a block")
	_, err := pipeline.ReadBlocks(ctx, o.Config, func(int, []*corpus.Document) error { return errBlock })
	switch {
	case errors.Is(err, errBlock):
		return nil, fmt.Errorf("flbeam: %w (no run.json in %s), but the corpus, read again, holds documents: did it change while the pipeline ran?", ErrNoTables, o.Config.Out)
	case err != nil:
		return nil, err
	}
	sum, err := pipeline.Run(ctx, o.Config, pipeline.Options{Overwrite: o.Overwrite})
	if err == nil {
		return nil, fmt.Errorf("flbeam: %w (no run.json in %s)", ErrNoTables, o.Config.Out)
	}
	if errors.Is(err, pipeline.ErrNoDocuments) && !o.KeepWork {
		os.RemoveAll(o.workDir()) // as after a complete run
	}
	return sum, err
}

// readFn reads the corpus with framelens's readers (Beam's textio loses
// lines of gzip files) and emits its blocks, then the CorpusInfo once for
// every block, each keyed by block number.
type readFn struct {
	Cfg  string
	Work string
}

func (f *readFn) ProcessElement(ctx context.Context, _ []byte, emit func(int, Block), emitInfo func(int, pipeline.CorpusInfo)) error {
	return recordFailure(f.Work, "read", f.read(ctx, emit, emitInfo))
}

func (f *readFn) read(ctx context.Context, emit func(int, Block), emitInfo func(int, pipeline.CorpusInfo)) error {
	cfg, err := decodeConfig(f.Cfg)
	if err != nil {
		return err
	}
	var ns []int
	info, err := pipeline.ReadBlocks(ctx, cfg, func(n int, docs []*corpus.Document) error {
		emit(n, Block{N: n, Docs: docs})
		ns = append(ns, n)
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range ns {
		emitInfo(n, info)
	}
	return nil
}

// processFn writes each block's folder under Work and emits its number.
// A runner hands it a bundle of blocks, which it processes up to Parallel
// at a time: prism runs a bundle on one goroutine and splits it only when
// it is idle, so blocks taken one after the other would use one core.
type processFn struct {
	Cfg      string
	Work     string
	Parallel int
	TraceDir string
	FailOnce string

	proc  *pipeline.BlockProcessor
	slots chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	done  []int
	err   error
}

// Setup loads the stages and their models once per DoFn instance.
func (f *processFn) Setup(ctx context.Context) error {
	cfg, err := decodeConfig(f.Cfg)
	if err != nil {
		return recordFailure(f.Work, "process", err)
	}
	f.proc, err = pipeline.NewBlockProcessor(ctx, cfg, pipeline.Options{})
	return recordFailure(f.Work, "process", err)
}

// ProcessElement starts the block once a slot is free; FinishBundle emits
// the blocks done.
func (f *processFn) ProcessElement(ctx context.Context, n int, blocks func(*Block) bool, infos func(*pipeline.CorpusInfo) bool, _ func(int)) error {
	var b Block
	var info pipeline.CorpusInfo
	// A retried read step may have sent a block and its info twice: the
	// copies are the same.
	nb, ni := 0, 0
	for blocks(&b) {
		nb++
	}
	for infos(&info) {
		ni++
	}
	if nb == 0 || ni == 0 {
		return recordFailure(f.Work, "process", fmt.Errorf("flbeam: block %d came with %d copies of its documents and %d of the corpus info, want at least one of each", n, nb, ni))
	}
	if f.slots == nil {
		f.slots = make(chan struct{}, cmp.Or(max(f.Parallel, 0), runtime.NumCPU()))
	}
	f.slots <- struct{}{}
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		<-f.slots
		return err
	}
	// The block outlives this call: not the call's cancellation.
	ctx = context.WithoutCancel(ctx)
	f.wg.Add(1)
	go func() {
		defer func() { <-f.slots; f.wg.Done() }()
		err := recordFailure(f.Work, "process", f.process(ctx, b, info))
		f.mu.Lock()
		defer f.mu.Unlock()
		if err != nil {
			f.err = errors.Join(f.err, err)
			return
		}
		f.done = append(f.done, b.N)
	}()
	return nil
}

// FinishBundle waits for the bundle's blocks.
func (f *processFn) FinishBundle(_ context.Context, emit func(int)) error {
	f.wg.Wait()
	if err := f.err; err != nil {
		f.done, f.err = nil, nil
		return err
	}
	slices.Sort(f.done)
	for _, n := range f.done {
		emit(n)
	}
	f.done = nil
	return nil
}

// process writes one block's folder.
func (f *processFn) process(ctx context.Context, b Block, info pipeline.CorpusInfo) error {
	start := time.Now()
	dir := blockDir(f.Work, b.N)
	if f.FailOnce != "" && b.N == 1 {
		if err := f.failOnce(dir); err != nil {
			return err
		}
	}
	if err := f.proc.ProcessBlock(ctx, info, b.N, b.Docs, dir); err != nil {
		return err
	}
	if f.TraceDir != "" {
		span := fmt.Sprintf("%d %d\n", start.UnixNano(), time.Now().UnixNano())
		name := filepath.Join(f.TraceDir, fmt.Sprintf("block-%05d-%d", b.N, start.UnixNano()))
		if err := os.WriteFile(name, []byte(span), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// ErrInjected is the failure Options.FailOnce injects.
var ErrInjected = errors.New("flbeam: injected failure of a block step (Options.FailOnce)")

// failOnce fails the first attempt at a block, leaving what a worker killed
// while writing the block's folder leaves: a half-written temporary folder.
func (f *processFn) failOnce(dir string) error {
	fh, err := os.OpenFile(f.FailOnce, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	fh.Close()
	half := filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-killed", "documents")
	if err := os.MkdirAll(half, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(half, "part-00001.parquet"), []byte("PAR1 half"), 0o644); err != nil {
		return err
	}
	return ErrInjected
}

// mergeFn is the final step: once, after every block, it merges the block
// folders in block order into Out, writes run.json last, and leaves its
// summary in Work for the driver.
type mergeFn struct {
	Work      string
	Out       string
	Overwrite bool
}

// ProcessElement merges the blocks and emits the number of documents.
func (f *mergeFn) ProcessElement(ctx context.Context, _ int, blocks func(*int) bool, emit func(int)) error {
	var ns []int
	var n int
	for blocks(&n) {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	// A retried step may hand a block twice.
	ns = slices.Compact(ns)
	dirs := make([]string, len(ns))
	for i, n := range ns {
		dirs[i] = blockDir(f.Work, n)
	}
	sum, err := pipeline.Merge(ctx, f.Out, dirs, pipeline.Options{Overwrite: f.Overwrite})
	// A run without a usable document is complete, and its tables written:
	// a verdict for the driver, not a failure for the runner to retry.
	if err != nil && !(sum != nil && errors.Is(err, pipeline.ErrNoDocuments)) {
		return recordFailure(f.Work, "merge", err)
	}
	oc := outcome{Summary: sum}
	if err != nil {
		fail := failureOf("merge", err)
		oc.Failure = &fail
	}
	if err := writeOutcome(f.Work, oc); err != nil {
		return recordFailure(f.Work, "merge", err)
	}
	emit(sum.Docs)
	return nil
}

// doneFn reads the merge step's output (see Build).
type doneFn struct{}

func (doneFn) ProcessElement(_ int, _ func(*int) bool) {}
