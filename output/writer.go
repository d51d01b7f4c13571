package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// Format selects the file formats a Writer produces.
type Format int

const (
	FormatParquet Format = iota // the default
	FormatArrow                 // Arrow IPC file (".arrow"), for zero-copy loading
	FormatBoth
)

// ParseFormat parses "parquet", "arrow" or "both".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "", "parquet":
		return FormatParquet, nil
	case "arrow", "ipc":
		return FormatArrow, nil
	case "both":
		return FormatBoth, nil
	}
	return 0, fmt.Errorf("unknown output format %q (want parquet, arrow or both)", s)
}

func (f Format) parquet() bool { return f == FormatParquet || f == FormatBoth }
func (f Format) arrow() bool   { return f == FormatArrow || f == FormatBoth }

// Options configure a Writer. The zero value writes zstd Parquet with
// statistics and row groups of 128Ki rows.
type Options struct {
	Format Format
	// Alloc allocates Arrow buffers; nil means memory.DefaultAllocator.
	Alloc memory.Allocator
	// BatchRows is the number of rows buffered before a record batch is
	// written as one Parquet row group (0 = 131,072).
	BatchRows int
	// BatchBytes also ends a batch once its plain string columns hold this
	// many bytes (0 = 32 MiB), so that a table of long texts (documents)
	// is not buffered whole.
	BatchBytes int
	// Resume keeps the part files already in a Parts table's .partial
	// directory (a resumed run adds the missing parts).
	Resume bool
	// Metadata is table-level key-value metadata (schema version, run id,
	// config hash), stored in the Parquet footer and the Arrow schema.
	Metadata map[string]string
	// ExtraColumns are appended after the table's own columns (documents'
	// manifest metadata columns).
	ExtraColumns []Column
}

func (o *Options) defaults() {
	if o.Alloc == nil {
		o.Alloc = memory.DefaultAllocator
	}
	if o.BatchRows <= 0 {
		o.BatchRows = 1 << 17
	}
	if o.BatchBytes <= 0 {
		o.BatchBytes = 32 << 20
	}
}

// Writer writes one table. Fill Builder() row by row, call Flush between
// documents and Close at the end. Until Close returns nil the table is
// only present under a temporary name (<name>.parquet.tmp, <name>.partial/).
// A Writer is not safe for concurrent use.
type Writer struct {
	table  *Table
	opts   Options
	dir    *OutDir
	outDir string
	schema *arrow.Schema
	b      *array.RecordBuilder

	partDir string // Parts layout: the .partial directory
	part    int
	files   []*sink
	closed  bool

	// Batches are encoded (Parquet pages, zstd) by a goroutine of the
	// writer's own while the caller fills the next batch: the pipeline's
	// writer goroutine, which appends every streamed row, stays free.
	// encode is nil when no file is open; encodeErr is the goroutine's
	// first error, read once it has stopped.
	encode    chan arrow.Record
	encodeErr chan error

	// err is the first error of an Appender, returned by Flush, EndPart
	// and Close: appending a row returns none.
	err error
}

// Fail makes the writer's Flush, EndPart and Close return err (the first
// one): for code that appends rows where it cannot return an error.
func (w *Writer) Fail(err error) { w.fail(err) }

// fail keeps the first error met while appending rows.
func (w *Writer) fail(err error) {
	if w.err == nil {
		w.err = fmt.Errorf("table %s: %w", w.table.Name, err)
	}
}

// sink is one open output file.
type sink struct {
	tmp, final string
	f          *errFile
	pq         *pqarrow.FileWriter
	ipc        *ipc.FileWriter
}

