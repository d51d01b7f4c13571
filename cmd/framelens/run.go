package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/framelens/framelens/pipeline"
)

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "analyse a corpus and write the tables",
		ArgsUsage: " ",
		Description: `Runs the whole pipeline. Without --corpus it analyses the built-in sample corpus.
Flags override the values of --config. The output directory holds one Parquet file or
directory per table and run.json, written last.`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "corpus", Aliases: []string{"c"}, Usage: "corpus `PATH`: a folder, a manifest (.yaml/.csv/.jsonl) or a row dump (.jsonl/.csv/.tsv/.parquet, optionally .gz); default: the built-in sample"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output `DIR`"},
			&cli.StringFlag{Name: "config", Usage: "YAML config `FILE` (see docs/config.md)"},
			&cli.Int64Flag{Name: "seed", Usage: "random `SEED` for topic models and bootstrap intervals", DefaultText: "0, or the config's"},
			&cli.IntFlag{Name: "workers", Aliases: []string{"j"}, Usage: "`N` document workers, and at most N cores; never changes the output", DefaultText: "number of CPUs"},
			&cli.StringFlag{Name: "format", Usage: "table `FORMAT`: parquet, arrow or both", DefaultText: "parquet"},
			&cli.StringFlag{Name: "frames", Usage: "frame lexicon `FILE` (framelens YAML, LIWC .dic, WordStat .cat, Lexicoder .lc3, quanteda YAML)"},
			&cli.IntFlag{Name: "topics", Usage: "number of topics `K`", DefaultText: "10"},
			&cli.StringFlag{Name: "topic-model", Usage: "topic `MODEL`: nmf, lda or lsa", DefaultText: "nmf"},
			&cli.StringFlag{Name: "keyphrases", Usage: "key phrase `METHOD`: ensemble, yake, positionrank, textrank, singlerank or tfidf"},
			&cli.IntFlag{Name: "limit", Usage: "analyse only the first `N` documents (a quick look at a large corpus)"},
			&cli.BoolFlag{Name: "resume", Usage: "keep the blocks an interrupted run of the same config completed in --out, and process only the rest"},
			&cli.StringFlag{Name: "shard", Usage: "process only shard `i/n` of the corpus (blocks b with b mod n = i) into --out, for 'framelens merge'"},
			&cli.IntFlag{Name: "block-docs", Usage: "documents per block: the unit of part files, resuming and sharding", DefaultText: "500"},
			&cli.StringFlag{Name: "stages", Usage: "run only these optional `STAGES` (comma-separated): entities, keyphrases, frames, topics, keyness, tokens; the others are skipped"},
			&cli.StringSliceFlag{Name: "skip", Usage: "`STAGE` to skip (repeatable): entities, keyphrases, frames, topics, keyness, tokens (the tokens table only)"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to `FILE` (go tool pprof)"},
			&cli.StringFlag{Name: "memprofile", Usage: "write a heap profile at the end of the run to `FILE`"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress, warnings only"},
			&cli.BoolFlag{Name: "verbose", Usage: "debug logs"},
		}, readerFlags()...),
		Action: func(c *cli.Context) error {
			cfg, err := loadConfig(c)
			if err != nil {
				return err
			}
			if c.IsSet("corpus") {
				cfg.Corpus = c.String("corpus")
			}
			if c.IsSet("out") || cfg.Out == "" {
				cfg.Out = c.String("out")
			}
			if c.IsSet("seed") {
				cfg.Seed = c.Int64("seed")
			}
			if c.IsSet("workers") {
				cfg.Workers = c.Int("workers")
			}
			if c.IsSet("format") {
				cfg.Format = c.String("format")
			}
			if c.IsSet("frames") {
				cfg.Frames.LexiconPath = c.String("frames")
			}
			if c.IsSet("topics") {
				cfg.Topics.K = c.Int("topics")
			}
			if c.IsSet("topic-model") {
				cfg.Topics.Model = c.String("topic-model")
			}
			if c.IsSet("keyphrases") {
				cfg.Keyphrases.Method = c.String("keyphrases")
			}
			cfg.SkipStages = append(cfg.SkipStages, c.StringSlice("skip")...)
			if c.IsSet("stages") {
				skip, err := pipeline.SkipAllBut(strings.Split(c.String("stages"), ","))
				if err != nil {
					return err
				}
				cfg.SkipStages = append(cfg.SkipStages, skip...)
			}
			cfg.Resume = c.Bool("resume")
			if c.IsSet("limit") {
				cfg.Limit = c.Int("limit")
			}
			if c.IsSet("block-docs") {
				cfg.BlockDocs = c.Int("block-docs")
			}
			if s := c.String("shard"); s != "" {
				sh, err := pipeline.ParseShard(s)
				if err != nil {
					return err
				}
				cfg.Shard = sh
			}

			// --workers N is the run's share of the machine: N document
			// workers, and no more than N cores for everything else (reader,
			// writers, reductions, the garbage collector), so that a job
			// given N cores by a scheduler keeps to them.
			if cfg.Workers > 0 && cfg.Workers < runtime.GOMAXPROCS(0) {
				runtime.GOMAXPROCS(cfg.Workers)
			}
			opts := pipeline.Options{Logger: logger(c)}
			if !c.Bool("quiet") {
				opts.OnProgress = newProgress(c)
			}
			if p := c.String("cpuprofile"); p != "" {
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			sum, err := pipeline.Run(c.Context, cfg, opts)
			if err != nil {
				return exitError(err)
			}
			if p := c.String("memprofile"); p != "" {
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.WriteHeapProfile(f); err != nil {
					return err
				}
			}
			return sum.Write(c.App.Writer)
		},
	}
}

