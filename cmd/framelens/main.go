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
	if err := newApp(os.Stdout, os.Stderr).RunContext(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "framelens:", err)
		code := 1
		var ec cli.ExitCoder
		if errors.As(err, &ec) {
			code = ec.ExitCode()
		}
		stop()
		os.Exit(code)
	}
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
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		Commands: []*cli.Command{
			runCommand(),
			mergeCommand(),
			schemaCommand(),
			corpusCommand(),
			evalCommand(),
			trainCommand(),
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
		return cli.Exit("interrupted", 130)
	}
	return err
}
