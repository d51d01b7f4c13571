package corpus

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// row is one record of a manifest or row dump, with values typed by the
// reader: string, int64, float64, bool, []string, nil, rawText (a CSV
// cell whose type is inferred per column) or jsonText (a JSON object).
type row struct {
	line int // 1-based line (or row number for Parquet)
	cols []kv
}

type kv struct {
	key string
	val any
}

// rawText is an untyped cell (CSV/TSV) whose type is inferred per column.
type rawText string

// jsonText is a JSON object, or an array holding objects or arrays, as its
// JSON text. It is a string everywhere but in the text column, which must
// hold text, not data.
type jsonText string

// rowReader yields the rows of one file: io.EOF at the end, a *DocError for
// one bad row, anything else when the file is unusable.
type rowReader interface {
	next() (row, error)
	close() error
}

func openRowReader(fsys *fileSys, name, format string) (rowReader, error) {
	switch format {
	case "yaml":
		return newYAMLRows(fsys, name)
	case "csv":
		return newCSVRows(fsys, name, ',')
	case "tsv":
		return newCSVRows(fsys, name, '\t')
	case "jsonl":
		return newJSONLRows(fsys, name)
	case "parquet":
		return newParquetRows(fsys, name)
	case arrowStreamFormat: // standard input only (stdin.go)
		return newArrowStreamRows(fsys, name)
	}
	return nil, fmt.Errorf("corpus: %s: format %q has no rows", name, format)
}

// rowSource turns the rows of a manifest or row dump into documents. A row
// carries its text in the text column, or names a file in the "path" column
// (relative to the manifest's folder).
type rowSource struct {
	fsys  *fileSys
	name  string
	rows  rowReader
	b     *docBuilder
	count int
}

// headed is a row reader that knows its columns before the first row.
type headed interface{ columns() []string }

func newRowSource(fsys *fileSys, name, format string, opts Options) (*rowSource, error) {
	rr, err := openRowReader(fsys, name, format)
	if err != nil {
		return nil, err
	}
	// A header without a text or path column would fail every row: say so once.
	if h, ok := rr.(headed); ok {
		found := false
		for _, c := range h.columns() {
			if c == opts.textCol() || c == "path" {
				found = true
			}
		}
		if !found {
			rr.close()
			return nil, &ParseError{File: name, Line: 1, Err: fmt.Errorf("no text column %q and no \"path\" column (columns: %s)",
				opts.textCol(), strings.Join(h.columns(), ", "))}
		}
	}
	s := &rowSource{fsys: fsys, name: name, rows: rr, b: newDocBuilder(opts)}
	if h, ok := rr.(headed); ok {
		s.b.cols.addAll(h.columns())
		s.b.cols.complete = true
	}
	return s, nil
}

func (s *rowSource) next() (*Document, error) {
	r, err := s.rows.next()
	if err == io.EOF {
		s.b.cols.complete = true
	}
	if err != nil {
		return nil, err
	}
	s.count++
	return s.b.fromRow(s.fsys, s.name, r, s.count)
}

func (s *rowSource) close() error { return s.rows.close() }

func (s *rowSource) columns() *columnSet { return &s.b.cols }

// columnSet is the column names met in a source's rows, in first-seen
// order, so that a reader option naming a column the corpus lacks can be
// refused with the list of the columns it has.
type columnSet struct {
	names []string
	seen  map[string]bool
	// complete says every column is known: a header, a manifest read
	// whole, or the last row read.
	complete bool
}

func (c *columnSet) add(name string) {
	if c.seen[name] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[name] = true
	c.names = append(c.names, strings.Clone(name))
}

func (c *columnSet) addAll(names []string) {
	for _, n := range names {
		c.add(n)
	}
}

// docBuilder maps row columns onto Document fields and keeps each Meta
// column's type stable across rows.
type docBuilder struct {
	opts  Options
	types map[string]string
	cols  columnSet
}

func newDocBuilder(opts Options) *docBuilder {
	t := map[string]string{}
	for k, v := range opts.ColumnTypes {
		t[k] = v
	}
	return &docBuilder{opts: opts, types: t}
}