// readerFlags are the flags that 'run' and 'corpus inspect' share; loadConfig
// applies them over the config's reader section.
func readerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "text-column", Usage: "row dumps: the `COLUMN` holding the text (default text)"},
		&cli.StringFlag{Name: "id-column", Usage: "row dumps: the `COLUMN` holding the document id (default id)"},
		&cli.StringFlag{Name: "group-column", Usage: "the `COLUMN` holding the comparison group (default group)"},
		&cli.StringFlag{Name: "encoding", Usage: "the legacy `ENCODING` of files that are not valid UTF-8 (windows-1252, gb18030, shift_jis, …); valid UTF-8 is always read as UTF-8"},
		&cli.StringFlag{Name: "max-doc-bytes", Usage: "largest document, as `SIZE` in bytes or with KB, MB, GB (1024-based); a larger one is a document error", DefaultText: "8MB"},
		&cli.IntFlag{Name: "max-gzip-ratio", Usage: "a .gz input that expands more than `N` times (past 16 MB) is refused as a decompression bomb", DefaultText: "100"},
		&cli.BoolFlag{Name: "allow-outside-paths", Usage: "let a manifest name files outside its folder (../, absolute paths, links)"},
	}
}

// parseSize reads "52428800", "50MB", "50 MiB" or "1GB" (1024-based).
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("--max-doc-bytes %q: want a positive size such as 50MB, 200MB or 1GB", s)
	}
	return n * mult, nil
}

