package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// Options says how to read a corpus. The zero value detects the format from
// the path and uses the columns "text", "id" and "group".
type Options struct {
	// Format is "" to detect from the path (a folder, or the file extension
	// with any .gz stripped), or one of "folder", "yaml", "csv", "tsv",
	// "jsonl", "parquet", "txt".
	Format string `yaml:"format,omitempty" json:"format,omitempty"`
	// TextColumn is the column of a row dump that holds the text ("" = "text").
	TextColumn string `yaml:"text_column,omitempty" json:"text_column,omitempty"`
	// IDColumn is the column holding the document id ("" = "id"). Rows
	// without one are numbered from 1.
	IDColumn string `yaml:"id_column,omitempty" json:"id_column,omitempty"`
	// GroupColumn is the column holding the comparison group ("" = "group").
	GroupColumn string `yaml:"group_column,omitempty" json:"group_column,omitempty"`
	// ColumnTypes fixes the type of Meta columns ("string", "int", "float",
	// "bool") instead of taking it from the first non-empty value. Values
	// that do not fit are dropped with a warning on the document.
	ColumnTypes map[string]string `yaml:"column_types,omitempty" json:"column_types,omitempty"`
	// Encoding is the legacy encoding of files that are not valid UTF-8, a
	// WHATWG label such as "windows-1252", "gb18030" or "shift_jis". Files
	// (and CSV/TSV cells) that are valid UTF-8 are read as UTF-8 whatever it
	// says. "" replaces invalid bytes with U+FFFD and warns, except in HTML,
	// which follows its own <meta> charset. JSONL, YAML and Parquet are
	// UTF-8 by their specifications.
	Encoding string `yaml:"encoding,omitempty" json:"encoding,omitempty"`
	// NoFolderGroups stops a folder's files that its manifest does not list
	// from taking their first-level folder's name as group.
	NoFolderGroups bool `yaml:"no_folder_groups,omitempty" json:"no_folder_groups,omitempty"`

	// MaxDocBytes bounds one document: a file (after decompression), a
	// row's text, a Parquet cell (0 = DefaultMaxDocBytes, 8 MB). A larger
	// document is a document error naming its file or row, never
	// truncated: a cut text would be counted as if whole. A JSONL line or
	// CSV/TSV record may be twice as long (escapes, other columns), a YAML
	// manifest, read whole, twice as large.
	MaxDocBytes int64 `yaml:"max_doc_bytes,omitempty" json:"max_doc_bytes,omitempty"`
	// MaxGzipRatio bounds how many times a .gz input may expand once it has
	// given 16 MB (0 = DefaultMaxGzipRatio, 100): a decompression bomb
	// stops there with an error naming the file.
	MaxGzipRatio int `yaml:"max_gzip_ratio,omitempty" json:"max_gzip_ratio,omitempty"`
	// AllowOutsidePaths lets a manifest name files outside its folder (or
	// Root), by "../" or an absolute path, or through a symbolic link.
	// Without it such a row is a document error: a downloaded dataset's
	// manifest must not pull private files (/etc/passwd, ~/.ssh) into
	// tables that are shared.
	AllowOutsidePaths bool `yaml:"allow_outside_paths,omitempty" json:"allow_outside_paths,omitempty"`
	// Root is the folder every document file must resolve inside ("" =
	// the corpus folder, or the folder of the manifest), for manifests
	// kept apart from their texts (meta/manifest.csv naming ../texts/a.txt).
	Root string `yaml:"root,omitempty" json:"root,omitempty"`
}

func (o Options) textCol() string  { return orDefault(o.TextColumn, "text") }
func (o Options) idCol() string    { return orDefault(o.IDColumn, "id") }
func (o Options) groupCol() string { return orDefault(o.GroupColumn, "group") }

