package output

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// testOutDir opens dir as an output folder, closed when the test ends.
func testOutDir(t testing.TB, dir string) *OutDir {
	t.Helper()
	d, err := OpenOutDir(dir, DirOptions{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// writeTokens writes n rows of the tokens table in batches of 3 rows and
// parts of 5 rows, so dictionaries and parts change between batches.
func writeTokens(t *testing.T, dir string, format Format, n int) {
	t.Helper()
	cat := NewCatalog()
	w, err := NewWriter(testOutDir(t, dir), cat.MustTable("tokens"), Options{Format: format, BatchRows: 3,
		Metadata: map[string]string{"framelens.schema_version": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewAppender[TokenRow](w)
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"research", "security", "visa", "belonging", "identity"}
	for i := 0; i < n; i++ {
		if i%5 == 0 {
			if err := w.StartPart(i / 5); err != nil {
				t.Fatal(err)
			}
		}
		wd := words[i%len(words)]
		a.Append(&TokenRow{DocID: []string{"a", "b"}[i/7%2], Group: "g", SentenceID: int32(i / 4), TokenID: int32(i),
			Start: int32(i * 10), End: int32(i*10 + len(wd)), Text: wd, Lower: wd, Lemma: wd, Stem: wd[:4], POS: "NN"})
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriterPartsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeTokens(t, dir, FormatBoth, 17)
	if _, err := os.Stat(filepath.Join(dir, "tokens.partial")); !os.IsNotExist(err) {
		t.Fatalf("partial directory left behind: %v", err)
	}
	parts, _ := filepath.Glob(filepath.Join(dir, "tokens", "part-*.parquet"))
	if len(parts) < 2 {
		t.Fatalf("want a part per 5 rows, got %v", parts)
	}
	var total int64
	var lemmas []string
	for _, p := range parts {
		f, err := file.OpenParquetFile(p, false)
		if err != nil {
			t.Fatal(err)
		}
		r, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := r.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		total += tbl.NumRows()
		li := tbl.Schema().FieldIndices("lemma")[0]
		if _, ok := tbl.Schema().Field(li).Type.(*arrow.DictionaryType); !ok {
			t.Errorf("lemma read back as %s, want dictionary", tbl.Schema().Field(li).Type)
		}
		if d, _ := tbl.Schema().Field(li).Metadata.GetValue("description"); d == "" {
			t.Error("lemma lost its description metadata")
		}
		if v := f.MetaData().KeyValueMetadata().FindValue("framelens.schema_version"); v == nil || *v != "1" {
			t.Errorf("schema_version key-value metadata = %v", v)
		}
		col := tbl.Column(li)
		for _, ch := range col.Data().Chunks() {
			d := ch.(*array.Dictionary)
			dv := d.Dictionary().(*array.String)
			for i := 0; i < d.Len(); i++ {
				lemmas = append(lemmas, dv.Value(d.GetValueIndex(i)))
			}
		}
		tbl.Release()
		f.Close()
	}
	if total != 17 {
		t.Fatalf("rows = %d, want 17", total)
	}
	if lemmas[0] != "research" || lemmas[3] != "belonging" || lemmas[16] != "security" {
		t.Errorf("lemmas read back wrong: %v", lemmas)
	}
	// The Arrow IPC parts hold the same rows.
	aparts, _ := filepath.Glob(filepath.Join(dir, "tokens", "part-*.arrow"))
	var arows int64
	for _, p := range aparts {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ipc.NewFileReader(f)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for i := 0; i < r.NumRecords(); i++ {
			rec, err := r.Record(i)
			if err != nil {
				t.Fatalf("%s record %d: %v", p, i, err)
			}
			arows += rec.NumRows()
		}
		r.Close()
		f.Close()
	}
	if arows != 17 {
		t.Errorf("arrow rows = %d, want 17", arows)
	}
}

func TestWriterIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	writeTokens(t, a, FormatParquet, 12)
	writeTokens(t, b, FormatParquet, 12)
	pa, _ := filepath.Glob(filepath.Join(a, "tokens", "*.parquet"))
	for _, p := range pa {
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, "tokens", filepath.Base(p)))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two identical writes (%d vs %d bytes, err %v)", filepath.Base(p), len(x), len(y), err)
		}
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(testOutDir(t, dir), NewCatalog().MustTable("terms"), Options{BatchRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	writeTerm(t, w, 0, "visa")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if left := dirEntries(t, dir); len(left) != 1 || left[0] != LedgerFile {
		t.Errorf("abort left %q behind, want only the ledger", left)
	}
}

// TestBatchBytesBoundsLongTexts checks that rows with long plain strings
// end a batch (a Parquet row group) by size, long before the row count.
func TestBatchBytesBoundsLongTexts(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(testOutDir(t, dir), NewCatalog().MustTable("terms"), Options{BatchBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewAppender[TermRow](w)
	if err != nil {
		t.Fatal(err)
	}
	long := string(bytes.Repeat([]byte("research security "), 20)) // 360 bytes
	for i := range 10 {
		a.Append(&TermRow{TermID: int32(i), Term: long, N: 1, DF: 1, CF: 1, IDF: 1})
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := file.OpenParquetFile(filepath.Join(dir, "terms.parquet"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// 360 bytes a row: a batch ends at the third row (1,080 ≥ 1,000).
	if got := f.NumRowGroups(); got != 4 || f.NumRows() != 10 {
		t.Errorf("%d row groups, %d rows; want 4 row groups (3+3+3+1) and 10 rows", got, f.NumRows())
	}
}

// NullIfNaN writes null for NaN (a value not computed) and keeps a number.
func TestNullIfNaNWritesNull(t *testing.T) {
	tb := NewCatalog().MustTable("topic_prevalence")
	w, err := NewWriter(testOutDir(t, t.TempDir()), tb, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	a, err := NewAppender[TopicPrevalenceRow](w)
	if err != nil {
		t.Fatal(err)
	}
	a.Append(&TopicPrevalenceRow{DiffLo: NullIfNaN(math.NaN())})
	a.Append(&TopicPrevalenceRow{DiffLo: NullIfNaN(0.25)})
	b := w.b.Field(tb.ColumnIndex("diff_lo")).(*array.Float64Builder)
	if b.Len() != 2 || b.NullN() != 1 || !b.IsNull(0) || b.Value(1) != 0.25 {
		t.Errorf("diff_lo holds %d values, %d nulls; want NaN as null and 0.25 kept", b.Len(), b.NullN())
	}
}

// writeTerm appends one row to the terms table.
func writeTerm(t testing.TB, w *Writer, id int32, term string) {
	t.Helper()
	a, err := NewAppender[TermRow](w)
	if err != nil {
		t.Fatal(err)
	}
	a.Append(&TermRow{TermID: id, Term: term, N: 1, DF: 1, CF: 3, IDF: 1.5})
}

// TestCloseRenameFailsLeavesNoTmp: when a table file cannot be moved into
// place, Close fails naming it and removes its .tmp, like WriteFileAtomic.
func TestCloseRenameFailsLeavesNoTmp(t *testing.T) {
	for _, format := range []Format{FormatParquet, FormatArrow, FormatBoth} {
		for _, rows := range []int{0, 2} {
			dir := t.TempDir()
			ext := ".parquet"
			if format == FormatArrow {
				ext = ".arrow"
			}
			final := filepath.Join(dir, "terms"+ext)
			w, err := NewWriter(testOutDir(t, dir), NewCatalog().MustTable("terms"), Options{Format: format, BatchRows: 1})
			if err != nil {
				t.Fatal(err)
			}
			// A non-empty directory in the way (made after the writer
			// claimed the name): the rename cannot replace it.
			if err := os.MkdirAll(filepath.Join(final, "x"), 0o755); err != nil {
				t.Fatal(err)
			}
			for i := range rows {
				writeTerm(t, w, int32(i), "visa")
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
			}
			err = w.Close()
			if err == nil || !strings.Contains(err.Error(), final) {
				t.Fatalf("format %d, %d rows: error %v, want one naming %s", format, rows, err, final)
			}
			tmps, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
			if len(tmps) != 0 {
				t.Errorf("format %d, %d rows: .tmp left behind: %q", format, rows, tmps)
			}
		}
	}
}

// TestOpenFailsLeavesNoTmp: when the second file of a FormatBoth table
// cannot be created, the first one's .tmp is removed too.
func TestOpenFailsLeavesNoTmp(t *testing.T) {
	for _, rows := range []int{0, 2} {
		dir := t.TempDir()
		blocker := filepath.Join(dir, "terms.arrow.tmp")
		w, err := NewWriter(testOutDir(t, dir), NewCatalog().MustTable("terms"), Options{Format: FormatBoth})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			writeTerm(t, w, int32(i), "visa")
		}
		err = w.Close()
		if err == nil || !strings.Contains(err.Error(), blocker) {
			t.Fatalf("%d rows: error %v, want one naming %s", rows, err, blocker)
		}
		if got := dirEntries(t, dir); len(got) != 2 || got[0] != LedgerFile || got[1] != "terms.arrow.tmp" {
			t.Errorf("%d rows: directory holds %q, want only the blocking directory", rows, got)
		}
	}
}
