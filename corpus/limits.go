package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Bounds on what one input may cost (docs/config.md, "reader"). Corpora
// come from the web and from other people: a single file must not be able
// to exhaust memory, hang the run or pull private files into the tables.

// DefaultMaxDocBytes is Options.MaxDocBytes when it is 0: 8 MB, some 1.4
// million words, above the longest books (the longest State of the Union is
// 200 KB) and what the per-document stages hold in under 1 GB (measured in
// docs/corpus.md: a document costs some 110 bytes per byte of text).
const DefaultMaxDocBytes = 8 << 20

// DefaultMaxGzipRatio is Options.MaxGzipRatio when it is 0. Text compresses
// 3 to 10 times (ungdc.jsonl.gz: 3.4), highly repetitive logs 20 to 50
// times; 10 GB of zeros compresses about 1,000 times.
const DefaultMaxGzipRatio = 100

// gzipRatioSlack is the decompressed size below which the ratio is not
// checked: a small file of blank lines may expand more than the ratio and
// costs nothing.
const gzipRatioSlack = 16 << 20

// Sentinel errors of the bounds, for errors.Is; the messages around them
// name the file, the setting and the fix.
var (
	// ErrTooLarge: a document (file, row or line) larger than
	// Options.MaxDocBytes.
	ErrTooLarge = errors.New("too large")
	// ErrGzipRatio: a .gz file that expands more than Options.MaxGzipRatio
	// times its compressed size (a decompression bomb).
	ErrGzipRatio = errors.New("decompression ratio above reader.max_gzip_ratio")
	// ErrNotRegular: a FIFO, device, socket or kernel file (/proc, /sys,
	// /dev) where a document file was expected. It is never opened: a FIFO
	// would block the run forever.
	ErrNotRegular = errors.New("not a regular file")
	// ErrOutside: a path that resolves outside the corpus folder (or
	// Options.Root) without Options.AllowOutsidePaths.
	ErrOutside = errors.New("outside the corpus folder")
	// ErrBinary: a document file that holds binary data (a NUL byte).
	ErrBinary = errors.New("not a text file")
)

func (o Options) maxDoc() int64 {
	if o.MaxDocBytes > 0 {
		return o.MaxDocBytes
	}
	return DefaultMaxDocBytes
}

func (o Options) maxRatio() int64 {
	if o.MaxGzipRatio > 0 {
		return int64(o.MaxGzipRatio)
	}
	return DefaultMaxGzipRatio
}

// maxRow bounds a JSONL line or a CSV/TSV record: twice the document bound,
// room for JSON escapes and the row's other columns.
func (o Options) maxRow() int64 { return 2 * o.maxDoc() }

// Validate checks the options without reading anything: column types,
// the encoding label, and the bounds, refusing negative ones (a negative
// value that silently became the default would hide a mistake).
func (o Options) Validate() error {
	for col, typ := range o.ColumnTypes {
		switch typ {
		case "string", "int", "float", "bool":
		default:
			return fmt.Errorf("corpus: Options.ColumnTypes[%q] = %q; want string, int, float or bool", col, typ)
		}
	}
	if _, err := newDecoder(o.Encoding); err != nil {
		return fmt.Errorf("corpus: reader.%w", err)
	}
	if o.MaxDocBytes < 0 {
		return fmt.Errorf("corpus: reader.max_doc_bytes = %d; want a positive number of bytes (0 = %d)", o.MaxDocBytes, DefaultMaxDocBytes)
	}
	if o.MaxGzipRatio < 0 {
		return fmt.Errorf("corpus: reader.max_gzip_ratio = %d; want a positive ratio (0 = %d)", o.MaxGzipRatio, DefaultMaxGzipRatio)
	}
	return nil
}

// tooLarge is the error for something of size bytes (more than, when
// atLeast: it was not read to its end) above limit, which bound names
// ("reader.max_doc_bytes", "twice reader.max_doc_bytes").
func tooLarge(size, limit int64, atLeast bool, what, bound string) error {
	const fix = "raise --max-doc-bytes if it is genuine, or split it"
	if atLeast {
		return fmt.Errorf("%w: %s is more than %d bytes (%s); %s", ErrTooLarge, what, limit, bound, fix)
	}
	return fmt.Errorf("%w: %s is %d bytes, above %d (%s); %s", ErrTooLarge, what, size, limit, bound, fix)
}

