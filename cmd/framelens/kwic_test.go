package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/output/kwic"
)

// kwic --format parquet and csv write the rows of kwic.Table: each line's
// values under its columns' names (read back by name, not position), the
// Parquet columns described as the table describes them.
func TestKwicFilesHoldTheLinesByColumnName(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, err := runCLI(t, "run", "--out", out, "--quiet", "--skip", "topics", "--skip", "keyness"); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	var want []kwic.Line
	if err := kwic.Run(context.Background(), out, kwic.Query{Pattern: "talent*"}, func(l kwic.Line) error {
		want = append(want, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) < 10 {
		t.Fatalf("%d lines of talent* in the sample, want many", len(want))
	}
	table, err := kwic.Table()
	if err != nil {
		t.Fatal(err)
	}
	// A line's values by column name: what a reader of either file sees.
	byName := func(l kwic.Line) map[string]string {
		return map[string]string{"doc_id": l.DocID, "group": l.Group, "sentence_id": strconv.Itoa(int(l.SentenceID)),
			"token_id": strconv.Itoa(int(l.TokenID)), "left": l.Left, "match": l.Match, "right": l.Right}
	}
	if len(table.Columns) != len(byName(kwic.Line{})) {
		t.Fatalf("kwic.Table has %d columns, the test knows %d", len(table.Columns), len(byName(kwic.Line{})))
	}

	pq := filepath.Join(t.TempDir(), "talent.parquet")
	if _, stderr, err := runCLI(t, "kwic", "--format", "parquet", "--output", pq, out, "talent*"); err != nil {
		t.Fatalf("kwic parquet: %v\n%s", err, stderr)
	}
	pf, err := file.OpenParquetFile(pq, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Release()
	if int(tb.NumRows()) != len(want) {
		t.Fatalf("parquet: %d rows, want %d", tb.NumRows(), len(want))
	}
	for _, c := range table.Columns {
		idx := tb.Schema().FieldIndices(c.Name)
		if len(idx) != 1 {
			t.Fatalf("parquet: no column %s", c.Name)
		}
		f := tb.Schema().Field(idx[0])
		if d, _ := f.Metadata.GetValue("description"); d != c.Description || d == "" {
			t.Errorf("parquet column %s: description %q, want %q", c.Name, d, c.Description)
		}
		chunks := tb.Column(idx[0]).Data().Chunks()
		row := 0
		for _, ch := range chunks {
			for i := 0; i < ch.Len(); i++ {
				var got string
				switch a := ch.(type) {
				case *array.String:
					got = a.Value(i)
				case *array.Int32:
					got = strconv.Itoa(int(a.Value(i)))
				default:
					t.Fatalf("parquet column %s is %T", c.Name, ch)
				}
				if w := byName(want[row])[c.Name]; got != w {
					t.Errorf("parquet row %d column %s: %q, want %q", row, c.Name, got, w)
				}
				row++
			}
		}
	}

	csvPath := filepath.Join(t.TempDir(), "talent.csv")
	if _, stderr, err := runCLI(t, "kwic", "--format", "csv", "--output", csvPath, out, "talent*"); err != nil {
		t.Fatalf("kwic csv: %v\n%s", err, stderr)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(want)+1 {
		t.Fatalf("csv: %d records, want a header and %d lines", len(recs), len(want))
	}
	for i, name := range recs[0] {
		if name != table.Columns[i].Name {
			t.Errorf("csv header %d is %q, want %q", i, name, table.Columns[i].Name)
		}
		for r, rec := range recs[1:] {
			if w := byName(want[r])[name]; rec[i] != w {
				t.Errorf("csv row %d column %s: %q, want %q", r, name, rec[i], w)
			}
		}
	}
}
