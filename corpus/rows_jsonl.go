package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

func newLineReader(r io.Reader) *bufio.Reader {
	if br, ok := r.(*bufio.Reader); ok {
		return br
	}
	return bufio.NewReaderSize(r, 64<<10)
}

// jsonlRows reads one JSON object per line. Lines up to maxLine bytes work
// (a bufio.Scanner would stop at 64 KB); only the current line is in
// memory, and a longer line is skipped without being kept.
type jsonlRows struct {
	name    string
	br      *bufio.Reader
	c       io.Closer
	line    int
	buf     []byte
	maxLine int64
}

// errLongLine is a line longer than jsonlRows.maxLine, read through.
type errLongLine struct{ limit int64 }

func (e errLongLine) Error() string {
	return fmt.Sprintf("line longer than %d bytes (twice reader.max_doc_bytes); skipped: raise --max-doc-bytes if it is genuine", e.limit)
}

func (e errLongLine) Unwrap() error { return ErrTooLarge }

func newJSONLRows(fsys *fileSys, name string) (*jsonlRows, error) {
	r, c, err := fsys.openStream(name)
	if err != nil {
		return nil, inputError("open", name, err)
	}
	return &jsonlRows{name: name, br: stripBOM(r), c: c, maxLine: fsys.lim.maxRow()}, nil
}

// readLine returns the next line without its newline; the slice is reused
// (but not kept once a long line made it large). A line longer than
// maxLine is read through to its end and reported as errLongLine.
func (j *jsonlRows) readLine() ([]byte, error) {
	if cap(j.buf) > 4<<20 {
		j.buf = nil
	}
	j.buf = j.buf[:0]
	for {
		chunk, err := j.br.ReadSlice('\n')
		if int64(len(j.buf)+len(chunk)) > j.maxLine {
			j.buf = nil
			for err == bufio.ErrBufferFull {
				_, err = j.br.ReadSlice('\n')
			}
			if err == nil || err == io.EOF {
				return nil, errLongLine{j.maxLine}
			}
			return nil, err
		}
		j.buf = append(j.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(j.buf) > 0 {
			err = nil
		}
		return bytes.TrimRight(j.buf, "\r\n"), err
	}
}

func (j *jsonlRows) next() (row, error) {
	for {
		line, err := j.readLine()
		if le, ok := err.(errLongLine); ok {
			j.line++
			return row{}, &DocError{Source: fmt.Sprintf("%s:%d", j.name, j.line), Err: le}
		}
		if err != nil {
			if err == io.EOF {
				return row{}, io.EOF
			}
			return row{}, inputError("read", j.name, err)
		}
		j.line++
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		src := fmt.Sprintf("%s:%d", j.name, j.line)
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				err = fmt.Errorf("not a JSON object (column %d): %v", se.Offset, se)
			} else {
				err = fmt.Errorf("not a JSON object: %v", err)
			}
			return row{}, &DocError{Source: src, Err: err}
		}
		if dec.More() {
			return row{}, &DocError{Source: src, Err: fmt.Errorf("more than one JSON value on the line")}
		}
		if obj == nil {
			return row{}, &DocError{Source: src, Err: fmt.Errorf("line is null, not a JSON object")}
		}
		r := row{line: j.line, cols: make([]kv, 0, len(obj))}
		for k, v := range obj {
			r.cols = append(r.cols, kv{k, jsonValue(v)})
		}
		// A JSON object's keys have no order Go keeps: sorted, so that
		// what is derived column by column (warnings) is the same every run.
		slices.SortFunc(r.cols, func(a, b kv) int { return strings.Compare(a.key, b.key) })
		return r, nil
	}
}

// jsonValue types a decoded JSON value: integers as int64, other numbers as
// float64, arrays of scalars as []string, objects (and arrays holding them)
// as their JSON text.
func jsonValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			switch e.(type) {
			case map[string]any, []any:
				b, _ := json.Marshal(x)
				return jsonText(b)
			}
			out = append(out, scalarString(jsonValue(e)))
		}
		return out
	case map[string]any:
		b, _ := json.Marshal(x)
		return jsonText(b)
	}
	return v
}

func (j *jsonlRows) close() error { return j.c.Close() }
