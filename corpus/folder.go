package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strings"
)

// manifestNames are the files that, at the top of a folder, supply metadata
// for the folder's documents (the first one found is used).
var manifestNames = []string{"manifest.yaml", "manifest.yml", "manifest.csv", "manifest.jsonl",
	"manifest.yaml.gz", "manifest.yml.gz", "manifest.csv.gz", "manifest.jsonl.gz"}

// folderSource reads every .txt, .md, .html and .htm file, every file
// without an extension (and .gz of them) below a folder in sorted path
// order. Rows of a folder manifest are matched to files by their "path"
// column; manifest rows whose file is missing come out as *DocError after
// the files. A file the manifest does not list, and whose front matter
// names none, takes the name of its first-level folder as its group (data/security/a.txt: "security"), the
// layout of 20 Newsgroups and of scikit-learn's load_files.
type folderSource struct {
	fsys    *fileSys
	files   []string
	i       int
	b       *docBuilder
	rows    map[string]row // manifest rows by cleaned path
	manName string
	rowNo   map[string]int // 1-based manifest row number, for ids
	missing []string       // manifest paths not found, reported at the end
	// folderGroups is !Options.NoFolderGroups.
	folderGroups bool
}

func newFolderSource(fsys *fileSys, opts Options) (*folderSource, error) {
	s := &folderSource{fsys: fsys, b: newDocBuilder(opts), folderGroups: !opts.NoFolderGroups}
	skipped := map[string]int{} // extension → files of other types
	isManifest := map[string]bool{}
	for _, m := range manifestNames {
		isManifest[m] = true
	}
	// One walk finds the files and adds up their sizes: the progress total
	// is the bytes of exactly the files next reads, under the same skip
	// rules.
	var total int64
	err := fs.WalkDir(fsys.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir // .git and friends
			}
			return nil
		}
		switch {
		case isManifest[p]:
			if s.manName != "" {
				return nil
			}
			s.manName = p
		case !isDocFile(p):
			slog.Debug("corpus: skipping file of another type", "path", p)
			if !strings.HasPrefix(path.Base(p), ".") {
				skipped[strings.ToLower(path.Ext(p))]++
			}
			return nil
		default:
			s.files = append(s.files, p)
		}
		total += fileSize(fsys, p, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus: walk %s: %w", fsys.osRoot, err)
	}
	sort.Strings(s.files)
	if s.manName != "" {
		if err := s.loadManifest(opts); err != nil {
			return nil, err
		}
	}
	// A manifest row's text wins over its file, which is then not read.
	for p, r := range s.rows {
		if i := sort.SearchStrings(s.files, p); i < len(s.files) && s.files[i] == p && s.b.hasText(r) {
			if info, err := fs.Stat(fsys.fsys, p); err == nil && info.Mode().IsRegular() {
				total -= info.Size()
			}
		}
	}
	if len(s.files) == 0 && len(s.missing) == 0 {
		return nil, noDocuments(fsys.osRoot, skipped)
	}
	fsys.in.total.Store(total)
	return s, nil
}

// noDocuments is the error for a folder with no document file: a folder of
// PDFs or Word files would otherwise give an empty run that looks complete.
func noDocuments(root string, skipped map[string]int) error {
	const reads = "framelens reads .txt, .text, .md, .markdown, .html and .htm files, files without an extension, and .gz of them"
	if len(skipped) == 0 {
		return fmt.Errorf("corpus: %s: no documents: the folder has no files (%s)", root, reads)
	}
	exts := make([]string, 0, len(skipped))
	n := 0
	for e, c := range skipped {
		exts = append(exts, e)
		n += c
	}
	sort.Slice(exts, func(i, j int) bool {
		if skipped[exts[i]] != skipped[exts[j]] {
			return skipped[exts[i]] > skipped[exts[j]]
		}
		return exts[i] < exts[j]
	})
	parts := make([]string, len(exts))
	for i, e := range exts {
		parts[i] = fmt.Sprintf("%s: %d", e, skipped[e])
	}
	return fmt.Errorf("corpus: %s: no documents: %d file(s) of other types skipped (%s); %s", root, n, strings.Join(parts, ", "), reads)
}

