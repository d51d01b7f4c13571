package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/framelens/framelens/output/report"
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
			&cli.StringFlag{Name: "corpus", Aliases: []string{"c"}, Usage: "corpus `PATH`: a folder, a manifest (.yaml/.csv/.jsonl) or a row dump (.jsonl/.csv/.tsv/.parquet, optionally .gz); - reads an Arrow IPC stream or JSONL from standard input; default: the built-in sample"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output `DIR`: new, empty or written by framelens (see --overwrite)"},
			&cli.BoolFlag{Name: "overwrite", Usage: "let --out be a folder holding other files: the tables go beside them, and framelens still never removes or replaces a file it did not write"},
			&cli.StringFlag{Name: "config", Usage: "YAML config `FILE` (see docs/config.md)"},
			&cli.Int64Flag{Name: "seed", Usage: "random `SEED` for topic models and bootstrap intervals", DefaultText: "0, or the config's"},
			&cli.IntFlag{Name: "workers", Aliases: []string{"j"}, Usage: "`N` document workers, and at most N cores; never changes the output", DefaultText: "number of CPUs"},
			&cli.StringFlag{Name: "format", Usage: "table `FORMAT`: parquet, arrow or both", DefaultText: "parquet"},
			&cli.StringFlag{Name: "frames", Usage: "frame lexicon `FILE` (framelens YAML, LIWC .dic, WordStat .cat, Lexicoder .lc3, quanteda YAML)"},
			&cli.IntFlag{Name: "topics", Usage: "number of topics `K`", DefaultText: "10"},
			&cli.StringFlag{Name: "topic-model", Usage: "topic `MODEL`: nmf, lda or lsa", DefaultText: "nmf"},
			&cli.StringFlag{Name: "keyphrases", Usage: "key phrase `METHOD`: ensemble, yake, positionrank, textrank, singlerank or tfidf"},
			&cli.IntFlag{Name: "limit", Usage: "analyse only the first `N` documents (a quick look at a large corpus)"},
			&cli.StringFlag{Name: "lang", Usage: "every document's language, an ISO 639-1 `CODE` (en, zh, de, fr, es, pt, ru…), instead of the manifest's lang column or detection (config lang.lang)"},
			&cli.BoolFlag{Name: "resume", Usage: "keep the blocks an interrupted run of the same config completed in --out, and process only the rest"},
			&cli.StringSliceFlag{Name: "compare", Usage: "a comparison `A:B` (repeatable): group A against group B, A:rest against every other group, several groups on a side joined with + (replaces compare.plan and compare.comparisons)"},
			&cli.StringFlag{Name: "shard", Usage: "process only shard `i/n` of the corpus (blocks b with b mod n = i) into --out, for 'framelens merge'"},
			&cli.IntFlag{Name: "block-docs", Usage: "documents per block: the unit of part files, resuming and sharding", DefaultText: "500"},
			&cli.StringFlag{Name: "stages", Usage: "run only these optional `STAGES` (comma-separated): entities, keyphrases, frames, topics, keyness, tokens, collocations; the others are skipped"},
			&cli.StringSliceFlag{Name: "skip", Usage: "`STAGE` to skip (repeatable): entities, keyphrases, frames, topics, keyness, tokens (the tokens table only), collocations"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to `FILE` (go tool pprof)"},
			&cli.StringFlag{Name: "memprofile", Usage: "write a heap profile at the end of the run to `FILE`"},
			&cli.StringFlag{Name: "progress", Usage: "`MODE`: bar (on a terminal), json (one JSON object a line on standard error, for programs such as the Python package) or none", DefaultText: "bar"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress, warnings only"},
			&cli.BoolFlag{Name: "verbose", Usage: "debug logs"},
			&cli.StringFlag{Name: "stop-words", Usage: "stop-word `FILE` (one word a line, # comments) replacing the default English list"},
			&cli.StringFlag{Name: "add-stop-words", Usage: "stop-word `FILE` whose words are added to the list"},
			&cli.BoolFlag{Name: "report", Usage: "write OUT/report.html after run.json (as framelens report does; docs/workbench.md)"},
		}, append(readerFlags(), reportFlags()...)...),
		Action: func(c *cli.Context) error {
			if err := checkArgs(c, 0); err != nil {
				return err
			}
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
			if c.IsSet("compare") {
				cfg.Compare.Comparisons = nil
				for _, v := range c.StringSlice("compare") {
					spec, err := pipeline.ParseComparison(v)
					if err != nil {
						return cli.Exit(err.Error(), exitFailed)
					}
					cfg.Compare.Comparisons = append(cfg.Compare.Comparisons, spec)
				}
			}
			// A stage's flag with the stage skipped would change nothing.
			for _, f := range []struct{ flag, stage string }{
				{"topics", "topics"}, {"topic-model", "topics"}, {"keyphrases", "keyphrases"}, {"frames", "frames"},
			} {
				if c.IsSet(f.flag) && slices.Contains(cfg.SkipStages, f.stage) {
					return fmt.Errorf("--%s: the %s stage is skipped (--skip, --stages or the config's skip_stages), so the flag would change nothing; drop one of them", f.flag, f.stage)
				}
			}
			if c.Bool("report") && cfg.Format == "arrow" {
				return cli.Exit("--report reads the Parquet tables: use --format parquet (the default) or both", exitFailed)
			}
			if c.Bool("report") && c.IsSet("shard") {
				return cli.Exit("--report: a shard has no run.json to report on; give --report to 'framelens report' after 'framelens merge'", exitFailed)
			}
			cfg.Resume = c.Bool("resume")
			if c.IsSet("lang") {
				cfg.Lang.Lang = c.String("lang")
			}
			if c.IsSet("limit") {
				cfg.Limit = c.Int("limit")
			}
			if c.IsSet("block-docs") {
				cfg.BlockDocs = c.Int("block-docs")
			}
			if c.IsSet("stop-words") {
				cfg.Tokenize.StopWordsFile = c.String("stop-words")
			}
			if c.IsSet("add-stop-words") {
				cfg.Tokenize.ExtraStopWordsFile = c.String("add-stop-words")
			}
			if s := c.String("shard"); s != "" {
				sh, err := pipeline.ParseShard(s)
				if err != nil {
					return err
				}
				cfg.Shard = sh
			}
			if err := checkStdin(cfg); err != nil {
				return err
			}

			// --workers N is the run's share of the machine: N document
			// workers, and no more than N cores for everything else (reader,
			// writers, reductions, the garbage collector), so that a job
			// given N cores by a scheduler keeps to them.
			if cfg.Workers > 0 && cfg.Workers < runtime.GOMAXPROCS(0) {
				runtime.GOMAXPROCS(cfg.Workers)
			}
			opts := pipeline.Options{Logger: logger(c), Overwrite: c.Bool("overwrite")}
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
			if c.Bool("report") {
				path, err := report.WriteFile(c.Context, cfg.Out, "", reportOptions(c))
				if err != nil {
					return exitError(err)
				}
				opts.Logger.Info("report written", "path", path)
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
			return finished(c, sum)
		},
	}
}