// NewWriter starts writing table t in the output folder dir. It claims
// the table's paths there first: a file or folder of that name that
// framelens did not write is an error (ErrNotOwned), never replaced.
func NewWriter(dir *OutDir, t *Table, opts Options) (*Writer, error) {
	registerZstd()
	opts.defaults()
	tt := *t
	tt.Columns = append(append([]Column(nil), t.Columns...), opts.ExtraColumns...)
	w := &Writer{table: &tt, opts: opts, dir: dir, outDir: dir.Path()}
	names := tt.Paths(opts.Format)
	if t.Layout == Parts {
		names = append(names, t.Name+".partial")
	}
	for _, name := range names {
		if err := dir.Claim(name); err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	w.schema = tt.Schema(opts.Metadata)
	w.b = array.NewRecordBuilder(opts.Alloc, w.schema)
	if t.Layout == Parts {
		w.partDir = filepath.Join(w.outDir, t.Name+".partial")
		if !opts.Resume {
			if err := dir.RemoveDir(t.Name+".partial", IsPartFile); err != nil {
				w.b.Release()
				return nil, fmt.Errorf("table %s: %w", t.Name, err)
			}
		}
		if err := os.MkdirAll(w.partDir, 0o755); err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Name, err)
		}
	}
	return w, nil
}

// Table returns the table definition being written (extra columns included).
func (w *Writer) Table() *Table { return w.table }

// Builder returns the record builder whose fields follow the table's columns.
func (w *Writer) Builder() *array.RecordBuilder { return w.b }

func (w *Writer) pending() int {
	if w.b.Schema().NumFields() == 0 {
		return 0
	}
	return w.b.Field(0).Len()
}

// Flush writes the buffered rows once they reach the batch size in rows or
// in bytes. Call it between documents.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.pending() < w.opts.BatchRows && w.pendingBytes() < w.opts.BatchBytes {
		return nil
	}
	return w.flush()
}

// pendingBytes is the size of the buffered values of plain string columns,
// the only ones whose size a row count does not bound.
func (w *Writer) pendingBytes() int {
	n := 0
	for _, f := range w.b.Fields() {
		if sb, ok := f.(*array.StringBuilder); ok {
			n += sb.DataLen()
		}
	}
	return n
}

func (w *Writer) flush() error {
	if w.err != nil {
		return w.err
	}
	n := w.pending()
	if n == 0 {
		return nil
	}
	if len(w.files) == 0 {
		if err := w.openFiles(); err != nil {
			return err
		}
	}
	rec := w.b.NewRecord() // the record owns its buffers: the builder goes on
	for _, f := range w.b.Fields() {
		if db, ok := f.(array.DictionaryBuilder); ok {
			db.ResetFull() // a fresh dictionary per batch keeps memory bounded
		}
	}
	// An encoding error is reported when the part or table is closed
	// (stopEncoder); until then the encoder drains and drops batches.
	w.encode <- rec
	return nil
}

// startEncoder starts the goroutine that writes batches to the open files.
func (w *Writer) startEncoder() {
	w.encode = make(chan arrow.Record, 1)
	w.encodeErr = make(chan error, 1)
	files := w.files
	go func() {
		var failed error
		for rec := range w.encode {
			if failed == nil {
				failed = w.writeRecord(files, rec)
			}
			rec.Release()
		}
		w.encodeErr <- failed
	}()
}

// stopEncoder waits for the batches sent so far to be written.
func (w *Writer) stopEncoder() error {
	if w.encode == nil {
		return nil
	}
	close(w.encode)
	err := <-w.encodeErr
	w.encode, w.encodeErr = nil, nil
	return err
}

func (w *Writer) writeRecord(files []*sink, rec arrow.Record) error {
	for _, s := range files {
		var err error
		if s.pq != nil {
			// One row group per batch: pqarrow writes an Arrow dictionary
			// column as Parquet dictionary pages only while its dictionary
			// stays the same within the row group.
			err = guard(s.f, func() error { return s.pq.Write(rec) })
		} else {
			plain := w.undictionary(rec)
			err = guard(s.f, func() error { return s.ipc.Write(plain) })
			plain.Release()
		}
		if err != nil {
			return fmt.Errorf("table %s: writing %s: %w", w.table.Name, s.tmp, err)
		}
	}
	return nil
}

// StartPart makes the rows that follow go to part file n of a Parts table
// (part-0000n). The pipeline numbers parts by block of documents, so that a
// resumed or sharded run writes the same files as a single run.
func (w *Writer) StartPart(n int) error {
	if err := w.EndPart(); err != nil {
		return err
	}
	w.part = n
	return nil
}

// EndPart writes the buffered rows and completes the current part file
// (renamed into place). A part with no rows leaves no file.
func (w *Writer) EndPart() error {
	if err := w.flush(); err != nil {
		return err
	}
	return w.closeFiles()
}

