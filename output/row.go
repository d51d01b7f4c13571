package output

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// A table's row type is a struct with one field per column, in column
// order, tagged `col:"name"` (`col:"name,dict"` for a dictionary-encoded
// string). The table's columns, and so its Arrow schema, are derived from
// it; an Appender maps its values onto a Writer's builders. Go types map
// to Arrow types so:
//
//	string                       utf8 (dictionary<int32, utf8> with ",dict")
//	int32, int64, float64, bool  the same
//	[]string, []int32, []float32 list of the same (nil is an empty list)
//	Null[T]                      T's type, nullable: null unless Valid
//
// A field tagged `col:",extra"` of type []any holds the values of the
// writer's Options.ExtraColumns (documents' manifest metadata).

// ErrRowType is returned when a row type does not fit its table.
var ErrRowType = errors.New("row type does not fit the table")

// Null is the value of a nullable column: null unless Valid.
type Null[T int32 | int64 | float64 | bool | string] struct {
	V     T
	Valid bool
}

// Some returns a non-null value.
func Some[T int32 | int64 | float64 | bool | string](v T) Null[T] { return Null[T]{V: v, Valid: true} }

// NullIfNaN is null for NaN: a value that could not be computed (a
// bootstrap interval of a document without words) is unknown, and null
// says so in every reader, where NaN sorts above every number in DuckDB
// and polars (`WHERE lo > 0` would select it).
func NullIfNaN(v float64) Null[float64] { return Null[float64]{V: v, Valid: !math.IsNaN(v)} }

// NullIfNotFinite is null for NaN and ±Inf: a statistic that could not be
// computed (the coherence of a topic whose top term no window holds).
func NullIfNotFinite(v float64) Null[float64] {
	return Null[float64]{V: v, Valid: !math.IsNaN(v) && !math.IsInf(v, 0)}
}

// colKind is how a field's value is appended.
type colKind uint8

const (
	kString colKind = iota
	kDict
	kInt32
	kInt64
	kFloat64
	kBool
	kStrings
	kInt32s
	kFloat32s
)

// fieldCol is one column of a row type: where its value lies in the struct
// and how it is appended.
type fieldCol struct {
	name     string
	field    string // Go field name, for errors
	typ      arrow.DataType
	kind     colKind
	nullable bool
	off      uintptr // of the value (Null[T].V for a nullable column)
	validOff uintptr // of Null[T].Valid
}

// rowPlan is what reflection learns of a row type, once per catalog.
type rowPlan struct {
	typ      reflect.Type
	cols     []fieldCol
	hasExtra bool
	extraOff uintptr
}

// nullKind returns the kind of a Null[T] type's value.
func nullKind(t reflect.Type) (colKind, bool) {
	switch t {
	case reflect.TypeFor[Null[string]]():
		return kString, true
	case reflect.TypeFor[Null[int32]]():
		return kInt32, true
	case reflect.TypeFor[Null[int64]]():
		return kInt64, true
	case reflect.TypeFor[Null[float64]]():
		return kFloat64, true
	case reflect.TypeFor[Null[bool]]():
		return kBool, true
	}
	return 0, false
}

// planRow reads the columns of row type t from its fields and tags.
func planRow(t reflect.Type) (*rowPlan, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: %v is not a struct", ErrRowType, t)
	}
	p := &rowPlan{typ: t}
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("col")
		if !ok || !f.IsExported() {
			return nil, fmt.Errorf("%w: %v.%s has no col tag: tag it `col:\"name\"`, or `col:\"-\"` to leave it out", ErrRowType, t, f.Name)
		}
		if tag == "-" {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		if opt == "extra" {
			if name != "" || f.Type != reflect.TypeOf([]any(nil)) || p.hasExtra {
				return nil, fmt.Errorf("%w: %v.%s: an extra field is one unnamed []any (`col:\",extra\"`)", ErrRowType, t, f.Name)
			}
			p.hasExtra, p.extraOff = true, f.Offset
			continue
		}
		if name == "" || seen[name] || (opt != "" && opt != "dict") {
			return nil, fmt.Errorf("%w: %v.%s: tag %q wants a new column name and at most the option dict", ErrRowType, t, f.Name, tag)
		}
		seen[name] = true
		c := fieldCol{name: name, field: f.Name, off: f.Offset}
		ft := f.Type
		if k, ok := nullKind(ft); ok {
			c.nullable, c.kind = true, k
			c.validOff = ft.Field(1).Offset
		} else {
			switch ft {
			case reflect.TypeOf(""):
				c.kind = kString
			case reflect.TypeOf(int32(0)):
				c.kind = kInt32
			case reflect.TypeOf(int64(0)):
				c.kind = kInt64
			case reflect.TypeOf(float64(0)):
				c.kind = kFloat64
			case reflect.TypeOf(false):
				c.kind = kBool
			case reflect.TypeOf([]string(nil)):
				c.kind = kStrings
			case reflect.TypeOf([]int32(nil)):
				c.kind = kInt32s
			case reflect.TypeOf([]float32(nil)):
				c.kind = kFloat32s
			default:
				return nil, fmt.Errorf("%w: %v.%s has type %v: use string, int32, int64, float64, bool, []string, []int32, []float32 or Null of a scalar", ErrRowType, t, f.Name, ft)
			}
		}
		if opt == "dict" {
			if c.kind != kString {
				return nil, fmt.Errorf("%w: %v.%s: only a string column can be dict", ErrRowType, t, f.Name)
			}
			c.kind = kDict
		}
		c.typ = c.kind.arrowType()
		p.cols = append(p.cols, c)
	}
	return p, nil
}

