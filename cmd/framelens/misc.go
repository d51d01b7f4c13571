package main

import (
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/pipeline"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version, table schema version and Go version",
		Action: func(c *cli.Context) error {
			fmt.Fprintf(c.App.Writer, "framelens %s (table schema %d, %s)\n", pipeline.Version, output.SchemaVersion, runtime.Version())
			return nil
		},
	}
}

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the tables' columns, types and descriptions",
		ArgsUsage: "[TABLE]",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "markdown", Usage: "print the data dictionary (docs/tables.md) as Markdown"},
			&cli.BoolFlag{Name: "json", Usage: "print the table definitions as JSON"},
		},
		Action: func(c *cli.Context) error {
			cat, err := pipeline.Catalog()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return cat.WriteJSON(c.App.Writer)
			}
			if c.Bool("markdown") {
				return cat.WriteMarkdown(c.App.Writer)
			}
			if name := c.Args().First(); name != "" {
				t, err := cat.Table(name)
				if err != nil {
					return err
				}
				return t.WriteText(c.App.Writer)
			}
			for i, t := range cat.Tables() {
				if i > 0 {
					fmt.Fprintln(c.App.Writer)
				}
				if err := t.WriteText(c.App.Writer); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func corpusCommand() *cli.Command {
	return &cli.Command{
		Name:  "corpus",
		Usage: "look at a corpus before a long run",
		Subcommands: []*cli.Command{{
			Name:      "inspect",
			Usage:     "print each document's id, group, size, sections found and what cleaning removed",
			ArgsUsage: "[PATH]  (default: the config's corpus, else the built-in sample)",
			Description: `Reads and cleans the corpus as 'framelens run' would with the same --config and
flags: the config's corpus (PATH overrides it), reader and clean sections, and its
repeated_lines first pass. Every document is reported; limit does not apply.`,
			Flags: append([]cli.Flag{
				&cli.StringFlag{Name: "config", Usage: "YAML config `FILE` (see docs/config.md): its corpus, reader, clean and repeated_lines settings"},
			}, readerFlags()...),
			Action: func(c *cli.Context) error {
				if err := checkArgs(c, 1); err != nil {
					return err
				}
				cfg, err := loadConfig(c)
				if err != nil {
					return err
				}
				if p := c.Args().First(); p != "" {
					cfg.Corpus = p
				}
				if err := checkStdin(cfg); err != nil {
					return err
				}
				return exitError(pipeline.Inspect(c.Context, c.App.Writer, cfg))
			},
		}},
	}
}
