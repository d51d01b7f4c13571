package output

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/apache/arrow/go/v17/arrow/array"
)

// Cols gives typed appenders for the columns of a Writer's builder, looked
// up once by name so that per-row code stays fast and readable.
type Cols struct {
	w *Writer
}

// ColsOf returns the column appenders of w.
func ColsOf(w *Writer) Cols { return Cols{w: w} }

func (c Cols) field(name string) array.Builder {
	i := c.w.table.ColumnIndex(name)
	if i < 0 {
		panic(fmt.Sprintf("output: table %s has no column %q", c.w.table.Name, name))
	}
	return c.w.b.Field(i)
}

// Str returns an appender for a string or dictionary-encoded string column.
func (c Cols) Str(name string) func(string) {
	switch b := c.field(name).(type) {
	case *array.StringBuilder:
		return b.Append
	case *array.BinaryDictionaryBuilder:
		return func(s string) {
			if err := appendDict(b, s); err != nil {
				panic(err) // only fails on index overflow
			}
		}
	default:
		panic(fmt.Sprintf("output: column %s.%s is %T, not a string", c.w.table.Name, name, b))
	}
}

// Int32 returns an appender for an int32 column.
func (c Cols) Int32(name string) func(int32) { return c.field(name).(*array.Int32Builder).Append }

// Int64 returns an appender for an int64 column.
func (c Cols) Int64(name string) func(int64) { return c.field(name).(*array.Int64Builder).Append }

// Float64 returns an appender for a float64 column.
func (c Cols) Float64(name string) func(float64) { return c.field(name).(*array.Float64Builder).Append }

// Float64OrNull returns an appender for a nullable float64 column that
// appends null for NaN: a value that could not be computed (a bootstrap
// interval of a document without words, intervals turned off) is unknown,
// and null says so in every reader, where NaN sorts above every number in
// DuckDB and polars (`WHERE lo > 0` would select it). It panics on a column
// the table does not declare nullable.
func (c Cols) Float64OrNull(name string) func(float64) {
	b := c.field(name).(*array.Float64Builder)
	if !c.w.table.Columns[c.w.table.ColumnIndex(name)].Nullable {
		panic(fmt.Sprintf("output: column %s.%s is not nullable", c.w.table.Name, name))
	}
	return func(v float64) {
		if math.IsNaN(v) {
			b.AppendNull()
		} else {
			b.Append(v)
		}
	}
}

// Bool returns an appender for a boolean column.
func (c Cols) Bool(name string) func(bool) { return c.field(name).(*array.BooleanBuilder).Append }

// Null returns a function appending a null to the column.
func (c Cols) Null(name string) func() { return c.field(name).AppendNull }

// Strings returns an appender for a list<string> column.
func (c Cols) Strings(name string) func([]string) {
	lb := c.field(name).(*array.ListBuilder)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	return func(v []string) {
		lb.Append(true)
		for _, s := range v {
			vb.Append(s)
		}
	}
}

// Int32s returns an appender for a list<int32> column.
func (c Cols) Int32s(name string) func([]int32) {
	lb := c.field(name).(*array.ListBuilder)
	vb := lb.ValueBuilder().(*array.Int32Builder)
	return func(v []int32) {
		lb.Append(true)
		vb.AppendValues(v, nil)
	}
}

// Float32s returns an appender for a list<float32> column.
func (c Cols) Float32s(name string) func([]float32) {
	lb := c.field(name).(*array.ListBuilder)
	vb := lb.ValueBuilder().(*array.Float32Builder)
	return func(v []float32) {
		lb.Append(true)
		vb.AppendValues(v, nil)
	}
}

// Any appends a dynamically typed value (string, int64, float64, bool or
// nil; an ISO date string for a date32 column) to the column: for manifest
// metadata columns.
func (c Cols) Any(name string) func(any) {
	b := c.field(name)
	return func(v any) { appendAny(b, v) }
}

// appendAny appends v to b as Cols.Any does; a value b cannot hold is null.
func appendAny(b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.StringBuilder:
		bb.Append(fmt.Sprint(v))
	case *array.Int64Builder:
		if x, ok := v.(int64); ok {
			bb.Append(x)
		} else {
			bb.AppendNull()
		}
	case *array.Float64Builder:
		switch x := v.(type) {
		case float64:
			bb.Append(x)
		case int64:
			bb.Append(float64(x))
		default:
			bb.AppendNull()
		}
	case *array.BooleanBuilder:
		if x, ok := v.(bool); ok {
			bb.Append(x)
		} else {
			bb.AppendNull()
		}
	case *array.Date32Builder:
		s, _ := v.(string)
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			bb.Append(arrow.Date32FromTime(t))
		} else {
			bb.AppendNull()
		}
	default:
		b.AppendNull()
	}
}
