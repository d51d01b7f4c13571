// Command framelens analyses how groups of texts frame an issue and writes
// tidy Parquet/Arrow tables. This file is the command line only: all logic
// lives in the pipeline, stages, corpus and output packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

func main() {
	// The first SIGINT or SIGTERM cancels ctx: the run stops within a
	// second or two, keeping the blocks it completed for --resume. A second
	// one kills the process at once (the default action, restored).
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		fmt.Fprintf(os.Stderr, "framelens: %v: stopping; completed blocks are kept for --resume (again to kill at once)\n", sig)
		stop()
	}()
	if err := newApp(os.Stdout, os.Stderr).RunContext(ctx, flagsFirst(os.Args)); err != nil {
		fmt.Fprintln(os.Stderr, "framelens:", err)
		stop()
		os.Exit(exitCode(err))
	}
}

// flagsFirst moves the flags of 'framelens kwic OUT PATTERN --group G'
// and 'framelens report OUT -o FILE' before their arguments: urfave/cli
// stops parsing flags at the first argument, and these commands read
// best in that order. Every flag of kwic and report takes a value.
func flagsFirst(args []string) []string {
	if len(args) < 3 || (args[1] != "kwic" && args[1] != "report") {
		return args
	}
	var flags, rest []string
	for i := 2; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			if !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(append(append([]string{}, args[:2]...), flags...), rest...)
}

// Exit codes (docs/errors.md).
const (
	exitOK = 0
	// exitFailed: nothing usable — a fatal error, a config or flag that
	// cannot apply, or a run in which no document could be analysed.
	exitFailed = 1
	// exitPartial: the run is complete, but some documents failed; they
	// are listed in run.json (document_errors).
	exitPartial = 2
	// exitInterrupted: SIGINT or SIGTERM (128 + 2).
	exitInterrupted = 130
)

// exitCode is the process's exit status for the error a command returned.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return exitFailed
}

func newApp(stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:  "framelens",
		Usage: "compare how groups of texts frame an issue",
		Description: `framelens reads a corpus (a folder of text/HTML files, a YAML/CSV/JSONL manifest,
or a JSONL/CSV/Parquet row dump), cleans it, splits sentences and tokens, finds named
entities and key phrases, builds TF-IDF and topic vectors, scores frames from a lexicon,
and compares groups of documents. It writes tidy Parquet (or Arrow) tables that pandas,
polars and DuckDB load in one line, plus run.json, the run manifest.

With no --corpus, 'framelens run' analyses the built-in sample: two papers on
international talent mobility, one framing it as emotion-driven retention, the other
as security-driven restriction.`,
		Writer:    stdout,
		ErrWriter: stderr,
		// main prints every error and exits with exitCode: cli's own
		// handler would exit the process from inside RunContext (and from
		// inside tests).
		ExitErrHandler:       func(*cli.Context, error) {},
		EnableBashCompletion: true,
		Commands: []*cli.Command{
			runCommand(),
			mergeCommand(),
			schemaCommand(),
			configCommand(),
			corpusCommand(),
			evalCommand(),
			trainCommand(),
			kwicCommand(),
			reportCommand(),
			versionCommand(),
		},
	}
}

// logger logs to stderr at info level, or warnings only with --quiet.
func logger(c *cli.Context) *slog.Logger {
	level := slog.LevelInfo
	if c.Bool("quiet") {
		level = slog.LevelWarn
	}
	if c.Bool("verbose") {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: level}))
}

// exitError makes a message for a user out of err.
func exitError(err error) error {
	if errors.Is(err, context.Canceled) {
		return cli.Exit("interrupted", exitInterrupted)
	}
	return err
}
