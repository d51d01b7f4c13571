package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/urfave/cli/v2"

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
				sink = &csvSink{w: csv.NewWriter(w)}
			case "parquet":
				if c.String("output") == "" {
					return cli.Exit("kwic: --format parquet needs --output FILE", exitFailed)
				}
				sink = newParquetSink(w)
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

type csvSink struct {
	w      *csv.Writer
	header bool
}

func (s *csvSink) add(l kwic.Line) error {
	if !s.header {
		s.header = true
		if err := s.w.Write([]string{"doc_id", "group", "sentence_id", "token_id", "left", "match", "right"}); err != nil {
			return err
		}
	}
	return s.w.Write([]string{l.DocID, l.Group, strconv.Itoa(int(l.SentenceID)), strconv.Itoa(int(l.TokenID)), l.Left, l.Match, l.Right})
}

func (s *csvSink) close() error {
	s.w.Flush()
	return s.w.Error()
}

// parquetSink buffers the lines (a concordance is small next to the run)
// and writes one Parquet file at the end.
type parquetSink struct {
	w io.Writer
	b *array.RecordBuilder
}

var kwicSchema = arrow.NewSchema([]arrow.Field{
	{Name: "doc_id", Type: arrow.BinaryTypes.String},
	{Name: "group", Type: arrow.BinaryTypes.String},
	{Name: "sentence_id", Type: arrow.PrimitiveTypes.Int32},
	{Name: "token_id", Type: arrow.PrimitiveTypes.Int32},
	{Name: "left", Type: arrow.BinaryTypes.String},
	{Name: "match", Type: arrow.BinaryTypes.String},
	{Name: "right", Type: arrow.BinaryTypes.String},
}, nil)

func newParquetSink(w io.Writer) *parquetSink {
	return &parquetSink{w: w, b: array.NewRecordBuilder(memory.DefaultAllocator, kwicSchema)}
}

func (s *parquetSink) add(l kwic.Line) error {
	s.b.Field(0).(*array.StringBuilder).Append(l.DocID)
	s.b.Field(1).(*array.StringBuilder).Append(l.Group)
	s.b.Field(2).(*array.Int32Builder).Append(l.SentenceID)
	s.b.Field(3).(*array.Int32Builder).Append(l.TokenID)
	s.b.Field(4).(*array.StringBuilder).Append(l.Left)
	s.b.Field(5).(*array.StringBuilder).Append(l.Match)
	s.b.Field(6).(*array.StringBuilder).Append(l.Right)
	return nil
}

func (s *parquetSink) close() error {
	rec := s.b.NewRecord()
	defer rec.Release()
	defer s.b.Release()
	fw, err := pqarrow.NewFileWriter(kwicSchema, s.w, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		return err
	}
	return fw.Close()
}
