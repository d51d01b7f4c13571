package corpus

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// fileSys opens the files of one corpus: the OS below osRoot, or an embedded
// file system when osRoot is "". Every file opened is recorded in in.
type fileSys struct {
	fsys   fs.FS
	osRoot string
	in     *inputs
	// file is the name, below osRoot, of the corpus file Open was given,
	// and given that path as the user wrote it ("" for a folder).
	file, given string
	// dec turns file bytes and row values into UTF-8 (Options.Encoding).
	dec decoder
	// lim holds the bounds (Options.MaxDocBytes, MaxGzipRatio).
	lim Options
	// allowOutside is Options.AllowOutsidePaths; rootDir is Options.Root
	// ("" = osRoot), and root the same with links resolved, once known.
	allowOutside  bool
	rootDir, root string
	dirs          map[string]string // realDir's cache
}

// shown is the path by which errors name rel: the path the user gave for
// the corpus file itself, the corpus folder's path joined to a file in it.
// (Document sources — documents.source, "dump.jsonl:17" — stay relative.)
func (f *fileSys) shown(rel string) string {
	switch {
	case f.given != "" && rel == f.file:
		return f.given
	case f.osRoot == "" || filepath.IsAbs(rel):
		return rel
	}
	return filepath.Join(f.osRoot, filepath.FromSlash(rel))
}

// asGiven makes an error that ends the stream name its input file by the
// path the user gave (shown) rather than relative to the corpus: a
// manifest's parse error says "corpora/un/manifest.yaml:4", not
// "manifest.yaml:4". Call it once per error.
func (f *fileSys) asGiven(err error) error {
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.File = f.shown(pe.File)
	}
	var fe *fileError
	if errors.As(err, &fe) {
		fe.file = f.shown(fe.file)
	}
	return err
}

// open opens rel (slash-separated, relative to the root). On the OS, rel may
// also be absolute or climb out with "..", as manifests sometimes do; but
// any file other than the corpus file the user named must be a regular
// file resolving inside the corpus root (checkFile), or it is not opened.
func (f *fileSys) open(rel string) (fs.File, error) {
	if f.osRoot != "" {
		p := rel
		if !filepath.IsAbs(p) {
			p = filepath.Join(f.osRoot, filepath.FromSlash(rel))
		}
		if rel != f.file {
			if err := f.checkFile(p, rel); err != nil {
				return nil, err
			}
		}
		if filepath.IsAbs(rel) || !fs.ValidPath(rel) {
			return os.Open(p)
		}
	}
	return f.fsys.Open(path.Clean(rel))
}

// trackedReader hashes and counts what is read through it and records the
// file in the inputs when it reaches EOF.
type trackedReader struct {
	r    io.Reader
	h    hash.Hash
	n    int64
	rel  string
	in   *inputs
	done bool
}

func (t *trackedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	t.in.read.Add(int64(n))
	t.h.Write(p[:n])
	if err == io.EOF && !t.done {
		t.done = true
		t.in.add(InputFile{Path: t.rel, Bytes: t.n, SHA256: hex.EncodeToString(t.h.Sum(nil))})
	}
	return n, err
}

// openStream opens rel for sequential reading, decompressing .gz. The file
// is recorded in the inputs once read to its end.
func (f *fileSys) openStream(rel string) (io.Reader, io.Closer, error) {
	file, err := f.open(rel)
	if err != nil {
		return nil, nil, err
	}
	tr := &trackedReader{r: file, h: sha256.New(), rel: rel, in: f.in}
	var r io.Reader = tr
	if isGzip(rel) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			file.Close()
			return nil, nil, gzipFailure(err, true)
		}
		r = &ratioReader{r: gzipReader{zr}, in: tr, ratio: f.lim.maxRatio()}
	}
	return r, file, nil
}

// gzipError is a .gz input that is not a valid, complete gzip stream. It
// says what is wrong once ("not a valid gzip file (invalid header)"); the
// caller names the file. It does not wrap the decompressor's io.EOF or
// io.ErrUnexpectedEOF: read as the end of the input, they would end the
// corpus there without an error (an empty .gz in a folder did).
type gzipError struct {
	header bool   // the gzip header itself could not be read
	bomb   bool   // it expands more than reader.max_gzip_ratio
	detail string // what is wrong
	err    error  // gzip.ErrHeader or gzip.ErrChecksum, for errors.Is; else nil
}

func (e *gzipError) Error() string {
	if e.bomb {
		return "gzip file expands too much (" + e.detail + ")"
	}
	if e.header {
		return "not a valid gzip file (" + e.detail + ")"
	}
	return "corrupt gzip file (" + e.detail + ")"
}

func (e *gzipError) Unwrap() error { return e.err }