// checkArgs refuses arguments a command does not take, beyond its first
// max (max < 0: any number), and flags after an argument: the flag parser stops at the first argument, so a flag written
// after one ("corpus inspect DIR --group-column party") would otherwise be
// ignored without a word.
func checkArgs(c *cli.Context, max int) error {
	args := c.Args().Slice()
	name := strings.TrimPrefix(c.Command.HelpName, c.App.Name+" ")
	for i, a := range args {
		if i >= 1 && strings.HasPrefix(a, "-") {
			return fmt.Errorf("%s: the flag %s comes after the argument %q, where it is not read: put the flags first", name, a, args[0])
		}
	}
	if max >= 0 && len(args) > max {
		if max == 0 {
			return fmt.Errorf("%s takes no arguments, got %q: the corpus is given with --corpus", name, args)
		}
		return fmt.Errorf("%s takes at most %d argument(s), got %q", name, max, args)
	}
	return nil
}

// finished prints the summary of a complete run and returns, when some
// documents failed, the error that makes the exit status exitPartial.
func finished(c *cli.Context, sum *pipeline.Summary) error {
	if err := sum.Write(c.App.Writer); err != nil {
		return err
	}
	if err := sum.FailuresErr(); err != nil {
		return cli.Exit(err.Error(), exitPartial)
	}
	return nil
}

