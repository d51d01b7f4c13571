package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/corpus"
)

// The same corpus as a folder, a manifest, JSONL, CSV and Parquet gives the
// same documents and the same tokens.
func TestCorpusFormatsGiveTheSameTables(t *testing.T) {
	skipShort(t)
	type doc struct{ ID, Group, Text string }
	var docs []doc
	sample := corpus.SampleFS()
	for _, d := range []doc{{"sun2025", "emotion_retention", ""}, {"zhang2024", "security_restriction", ""}} {
		b, err := fs.ReadFile(sample, d.ID+".txt")
		if err != nil {
			t.Fatal(err)
		}
		d.Text = string(b)
		docs = append(docs, d)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A folder of text files with a CSV manifest for the groups.
	var man bytes.Buffer
	mw := csv.NewWriter(&man)
	mw.Write([]string{"id", "path", "group"})
	for _, d := range docs {
		write("folder/"+d.ID+".txt", []byte(d.Text))
		mw.Write([]string{d.ID, d.ID + ".txt", d.Group})
	}
	mw.Flush()
	write("folder/manifest.csv", man.Bytes())
	// JSONL and CSV row dumps.
	var jl, cs bytes.Buffer
	cw := csv.NewWriter(&cs)
	cw.Write([]string{"id", "group", "text"})
	for _, d := range docs {
		b, _ := json.Marshal(map[string]string{"id": d.ID, "group": d.Group, "text": d.Text})
		jl.Write(append(b, '\n'))
		cw.Write([]string{d.ID, d.Group, d.Text})
	}
	cw.Flush()
	write("rows.jsonl", jl.Bytes())
	write("rows.csv", cs.Bytes())
	// Parquet row dump.
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}, {Name: "group", Type: arrow.BinaryTypes.String}, {Name: "text", Type: arrow.BinaryTypes.String}}, nil)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	for _, d := range docs {
		rb.Field(0).(*array.StringBuilder).Append(d.ID)
		rb.Field(1).(*array.StringBuilder).Append(d.Group)
		rb.Field(2).(*array.StringBuilder).Append(d.Text)
	}
	rec := rb.NewRecord()
	pf, err := os.Create(filepath.Join(dir, "rows.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	pw, err := pqarrow.NewFileWriter(schema, pf, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := pw.Write(rec); err != nil {
		t.Fatal(err)
	}
	pw.Close()

	run := func(path string) string {
		out := t.TempDir()
		cfg := Config{Corpus: path, Out: out, SkipStages: []string{"keyphrases", "topics"}}
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return out
	}
	want := run(filepath.Join(dir, "folder"))
	for _, in := range []string{"rows.jsonl", "rows.csv", "rows.parquet"} {
		got := run(filepath.Join(dir, in))
		// Rows, not bytes: the Parquet metadata names the corpus path.
		for _, table := range []string{"sections", "sentences", "tokens", "entities", "frame_sentences", "frames", "keyness"} {
			a, b := rows(t, want, table), rows(t, got, table)
			if len(a) == 0 || !reflect.DeepEqual(a, b) {
				t.Errorf("%s: table %s differs from the folder's (%d vs %d rows)", in, table, len(a), len(b))
			}
		}
		wd, gd := rows(t, want, "documents"), rows(t, got, "documents")
		for i := range wd {
			for _, col := range []string{"doc_id", "group", "text", "n_tokens"} {
				if wd[i][col] != gd[i][col] {
					t.Errorf("%s: documents[%d].%s differs", in, i, col)
				}
			}
		}
	}
}

// TestArrowOnlyRunCountsItsRows runs the sample with Arrow IPC output only:
// the run completes, and run.json counts the same rows as a Parquet run.
func TestArrowOnlyRunCountsItsRows(t *testing.T) {
	dir := t.TempDir()
	if _, err := Run(context.Background(), Config{Out: dir, Workers: 2, Format: "arrow"}, Options{}); err != nil {
		t.Fatalf("arrow-only run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "documents.parquet")); err == nil {
		t.Errorf("an arrow-only run wrote Parquet")
	}
	arrowRows := readManifest(t, dir).Rows
	parquetRows := readManifest(t, sampleOut(t)).Rows
	if len(arrowRows) != len(parquetRows) || arrowRows["tokens"] == 0 || arrowRows["documents"] != 2 {
		t.Fatalf("arrow run counts %v", arrowRows)
	}
	for name, n := range parquetRows {
		if arrowRows[name] != n {
			t.Errorf("%s: %d rows in the arrow run, %d in the parquet run", name, arrowRows[name], n)
		}
	}
}
