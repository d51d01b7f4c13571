// Command framelens-beam runs `framelens run` as an Apache Beam pipeline:
// on the in-process prism runner by default (--runner prism), or on Flink,
// Spark or Dataflow with Beam's usual pipeline options. Its tables are
// those of `framelens run` with the same flags, byte for byte, and it ends
// as framelens run does: the same summary, messages and exit statuses (0
// complete, 2 some documents failed, 1 nothing usable; docs/errors.md).
// See docs/distributed.md.
//
//	framelens-beam --corpus speeches.jsonl.gz --group-column party --out out/beam
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	flbeam "github.com/framelens/framelens/beam"
	"github.com/framelens/framelens/pipeline"
)

// listFlag is a repeatable string flag (--skip, --compare).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// Exit statuses, as framelens run's (docs/errors.md).
const (
	exitOK = 0
	// exitFailed: nothing usable — a fatal error, a setting that cannot
	// apply, or a run in which no document could be analysed.
	exitFailed = 1
	// exitPartial: the run is complete, but some documents failed; run.json
	// (document_errors) lists them.
	exitPartial = 2
)

func main() {
	sum, err := run()
	os.Exit(finish(os.Stdout, os.Stderr, sum, err))
}

// finish prints the summary of a complete run, or the error, as framelens
// run does, and returns the exit status.
func finish(stdout, stderr io.Writer, sum *pipeline.Summary, err error) int {
	if err != nil {
		fmt.Fprintln(stderr, "framelens-beam:", err)
		return exitFailed
	}
	if err := sum.Write(stdout); err != nil {
		fmt.Fprintln(stderr, "framelens-beam:", err)
		return exitFailed
	}
	if err := sum.FailuresErr(); err != nil {
		fmt.Fprintln(stderr, "framelens-beam:", err)
		return exitPartial
	}
	return exitOK
}

func run() (*pipeline.Summary, error) {
	var (
		corpusPath  = flag.String("corpus", "", "corpus `PATH` (as framelens run --corpus); default: the built-in sample")
		out         = flag.String("out", "out", "output `DIR` of the tables")
		overwrite   = flag.Bool("overwrite", false, "let --out be a folder holding other files (as framelens run --overwrite)")
		configFile  = flag.String("config", "", "YAML config `FILE` (docs/config.md)")
		seed        = flag.Int64("seed", 0, "random `SEED` for topic models and bootstrap intervals (default: the config's)")
		workers     = flag.Int("workers", 0, "document workers inside each block step, and of the final step (default: the worker's CPUs); never changes the output")
		format      = flag.String("format", "", "table `FORMAT`: parquet, arrow or both")
		limit       = flag.Int("limit", 0, "analyse only the first `N` documents")
		blockDocs   = flag.Int("block-docs", 0, "documents per block: the unit of work of the pipeline (default 500)")
		lang        = flag.String("lang", "", "every document's language, an ISO 639-1 `CODE`")
		groupColumn = flag.String("group-column", "", "the `COLUMN` holding the comparison group")
		textColumn  = flag.String("text-column", "", "row dumps: the `COLUMN` holding the text")
		idColumn    = flag.String("id-column", "", "row dumps: the `COLUMN` holding the document id")
		topics      = flag.Int("topics", 0, "number of topics `K`")
		work        = flag.String("work", "", "`DIR` of the block folders while the pipeline runs; every worker must see it (default: OUT.framelens-beam, beside --out)")
		parallel    = flag.Int("blocks-in-flight", 0, "blocks a worker processes at once (default: its CPUs)")
		keepWork    = flag.Bool("keep-work", false, "keep --work after a successful run")
		cpuProfile  = flag.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (go tool pprof), as framelens run --cpuprofile")
		skip        listFlag
		compare     listFlag
	)
	flag.Var(&skip, "skip", "`STAGE` to skip (repeatable), as framelens run --skip")
	flag.Var(&compare, "compare", "a comparison `A:B` (repeatable), as framelens run --compare")
	// Beam's flags (--runner, --endpoint, --worker_binary, …) are on the
	// same flag set.
	flag.Parse()
	beam.Init()
	if flag.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: every option is a flag", flag.Args())
	}
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })

	cfg := pipeline.Config{}
	if *configFile != "" {
		var err error
		if cfg, err = pipeline.LoadConfig(*configFile); err != nil {
			return nil, err
		}
	}
	if set["corpus"] {
		cfg.Corpus = *corpusPath
	}
	if set["out"] || cfg.Out == "" {
		cfg.Out = *out
	}
	if set["seed"] {
		cfg.Seed = *seed
	}
	if set["workers"] {
		cfg.Workers = *workers
	}
	if set["format"] {
		cfg.Format = *format
	}
	if set["limit"] {
		cfg.Limit = *limit
	}
	if set["block-docs"] {
		cfg.BlockDocs = *blockDocs
	}
	if set["lang"] {
		cfg.Lang.Lang = *lang
	}
	if set["group-column"] {
		cfg.Reader.GroupColumn = *groupColumn
	}
	if set["text-column"] {
		cfg.Reader.TextColumn = *textColumn
	}
	if set["id-column"] {
		cfg.Reader.IDColumn = *idColumn
	}
	if set["topics"] {
		cfg.Topics.K = *topics
	}
	cfg.SkipStages = append(cfg.SkipStages, skip...)
	if len(compare) > 0 {
		cfg.Compare.Comparisons = nil
		for _, v := range compare {
			spec, err := pipeline.ParseComparison(v)
			if err != nil {
				return nil, err
			}
			cfg.Compare.Comparisons = append(cfg.Compare.Comparisons, spec)
		}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	slog.Info("framelens-beam", "corpus", cfg.Corpus, "out", cfg.Out)
	return flbeam.Run(context.Background(), flbeam.Options{Config: cfg, Work: *work, KeepWork: *keepWork, Parallel: *parallel, Overwrite: *overwrite})
}
