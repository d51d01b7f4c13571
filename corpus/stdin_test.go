package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// sampleArrowRecords are the sample rows as Arrow records of one row each,
// typed as pandas and polars send them: the text a large string, the group
// dictionary-encoded (a pandas categorical), ints of several widths.
func sampleArrowRecords(t testing.TB, rows []sampleRow) (*arrow.Schema, []arrow.Record) {
	t.Helper()
	str := arrow.BinaryTypes.String
	dict := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: str}
	fields := []arrow.Field{
		{Name: "id", Type: str}, {Name: "group", Type: dict}, {Name: "title", Type: str},
		{Name: "authors", Type: arrow.LargeListOf(arrow.BinaryTypes.LargeString), Nullable: true}, {Name: "year", Type: arrow.PrimitiveTypes.Int64},
		{Name: "lang", Type: str}, {Name: "text", Type: arrow.BinaryTypes.LargeString}, {Name: "full_text", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "pages", Type: arrow.PrimitiveTypes.Int32}, {Name: "score", Type: arrow.PrimitiveTypes.Float64},
		{Name: "peer_reviewed", Type: arrow.FixedWidthTypes.Boolean},
	}
	for _, c := range strCols {
		fields = append(fields, arrow.Field{Name: c, Type: str, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	var recs []arrow.Record
	for _, r := range rows {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		b.Field(0).(*array.StringBuilder).Append(r.ID)
		if err := b.Field(1).(*array.BinaryDictionaryBuilder).AppendString(r.Group); err != nil {
			t.Fatal(err)
		}
		b.Field(2).(*array.StringBuilder).Append(r.Title)
		lb := b.Field(3).(*array.LargeListBuilder)
		lb.Append(true)
		for _, a := range r.Authors {
			lb.ValueBuilder().(*array.LargeStringBuilder).Append(a)
		}
		b.Field(4).(*array.Int64Builder).Append(r.Year)
		b.Field(5).(*array.StringBuilder).Append(r.Lang)
		b.Field(6).(*array.LargeStringBuilder).Append(r.Text)
		b.Field(7).(*array.BooleanBuilder).Append(r.FullText)
		b.Field(8).(*array.Int32Builder).Append(int32(r.Pages))
		b.Field(9).(*array.Float64Builder).Append(r.Score)
		b.Field(10).(*array.BooleanBuilder).Append(r.PeerReviewed)
		for i, c := range strCols {
			sb := b.Field(11 + i).(*array.StringBuilder)
			if v, ok := r.Strs[c]; ok {
				sb.Append(v)
			} else {
				sb.AppendNull()
			}
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return schema, recs
}

// arrowStream is an Arrow IPC stream of recs (with its end-of-stream marker).
func arrowStream(t testing.TB, schema *arrow.Schema, recs []arrow.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(schema))
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openStdinBytes(t testing.TB, b []byte, opts Options) (*Stream, error) {
	t.Helper()
	dec, err := newDecoder(opts.Encoding)
	if err != nil {
		t.Fatal(err)
	}
	return openStdin(bytes.NewReader(b), opts, dec)
}

func stdinDocs(t *testing.T, b []byte, opts Options) ([]*Document, *Stream) {
	t.Helper()
	s, err := openStdinBytes(t, b, opts)
	if err != nil {
		t.Fatalf("openStdin: %v", err)
	}
	docs := readAllDocs(t, s)
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	cleanAll(t, docs)
	return docs, s
}

// An Arrow IPC stream and JSONL on standard input yield the documents the
// same rows yield from a file, with documents.source "-:N" and run.json's
// input "-" holding the byte count and SHA-256 of what was read.
func TestStdinArrowAndJSONLMatchFiles(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	writeJSONL(t, filepath.Join(dir, "dump.jsonl"), rows)
	ref, _ := openAll(t, filepath.Join(dir, "dump.jsonl"), Options{})

	schema, recs := sampleArrowRecords(t, rows)
	stream := arrowStream(t, schema, recs)
	jsonl, err := os.ReadFile(filepath.Join(dir, "dump.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{"arrow": stream, "jsonl": jsonl} {
		got, s := stdinDocs(t, in, Options{})
		sameDocs(t, name, ref, got)
		if got[1].Source != "-:2" {
			t.Errorf("%s: source %q, want -:2", name, got[1].Source)
		}
		sum := sha256.Sum256(in)
		want := InputFile{Path: StdinPath, Bytes: int64(len(in)), SHA256: hex.EncodeToString(sum[:])}
		if inputs := s.Inputs(); len(inputs) != 1 || inputs[0] != want {
			t.Errorf("%s: inputs %+v, want %+v", name, inputs, want)
		}
		if read, total := s.Progress(); read != int64(len(in)) || total != 0 {
			t.Errorf("%s: progress %d/%d, want %d read of an unknown total", name, read, total, len(in))
		}
	}
	if ref[0].Meta["pages"] != int64(1) || ref[1].Meta["score"] != 2.0 {
		t.Fatalf("reference metadata wrong: %v / %v", ref[0].Meta, ref[1].Meta)
	}
}

// Standard input is read as it arrives: the first document is returned
// while the writer has not finished (a frame larger than memory streams).
func TestStdinArrowStreams(t *testing.T) {
	rows := sampleRows(t)
	schema, recs := sampleArrowRecords(t, rows)
	pr, pw := io.Pipe()
	w := ipc.NewWriter(pw, ipc.WithSchema(schema))
	wrote := make(chan error, 1)
	go func() { wrote <- w.Write(recs[0]) }()
	dec, _ := newDecoder("")
	type result struct {
		doc *Document
		err error
	}
	got := make(chan result, 1)
	go func() {
		s, err := openStdin(pr, Options{}, dec)
		if err != nil {
			got <- result{nil, err}
			return
		}
		d, err := s.Next()
		got <- result{d, err}
	}()
	select {
	case r := <-got:
		if r.err != nil || r.doc.ID != rows[0].ID {
			t.Fatalf("first document: %+v, %v", r.doc, r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the first document was not returned before the stream ended: standard input is buffered whole")
	}
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	pw.Close()
}

// A stream that stops without its end-of-stream marker — the writer died
// between two batches, or in the middle of one — is an error, not a
// shorter corpus.
func TestStdinArrowTruncated(t *testing.T) {
	rows := sampleRows(t)
	schema, recs := sampleArrowRecords(t, rows)
	full := arrowStream(t, schema, recs)
	oneBatch := arrowStream(t, schema, recs[:1])
	cuts := map[string][]byte{
		"between batches": oneBatch[:len(oneBatch)-len(arrowEOS)],
		"inside a batch":  full[:len(full)-1000],
		"trailing bytes":  append(append([]byte{}, full...), '{', '}', '\n'),
	}
	for name, in := range cuts {
		s, err := openStdinBytes(t, in, Options{})
		if err != nil {
			t.Fatalf("%s: open: %v", name, err)
		}
		var last error
		for {
			_, err := s.Next()
			if err == io.EOF {
				t.Errorf("%s: the stream ended without an error", name)
				break
			}
			var pe *ParseError
			if err != nil && errors.As(err, &pe) {
				last = err
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if last != nil && !strings.Contains(last.Error(), "standard input") {
			t.Errorf("%s: the error does not name standard input: %v", name, last)
		}
	}
}

// What standard input cannot hold is refused at once with the fix; CSV is
// read when the config says so; nothing at all is an empty corpus.
func TestStdinFormats(t *testing.T) {
	csvIn := []byte("id,group,text\nd1,A,Talent mobility shapes where scientists settle.\n")
	for _, c := range []struct {
		name, format string
		in           []byte
		want         string // error text; "" to succeed
	}{
		{"parquet", "", []byte("PAR1\x15\x04"), "give its path"},
		{"arrow file", "", []byte("ARROW1\x00\x00"), "new_stream"},
		{"gzip", "", []byte{0x1f, 0x8b, 8, 0}, "zcat"},
		{"csv unannounced", "", csvIn, `starts with "id,group,text`},
		{"csv", "csv", csvIn, ""},
		{"jsonl said, arrow sent", "jsonl", []byte{0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0}, "Arrow IPC stream"},
		{"folder", "folder", []byte("{}"), "cannot be read from standard input"},
		{"empty", "", nil, ""},
		{"blank lines and BOM", "", []byte("\xef\xbb\xbf\n\n{\"text\":\"Visa reviews tightened.\"}\n"), ""},
	} {
		s, err := openStdinBytes(t, c.in, Options{Format: c.format})
		if c.want != "" {
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "standard input") {
				t.Errorf("%s: err = %v, want one naming standard input and saying %q", c.name, err, c.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		docs := readAllDocs(t, s)
		if (c.in == nil) != (len(docs) == 0) {
			t.Errorf("%s: %d documents", c.name, len(docs))
		}
	}
}

// An Arrow stream without the text column is refused before any row is
// read, naming standard input and the columns it has (as a Parquet dump's
// header is).
func TestStdinArrowMissingTextColumn(t *testing.T) {
	rows := sampleRows(t)
	schema, recs := sampleArrowRecords(t, rows)
	_, err := openStdinBytes(t, arrowStream(t, schema, recs), Options{TextColumn: "body"})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != "standard input" || !strings.Contains(err.Error(), `no text column "body"`) || !strings.Contains(err.Error(), "peer_reviewed") {
		t.Errorf("err = %v", err)
	}
}
