package output

import (
	"fmt"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/apache/arrow/go/v17/arrow/array"
)

// appendAny appends v, a manifest metadata value (string, int64, float64,
// bool or nil; an ISO date string for a date32 column), to b, a column of
// Options.ExtraColumns; a value b cannot hold is null.
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