// Resolved returns o with the default column names filled in (text, id,
// group). Format stays as given: "" detects it from the path.
func (o Options) Resolved() Options {
	o.TextColumn, o.IDColumn, o.GroupColumn = o.textCol(), o.idCol(), o.groupCol()
	return o
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// InputFile is one file a stream read.
type InputFile struct {
	// Path is relative to the corpus root (the folder, or the folder of the
	// manifest or file opened) where possible, with forward slashes.
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"` // hex, of the bytes on disk (compressed bytes for .gz)
}

// Stream yields the documents of a corpus one at a time, so that a corpus of
// any size is read in bounded memory. It is not safe for concurrent use:
// one goroutine reads and hands documents to workers.
type Stream struct {
	src    source
	seq    int
	fatal  error
	done   bool
	closed bool
	inputs *inputs
	ids    idSet
	// fsys names the input files in errors that end the stream.
	fsys *fileSys
}

// source is one way of producing documents (folder walk, row file, single
// file). next returns io.EOF at the end, a *DocError for one bad document,
// and anything else when the input is unusable.
type source interface {
	next() (*Document, error)
	close() error
}

// Next returns the next document, io.EOF after the last one, a *DocError
// for a single unreadable document (call Next again), or another error when
// the whole input is unusable (every later call returns it again). A
// document whose id an earlier document already has is a *DocError naming
// both sources: tables join on the id.
func (s *Stream) Next() (*Document, error) {
	if s.fatal != nil {
		return nil, s.fatal
	}
	if s.done {
		return nil, io.EOF
	}
	doc, err := s.src.next()
	if err != nil {
		if err == io.EOF {
			s.done = true
			return nil, io.EOF
		}
		var de *DocError
		if errors.As(err, &de) {
			return nil, err
		}
		err = s.fsys.asGiven(err)
		s.fatal = err
		return nil, err
	}
	s.fsys.dec.fields(doc)
	if first, dup := s.ids.add(doc.ID, doc.Source); dup {
		return nil, &DocError{Source: doc.Source, ID: doc.ID,
			Err: fmt.Errorf("duplicate document id: the document from %s has it already; this one is skipped", first)}
	}
	doc.Seq = s.seq
	s.seq++
	return doc, nil
}

// Columns returns the column names of the corpus's rows (a row dump's or
// manifest's, a folder's manifest's) in first-seen order, and whether the
// list is complete: a CSV, TSV or Parquet header and a folder's manifest
// are known from Open, the columns of JSONL and YAML rows once the last row
// is read (until then, those of the rows read so far). ok is false for a
// corpus without columns: a folder without a manifest, a single text file.
func (s *Stream) Columns() (names []string, complete, ok bool) {
	cs, has := s.src.(interface{ columns() *columnSet })
	if !has {
		return nil, false, false
	}
	c := cs.columns()
	if c == nil {
		return nil, false, false
	}
	return slices.Clone(c.names), c.complete, true
}

// Close releases the open files of the stream.
func (s *Stream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.src.close()
}

// Inputs lists every input file read so far in the order first read. It is
// complete once Next has returned io.EOF.
func (s *Stream) Inputs() []InputFile { return s.inputs.list() }

// Progress returns the bytes of input read so far and the bytes to read in
// all (0 when unknown: the built-in sample, Parquet). For a folder the total
// is the size of the files the stream reads — its documents and its
// manifest, with the same skip rules — so the two agree at the end; for a
// manifest or row dump it is the file's size, and files its rows name by
// path are read beyond it. For .gz files both count compressed bytes. Safe
// to call from any goroutine.
func (s *Stream) Progress() (read, total int64) {
	return s.inputs.read.Load(), s.inputs.total.Load()
}

// Open opens the corpus at path: a folder, a manifest or row dump
// (.yaml/.yml, .csv, .tsv, .jsonl/.ndjson, .parquet), or a single
// .txt/.md/.html/.htm file, each optionally gzip-compressed (.gz); or
// standard input, an Arrow IPC stream or JSONL, for StdinPath ("-").
func Open(p string, opts Options) (*Stream, error) {
	dec, err := newDecoder(opts.Encoding)
	if err != nil {
		return nil, fmt.Errorf("corpus: open %s: reader.%w", p, err)
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if p == StdinPath {
		return openStdin(os.Stdin, opts, dec)
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, &fileError{op: "open", file: p, err: err}
	}
	format := opts.Format
	if format == "" {
		if st.IsDir() {
			format = "folder"
		} else if format = formatOf(p); format == "" {
			return nil, fmt.Errorf("corpus: open %s: unknown format (extension %q); set Options.Format", p, filepath.Ext(p))
		}
	}
	in := &inputs{seen: map[string]bool{}}
	if size, ok := corpusSize(st, format); ok {
		in.total.Store(size)
	}
	var fsys *fileSys
	var name string
	if format == "folder" {
		if !st.IsDir() {
			return nil, fmt.Errorf("corpus: open %s: format folder needs a directory", p)
		}
		fsys = &fileSys{fsys: os.DirFS(p), osRoot: p, in: in, dec: dec}
	} else {
		if st.IsDir() {
			return nil, fmt.Errorf("corpus: open %s: is a directory, not a %s file", p, format)
		}
		dir := filepath.Dir(p)
		name = filepath.Base(p)
		fsys = &fileSys{fsys: os.DirFS(dir), osRoot: dir, in: in, file: name, given: p, dec: dec}
	}
	fsys.lim, fsys.allowOutside, fsys.rootDir = opts, opts.AllowOutsidePaths, opts.Root
	src, err := newSource(fsys, name, format, opts)
	if err != nil {
		return nil, fsys.asGiven(err)
	}
	return &Stream{src: src, inputs: in, fsys: fsys}, nil
}

func newSource(fsys *fileSys, name, format string, opts Options) (source, error) {
	switch format {
	case "folder":
		return newFolderSource(fsys, opts)
	case "yaml", "csv", "tsv", "jsonl", "parquet":
		return newRowSource(fsys, name, format, opts)
	case "txt":
		return &singleSource{fsys: fsys, name: name}, nil
	}
	return nil, fmt.Errorf("corpus: unknown format %q (want folder, yaml, csv, tsv, jsonl, parquet or txt)", format)
}

// formatOf maps a file name to a format by its extension, "" when unknown.
func formatOf(name string) string {
	ext := strings.ToLower(path.Ext(strings.TrimSuffix(strings.ToLower(name), ".gz")))
	switch ext {
	case ".yaml", ".yml":
		return "yaml"
	case ".csv":
		return "csv"
	case ".tsv", ".tab":
		return "tsv"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".parquet":
		return "parquet"
	case ".txt", ".md", ".markdown", ".html", ".htm", ".text":
		return "txt"
	}
	return ""
}

// inputs records the files a stream read.
type inputs struct {
	seen  map[string]bool
	files []InputFile
	// read counts the bytes read so far and total the bytes to read (0 when
	// unknown), for progress displays on another goroutine.
	read, total atomic.Int64
}

func (in *inputs) add(f InputFile) {
	if in.seen[f.Path] {
		return
	}
	in.seen[f.Path] = true
	in.files = append(in.files, f)
}

func (in *inputs) list() []InputFile {
	return append([]InputFile(nil), in.files...)
}

// singleSource is one text file given directly.
type singleSource struct {
	fsys *fileSys
	name string
	done bool
}

func (s *singleSource) next() (*Document, error) {
	if s.done {
		return nil, io.EOF
	}
	s.done = true
	doc, err := s.fsys.readDoc(s.name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, inputError("open", s.name, err) // the only input is missing: fatal
		}
		return nil, &DocError{Source: s.name, Err: err}
	}
	doc.ID = stripDocExt(s.name)
	doc.Source = s.name
	return doc, nil
}

func (s *singleSource) close() error { return nil }

// stripDocExt turns "a/b.txt.gz" into "a/b".
func stripDocExt(p string) string {
	p = filepath.ToSlash(p)
	if strings.HasSuffix(strings.ToLower(p), ".gz") {
		p = p[:len(p)-3]
	}
	return strings.TrimSuffix(p, path.Ext(p))
}

// corpusSize is the number of bytes a stream of p will read when it is one
// file: the file's size for a row dump or single file. It is unknown for
// Parquet, read by row groups rather than as a stream. A folder source
// counts its own files while it walks them (newFolderSource).
func corpusSize(st os.FileInfo, format string) (int64, bool) {
	switch format {
	case "parquet", "folder":
		return 0, false
	}
	return st.Size(), true
}

// idSet holds the id of every document a stream returned, with its source,
// so that a second document with the same id can be refused. It grows with
// the corpus — one map entry per document, 50 to 85 bytes with a 14-byte id
// depending on how full the map's table is (TestIDSetMemory): some 85 MB
// for a million documents. A set of the id strings is the price of the
// check: ids are arbitrary strings, and a set of hashes could refuse a
// document whose id merely collides with another. Sources are kept compact: the
// file name of "dump.jsonl:17" is shared by every row of that file, and
// only the line number is stored per document.
type idSet struct {
	m        map[string]idSource
	lastFile string
}

// idSource is a Source split into its file and its line (0 when none).
type idSource struct {
	file string
	line int
}

func (s idSource) String() string {
	if s.line == 0 {
		return s.file
	}
	return s.file + ":" + strconv.Itoa(s.line)
}

// add records id as read from source; when the id was seen before it
// returns the first source and true, and records nothing.
func (t *idSet) add(id, source string) (string, bool) {
	if first, ok := t.m[id]; ok {
		return first.String(), true
	}
	if t.m == nil {
		t.m = map[string]idSource{}
	}
	src := idSource{file: source}
	if i := strings.LastIndexByte(source, ':'); i >= 0 {
		// Only a line number that prints back the same way ("7", not "07").
		if n, err := strconv.Atoi(source[i+1:]); err == nil && n > 0 && strconv.Itoa(n) == source[i+1:] {
			src = idSource{file: source[:i], line: n}
		}
	}
	if src.line > 0 {
		if src.file == t.lastFile {
			src.file = t.lastFile // share the bytes with earlier rows of the file
		} else {
			t.lastFile = src.file
		}
	}
	// A copy: a reader's strings may share memory with the whole row (a CSV
	// record, a Parquet batch), which the set must not keep alive.
	t.m[strings.Clone(id)] = src
	return "", false
}