// readBounded reads r to its end into a buffer of capacity hint (the file
// size when known), failing with ErrTooLarge past limit bytes: it never
// holds more than limit+1 bytes, whatever r would give.
func readBounded(r io.Reader, hint, limit int64, what, bound string) ([]byte, error) {
	b := make([]byte, 0, min(max(hint, 512), limit)+1)
	lr := io.LimitReader(r, limit+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit, limit, true, what, bound)
	}
	return b, nil
}

// ratioReader fails a decompressed stream that has expanded more than ratio
// times the compressed bytes read so far.
type ratioReader struct {
	r     io.Reader
	in    *trackedReader // the compressed bytes
	out   int64
	ratio int64
}

func (g *ratioReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	if g.out > gzipRatioSlack && g.out > g.ratio*g.in.n {
		return n, &gzipError{bomb: true, detail: fmt.Sprintf("it expands %d bytes into more than %d: over %d times, above reader.max_gzip_ratio; a decompression bomb? raise --max-gzip-ratio if the file is genuine",
			g.in.n, g.out, g.ratio), err: ErrGzipRatio}
	}
	return n, err
}

// kernelDirs hold files that look regular but are made up by the kernel
// when read (/proc/self/environ, /sys/…) or are devices.
var kernelDirs = []string{"/proc/", "/sys/", "/dev/"}

// checkFile decides whether the OS file p (rel as named by the corpus) may
// be read as a document or manifest: a regular file, not a kernel file,
// and inside the corpus root unless outside paths are allowed. It stats p
// without opening it: opening a FIFO blocks until someone writes to it.
func (f *fileSys) checkFile(p, rel string) error {
	st, err := os.Lstat(p)
	if err != nil {
		return err
	}
	var real string
	if st.Mode()&fs.ModeSymlink != 0 {
		if st, err = os.Stat(p); err != nil {
			return err
		}
		if real, err = filepath.EvalSymlinks(p); err != nil {
			return err
		}
		if real, err = filepath.Abs(real); err != nil {
			return err
		}
	} else {
		// The file is no link: its folder's real path, resolved once
		// per folder, says where it is (one system call per file).
		dir, err := f.realDir(filepath.Dir(p))
		if err != nil {
			return err
		}
		real = filepath.Join(dir, filepath.Base(p))
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%w (%s): framelens reads only regular files and never opens special ones", ErrNotRegular, fileKind(st.Mode()))
	}
	for _, d := range kernelDirs {
		if strings.HasPrefix(real+"/", d) {
			return fmt.Errorf("%w: %s is a kernel file, not a document", ErrNotRegular, real)
		}
	}
	if f.allowOutside {
		return nil
	}
	root, err := f.realRoot()
	if err != nil {
		return err
	}
	if !within(root, real) {
		shown := rel
		if shown != real {
			shown += " resolves to " + real + ", which"
		}
		return fmt.Errorf("%w: %s is not inside %s; a manifest may name only files below its folder unless --allow-outside-paths (reader.allow_outside_paths) is set, or reader.root names a folder that holds them", ErrOutside, shown, root)
	}
	return nil
}

// realDir is dir with symbolic links resolved, absolute, remembered for
// the folders seen last (a folder's files come together).
func (f *fileSys) realDir(dir string) (string, error) {
	if real, ok := f.dirs[dir]; ok {
		return real, nil
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", err
	}
	if f.dirs == nil || len(f.dirs) > 1024 {
		f.dirs = map[string]string{}
	}
	f.dirs[dir] = real
	return real, nil
}

// realRoot is the folder documents must resolve inside: Options.Root or
// the corpus folder (a manifest's folder), symbolic links resolved.
func (f *fileSys) realRoot() (string, error) {
	if f.root != "" {
		return f.root, nil
	}
	dir := f.rootDir
	if dir == "" {
		dir = f.osRoot
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", err
	}
	f.root = real
	return real, nil
}

// within reports whether path p is root or below it (both absolute, clean).
func within(root, p string) bool {
	if root == string(filepath.Separator) {
		return true
	}
	return p == root || strings.HasPrefix(p, root+string(filepath.Separator))
}

// fileKind names a file mode that is not a regular file.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe, FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "mode " + m.String()
}