// readerFlags are the flags that 'run' and 'corpus inspect' share; loadConfig
// applies them over the config's reader section.
func readerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "text-column", Usage: "row dumps: the `COLUMN` holding the text (default text)"},
		&cli.StringFlag{Name: "id-column", Usage: "row dumps: the `COLUMN` holding the document id (default id)"},
		&cli.StringFlag{Name: "group-column", Usage: "the `COLUMN` holding the comparison group (default group)"},
		&cli.StringSliceFlag{Name: "clean", Usage: "clean `PRESET`s for a genre (repeatable or comma-separated): transcript (speaker labels, time codes), email or usenet (headers, quoted replies, attributions, signatures)"},
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
	if c.IsSet("clean") {
		cfg.Clean.Presets = nil
		for _, v := range c.StringSlice("clean") {
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					cfg.Clean.Presets = append(cfg.Clean.Presets, p)
				}
			}
		}
	}
	if c.IsSet("max-doc-bytes") {
		n, err := parseSize(c.String("max-doc-bytes"))
		if err != nil {
			return cfg, cli.Exit(err.Error(), exitFailed)
		}
		cfg.Reader.MaxDocBytes = n
	}
	if c.IsSet("max-gzip-ratio") {
		if n := c.Int("max-gzip-ratio"); n <= 0 {
			return cfg, cli.Exit(fmt.Sprintf("--max-gzip-ratio %d: want a positive ratio (default 100)", n), exitFailed)
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
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "out", Usage: "output `DIR`: new, empty or written by framelens, and none of the shards"},
			&cli.BoolFlag{Name: "overwrite", Usage: "let --out be a folder holding other files (never removed or replaced)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "warnings only"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return cli.Exit("merge: give the shard directories", exitFailed)
			}
			if err := checkArgs(c, -1); err != nil {
				return err
			}
			sum, err := pipeline.Merge(c.Context, c.String("out"), c.Args().Slice(), pipeline.Options{Logger: logger(c), Overwrite: c.Bool("overwrite")})
			if err != nil {
				return exitError(err)
			}
			return finished(c, sum)
		},
	}
}

// newProgress shows a progress bar on a terminal — documents, tokens/s,
// the stage and, when the input size is known, the time left — and a log
// line every ten seconds elsewhere (CI logs, files).
func newProgress(c *cli.Context) func(pipeline.Progress) {
	switch c.String("progress") {
	case "json":
		return jsonProgress(c.App.ErrWriter)
	case "none":
		return nil
	}
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

// jsonProgress writes the progress as JSON lines, at most five a second
// and every stage change, for a program that shows it (framelens.run).
func jsonProgress(w io.Writer) func(pipeline.Progress) {
	var last time.Time
	stage := ""
	enc := json.NewEncoder(w)
	return func(p pipeline.Progress) {
		if p.Stage == stage && time.Since(last) < 200*time.Millisecond {
			return
		}
		last, stage = time.Now(), p.Stage
		_ = enc.Encode(struct {
			Stage      string  `json:"stage"`
			Docs       int     `json:"docs"`
			Tokens     int64   `json:"tokens"`
			Seconds    float64 `json:"seconds"`
			BytesRead  int64   `json:"bytes_read"`
			BytesTotal int64   `json:"bytes_total"`
		}{p.Stage, p.Docs, p.Tokens, p.Elapsed.Seconds(), p.BytesRead, p.BytesTotal})
	}
}
