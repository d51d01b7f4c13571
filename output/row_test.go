package output

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// fillRow sets every column field of the row *T behind v to a value of its
// own (column j of table name), so that a value written to the wrong
// column, or read back from it, is seen. Null fields are valid.
func fillRow(v any, name string) {
	r := reflect.ValueOf(v).Elem()
	j := 0
	for i := 0; i < r.NumField(); i++ {
		f := r.Field(i)
		if r.Type().Field(i).Tag.Get("col") == ",extra" {
			continue
		}
		j++
		if f.Kind() == reflect.Struct { // Null[T]
			f.Field(1).SetBool(true)
			f = f.Field(0)
		}
		switch f.Interface().(type) {
		case string:
			f.SetString(fmt.Sprintf("%s.%d é", name, j))
		case int32, int64:
			f.SetInt(int64(1000*len(name) + j))
		case float64:
			f.SetFloat(float64(j) + 0.25)
		case bool:
			f.SetBool(j%2 == 1)
		case []string:
			f.Set(reflect.ValueOf([]string{name, fmt.Sprint(j), ""}))
		case []int32:
			f.Set(reflect.ValueOf([]int32{int32(j), -1}))
		case []float32:
			f.Set(reflect.ValueOf([]float32{float32(j) / 4, 0}))
		default:
			panic(fmt.Sprintf("fillRow: %s", f.Type()))
		}
	}
}

// cell returns row i of a column read back as a Go value: nil for null,
// a slice for a list, an ISO date for date32.
func cell(t *testing.T, col arrow.Array, i int) any {
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Dictionary:
		return a.Dictionary().(*array.String).Value(a.GetValueIndex(i))
	case *array.Int32:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.Date32:
		return a.Value(i).ToTime().Format(time.DateOnly)
	case *array.List:
		start, end := a.ValueOffsets(i)
		switch v := a.ListValues().(type) {
		case *array.String:
			var out []string
			for k := start; k < end; k++ {
				out = append(out, v.Value(int(k)))
			}
			return out
		case *array.Int32:
			return append([]int32(nil), v.Int32Values()[start:end]...)
		case *array.Float32:
			return append([]float32(nil), v.Float32Values()[start:end]...)
		}
	}
	t.Fatalf("cannot read a %s column", col.DataType())
	return nil
}

// readRows reads a written table back into new rows of its row type.
func readRows(t *testing.T, path string, tb *Table) []any {
	t.Helper()
	f, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := r.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if int(tbl.NumCols()) != len(tb.Columns) {
		t.Fatalf("%s: %d columns read back, want %d", path, tbl.NumCols(), len(tb.Columns))
	}
	rows := make([]any, tbl.NumRows())
	for i := range rows {
		rows[i] = tb.newRow()
		rv := reflect.ValueOf(rows[i]).Elem()
		var meta []any
		for j := 0; j < int(tbl.NumCols()); j++ {
			chunks := tbl.Column(j).Data().Chunks()
			if len(chunks) != 1 {
				t.Fatalf("%s: %d chunks", path, len(chunks))
			}
			v := cell(t, chunks[0], i)
			if j >= len(tb.row.cols) {
				meta = append(meta, v)
				continue
			}
			c := tb.row.cols[j]
			if tbl.Schema().Field(j).Name != c.name {
				t.Fatalf("%s: column %d is %s, want %s", path, j, tbl.Schema().Field(j).Name, c.name)
			}
			f := rv.FieldByName(c.field)
			if v == nil {
				if !c.nullable {
					t.Errorf("%s.%s: null in a column that is not nullable", tb.Name, c.name)
				}
				continue
			}
			if c.nullable {
				f.Field(1).SetBool(true)
				f = f.Field(0)
			}
			f.Set(reflect.ValueOf(v))
		}
		if tb.row.hasExtra {
			rv.FieldByName("Meta").Set(reflect.ValueOf(meta))
		}
	}
	return rows
}