// gzipFailure turns an error of compress/gzip into a gzipError, header
// saying it came from reading the gzip header. Errors of the file itself
// (I/O) are returned as they are.
func gzipFailure(err error, header bool) error {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, gzip.ErrHeader):
		return &gzipError{header: header, detail: "invalid header", err: gzip.ErrHeader}
	case errors.Is(err, gzip.ErrChecksum):
		return &gzipError{header: header, detail: "checksum mismatch: the data is damaged", err: gzip.ErrChecksum}
	case errors.As(err, &corrupt):
		return &gzipError{header: header, detail: "damaged data at byte " + strconv.FormatInt(int64(corrupt), 10) + " of the compressed stream"}
	case header && errors.Is(err, io.EOF):
		return &gzipError{header: true, detail: "empty file"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		if header {
			return &gzipError{header: true, detail: "truncated header"}
		}
		return &gzipError{detail: "truncated: the file ends before the compressed data does"}
	}
	return err
}

// gzipReader reports a damaged gzip stream as a gzipError; io.EOF at its
// end stays io.EOF.
type gzipReader struct{ zr *gzip.Reader }

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = gzipFailure(err, false)
	}
	return n, err
}

// fileError is an input file that cannot be opened or read.
type fileError struct {
	op   string // "open", "read"; "" when err says what went wrong
	file string
	err  error
}

func (e *fileError) Error() string {
	// An *fs.PathError names the file again, relative to the corpus, with
	// its own op ("corpus: open a.jsonl: open a.jsonl: permission denied"):
	// only its cause is said, after the path as the user gave it.
	msg := e.err.Error()
	if pe, ok := e.err.(*fs.PathError); ok {
		msg = pe.Err.Error()
	}
	if e.op == "" {
		return "corpus: " + e.file + ": " + msg
	}
	return "corpus: " + e.op + " " + e.file + ": " + msg
}

func (e *fileError) Unwrap() error { return e.err }

// inputError names input name in an error of op ("open", "read"): "corpus:
// open NAME: …", or "corpus: NAME: …" for a .gz input that is not valid
// gzip, whose error says what is wrong.
func inputError(op, name string, err error) error {
	var ge *gzipError
	if errors.As(err, &ge) {
		op = ""
	}
	return &fileError{op: op, file: name, err: err}
}

func isGzip(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".gz") }

// readAll reads one whole file (one document), decompressed, of at most
// Options.MaxDocBytes: a larger file is refused by its size before it is
// read, a larger .gz as soon as its text passes the bound.
func (f *fileSys) readAll(rel string) ([]byte, error) {
	r, c, err := f.openStream(rel)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	limit, hint := f.lim.maxDoc(), int64(0)
	if file, ok := c.(fs.File); ok {
		if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
			hint = st.Size()
		}
	}
	what := "the file"
	if isGzip(rel) {
		hint, what = hint*4, "the file (decompressed)"
	} else if hint > limit {
		return nil, tooLarge(hint, limit, false, what, "reader.max_doc_bytes")
	}
	return readBounded(r, hint, limit, what, "reader.max_doc_bytes")
}

// readDoc reads one text file into a Document: decodes it, extracts the
// main content of HTML, and hashes the decompressed bytes.
func (f *fileSys) readDoc(rel string) (*Document, error) {
	b, err := f.readAll(rel)
	if err != nil {
		return nil, err
	}
	// Text never holds NUL bytes; binary data (an image, a PDF, a
	// compressed file renamed .txt) nearly always does in its first 8 KB,
	// and analysed as text it would add hundreds of junk words.
	if i := binaryAt(b); i >= 0 {
		hint := "a file without an extension is read only when it is text"
		if docExt(rel) != "" {
			hint = "binary data (an image, a PDF, a compressed file?) named " + docExt(rel) + "; convert it to text first, or if it is UTF-16 without a byte-order mark, add one"
		}
		return nil, fmt.Errorf("%w (a NUL byte at offset %d); %s", ErrBinary, i, hint)
	}
	return docFromBytes(b, rel, f.dec)
}

// binaryAt is the offset of the first NUL byte in the first 8 KB of b, -1
// when there is none or b is UTF-16 (which has NULs) with a byte-order mark.
func binaryAt(b []byte) int {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return -1
	}
	return bytes.IndexByte(b[:min(len(b), 8<<10)], 0)
}

// docExt is a file's extension, lower-case, after any ".gz".
func docExt(name string) string {
	return path.Ext(strings.TrimSuffix(strings.ToLower(name), ".gz"))
}

// docFromBytes builds the text part of a Document from the bytes of a file.
// name's extension says how: HTML is rendered to text, Markdown's front
// matter becomes metadata.
func docFromBytes(b []byte, name string, dec decoder) (*Document, error) {
	sum := sha256.Sum256(b)
	ext := docExt(name)
	isHTML := ext == ".html" || ext == ".htm"
	text, warn := dec.text(b, isHTML)
	doc := &Document{RawSHA256: hex.EncodeToString(sum[:])}
	if warn != "" {
		doc.Warnings = append(doc.Warnings, warn)
	}
	if ext == ".md" || ext == ".markdown" {
		if fm, body, ok := splitFrontMatter(text); ok {
			if w := applyFrontMatter(doc, fm); w != "" {
				doc.Warnings = append(doc.Warnings, w)
			}
			text = body
		}
	}
	if isHTML {
		h, err := htmlToText(text)
		if err != nil {
			return nil, fmt.Errorf("html: %w", err)
		}
		text = h.text
		doc.Title = h.title
	}
	doc.Raw = text
	return doc, nil
}
