package kwic

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
)

// The fast path decodes the few column chunks a query needs straight from
// their pages: a required byte-array column as its dictionary plus one
// dictionary index a row (what the writer makes of every string column),
// a required int32 column as plain values. Through pqarrow, the same
// columns cost a dictionary builder with a hash lookup per row and fresh
// buffers for every row group: most of a query's time on a large run. A
// column written any other way is errUnsupported, and the query reads
// that file through pqarrow instead.
var errUnsupported = errors.New("column layout not handled by the fast path")

// bytesCol is one byte-array column chunk: vals[idx[i]] is row i. The
// values are slices of the pages' buffers, which are not reused.
type bytesCol struct {
	vals [][]byte
	idx  []int32
}

func (c *bytesCol) at(i int) []byte { return c.vals[c.idx[i]] }

// plainCol is a plain byte-array column chunk, kept as its pages and one
// span a row: no pointer a row for the collector to scan.
type plainCol struct {
	pages [][]byte
	spans []span
}

type span struct{ page, off, n uint32 }

func (c *plainCol) at(i int) []byte {
	s := c.spans[i]
	return c.pages[s.page][s.off : s.off+s.n]
}

// readPlain decodes a plain required byte-array column of a row group
// into c (reusing its slices).
func readPlain(rgr *file.RowGroupReader, schemaCol func(int) (int16, int16), col int, c *plainCol) error {
	pr, copyData, err := pages(rgr, schemaCol, col)
	if err != nil {
		return err
	}
	c.pages, c.spans = c.pages[:0], c.spans[:0]
	for pr.Next() {
		data, n, enc, err := pageData(pr.Page(), copyData)
		if err != nil {
			return err
		}
		if parquet.Encoding(enc) != parquet.Encodings.Plain {
			return errUnsupported
		}
		page := uint32(len(c.pages))
		c.pages = append(c.pages, data)
		off := 0
		for i := 0; i < n; i++ {
			if len(data)-off < 4 {
				return errors.New("a byte array past the end of its page")
			}
			l := int(binary.LittleEndian.Uint32(data[off:]))
			if l > len(data)-off-4 {
				return errors.New("a byte array past the end of its page")
			}
			c.spans = append(c.spans, span{page, uint32(off + 4), uint32(l)})
			off += 4 + l
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	if int64(len(c.spans)) != rgr.NumRows() {
		return fmt.Errorf("%d values for %d rows", len(c.spans), rgr.NumRows())
	}
	return nil
}

// pages returns the page reader of column col of a row group, after
// checking that the column is required and flat.
func pages(rgr *file.RowGroupReader, schemaCol func(int) (int16, int16), col int) (file.PageReader, bool, error) {
	def, rep := schemaCol(col)
	if def != 0 || rep != 0 {
		return nil, false, errUnsupported
	}
	md, err := rgr.MetaData().ColumnChunk(col)
	if err != nil {
		return nil, false, err
	}
	pr, err := rgr.GetColumnPageReader(col)
	if err != nil {
		return nil, false, err
	}
	// An uncompressed page may be a window on the reader's own buffer.
	return pr, md.Compression() == compress.Codecs.Uncompressed, nil
}

// pageData returns the values of a data page (levels skipped: a required
// flat column has none in a V1 page, and their lengths are known in V2).
func pageData(pg file.Page, copyData bool) ([]byte, int, int, error) {
	data := pg.Data()
	if copyData {
		data = append([]byte(nil), data...)
	}
	switch p := pg.(type) {
	case *file.DataPageV1:
		return data, int(p.NumValues()), int(p.Encoding()), nil
	case *file.DataPageV2:
		skip := int(p.DefinitionLevelByteLen() + p.RepetitionLevelByteLen())
		if skip > len(data) {
			return nil, 0, 0, fmt.Errorf("a V2 page with %d bytes of levels in %d", skip, len(data))
		}
		return data[skip:], int(p.NumValues()), int(p.Encoding()), nil
	}
	return nil, 0, 0, errUnsupported
}

// readBytes decodes column col of a row group into c (reusing its slices).
func readBytes(rgr *file.RowGroupReader, schemaCol func(int) (int16, int16), col int, c *bytesCol) error {
	pr, copyData, err := pages(rgr, schemaCol, col)
	if err != nil {
		return err
	}
	c.vals, c.idx = c.vals[:0], c.idx[:0]
	nDict := -1
	for pr.Next() {
		pg := pr.Page()
		if d, ok := pg.(*file.DictionaryPage); ok {
			if nDict >= 0 {
				return errUnsupported // a second dictionary in one chunk
			}
			data := d.Data()
			if copyData {
				data = append([]byte(nil), data...)
			}
			if c.vals, err = plainBytes(data, int(d.NumValues()), c.vals); err != nil {
				return err
			}
			nDict = len(c.vals)
			continue
		}
		data, n, enc, err := pageData(pg, copyData)
		if err != nil {
			return err
		}
		switch parquet.Encoding(enc) {
		case parquet.Encodings.RLEDict, parquet.Encodings.PlainDict:
			if nDict < 0 {
				return errors.New("a dictionary-encoded page without a dictionary")
			}
			at := len(c.idx)
			if c.idx, err = rleIndices(data, n, c.idx); err != nil {
				return err
			}
			for _, v := range c.idx[at:] {
				if v < 0 || int(v) >= nDict {
					return fmt.Errorf("dictionary index %d out of %d entries", v, nDict)
				}
			}
		case parquet.Encodings.Plain:
			// The writer fell back to plain values (a dictionary grown too
			// large): each row its own entry.
			at := len(c.vals)
			if c.vals, err = plainBytes(data, n, c.vals); err != nil {
				return err
			}
			for i := at; i < len(c.vals); i++ {
				c.idx = append(c.idx, int32(i))
			}
		default:
			return errUnsupported
		}
	}
	if err := pr.Err(); err != nil {
		return err
	}
	if int64(len(c.idx)) != rgr.NumRows() {
		return fmt.Errorf("%d values for %d rows", len(c.idx), rgr.NumRows())
	}
	return nil
}

// readInt32 decodes a plain required int32 column of a row group.
func readInt32(rgr *file.RowGroupReader, schemaCol func(int) (int16, int16), col int, out []int32) ([]int32, error) {
	pr, _, err := pages(rgr, schemaCol, col)
	if err != nil {
		return nil, err
	}
	out = out[:0]
	for pr.Next() {
		data, n, enc, err := pageData(pr.Page(), false)
		if err != nil {
			return nil, err
		}
		if parquet.Encoding(enc) != parquet.Encodings.Plain {
			return nil, errUnsupported
		}
		if len(data) < 4*n {
			return nil, fmt.Errorf("an int32 page of %d values in %d bytes", n, len(data))
		}
		for i := 0; i < n; i++ {
			out = append(out, int32(binary.LittleEndian.Uint32(data[4*i:])))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if int64(len(out)) != rgr.NumRows() {
		return nil, fmt.Errorf("%d values for %d rows", len(out), rgr.NumRows())
	}
	return out, nil
}

// plainBytes appends n plain-encoded byte arrays (a 4-byte little-endian
// length, then the bytes) to vals.
func plainBytes(data []byte, n int, vals [][]byte) ([][]byte, error) {
	for i := 0; i < n; i++ {
		if len(data) < 4 {
			return nil, errors.New("a byte array past the end of its page")
		}
		l := int(binary.LittleEndian.Uint32(data))
		if l > len(data)-4 {
			return nil, errors.New("a byte array past the end of its page")
		}
		vals = append(vals, data[4:4+l:4+l])
		data = data[4+l:]
	}
	return vals, nil
}

// rleIndices appends n dictionary indices of a data page (a bit-width
// byte, then the RLE / bit-packed hybrid encoding) to out.
func rleIndices(data []byte, n int, out []int32) ([]int32, error) {
	if n == 0 {
		return out, nil
	}
	if len(data) < 1 {
		return nil, errors.New("an empty dictionary-index page")
	}
	width := int(data[0])
	if width > 32 {
		return nil, fmt.Errorf("dictionary indices of %d bits", width)
	}
	data = data[1:]
	want := len(out) + n
	for len(out) < want {
		h, k := binary.Uvarint(data)
		if k <= 0 {
			return nil, errors.New("a bad run header in a dictionary-index page")
		}
		data = data[k:]
		if h&1 == 0 { // a run of one value
			count := int(h >> 1)
			nb := (width + 7) / 8
			if len(data) < nb {
				return nil, errors.New("a run past the end of its page")
			}
			var v uint32
			for b := 0; b < nb; b++ {
				v |= uint32(data[b]) << (8 * b)
			}
			data = data[nb:]
			for j := 0; j < count && len(out) < want; j++ {
				out = append(out, int32(v))
			}
			continue
		}
		// Bit-packed groups of 8 values, least significant bit first.
		count := int(h>>1) * 8
		nbytes := int(h>>1) * width
		if len(data) < nbytes {
			// The last group may be cut short after the last value.
			nbytes = len(data)
		}
		mask := uint64(1)<<width - 1
		var acc uint64
		var have int
		pos := 0
		for j := 0; j < count; j++ {
			for have < width {
				if pos >= nbytes {
					if len(out) >= want {
						break
					}
					return nil, errors.New("bit-packed values past the end of their page")
				}
				acc |= uint64(data[pos]) << have
				pos++
				have += 8
			}
			if len(out) < want {
				out = append(out, int32(acc&mask))
			}
			acc >>= width
			have -= width
		}
		data = data[min(nbytes, len(data)):]
	}
	return out, nil
}