func (k colKind) arrowType() arrow.DataType {
	switch k {
	case kString:
		return typString
	case kDict:
		return typDict
	case kInt32:
		return typInt32
	case kInt64:
		return typInt64
	case kFloat64:
		return typF64
	case kBool:
		return typBool
	case kStrings:
		return typStrs
	case kInt32s:
		return typI32s
	default:
		return typF32s
	}
}

// columnDoc describes one column of a table in the catalog.
type columnDoc struct{ name, text string }

// col describes column name of a table; a table's descriptions follow its
// row type's fields in order.
func col(name, text string) columnDoc { return columnDoc{name, text} }

// rowTable completes t with the columns of its row type T, each described
// by the matching one of docs. The catalog is fixed in code, so a row type
// and descriptions that disagree are a programming error that every test
// meets: it panics, saying what to fix.
func rowTable[T any](t Table, docs ...columnDoc) *Table {
	out, err := RowTable[T](t, docs...)
	if err != nil {
		panic(err.Error())
	}
	return out
}

// ColumnDoc names and describes one column of a row type (Describe).
type ColumnDoc = columnDoc

// Describe describes column name of a table declared with RowTable.
func Describe(name, text string) ColumnDoc { return columnDoc{name, text} }

// RowTable returns t with the columns of its row type T (fields tagged
// `col:"name"` or `col:"name,dict"`, nullable ones Null[T]), each described
// by the matching one of docs, in order: a table declared outside this
// package, by a corpus-level stage, as the catalog's own are.
func RowTable[T any](t Table, docs ...ColumnDoc) (*Table, error) {
	p, err := planRow(reflect.TypeFor[T]())
	if err == nil && len(docs) != len(p.cols) {
		err = fmt.Errorf("%d columns in %v but %d descriptions", len(p.cols), p.typ, len(docs))
	}
	if err != nil {
		return nil, fmt.Errorf("output: table %s: %v", t.Name, err)
	}
	t.Columns = make([]Column, len(p.cols))
	for i, c := range p.cols {
		if docs[i].name != c.name {
			return nil, fmt.Errorf("output: table %s: column %d is %q in %v (field %s) but %q in the descriptions: keep them in the same order", t.Name, i, c.name, p.typ, c.field, docs[i].name)
		}
		t.Columns[i] = Column{Name: c.name, Type: c.typ, Nullable: c.nullable, Description: docs[i].text}
	}
	t.row = p
	t.newRow = func() any { return new(T) }
	t.bind = func(w *Writer) (func(any), error) {
		a, err := NewAppender[T](w)
		if err != nil {
			return nil, err
		}
		return func(r any) { a.Append(r.(*T)) }, nil
	}
	return &t, nil
}

// boundCol is a column of a row type bound to a Writer's builder. It is
// small and holds the builder untyped, its type given by kind, so that a
// row's columns are appended in a tight loop.
type boundCol struct {
	kind  colKind
	off   uintptr        // of the value in the row
	valid uintptr        // of Null[T].Valid in the row; 0 when not nullable
	b     unsafe.Pointer // the builder, of the type kind says
	vb    unsafe.Pointer // a list's value builder
	nb    array.Builder  // the builder, to append a null
}

// Appender appends rows of type T to a Writer whose table has T as its row
// type. Its columns are checked once, when it is made; appending does no
// lookup and allocates nothing of its own.
type Appender[T any] struct{ r rowAppender }

// rowAppender does an Appender's work on the row's address: one copy of
// the code for every row type.
type rowAppender struct {
	w        *Writer
	cols     []boundCol
	extra    []array.Builder
	hasExtra bool
	extraOff uintptr
}