// fromRow builds the document of row r of file name; n is the 1-based row
// count used as id when the row has none.
func (b *docBuilder) fromRow(fsys *fileSys, name string, r row, n int) (*Document, error) {
	src := name + ":" + strconv.Itoa(r.line)
	var (
		id, group, title, lang, p string
		text                      *string
		notText                   any // a text column value that is no text: a list, an object
		authors                   []string
		year                      int
		warns                     []string
		meta                      = map[string]any{}
	)
	for _, c := range r.cols {
		b.cols.add(c.key)
		if c.val == nil {
			continue
		}
		switch c.key {
		case b.opts.idCol():
			id = scalarString(c.val)
		case b.opts.groupCol():
			group = scalarString(c.val)
		case b.opts.textCol():
			s, w, ok := b.textOf(c.val)
			if !ok {
				notText = c.val
				break
			}
			text = &s
			if w != "" {
				warns = append(warns, w)
			}
		case "path":
			p = scalarString(c.val)
		case "title":
			title = scalarString(c.val)
		case "lang":
			lang = scalarString(c.val)
		case "authors":
			authors = authorList(c.val)
		case "year":
			y, ok := yearOf(c.val)
			if !ok {
				warns = append(warns, fmt.Sprintf("year %q is not a number; ignored", scalarString(c.val)))
			}
			year = y
		default:
			v, w := b.coerce(c.key, c.val)
			if w != "" {
				warns = append(warns, w)
			}
			if v != nil {
				meta[c.key] = v
			}
		}
	}
	var doc *Document
	switch {
	case notText != nil:
		// Like a row without text: a list or an object is no document's
		// text; it usually means the wrong text column.
		return nil, &DocError{Source: src, ID: id, Err: fmt.Errorf("text column %q holds %s, not text", b.opts.textCol(), describeValue(notText))}
	case text != nil && int64(len(*text)) > fsys.lim.maxDoc():
		return nil, &DocError{Source: src, ID: id, Err: tooLarge(int64(len(*text)), fsys.lim.maxDoc(), false, "the text", "reader.max_doc_bytes")}
	case text != nil && *text != "":
		s, w := fsys.dec.textString(*text)
		if w != "" {
			warns = append(warns, w)
		}
		sum := sha256.Sum256([]byte(*text))
		doc = &Document{Raw: s, RawSHA256: hex.EncodeToString(sum[:]), Source: src}
	case p != "":
		rel := p // an absolute path is opened as it is
		if !filepath.IsAbs(p) {
			rel = path.Join(path.Dir(name), p)
		}
		if id == "" {
			id = stripDocExt(p)
		}
		d, err := fsys.readDoc(rel)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				err = fmt.Errorf("file %s does not exist", rel)
			}
			return nil, &DocError{Source: src, ID: id, Err: err}
		}
		doc = d
		doc.Source = rel
	default:
		return nil, &DocError{Source: src, ID: id, Err: fmt.Errorf("row has neither a %q nor a \"path\" column value", b.opts.textCol())}
	}
	if id == "" {
		id = strconv.Itoa(n)
	}
	// A file's own metadata (Markdown front matter) stays where the row
	// has no value; the row's values win.
	doc.ID = id
	if group != "" {
		doc.Group = group
	}
	if lang != "" {
		doc.Lang = lang
	}
	if len(authors) > 0 {
		doc.Authors = authors
	}
	if year != 0 {
		doc.Year = year
	}
	if title != "" {
		doc.Title = title
	}
	if doc.Meta == nil {
		doc.Meta = meta
	} else {
		maps.Copy(doc.Meta, meta)
	}
	if len(doc.Meta) == 0 {
		doc.Meta = nil
	}
	doc.Warnings = append(doc.Warnings, warns...)
	return doc, nil
}

// hasText reports whether fromRow does not read the file of r: it takes
// the text from the text column, or rejects the row for a text column value
// that is not text. It follows fromRow's column switch.
func (b *docBuilder) hasText(r row) bool {
	text, notText := "", false
	for _, c := range r.cols {
		if c.val == nil {
			continue
		}
		switch c.key {
		case b.opts.idCol(), b.opts.groupCol():
		case b.opts.textCol():
			var ok bool
			text, _, ok = b.textOf(c.val)
			notText = !ok
		}
	}
	return text != "" || notText
}

// textOf returns the text of a text column value. A number or a boolean
// (typed by JSON, YAML or Parquet) is taken as its text with a warning,
// since it usually means the wrong text column; ok is false for a list or
// a JSON object, which is no document's text.
func (b *docBuilder) textOf(v any) (s, warn string, ok bool) {
	switch x := v.(type) {
	case string:
		return x, "", true
	case rawText:
		return string(x), "", true
	case int64, float64, bool:
		s = scalarString(x)
		return s, fmt.Sprintf("text column %q holds %s, not a string; taken as the text %q", b.opts.textCol(), describeValue(x), s), true
	}
	return "", "", false
}

