package corpus

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvRows reads a CSV or TSV file whose first record names the columns.
type csvRows struct {
	name   string
	r      *csv.Reader
	c      io.Closer
	header []string
	budget *rowBudget
}

// rowBudget bounds the bytes one CSV record may take: encoding/csv keeps a
// whole record in memory, and an unclosed quote makes the rest of the file
// one record. It counts the bytes read since the last record (give or take
// the 64 KB read ahead).
type rowBudget struct {
	r        io.Reader
	n, limit int64
}

// errLongRecord is a CSV/TSV record longer than rowBudget.limit.
var errLongRecord = errors.New("long record")

func (b *rowBudget) Read(p []byte) (int, error) {
	if b.n > b.limit {
		return 0, errLongRecord
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	return n, err
}

func newCSVRows(fsys *fileSys, name string, comma rune) (*csvRows, error) {
	rd, c, err := fsys.openStream(name)
	if err != nil {
		return nil, inputError("open", name, err)
	}
	budget := &rowBudget{r: rd, limit: fsys.lim.maxRow() + 64<<10}
	br := stripBOM(budget)
	if comma == ',' {
		comma = sniffComma(br)
	}
	r := csv.NewReader(br)
	r.Comma = comma
	r.FieldsPerRecord = -1 // a short row is one bad document, not a bad file
	r.ReuseRecord = true
	if comma == '\t' {
		r.LazyQuotes = true // TSV dumps rarely quote
	}
	cr := &csvRows{name: name, r: r, c: c, budget: budget}
	head, err := r.Read()
	if err != nil {
		c.Close()
		if err == io.EOF {
			return nil, &ParseError{File: name, Line: 1, Err: errors.New("empty file: no header row")}
		}
		return nil, cr.parseErr(err)
	}
	for _, h := range head {
		cr.header = append(cr.header, strings.TrimSpace(h))
	}
	return cr, nil
}

// sniffComma picks a .csv file's delimiter from its header line, as Python's
// csv.Sniffer and pandas' sep=None do: spreadsheet programs in locales whose
// decimal mark is a comma write ';' (and some tools tabs or '|'), and such a
// file read with ',' has one column named "id;group;text". The header is
// the one line whose fields are known to be short names, so the delimiter
// is the most frequent of , ; tab | outside quotes there; ',' on a tie.
func sniffComma(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(head) {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t' || c == '|'):
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t', '|'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func (cr *csvRows) parseErr(err error) error {
	if errors.Is(err, errLongRecord) {
		// The reader cannot find the next record's start: fatal.
		return &ParseError{File: cr.name, Err: fmt.Errorf("%w: the record after byte %d is longer than %d bytes (twice reader.max_doc_bytes): an unclosed quote? raise --max-doc-bytes if it is genuine",
			ErrTooLarge, cr.r.InputOffset(), cr.budget.limit-64<<10)}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: cr.name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return inputError("read", cr.name, err)
}

func (cr *csvRows) next() (row, error) {
	cr.budget.n = 0
	rec, err := cr.r.Read()
	if err != nil {
		if err == io.EOF {
			return row{}, io.EOF
		}
		// A quoting error desynchronises everything after it: fatal.
		return row{}, cr.parseErr(err)
	}
	line, _ := cr.r.FieldPos(0)
	if len(rec) != len(cr.header) {
		return row{}, &DocError{Source: fmt.Sprintf("%s:%d", cr.name, line),
			Err: fmt.Errorf("row has %d fields, the header has %d", len(rec), len(cr.header))}
	}
	r := row{line: line, cols: make([]kv, len(rec))}
	for i, v := range rec {
		var val any
		if v != "" {
			val = rawText(v)
		}
		// authors and text keep their own spelling; only Meta is inferred.
		r.cols[i] = kv{cr.header[i], val}
	}
	return r, nil
}

func (cr *csvRows) close() error { return cr.c.Close() }

func (cr *csvRows) columns() []string { return cr.header }