// fileSize is the size on disk of the walked file p (of its target when p
// is a symbolic link, since that is what is read); 0 when unknown.
func fileSize(fsys *fileSys, p string, d fs.DirEntry) int64 {
	var info fs.FileInfo
	var err error
	if d.Type()&fs.ModeSymlink != 0 {
		info, err = fs.Stat(fsys.fsys, p)
	} else {
		info, err = d.Info()
	}
	if err != nil || !info.Mode().IsRegular() {
		return 0
	}
	return info.Size()
}

// isDocFile reports whether a folder file is a document: a text, Markdown
// or HTML file, not hidden, not the folder's README or LICENSE.
func isDocFile(p string) bool {
	base := path.Base(p)
	upper := strings.ToUpper(base)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(upper, "README") || strings.HasPrefix(upper, "LICENSE") {
		return false
	}
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(base), ".gz"))
	switch path.Ext(name) {
	case ".txt", ".md", ".markdown", ".html", ".htm", ".text", "":
		return true
	}
	return false
}

// loadManifest reads the whole folder manifest: it holds metadata only, one
// small row per file.
func (s *folderSource) loadManifest(opts Options) error {
	format := formatOf(s.manName)
	rr, err := openRowReader(s.fsys, s.manName, format)
	if err != nil {
		return err
	}
	defer rr.close()
	s.rows, s.rowNo = map[string]row{}, map[string]int{}
	if h, ok := rr.(headed); ok {
		s.b.cols.addAll(h.columns())
	}
	defer func() { s.b.cols.complete = true }()
	have := map[string]bool{}
	for _, f := range s.files {
		have[f] = true
	}
	n := 0
	for {
		r, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var de *DocError
			if errors.As(err, &de) {
				slog.Warn("corpus: bad manifest row", "err", err)
				continue
			}
			return err
		}
		n++
		p := ""
		for _, c := range r.cols {
			s.b.cols.add(c.key)
			if c.key == "path" {
				p = path.Clean(scalarString(c.val))
			}
		}
		if p == "" || p == "." {
			slog.Warn("corpus: folder manifest row without path ignored", "source", fmt.Sprintf("%s:%d", s.manName, r.line))
			continue
		}
		s.rows[p] = r
		s.rowNo[p] = n
		if !have[p] {
			s.missing = append(s.missing, p)
		}
	}
	return nil
}

func (s *folderSource) next() (*Document, error) {
	if s.i < len(s.files) {
		p := s.files[s.i]
		s.i++
		if r, ok := s.rows[p]; ok {
			doc, err := s.b.fromRow(s.fsys, s.manName, r, s.rowNo[p])
			return doc, err
		}
		doc, err := s.fsys.readDoc(p)
		if err != nil {
			return nil, &DocError{Source: p, ID: stripDocExt(p), Err: err}
		}
		doc.ID = stripDocExt(p)
		doc.Source = p
		if dir, _, ok := strings.Cut(p, "/"); ok && s.folderGroups && doc.Group == "" {
			doc.Group = dir
		}
		return doc, nil
	}
	if len(s.missing) > 0 {
		p := s.missing[0]
		s.missing = s.missing[1:]
		r := s.rows[p]
		return nil, &DocError{Source: fmt.Sprintf("%s:%d", s.manName, r.line), Err: fmt.Errorf("file %s does not exist", p)}
	}
	return nil, io.EOF
}

func (s *folderSource) close() error { return nil }

// columns are the manifest's columns; nil without a manifest, whose
// documents have no columns.
func (s *folderSource) columns() *columnSet {
	if s.manName == "" {
		return nil
	}
	return &s.b.cols
}
