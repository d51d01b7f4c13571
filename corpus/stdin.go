package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// StdinPath is the corpus path that means standard input (`--corpus -`).
// Standard input is an Arrow IPC stream (what pyarrow's ipc.new_stream and
// the Python package write) or JSONL, told apart by their first bytes; with
// Options.Format "csv", "tsv" or "yaml" it is read as that format. It is
// read once, as it arrives: a run that needs a second pass over the corpus
// cannot read it.
const StdinPath = "-"

// ErrReadOnce is the error of a run that would read standard input more
// than once: resuming, sharding, the repeated_lines first pass.
var ErrReadOnce = errors.New("standard input can be read only once")

// stdinName names standard input in errors; documents.source and run.json's
// inputs name it StdinPath ("-:17", "-").
const stdinName = "standard input"

// arrowStreamFormat is the format of an Arrow IPC stream on standard input.
const arrowStreamFormat = "arrow"

// Magic bytes that start the inputs standard input may hold.
var (
	// An Arrow IPC stream starts with the continuation marker of its
	// schema message.
	arrowStreamMagic = []byte{0xFF, 0xFF, 0xFF, 0xFF}
	// The end-of-stream marker: a continuation marker and a zero length.
	arrowEOS         = []byte{0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0}
	arrowFileMagic   = []byte("ARROW1")
	parquetMagic     = []byte("PAR1")
	gzipMagic        = []byte{0x1F, 0x8B}
	utf8BOM          = []byte("\xEF\xBB\xBF")
	stdinSniffLength = 512
)

// openStdin opens standard input r as a corpus. Nothing is buffered beyond
// the reader's 64 KB window and one Arrow record batch (or JSONL line).
// Files that rows name in a "path" column are opened relative to the
// working directory.
func openStdin(r io.Reader, opts Options, dec decoder) (*Stream, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	format, err := sniffStdin(br, opts.Format)
	if err != nil {
		return nil, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("corpus: %s: %w", stdinName, err)
	}
	in := &inputs{seen: map[string]bool{}} // total unknown: progress counts bytes read
	fsys := &fileSys{fsys: &stdinFS{r: br, dir: os.DirFS(cwd)}, osRoot: cwd, in: in,
		file: StdinPath, given: stdinName, dec: dec}
	src, err := newRowSource(fsys, StdinPath, format, opts)
	if err != nil {
		return nil, fsys.asGiven(err)
	}
	return &Stream{src: src, inputs: in, fsys: fsys}, nil
}

// sniffStdin returns the format of standard input from its first bytes,
// without consuming them: an Arrow IPC stream, or JSONL (an object, or
// nothing). format, when set, is what the user said it is.
func sniffStdin(br *bufio.Reader, format string) (string, error) {
	head, err := br.Peek(stdinSniffLength)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return "", &fileError{op: "read", file: stdinName, err: err}
	}
	refuse := func(what, fix string) error {
		return fmt.Errorf("corpus: %s is %s, which cannot be read as a stream: %s", stdinName, what, fix)
	}
	switch {
	case bytes.HasPrefix(head, parquetMagic):
		return "", refuse("a Parquet file", "give its path (--corpus FILE.parquet), or send an Arrow IPC stream")
	case bytes.HasPrefix(head, arrowFileMagic):
		return "", refuse("an Arrow IPC file", "send an Arrow IPC stream (pyarrow.ipc.new_stream), not a file (new_file)")
	case bytes.HasPrefix(head, gzipMagic):
		return "", refuse("gzip-compressed", "decompress it into the pipe (zcat FILE.gz | framelens run --corpus -), or give the file's path")
	}
	switch format {
	case "", arrowStreamFormat, "jsonl":
	case "csv", "tsv", "yaml":
		return format, nil
	default:
		return "", fmt.Errorf("corpus: %s: format %q cannot be read from standard input (want an Arrow IPC stream, jsonl, csv, tsv or yaml)", stdinName, format)
	}
	if bytes.HasPrefix(head, arrowStreamMagic) {
		if format == "jsonl" {
			return "", fmt.Errorf("corpus: %s: reader.format is jsonl, but the input is an Arrow IPC stream", stdinName)
		}
		return arrowStreamFormat, nil
	}
	if format == arrowStreamFormat {
		return "", fmt.Errorf("corpus: %s: reader.format is arrow, but the input does not start with an Arrow IPC stream's marker (0xFFFFFFFF); it starts with %q", stdinName, clip(head, 16))
	}
	if t := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n"); len(t) == 0 || t[0] == '{' || format == "jsonl" {
		return "jsonl", nil
	}
	return "", fmt.Errorf("corpus: %s is neither an Arrow IPC stream nor JSONL (one JSON object a line): it starts with %q; for CSV, TSV or YAML set reader.format in the config, or give the file's path",
		stdinName, clip(head, 32))
}

