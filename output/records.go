package output

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Records builds in memory the rows of a table declared with RowTable,
// through the table's Appender, for a file written outside a run's output
// folder (framelens kwic --format parquet): its columns come from the row
// type, so a change of the type cannot misplace them.
type Records[T any] struct {
	w *Writer // holds the builder and the first append error; no file
	a *Appender[T]
}

// NewRecords starts the rows of table t, whose row type is T; alloc nil
// is memory.DefaultAllocator.
func NewRecords[T any](t *Table, alloc memory.Allocator) (*Records[T], error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	w := &Writer{table: t, schema: t.Schema(nil)}
	w.b = array.NewRecordBuilder(alloc, w.schema)
	a, err := NewAppender[T](w)
	if err != nil {
		w.b.Release()
		return nil, err
	}
	return &Records[T]{w: w, a: a}, nil
}

// Schema is the table's schema, with each column's description.
func (r *Records[T]) Schema() *arrow.Schema { return r.w.schema }

// Append appends one row.
func (r *Records[T]) Append(row *T) { r.a.Append(row) }

// NewRecord returns the rows appended since the last call as one record,
// which the caller releases, or the first error appending them.
func (r *Records[T]) NewRecord() (arrow.Record, error) {
	if r.w.err != nil {
		return nil, r.w.err
	}
	return r.w.b.NewRecord(), nil
}

// Release frees the builder.
func (r *Records[T]) Release() { r.w.b.Release() }