func (w *Writer) paths(ext string) (tmp, final string) {
	if w.table.Layout == Parts {
		final = filepath.Join(w.partDir, fmt.Sprintf("part-%05d%s", w.part, ext))
	} else {
		final = filepath.Join(w.outDir, w.table.Name+ext)
	}
	return final + ".tmp", final
}

// openFiles creates the current files. If one cannot be created, those
// already created are closed and removed: no .tmp is left behind.
func (w *Writer) openFiles() (err error) {
	defer func() {
		if err != nil {
			w.dropFiles()
		}
	}()
	if w.opts.Format.parquet() {
		tmp, final := w.paths(".parquet")
		f, err := createFile(tmp)
		if err != nil {
			return fmt.Errorf("table %s: %w", w.table.Name, err)
		}
		// Parquet dictionary pages only for the dictionary-typed columns,
		// with a limit they never reach: a column chunk that falls back from
		// dictionary to plain pages gets its encoding statistics written in
		// map order, which would make files differ from run to run.
		popts := []parquet.WriterProperty{
			parquet.WithAllocator(w.opts.Alloc),
			parquet.WithCompression(compress.Codecs.Zstd),
			parquet.WithStats(true),
			parquet.WithCreatedBy("framelens"),
			parquet.WithDictionaryDefault(false),
			parquet.WithDictionaryPageSizeLimit(1 << 30),
		}
		for _, f := range w.schema.Fields() {
			if _, ok := f.Type.(*arrow.DictionaryType); ok {
				popts = append(popts, parquet.WithDictionaryFor(f.Name, true))
			}
		}
		props := parquet.NewWriterProperties(popts...)
		aprops := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(w.opts.Alloc))
		var pw *pqarrow.FileWriter
		err = guard(f, func() (err error) {
			pw, err = pqarrow.NewFileWriter(w.schema, f, props, aprops)
			return err
		})
		if err != nil {
			f.Close()
			os.Remove(tmp)
			return fmt.Errorf("table %s: creating %s: %w", w.table.Name, final, err)
		}
		w.files = append(w.files, &sink{tmp: tmp, final: final, f: f, pq: pw})
	}
	if w.opts.Format.arrow() {
		tmp, final := w.paths(".arrow")
		f, err := createFile(tmp)
		if err != nil {
			return fmt.Errorf("table %s: %w", w.table.Name, err)
		}
		iw, err := ipc.NewFileWriter(f, ipc.WithSchema(plainSchema(w.schema)), ipc.WithAllocator(w.opts.Alloc))
		if err != nil {
			f.Close()
			os.Remove(tmp)
			return fmt.Errorf("table %s: creating %s: %w", w.table.Name, final, err)
		}
		w.files = append(w.files, &sink{tmp: tmp, final: final, f: f, ipc: iw})
	}
	w.startEncoder()
	return nil
}

// closeFiles completes the current files and renames them into place.
func (w *Writer) closeFiles() error {
	if err := w.stopEncoder(); err != nil {
		w.dropFiles() // a batch failed: the files are not complete
		return err
	}
	var errs []error
	for _, s := range w.files {
		err := s.close()
		if err == nil {
			err = os.Rename(s.tmp, s.final)
		}
		if err != nil {
			// Like WriteFileAtomic: a file that could not be completed or
			// moved into place leaves no .tmp behind.
			os.Remove(s.tmp)
			errs = append(errs, fmt.Errorf("table %s: closing %s: %w", w.table.Name, s.final, err))
		}
	}
	w.files = nil
	return errors.Join(errs...)
}

// close completes the file's footer and closes it. The file is closed even
// when the footer cannot be written.
func (s *sink) close() error {
	var err error
	if s.pq != nil {
		err = guard(s.f, s.pq.Close) // also closes s.f, unless it fails before
	} else {
		err = guard(s.f, s.ipc.Close)
	}
	if cerr := s.f.Close(); err == nil && !errors.Is(cerr, os.ErrClosed) {
		err = cerr
	}
	return err
}

