package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/urfave/cli/v2"

	"github.com/framelens/framelens/output"
	"github.com/framelens/framelens/output/kwic"
)

func kwicCommand() *cli.Command {
	return &cli.Command{
		Name:      "kwic",
		Usage:     "concordance: every occurrence of a word, wildcard or phrase in a finished run, in context",
		ArgsUsage: "OUT PATTERN",
		Description: `PATTERN is one or more words (a phrase); * and ? are wildcards: "talent*", "research security",
"visa?". It reads OUT's tokens table, so it matches exactly what the other tables counted.
Lines come in corpus order, then text order.`,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "group", Aliases: []string{"g"}, Usage: "only documents of `GROUP` (repeatable)"},
			&cli.IntFlag{Name: "window", Aliases: []string{"w"}, Value: 8, Usage: "`N` tokens of context each side"},
			&cli.IntFlag{Name: "limit", Aliases: []string{"n"}, Usage: "at most `N` lines (0 = all)"},
			&cli.StringFlag{Name: "form", Value: "lower", Usage: "token `FORM` matched: lower, lemma (talent matches talents) or text (case-sensitive)"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "`FORMAT`: text (aligned), csv or parquet (with --output)"},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return cli.Exit("kwic: give the output folder of a run and a pattern, e.g. framelens kwic out/ \"talent*\"", exitFailed)
			}
			q := kwic.Query{Pattern: c.Args().Get(1), Form: c.String("form"), Groups: c.StringSlice("group"),
				Window: c.Int("window"), Limit: c.Int("limit")}
			var w io.Writer = c.App.Writer
			if p := c.String("output"); p != "" {
				f, err := os.Create(p)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			var sink kwicSink
			switch c.String("format") {
			case "text":
				sink = &textSink{w: w}
			case "csv":
				cs, err := newCSVSink(w)
				if err != nil {
					return err
				}
				sink = cs
			case "parquet":
				if c.String("output") == "" {
					return cli.Exit("kwic: --format parquet needs --output FILE", exitFailed)
				}
				ps, err := newParquetSink(w)
				if err != nil {
					return err
				}
				sink = ps
			default:
				return cli.Exit(fmt.Sprintf("kwic: unknown --format %q (want text, csv or parquet)", c.String("format")), exitFailed)
			}
			if err := kwic.Run(c.Context, c.Args().Get(0), q, sink.add); err != nil {
				return exitError(err)
			}
			return sink.close()
		},
	}
}

type kwicSink interface {
	add(kwic.Line) error
	close() error
}

// textSink prints aligned lines: the left context right-aligned in a
// fixed width, so that the matches form a column.
type textSink struct {
	w io.Writer
	n int
}

const kwicSide = 50

func (s *textSink) add(l kwic.Line) error {
	s.n++
	left, right := lastRunes(l.Left, kwicSide), firstRunes(l.Right, kwicSide)
	_, err := fmt.Fprintf(s.w, "%-24s %*s  [%s]  %s\n", fmt.Sprintf("%s/%d", l.DocID, l.SentenceID), kwicSide, left, l.Match, right)
	return err
}

func (s *textSink) close() error {
	if s.n == 0 {
		_, err := fmt.Fprintln(s.w, "no match")
		return err
	}
	return nil
}

func lastRunes(s string, n int) string {
	if c := utf8.RuneCountInString(s); c > n {
		r := []rune(s)
		return "…" + string(r[c-n+1:])
	}
	return s
}

func firstRunes(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n-1]) + "…"
	}
	return s
}

// csvSink writes the rows of kwic.Table as CSV, its columns by name,
// csvBatch lines at a time (a header first when there is a line).
type csvSink struct {
	w      *csv.Writer
	rows   *output.Records[kwic.Line]
	n      int
	header bool
}

const csvBatch = 1024

func newCSVSink(w io.Writer) (*csvSink, error) {
	rows, err := newLineRecords()
	if err != nil {
		return nil, err
	}
	return &csvSink{w: csv.NewWriter(w), rows: rows}, nil
}

// newLineRecords starts the rows of kwic.Table, which every sink but the
// plain-text one builds the lines into.
func newLineRecords() (*output.Records[kwic.Line], error) {
	t, err := kwic.Table()
	if err != nil {
		return nil, err
	}
	return output.NewRecords[kwic.Line](t, nil)
}

func (s *csvSink) add(l kwic.Line) error {
	s.rows.Append(&l)
	if s.n++; s.n < csvBatch {
		return nil
	}
	return s.flush()
}

func (s *csvSink) flush() error {
	if s.n == 0 {
		return nil
	}
	s.n = 0
	rec, err := s.rows.NewRecord()
	if err != nil {
		return err
	}
	defer rec.Release()
	if !s.header {
		s.header = true
		var names []string
		for _, f := range rec.Schema().Fields() {
			names = append(names, f.Name)
		}
		if err := s.w.Write(names); err != nil {
			return err
		}
	}
	line := make([]string, rec.NumCols())
	for i := 0; i < int(rec.NumRows()); i++ {
		for c := range line {
			line[c] = rec.Column(c).ValueStr(i)
		}
		if err := s.w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

func (s *csvSink) close() error {
	defer s.rows.Release()
	if err := s.flush(); err != nil {
		return err
	}
	s.w.Flush()
	return s.w.Error()
}

// parquetSink buffers the lines (a concordance is small next to the run)
// as rows of kwic.Table and writes one Parquet file at the end.
type parquetSink struct {
	w    io.Writer
	rows *output.Records[kwic.Line]
}

func newParquetSink(w io.Writer) (*parquetSink, error) {
	rows, err := newLineRecords()
	if err != nil {
		return nil, err
	}
	return &parquetSink{w: w, rows: rows}, nil
}

func (s *parquetSink) add(l kwic.Line) error {
	s.rows.Append(&l)
	return nil
}

func (s *parquetSink) close() error {
	defer s.rows.Release()
	rec, err := s.rows.NewRecord()
	if err != nil {
		return err
	}
	defer rec.Release()
	// The Arrow schema is stored: it carries the columns' descriptions.
	fw, err := pqarrow.NewFileWriter(s.rows.Schema(), s.w, parquet.NewWriterProperties(), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		return err
	}
	return fw.Close()
}