// NewAppender binds row type T to w's builders. It fails with ErrRowType
// when T is not the row type of w's table or w has extra columns T cannot
// hold.
func NewAppender[T any](w *Writer) (*Appender[T], error) {
	tb := w.table
	p := tb.row
	if p == nil || p.typ != reflect.TypeFor[T]() {
		want := "none"
		if p != nil {
			want = p.typ.String()
		}
		return nil, fmt.Errorf("%w: table %s is written with rows of type %s, not %v", ErrRowType, tb.Name, want, reflect.TypeFor[T]())
	}
	n := len(p.cols)
	if len(tb.Columns) > n && !p.hasExtra {
		return nil, fmt.Errorf("%w: table %s has %d extra columns but %v has no `col:\",extra\"` field", ErrRowType, tb.Name, len(tb.Columns)-n, p.typ)
	}
	a := rowAppender{w: w, cols: make([]boundCol, n), hasExtra: p.hasExtra, extraOff: p.extraOff}
	for i, c := range p.cols {
		// The writer's schema is the table's: column i is field i.
		b := w.b.Field(i)
		bc := boundCol{kind: c.kind, off: c.off, nb: b}
		if c.nullable {
			bc.valid = c.off + c.validOff
		}
		var ok bool
		switch c.kind {
		case kString:
			bc.b, ok = builderPtr[*array.StringBuilder](b)
		case kDict:
			bc.b, ok = builderPtr[*array.BinaryDictionaryBuilder](b)
		case kInt32:
			bc.b, ok = builderPtr[*array.Int32Builder](b)
		case kInt64:
			bc.b, ok = builderPtr[*array.Int64Builder](b)
		case kFloat64:
			bc.b, ok = builderPtr[*array.Float64Builder](b)
		case kBool:
			bc.b, ok = builderPtr[*array.BooleanBuilder](b)
		case kStrings, kInt32s, kFloat32s:
			var lb *array.ListBuilder
			if lb, ok = b.(*array.ListBuilder); ok {
				bc.b = unsafe.Pointer(lb)
				switch c.kind {
				case kStrings:
					bc.vb, ok = builderPtr[*array.StringBuilder](lb.ValueBuilder())
				case kInt32s:
					bc.vb, ok = builderPtr[*array.Int32Builder](lb.ValueBuilder())
				default:
					bc.vb, ok = builderPtr[*array.Float32Builder](lb.ValueBuilder())
				}
			}
		}
		if !ok || tb.Columns[i].Name != c.name {
			return nil, fmt.Errorf("%w: table %s column %d (%s) is not %v.%s", ErrRowType, tb.Name, i, tb.Columns[i].Name, p.typ, c.field)
		}
		a.cols[i] = bc
	}
	for i := n; i < len(tb.Columns); i++ {
		a.extra = append(a.extra, w.b.Field(i))
	}
	return &Appender[T]{a}, nil
}

// Append appends one row. An error (a dictionary past 2³¹ values in one
// batch, extra values that do not match the extra columns) is kept by the
// Writer and returned by its Flush and Close.
func (a *Appender[T]) Append(row *T) { a.r.append(unsafe.Pointer(row)) }

func (a *rowAppender) append(base unsafe.Pointer) {
	cols := a.cols
	for i := range cols {
		c := &cols[i]
		if c.valid != 0 && !*(*bool)(unsafe.Add(base, c.valid)) {
			c.nb.AppendNull()
			continue
		}
		p := unsafe.Add(base, c.off)
		switch c.kind {
		case kString:
			(*array.StringBuilder)(c.b).Append(*(*string)(p))
		case kDict:
			if err := appendDict((*array.BinaryDictionaryBuilder)(c.b), *(*string)(p)); err != nil {
				a.w.fail(err)
			}
		case kInt32:
			(*array.Int32Builder)(c.b).Append(*(*int32)(p))
		case kInt64:
			(*array.Int64Builder)(c.b).Append(*(*int64)(p))
		case kFloat64:
			(*array.Float64Builder)(c.b).Append(*(*float64)(p))
		case kBool:
			(*array.BooleanBuilder)(c.b).Append(*(*bool)(p))
		case kStrings:
			(*array.ListBuilder)(c.b).Append(true)
			vb := (*array.StringBuilder)(c.vb)
			for _, s := range *(*[]string)(p) {
				vb.Append(s)
			}
		case kInt32s:
			(*array.ListBuilder)(c.b).Append(true)
			(*array.Int32Builder)(c.vb).AppendValues(*(*[]int32)(p), nil)
		case kFloat32s:
			(*array.ListBuilder)(c.b).Append(true)
			(*array.Float32Builder)(c.vb).AppendValues(*(*[]float32)(p), nil)
		}
	}
	if a.hasExtra {
		vals := *(*[]any)(unsafe.Add(base, a.extraOff))
		if len(vals) != len(a.extra) {
			a.w.fail(fmt.Errorf("%w: table %s: a row has %d extra values for %d extra columns", ErrRowType, a.w.table.Name, len(vals), len(a.extra)))
		}
		for j, b := range a.extra {
			var v any
			if j < len(vals) {
				v = vals[j]
			}
			appendAny(b, v)
		}
	}
}

// appendDict appends s to a dictionary column. AppendString copies s to a
// []byte first, an allocation per value; the dictionary copies what it
// keeps, so it is given the string's bytes. (A nil slice would be null.)
func appendDict(b *array.BinaryDictionaryBuilder, s string) error {
	v := []byte{}
	if len(s) > 0 {
		v = unsafe.Slice(unsafe.StringData(s), len(s))
	}
	return b.Append(v)
}

// builderPtr returns b, a builder of pointer type P, as an unsafe.Pointer.
func builderPtr[P array.Builder](b array.Builder) (unsafe.Pointer, bool) {
	p, ok := b.(P)
	if !ok {
		return nil, false
	}
	return reflect.ValueOf(p).UnsafePointer(), true
}