func clip(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// stdinFS serves standard input as the file StdinPath, once, and any
// other name from the working directory (files a row's path names).
type stdinFS struct {
	r      io.Reader
	opened bool
	dir    fs.FS
}

func (s *stdinFS) Open(name string) (fs.File, error) {
	if name != StdinPath {
		return s.dir.Open(name)
	}
	if s.opened {
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrReadOnce}
	}
	s.opened = true
	return stdinFile{s.r}, nil
}

// stdinFile is standard input as an fs.File. Closing it leaves the
// process's standard input open: it was not opened here.
type stdinFile struct{ r io.Reader }

func (f stdinFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f stdinFile) Close() error               { return nil }
func (f stdinFile) Stat() (fs.FileInfo, error) { return stdinInfo{}, nil }

type stdinInfo struct{}

func (stdinInfo) Name() string       { return StdinPath }
func (stdinInfo) Size() int64        { return 0 }
func (stdinInfo) Mode() fs.FileMode  { return fs.ModeNamedPipe }
func (stdinInfo) ModTime() time.Time { return time.Time{} }
func (stdinInfo) IsDir() bool        { return false }
func (stdinInfo) Sys() any           { return nil }

// arrowStreamRows reads the rows of an Arrow IPC stream record batch by
// record batch; the columns are typed as Parquet's are (arrowValue).
type arrowStreamRows struct {
	name   string
	r      io.Reader // the tracked input: read to its end so that it is hashed
	tail   *tailReader
	c      io.Closer
	ir     *ipc.Reader
	rec    arrow.Record
	i      int
	rowNum int
}

func newArrowStreamRows(fsys *fileSys, name string) (*arrowStreamRows, error) {
	r, c, err := fsys.openStream(name)
	if err != nil {
		return nil, inputError("open", name, err)
	}
	tail := &tailReader{r: r}
	ir, err := ipc.NewReader(tail, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		c.Close()
		return nil, &ParseError{File: name, Err: fmt.Errorf("not a readable Arrow IPC stream: %w", err)}
	}
	return &arrowStreamRows{name: name, r: r, tail: tail, c: c, ir: ir}, nil
}

func (a *arrowStreamRows) next() (row, error) {
	for a.rec == nil || a.i >= int(a.rec.NumRows()) {
		a.rec = nil // the reader releases it on Next
		if !a.ir.Next() {
			if err := a.ir.Err(); err != nil {
				return row{}, &ParseError{File: a.name, Line: a.rowNum + 1, Err: fmt.Errorf("Arrow IPC stream: %w", err)}
			}
			return row{}, a.finish()
		}
		a.rec = a.ir.Record()
		a.i = 0
	}
	a.rowNum++
	r := recordRow(a.rec, a.i, a.rowNum)
	a.i++
	return r, nil
}

// detach copies the strings of a cell out of the record batch: arrow's
// strings are windows on the batch's buffer, and a document's id, group or
// metadata, kept until the end of the run, would keep the whole batch —
// in the end the whole input — in memory.
func detach(v any) any {
	switch x := v.(type) {
	case string:
		return strings.Clone(x)
	case []string:
		for i := range x {
			x[i] = strings.Clone(x[i])
		}
	}
	return v
}

// finish checks that the stream ended with its end-of-stream marker — a
// writer that stopped between two batches leaves a stream that reads as
// complete but is not — and reads the input to its end, so that run.json
// records its size and hash. Bytes after the marker are an error: two
// streams, or a stream and something else, are not one corpus.
func (a *arrowStreamRows) finish() error {
	if !bytes.Equal(a.tail.last(), arrowEOS) {
		return &ParseError{File: a.name, Line: a.rowNum + 1, Err: fmt.Errorf("the Arrow IPC stream ends after %d rows without its end-of-stream marker: the writer stopped before the end, so the data is incomplete", a.rowNum)}
	}
	n, err := io.Copy(io.Discard, a.r)
	if err != nil {
		return inputError("read", a.name, err)
	}
	if n > 0 {
		return &ParseError{File: a.name, Err: fmt.Errorf("%d bytes follow the end of the Arrow IPC stream; send one stream", n)}
	}
	return io.EOF
}

func (a *arrowStreamRows) close() error {
	a.ir.Release()
	return a.c.Close()
}

func (a *arrowStreamRows) columns() []string {
	var out []string
	for _, f := range a.ir.Schema().Fields() {
		out = append(out, f.Name)
	}
	return out
}

// tailReader keeps the last 8 bytes read through it.
type tailReader struct {
	r    io.Reader
	tail [8]byte
	n    int // bytes of tail filled, up to 8
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n >= 8 {
		copy(t.tail[:], p[n-8:n])
		t.n = 8
	} else if n > 0 {
		buf := append(t.tail[:t.n:t.n], p[:n]...)
		buf = buf[max(0, len(buf)-8):]
		t.n = copy(t.tail[:], buf)
	}
	return n, err
}

func (t *tailReader) last() []byte { return t.tail[:t.n] }