// Close writes what is buffered, completes the files and moves the table
// into place. A table with no rows is still written, with its schema.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	defer w.b.Release()
	if err := w.flush(); err != nil {
		w.abort()
		return err
	}
	if len(w.files) == 0 && !w.hasParts() { // empty table: write the schema alone
		if err := w.openFiles(); err != nil {
			w.abort()
			return err
		}
	}
	if err := w.closeFiles(); err != nil {
		w.abort()
		return err
	}
	if w.table.Layout == Parts {
		final := filepath.Join(w.outDir, w.table.Name)
		if err := w.dir.RemoveDir(w.table.Name, IsPartFile); err != nil {
			return fmt.Errorf("table %s: %w", w.table.Name, err)
		}
		if err := os.Rename(w.partDir, final); err != nil {
			return fmt.Errorf("table %s: %w", w.table.Name, err)
		}
	}
	return nil
}

// Suspend stops writing without completing the table but keeps the part
// files already completed, for a run that will be resumed: the
// <name>.partial directory stays, the part being written is dropped.
func (w *Writer) Suspend() {
	if w.closed {
		return
	}
	w.closed = true
	w.b.Release()
	w.dropFiles()
}

// dropFiles closes and removes the files being written.
func (w *Writer) dropFiles() {
	w.stopEncoder()
	for _, s := range w.files {
		s.close()
		os.Remove(s.tmp)
	}
	w.files = nil
}

// hasParts reports whether a Parts table already has part files.
func (w *Writer) hasParts() bool {
	if w.partDir == "" {
		return false
	}
	m, _ := filepath.Glob(filepath.Join(w.partDir, "part-*"))
	return len(m) > 0
}

// Abort drops everything written so far; the table is not left behind.
func (w *Writer) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	w.b.Release()
	w.abort()
}

func (w *Writer) abort() {
	w.dropFiles()
	if w.partDir != "" {
		w.dir.RemoveDir(w.table.Name+".partial", IsPartFile)
	}
}

// Paths returns the final paths of the table's files or directory for the
// given format, relative to the output directory.
func (t *Table) Paths(f Format) []string {
	var out []string
	if t.Layout == Parts {
		return []string{t.Name}
	}
	if f.parquet() {
		out = append(out, t.Name+".parquet")
	}
	if f.arrow() {
		out = append(out, t.Name+".arrow")
	}
	return out
}

// The Arrow IPC file format allows one dictionary per column for the whole
// file, while batches written as documents stream each carry their own. So
// IPC files store dictionary-encoded columns as plain strings; Parquet
// files keep them dictionary-encoded.
func plainSchema(s *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		if dt, ok := f.Type.(*arrow.DictionaryType); ok {
			f.Type = dt.ValueType
		}
		fields[i] = f
	}
	md := s.Metadata()
	return arrow.NewSchema(fields, &md)
}

func (w *Writer) undictionary(rec arrow.Record) arrow.Record {
	cols := make([]arrow.Array, rec.NumCols())
	for i, c := range rec.Columns() {
		d, ok := c.(*array.Dictionary)
		if !ok {
			c.Retain()
			cols[i] = c
			continue
		}
		values := d.Dictionary().(*array.String)
		sb := array.NewStringBuilder(w.opts.Alloc)
		sb.Reserve(d.Len())
		for j := 0; j < d.Len(); j++ {
			if d.IsNull(j) {
				sb.AppendNull()
			} else {
				sb.Append(values.Value(d.GetValueIndex(j)))
			}
		}
		cols[i] = sb.NewArray()
		sb.Release()
	}
	out := array.NewRecord(plainSchema(rec.Schema()), cols, rec.NumRows())
	for _, c := range cols {
		c.Release()
	}
	return out
}

// errFile is an output file that keeps its first write error. Arrow's
// Parquet writer panics when its sink fails ("failed to write magic
// number" on a full disk): guard turns that panic back into this error,
// which names the file and the cause (no space left on device).
type errFile struct {
	*os.File
	err error
}

func createFile(path string) (*errFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &errFile{File: f}, nil
}

func (f *errFile) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	if err != nil && f.err == nil {
		f.err = err
	}
	return n, err
}

// guard runs fn, turning a panic of the Parquet or Arrow writer into an
// error; the file's own write error, when there is one, is the cause.
func guard(f *errFile, fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
		if err != nil && f.err != nil && !errors.Is(err, f.err) {
			err = f.err
		}
	}()
	return fn()
}