// describeValue says what a value that is not text is, for an error
// message: `the number 42`, `a list ["a", "b"]`, `a JSON object {"a":1}`.
func describeValue(v any) string {
	const max = 60
	short := func(s string) string {
		if r := []rune(s); len(r) > max {
			return string(r[:max]) + "…"
		}
		return s
	}
	switch x := v.(type) {
	case int64, float64:
		return "the number " + scalarString(x)
	case bool:
		return "the boolean " + scalarString(x)
	case []string:
		if len(x) == 0 {
			return "an empty list"
		}
		q := make([]string, len(x))
		for i, e := range x {
			q[i] = strconv.Quote(e)
		}
		return "a list [" + short(strings.Join(q, ", ")) + "]"
	case jsonText:
		if strings.HasPrefix(string(x), "[") {
			return "a JSON array " + short(string(x))
		}
		return "a JSON object " + short(string(x))
	}
	return fmt.Sprintf("a %T", v)
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case rawText:
		return string(x)
	case jsonText:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		return strings.Join(x, "; ")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// authorList reads authors from a list, or from one string separated by
// semicolons (commas are ambiguous: "Sun, Rui").
func authorList(v any) []string {
	var parts []string
	if l, ok := v.([]string); ok {
		parts = l
	} else {
		parts = strings.Split(scalarString(v), ";")
	}
	var out []string
	for _, a := range parts {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func yearOf(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case float64:
		if x == float64(int(x)) {
			return int(x), true
		}
		return 0, false
	}
	s := strings.TrimSpace(scalarString(v))
	if s == "" {
		return 0, true
	}
	y, err := strconv.Atoi(s)
	return y, err == nil
}

// coerce types a Meta value. The first non-empty value of a column fixes its
// type (unless Options.ColumnTypes does); an int in a float column becomes a
// float, anything in a string column becomes its text, and a value that does
// not fit is dropped with a warning, because earlier documents of the stream
// are already gone and cannot be retyped.
func (b *docBuilder) coerce(col string, v any) (any, string) {
	if l, ok := v.([]string); ok {
		v = strings.Join(l, "; ")
	}
	if j, ok := v.(jsonText); ok {
		v = string(j)
	}
	if s, ok := v.(string); ok && s == "" {
		return nil, ""
	}
	if s, ok := v.(rawText); ok && s == "" {
		return nil, ""
	}
	want := b.types[col]
	if want == "" {
		if s, ok := v.(rawText); ok {
			v = inferValue(string(s))
		}
		b.types[col] = typeName(v)
		return v, ""
	}
	if out, ok := convertTo(v, want); ok {
		return out, ""
	}
	return nil, fmt.Sprintf("column %q: value %q is not %s like earlier rows; dropped", col, scalarString(v), want)
}

func typeName(v any) string {
	switch v.(type) {
	case int64:
		return "int"
	case float64:
		return "float"
	case bool:
		return "bool"
	}
	return "string"
}

func convertTo(v any, want string) (any, bool) {
	switch want {
	case "string":
		return scalarString(v), true
	case "int":
		switch x := v.(type) {
		case int64:
			return x, true
		case float64:
			if x == float64(int64(x)) {
				return int64(x), true
			}
			return nil, false
		case string, rawText:
			n, err := strconv.ParseInt(strings.TrimSpace(scalarString(x)), 10, 64)
			return n, err == nil
		}
	case "float":
		switch x := v.(type) {
		case int64:
			return float64(x), true
		case float64:
			return x, true
		case string, rawText:
			f, err := strconv.ParseFloat(strings.TrimSpace(scalarString(x)), 64)
			return f, err == nil
		}
	case "bool":
		switch x := v.(type) {
		case bool:
			return x, true
		case string, rawText:
			bv, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(scalarString(x))))
			return bv, err == nil
		}
	}
	return nil, false
}

// inferValue types a CSV cell: true/false, integers without leading zeros
// (so "007" and ZIP codes stay text), decimals, else text.
func inferValue(s string) any {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "true":
		return true
	case "false":
		return false
	}
	if isIntLiteral(t) {
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n
		}
	}
	if isFloatLiteral(t) {
		if f, err := strconv.ParseFloat(t, 64); err == nil {
			return f
		}
	}
	return s
}

func isIntLiteral(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isFloatLiteral(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if !hasDot && !hasExp {
		return false
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return false
	}
	digits := func(d string) bool {
		for i := 0; i < len(d); i++ {
			if d[i] < '0' || d[i] > '9' {
				return false
			}
		}
		return true
	}
	if !digits(intPart) || !digits(frac) || intPart+frac == "" {
		return false
	}
	if hasExp {
		exp = strings.TrimPrefix(strings.TrimPrefix(exp, "-"), "+")
		return exp != "" && digits(exp)
	}
	return true
}

// stripBOM drops a UTF-8 byte-order mark at the start of a row file.
func stripBOM(r io.Reader) *bufio.Reader {
	br := newLineReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\xEF\xBB\xBF" {
		br.Discard(3)
	}
	return br
}