// loadConfig reads the --config file (none: the zero Config) and applies
// the reader flags that 'run' and 'corpus inspect' share (readerFlags)
// over the config's reader section.
func loadConfig(c *cli.Context) (pipeline.Config, error) {
	cfg := pipeline.Config{}
	if f := c.String("config"); f != "" {
		var err error
		if cfg, err = pipeline.LoadConfig(f); err != nil {
			return cfg, err
		}
	}
	if c.IsSet("text-column") {
		cfg.Reader.TextColumn = c.String("text-column")
	}
	if c.IsSet("id-column") {
		cfg.Reader.IDColumn = c.String("id-column")
	}
	if c.IsSet("group-column") {
		cfg.Reader.GroupColumn = c.String("group-column")
	}
	if c.IsSet("encoding") {
		cfg.Reader.Encoding = c.String("encoding")
	}
	if c.IsSet("max-doc-bytes") {
		n, err := parseSize(c.String("max-doc-bytes"))
		if err != nil {
			return cfg, cli.Exit(err.Error(), 2)
		}
		cfg.Reader.MaxDocBytes = n
	}
	if c.IsSet("max-gzip-ratio") {
		if n := c.Int("max-gzip-ratio"); n <= 0 {
			return cfg, cli.Exit(fmt.Sprintf("--max-gzip-ratio %d: want a positive ratio (default 100)", n), 2)
		} else {
			cfg.Reader.MaxGzipRatio = n
		}
	}
	if c.IsSet("allow-outside-paths") {
		cfg.Reader.AllowOutsidePaths = c.Bool("allow-outside-paths")
	}
	return cfg, nil
}

func mergeCommand() *cli.Command {
	return &cli.Command{
		Name:      "merge",
		Usage:     "combine the shard directories of a sharded run into the complete tables",
		ArgsUsage: "SHARD_DIR...",
		Description: `Each SHARD_DIR was written by 'framelens run --shard i/n --out SHARD_DIR' with the same
config (merge reads it from the shards' shard.json). merge gathers their part files and block states, builds the vocabulary, idf,
topic model, frame scores and comparisons once, and writes the tables and run.json.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output `DIR`"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "warnings only"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cli.Exit("merge: give the shard directories", 2)
			}
			sum, err := pipeline.Merge(c.Context, c.String("out"), c.Args().Slice(), pipeline.Options{Logger: logger(c)})
			if err != nil {
				return exitError(err)
			}
			return sum.Write(c.App.Writer)
		},
	}
}

// newProgress shows a progress bar on a terminal — documents, tokens/s,
// the stage and, when the input size is known, the time left — and a log
// line every ten seconds elsewhere (CI logs, files).
func newProgress(c *cli.Context) func(pipeline.Progress) {
	if f, ok := c.App.ErrWriter.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("documents"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		sized := false
		return func(p pipeline.Progress) {
			rate := float64(p.Tokens) / max(p.Elapsed.Seconds(), 1e-9)
			if p.Stage != "documents" {
				_ = bar.Clear()
				bar.Describe(fmt.Sprintf("%s (%d documents, %d tokens)", p.Stage, p.Docs, p.Tokens))
				return
			}
			bar.Describe(fmt.Sprintf("%d docs · %.0f tokens/s", p.Docs, rate))
			// The input size is known for files and folders (not when a
			// manifest points at other files: then reading outruns it).
			if p.BytesTotal > 0 && p.BytesRead <= p.BytesTotal {
				if !sized {
					bar.ChangeMax64(p.BytesTotal)
					sized = true
				}
				_ = bar.Set64(p.BytesRead)
			} else {
				_ = bar.Add(0)
			}
		}
	}
	log := logger(c)
	var next time.Duration
	last := ""
	return func(p pipeline.Progress) {
		if p.Stage != last || p.Elapsed >= next {
			last = p.Stage
			next = p.Elapsed + 10*time.Second
			attrs := []any{"stage", p.Stage, "documents", p.Docs, "tokens", p.Tokens,
				"tokens_per_s", int(float64(p.Tokens) / max(p.Elapsed.Seconds(), 1e-9))}
			if p.BytesTotal > 0 && p.BytesRead > 0 && p.BytesRead <= p.BytesTotal && p.Stage == "documents" {
				frac := float64(p.BytesRead) / float64(p.BytesTotal)
				eta := time.Duration(float64(p.Elapsed) * (1 - frac) / frac).Round(time.Second)
				attrs = append(attrs, "input_read", fmt.Sprintf("%.0f%%", 100*frac), "eta", eta.String())
			}
			log.Info("progress", attrs...)
		}
	}
}
