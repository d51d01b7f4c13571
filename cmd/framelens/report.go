package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/framelens/framelens/output/report"
)

func reportCommand() *cli.Command {
	return &cli.Command{
		Name:      "report",
		Usage:     "write the HTML report of a finished run: one offline file with plots of every comparison shown",
		ArgsUsage: "OUT",
		Description: `Reads OUT's tables (never the corpus) and writes OUT/report.html, or -o FILE: the groups and
the small-sample warnings, then for each comparison shown a keyness scatter, the frame differences
with their intervals, topic prevalence, collocates of pivot words (when the run has a collocations
table), evidence sentences and actors. It opens offline: no script or style is fetched.
See docs/workbench.md.`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of OUT/report.html"},
		}, reportFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return cli.Exit("report: give the output folder of a finished run, e.g. framelens report out/", exitFailed)
			}
			if err := checkArgs(c, 1); err != nil {
				return err
			}
			path, err := report.WriteFile(c.Context, c.Args().First(), c.String("output"), reportOptions(c))
			if err != nil {
				return exitError(err)
			}
			fmt.Fprintln(c.App.Writer, "report:", path)
			return nil
		},
	}
}

// reportFlags are the flags that 'report' and 'run --report' share.
func reportFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "comparison", Usage: "draw comparison `NAME` (repeatable; comparisons.comparison); default: the first --max-comparisons"},
		&cli.IntFlag{Name: "max-comparisons", Value: 8, Usage: "draw at most `N` comparisons, in the run's order, when no --comparison is given"},
	}
}

func reportOptions(c *cli.Context) report.Options {
	return report.Options{Comparisons: c.StringSlice("comparison"), MaxComparisons: c.Int("max-comparisons")}
}