// Every table is written through its row type, and what is read back is
// the rows written: a full row and a row of zeros, nulls and empty lists.
// A table without a row type, or whose row type maps a field to the wrong
// column, fails here.
func TestEveryTableRoundTripsItsRowType(t *testing.T) {
	dir := testOutDir(t, t.TempDir())
	meta := []Column{MetaColumn("venue", "string"), MetaColumn("pages", "int64"), MetaColumn("impact", "float64"),
		MetaColumn("peer_reviewed", "bool"), MetaColumn("published", "date")}
	cat := NewCatalog()
	if len(cat.Tables()) < 23 {
		t.Fatalf("only %d tables", len(cat.Tables()))
	}
	for _, tb := range cat.Tables() {
		if tb.row == nil || tb.newRow == nil || tb.bind == nil {
			t.Errorf("table %s has no row type", tb.Name)
			continue
		}
		opts := Options{}
		full, zero := tb.newRow(), tb.newRow()
		fillRow(full, tb.Name)
		if tb.row.hasExtra {
			opts.ExtraColumns = meta
			f := reflect.ValueOf(full).Elem().FieldByName("Meta")
			f.Set(reflect.ValueOf([]any{"Nature", int64(12), 3.5, true, "2024-05-01"}))
			reflect.ValueOf(zero).Elem().FieldByName("Meta").Set(reflect.ValueOf(make([]any, len(meta))))
		}
		w, err := NewWriter(dir, tb, opts)
		if err != nil {
			t.Fatal(err)
		}
		appendRow, err := tb.bind(w)
		if err != nil {
			t.Fatalf("table %s: %v", tb.Name, err)
		}
		appendRow(full)
		appendRow(zero)
		if err := w.Close(); err != nil {
			t.Fatalf("table %s: %v", tb.Name, err)
		}
		path := filepath.Join(dir.Path(), tb.Name+".parquet")
		if tb.Layout == Parts {
			path = filepath.Join(dir.Path(), tb.Name, "part-00000.parquet")
		}
		got := readRows(t, path, w.Table())
		if len(got) != 2 {
			t.Fatalf("table %s: %d rows read back, want 2", tb.Name, len(got))
		}
		for i, want := range []any{full, zero} {
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("table %s row %d:\n got %+v\nwant %+v", tb.Name, i, got[i], want)
			}
		}
	}
}

func TestAppenderRefusesAnotherTablesRowType(t *testing.T) {
	cat := NewCatalog()
	w, err := NewWriter(testOutDir(t, t.TempDir()), cat.MustTable("tokens"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := NewAppender[SentenceRow](w); !errors.Is(err, ErrRowType) || !strings.Contains(err.Error(), "TokenRow") {
		t.Errorf("SentenceRow on tokens: %v, want ErrRowType naming TokenRow", err)
	}
	if _, err := NewAppender[TokenRow](w); err != nil {
		t.Error(err)
	}
}

func TestAppenderNeedsAnExtraFieldForExtraColumns(t *testing.T) {
	cat := NewCatalog()
	w, err := NewWriter(testOutDir(t, t.TempDir()), cat.MustTable("terms"), Options{ExtraColumns: []Column{MetaColumn("x", "string")}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if _, err := NewAppender[TermRow](w); !errors.Is(err, ErrRowType) {
		t.Errorf("TermRow with an extra column: %v, want ErrRowType", err)
	}
}

// A row whose extra values do not match the extra columns is an error of
// Close, not a panic or a misaligned table.
func TestExtraValuesMismatchFailsClose(t *testing.T) {
	cat := NewCatalog()
	dir := testOutDir(t, t.TempDir())
	w, err := NewWriter(dir, cat.MustTable("documents"), Options{ExtraColumns: []Column{MetaColumn("x", "string")}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewAppender[DocumentRow](w)
	if err != nil {
		t.Fatal(err)
	}
	a.Append(&DocumentRow{DocID: "a", Meta: []any{"x", "y"}})
	if err := w.Close(); !errors.Is(err, ErrRowType) {
		t.Fatalf("Close: %v, want ErrRowType", err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir.Path(), "documents*")); len(m) != 0 {
		t.Errorf("a failed table left %v", m)
	}
}

func TestPlanRowRejectsWhatItCannotWrite(t *testing.T) {
	for name, typ := range map[string]reflect.Type{
		"untagged": reflect.TypeFor[struct{ A string }](),
		"uint": reflect.TypeFor[struct {
			A uint `col:"a"`
		}](),
		"dict int": reflect.TypeFor[struct {
			A int32 `col:"a,dict"`
		}](),
		"duplicate": reflect.TypeFor[struct {
			A, B string `col:"a"`
		}](),
		"bad option": reflect.TypeFor[struct {
			A string `col:"a,dictionary"`
		}](),
		"named extra": reflect.TypeFor[struct {
			A []any `col:"a,extra"`
		}](),
		"not struct": reflect.TypeFor[string](),
	} {
		if _, err := planRow(typ); !errors.Is(err, ErrRowType) {
			t.Errorf("%s: %v, want ErrRowType", name, err)
		}
	}
}
