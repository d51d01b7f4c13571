package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// parquetRows streams a Parquet row dump record batch by record batch, so
// only one batch of rows is in memory.
type parquetRows struct {
	name   string
	fsys   *fileSys
	pf     *file.Reader
	rr     pqarrow.RecordReader
	rec    arrow.Record
	i      int
	rowNum int
}

// parquetBatch is the number of rows decoded at a time, fewer when the
// file's rows are so large that a batch would pass parquetBatchBytes
// (256 rows of book-length texts would be gigabytes).
const (
	parquetBatch      = 256
	parquetBatchBytes = 64 << 20
)

// batchRows is the batch size for pf: parquetBatch, or fewer rows when its
// mean row (uncompressed) is large.
func batchRows(pf *file.Reader) int64 {
	md := pf.MetaData()
	if md.NumRows <= 0 {
		return parquetBatch
	}
	// The column chunks' uncompressed sizes: a row group's TotalByteSize
	// can be smaller (seen: a twentieth of it for long texts).
	var total int64
	for i := 0; i < pf.NumRowGroups(); i++ {
		rg := md.RowGroup(i)
		for c := 0; c < rg.NumColumns(); c++ {
			if cc, err := rg.ColumnChunk(c); err == nil {
				total += cc.TotalUncompressedSize()
			}
		}
	}
	perRow := max(total/md.NumRows, 1)
	return min(max(parquetBatchBytes/perRow, 1), parquetBatch)
}

// parquetPanic turns a panic of the Parquet library into an error naming
// the file: its decoders panic on some damaged input (a corrupt snappy page:
// "snappy: corrupt input") instead of returning an error. Nothing read
// after a panic can be trusted, so the error ends the stream; row is the
// last row read before it (0: none).
func parquetPanic(name string, row int, err *error) {
	if r := recover(); r != nil {
		where := ""
		if row > 0 {
			where = fmt.Sprintf(" after row %d", row)
		}
		*err = &ParseError{File: name, Err: fmt.Errorf("damaged Parquet data%s: %v; the file is corrupt or not Parquet (re-export it)", where, r)}
	}
}

func newParquetRows(fsys *fileSys, name string) (pr *parquetRows, err error) {
	defer parquetPanic(name, 0, &err)
	if isGzip(name) {
		return nil, inputError("", name, errors.New("gzip-compressed Parquet is not supported (Parquet compresses its pages itself)"))
	}
	f, err := fsys.open(name)
	if err != nil {
		return nil, inputError("open", name, err)
	}
	ras, ok := f.(parquet.ReaderAtSeeker)
	if !ok {
		f.Close()
		return nil, inputError("", name, errors.New("file does not support random access"))
	}
	pf, err := file.NewParquetReader(ras)
	if err != nil {
		f.Close()
		return nil, &ParseError{File: name, Err: err}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: batchRows(pf)}, memory.DefaultAllocator)
	if err != nil {
		pf.Close()
		return nil, &ParseError{File: name, Err: err}
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		pf.Close()
		return nil, &ParseError{File: name, Err: err}
	}
	return &parquetRows{name: name, fsys: fsys, pf: pf, rr: rr}, nil
}

func (p *parquetRows) next() (r row, err error) {
	defer parquetPanic(p.name, p.rowNum, &err)
	for p.rec == nil || p.i >= int(p.rec.NumRows()) {
		if p.rec != nil {
			p.rec.Release()
			p.rec = nil
		}
		if !p.rr.Next() {
			if err := p.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
				return row{}, inputError("read", p.name, err)
			}
			if err := p.hashInput(); err != nil {
				return row{}, err
			}
			return row{}, io.EOF
		}
		p.rec = p.rr.Record()
		p.rec.Retain()
		p.i = 0
	}
	p.rowNum++
	r = recordRow(p.rec, p.i, p.rowNum)
	p.i++
	return r, nil
}

// recordRow is row i of a record batch (Parquet, Arrow IPC) as line line,
// its strings copied out of the batch (detach).
func recordRow(rec arrow.Record, i, line int) row {
	r := row{line: line, cols: make([]kv, 0, rec.NumCols())}
	sch := rec.Schema()
	for c := 0; c < int(rec.NumCols()); c++ {
		r.cols = append(r.cols, kv{sch.Field(c).Name, detach(arrowValue(rec.Column(c), i))})
	}
	return r
}

// hashInput records the Parquet file in the inputs; it is read by offset, so
// it is hashed in a separate sequential pass at the end.
func (p *parquetRows) hashInput() error {
	f, err := p.fsys.open(p.name)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return inputError("hash", p.name, err)
	}
	p.fsys.in.add(InputFile{Path: p.name, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// arrowValue types one cell: integers as int64, floats as float64, lists as
// []string, dates and times as ISO text, anything else as its text.
func arrowValue(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch x := a.(type) {
	case *array.String:
		return x.Value(i)
	case *array.LargeString:
		return x.Value(i)
	case *array.Binary:
		return string(x.Value(i)) // made valid UTF-8 with the other fields in Stream.Next
	case *array.Boolean:
		return x.Value(i)
	case *array.Int8:
		return int64(x.Value(i))
	case *array.Int16:
		return int64(x.Value(i))
	case *array.Int32:
		return int64(x.Value(i))
	case *array.Int64:
		return x.Value(i)
	case *array.Uint8:
		return int64(x.Value(i))
	case *array.Uint16:
		return int64(x.Value(i))
	case *array.Uint32:
		return int64(x.Value(i))
	case *array.Uint64:
		return int64(x.Value(i))
	case *array.Float32:
		return float64(x.Value(i))
	case *array.Float64:
		return x.Value(i)
	case *array.Date32:
		return x.Value(i).ToTime().Format("2006-01-02")
	case *array.Timestamp:
		unit := x.DataType().(*arrow.TimestampType).Unit
		return x.Value(i).ToTime(unit).UTC().Format(time.RFC3339)
	case *array.Dictionary:
		return arrowValue(x.Dictionary(), x.GetValueIndex(i))
	case array.ListLike:
		start, end := x.ValueOffsets(i)
		vals := x.ListValues()
		out := make([]string, 0, end-start)
		for j := int(start); j < int(end); j++ {
			out = append(out, scalarString(arrowValue(vals, j)))
		}
		return out
	}
	return a.ValueStr(i)
}

func (p *parquetRows) close() (err error) {
	defer parquetPanic(p.name, p.rowNum, &err)
	if p.rec != nil {
		p.rec.Release()
		p.rec = nil
	}
	p.rr.Release()
	return p.pf.Close() // closes the file too
}

func (p *parquetRows) columns() (cols []string) {
	defer func() {
		if recover() != nil {
			cols = nil
		}
	}()
	for _, f := range p.rr.Schema().Fields() {
		cols = append(cols, f.Name)
	}
	return cols
}
