package corpus

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"gopkg.in/yaml.v3"
)

// sampleRow is one document of the sample as a flat record, with typed
// extra columns so the readers' Meta typing is exercised.
type sampleRow struct {
	ID, Group, Title, Lang, Text, File string
	Authors                            []string
	Year                               int64
	Strs                               map[string]string // journal, doi, published, url (may be absent)
	FullText, PeerReviewed             bool
	Pages                              int64
	Score                              float64
}

var strCols = []string{"journal", "doi", "published", "url"}

func sampleRows(t testing.TB) []sampleRow {
	t.Helper()
	s, err := OpenSample()
	if err != nil {
		t.Fatal(err)
	}
	docs := readAllDocs(t, s)
	var rows []sampleRow
	for i, d := range docs {
		r := sampleRow{ID: d.ID, Group: d.Group, Title: d.Title, Lang: d.Lang, Text: d.Raw, File: d.ID + ".txt",
			Authors: d.Authors, Year: int64(d.Year), Strs: map[string]string{}, FullText: d.Meta["full_text"].(bool),
			PeerReviewed: i == 1, Pages: int64(1 + 11*i), Score: []float64{0.5, 2}[i]}
		for _, k := range strCols {
			if v, ok := d.Meta[k].(string); ok {
				r.Strs[k] = v
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func (r sampleRow) record(withText bool, path string) map[string]any {
	m := map[string]any{"id": r.ID, "group": r.Group, "title": r.Title, "lang": r.Lang, "authors": r.Authors,
		"year": r.Year, "full_text": r.FullText, "peer_reviewed": r.PeerReviewed, "pages": r.Pages, "score": r.Score}
	for k, v := range r.Strs {
		m[k] = v
	}
	if withText {
		m["text"] = r.Text
	} else {
		m["path"] = path
	}
	return m
}

func writeFile(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(p, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b = buf.Bytes()
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeYAML(t testing.TB, p string, rows []sampleRow, pathOf func(sampleRow) string) {
	var recs []map[string]any
	for _, r := range rows {
		recs = append(recs, r.record(false, pathOf(r)))
	}
	b, err := yaml.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, b)
}

func writeJSONL(t testing.TB, p string, rows []sampleRow) {
	var buf bytes.Buffer
	for _, r := range rows {
		b, err := json.Marshal(r.record(true, ""))
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	writeFile(t, p, buf.Bytes())
}

func writeCSV(t testing.TB, p string, rows []sampleRow, comma rune, withText bool, pathOf func(sampleRow) string) {
	cols := []string{"id", "group", "title", "authors", "year", "lang", "full_text", "journal", "doi", "published", "url", "pages", "score", "peer_reviewed"}
	if withText {
		cols = append(cols, "text")
	} else {
		cols = append(cols, "path")
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = comma
	w.Write(cols)
	for _, r := range rows {
		path := ""
		if pathOf != nil {
			path = pathOf(r)
		}
		rec := r.record(withText, path)
		var out []string
		for _, c := range cols {
			switch v := rec[c].(type) {
			case nil:
				out = append(out, "")
			case []string:
				out = append(out, strings.Join(v, "; "))
			default:
				out = append(out, scalarString(v))
			}
		}
		w.Write(out)
	}
	w.Flush()
	writeFile(t, p, buf.Bytes())
}

func writeParquet(t testing.TB, p string, rows []sampleRow) {
	t.Helper()
	str := arrow.BinaryTypes.String
	fields := []arrow.Field{
		{Name: "id", Type: str}, {Name: "group", Type: str}, {Name: "title", Type: str},
		{Name: "authors", Type: arrow.ListOf(str), Nullable: true}, {Name: "year", Type: arrow.PrimitiveTypes.Int64},
		{Name: "lang", Type: str}, {Name: "text", Type: str}, {Name: "full_text", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "pages", Type: arrow.PrimitiveTypes.Int32}, {Name: "score", Type: arrow.PrimitiveTypes.Float64},
		{Name: "peer_reviewed", Type: arrow.FixedWidthTypes.Boolean},
	}
	for _, c := range strCols {
		fields = append(fields, arrow.Field{Name: c, Type: str, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// One row per row group, so the reader has to cross row groups.
	w, err := pqarrow.NewFileWriter(schema, f, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(1)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.StringBuilder).Append(r.ID)
		b.Field(1).(*array.StringBuilder).Append(r.Group)
		b.Field(2).(*array.StringBuilder).Append(r.Title)
		lb := b.Field(3).(*array.ListBuilder)
		lb.Append(true)
		for _, a := range r.Authors {
			lb.ValueBuilder().(*array.StringBuilder).Append(a)
		}
		b.Field(4).(*array.Int64Builder).Append(r.Year)
		b.Field(5).(*array.StringBuilder).Append(r.Lang)
		b.Field(6).(*array.StringBuilder).Append(r.Text)
		b.Field(7).(*array.BooleanBuilder).Append(r.FullText)
		b.Field(8).(*array.Int32Builder).Append(int32(r.Pages))
		b.Field(9).(*array.Float64Builder).Append(r.Score)
		b.Field(10).(*array.BooleanBuilder).Append(r.PeerReviewed)
		for i, c := range strCols {
			sb := b.Field(11 + i).(*array.StringBuilder)
			if v, ok := r.Strs[c]; ok {
				sb.Append(v)
			} else {
				sb.AppendNull()
			}
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func copySampleTexts(t testing.TB, dir, suffix string) {
	t.Helper()
	for _, n := range []string{"sun2025.txt", "zhang2024.txt"} {
		b, err := fs.ReadFile(SampleFS(), n)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, n+suffix), b)
	}
}

// sameDocs compares everything a reader and the cleaner produce except
// Source, which names the input.
func sameDocs(t *testing.T, name string, want, got []*Document) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d documents, want %d", name, len(got), len(want))
	}
	for i := range want {
		w, g := *want[i], *got[i]
		w.Source, g.Source = "", ""
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s: document %d differs:\n got  %s\n want %s", name, i, docSummary(&g), docSummary(&w))
		}
	}
}

func docSummary(d *Document) string {
	return strings.Join([]string{d.ID, d.Group, d.Title, strings.Join(d.Authors, ";"), scalarString(int64(d.Year)), d.Lang,
		scalarString(int64(d.Seq)), d.RawSHA256[:8], scalarString(int64(len(d.Raw))), scalarString(int64(len(d.Clean))),
		scalarString(int64(len(d.Sections))), scalarString(int64(d.RemovedChars)), strings.Join(d.Warnings, ";"),
		metaString(d.Meta)}, " | ")
}

func metaString(m map[string]any) string {
	b, _ := json.Marshal(m)
	var types []string
	for _, k := range []string{"full_text", "pages", "score", "peer_reviewed", "doi"} {
		types = append(types, k+":"+reflect.TypeOf(m[k]).String())
	}
	return string(b) + " " + strings.Join(types, ",")
}

func openAll(t *testing.T, p string, opts Options) ([]*Document, *Stream) {
	t.Helper()
	s, err := Open(p, opts)
	if err != nil {
		t.Fatalf("Open %s: %v", p, err)
	}
	docs := readAllDocs(t, s)
	if err := s.Close(); err != nil {
		t.Errorf("Close %s: %v", p, err)
	}
	cleanAll(t, docs)
	return docs, s
}

func TestFormatsYieldIdenticalDocuments(t *testing.T) {
	rows := sampleRows(t)
	dir := t.TempDir()
	plain := func(r sampleRow) string { return r.File }
	inTexts := func(r sampleRow) string { return "texts/" + r.File }
	gzPath := func(r sampleRow) string { return r.File + ".gz" }

	copySampleTexts(t, filepath.Join(dir, "folder"), "")
	writeYAML(t, filepath.Join(dir, "folder", "manifest.yaml"), rows, plain)
	copySampleTexts(t, filepath.Join(dir, "foldergz"), ".gz")
	writeYAML(t, filepath.Join(dir, "foldergz", "manifest.yaml"), rows, gzPath)
	copySampleTexts(t, filepath.Join(dir, "m", "texts"), "")
	writeYAML(t, filepath.Join(dir, "m", "manifest.yaml"), rows, inTexts)
	writeYAML(t, filepath.Join(dir, "m", "manifest.yml.gz"), rows, inTexts)
	writeCSV(t, filepath.Join(dir, "m", "paths.tsv"), rows, '\t', false, inTexts)
	writeCSV(t, filepath.Join(dir, "m", "paths.csv"), rows, ',', false, inTexts)
	writeJSONL(t, filepath.Join(dir, "dump.jsonl"), rows)
	writeJSONL(t, filepath.Join(dir, "dump.jsonl.gz"), rows)
	writeCSV(t, filepath.Join(dir, "dump.csv"), rows, ',', true, nil)
	writeCSV(t, filepath.Join(dir, "dump.csv.gz"), rows, ',', true, nil)
	writeParquet(t, filepath.Join(dir, "dump.parquet"), rows)

	ref, _ := openAll(t, filepath.Join(dir, "m", "manifest.yaml"), Options{})
	if ref[0].Meta["pages"] != int64(1) || ref[1].Meta["score"] != 2.0 || ref[1].Meta["peer_reviewed"] != true || ref[0].Meta["doi"] != nil {
		t.Fatalf("reference metadata wrong: %v / %v", ref[0].Meta, ref[1].Meta)
	}
	for _, p := range []string{"folder", "foldergz", "m/manifest.yml.gz", "m/paths.tsv", "m/paths.csv",
		"dump.jsonl", "dump.jsonl.gz", "dump.csv", "dump.csv.gz", "dump.parquet"} {
		got, s := openAll(t, filepath.Join(dir, p), Options{})
		sameDocs(t, p, ref, got)
		if in := s.Inputs(); len(in) == 0 || in[0].SHA256 == "" || in[0].Bytes == 0 {
			t.Errorf("%s: inputs %+v", p, in)
		}
	}
	// And the sample itself, which has no extra columns, equals them after
	// dropping those.
	sample := sampleDocs(t)
	for _, d := range ref {
		for _, k := range []string{"pages", "score", "peer_reviewed"} {
			delete(d.Meta, k)
		}
	}
	sameDocs(t, "OpenSample", ref, sample)
}

func TestSingleFileAndGzip(t *testing.T) {
	dir := t.TempDir()
	copySampleTexts(t, dir, "")
	copySampleTexts(t, dir, ".gz")
	a, s1 := openAll(t, filepath.Join(dir, "zhang2024.txt"), Options{})
	b, s2 := openAll(t, filepath.Join(dir, "zhang2024.txt.gz"), Options{})
	sameDocs(t, "txt.gz", a, b)
	// The sample as read with its manifest and cleaned: the sections the
	// papers have (stages/clean checks them against the papers).
	withMeta := map[string][]Section{}
	for _, d := range sampleDocs(t) {
		withMeta[d.ID] = d.Sections
	}
	if a[0].ID != "zhang2024" || len(a[0].Sections) != len(withMeta["zhang2024"]) {
		t.Errorf("single file: id %q, %d sections", a[0].ID, len(a[0].Sections))
	}
	i1, i2 := s1.Inputs(), s2.Inputs()
	if len(i1) != 1 || len(i2) != 1 || i1[0].Bytes != 53660 || i2[0].Bytes >= i1[0].Bytes || i1[0].SHA256 == i2[0].SHA256 {
		t.Errorf("inputs: %+v %+v", i1, i2)
	}
	// A folder without a manifest: ids are paths without extension, sorted.
	sub := filepath.Join(dir, "nested")
	copySampleTexts(t, filepath.Join(sub, "b"), "")
	writeFile(t, filepath.Join(sub, "a.md"), []byte("# Note\n\nShort text."))
	writeFile(t, filepath.Join(sub, "skip.pdf"), []byte("%PDF"))
	writeFile(t, filepath.Join(sub, "README.md"), []byte("about this folder"))
	docs, _ := openAll(t, sub, Options{})
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "a,b/sun2025,b/zhang2024" {
		t.Fatalf("folder ids = %v", ids)
	}
	// Without a manifest (no title, no journal) the papers split the same way.
	for _, d := range docs[1:] {
		want := withMeta[strings.TrimPrefix(d.ID, "b/")]
		if len(d.Sections) != len(want) {
			t.Errorf("%s without metadata: %d sections, want %d", d.ID, len(d.Sections), len(want))
			continue
		}
		for i, s := range d.Sections {
			if s.Kind != want[i].Kind || s.Heading != want[i].Heading {
				t.Errorf("%s without metadata: section %d = %s %q", d.ID, i, s.Kind, s.Heading)
			}
		}
	}
}

// A manifest row may name its file by an absolute path, or by one relative
// to the manifest's folder (../ included), inside the declared root.
func TestManifestPathsAbsoluteAndRelative(t *testing.T) {
	root := t.TempDir()
	texts := filepath.Join(root, "texts")
	writeFile(t, filepath.Join(texts, "a.txt"), []byte("Visa reviews tightened research security for visiting scholars."))
	writeFile(t, filepath.Join(texts, "b.txt"), []byte("Belonging and cultural identity draw talent home again."))
	man := filepath.Join(root, "manifests", "m.jsonl")
	rows := `{"id":"abs","group":"x","path":` + strconv.Quote(filepath.Join(texts, "a.txt")) + `}
{"id":"rel","group":"y","path":"../texts/b.txt"}
`
	writeFile(t, man, []byte(rows))
	docs, _ := openAll(t, man, Options{Root: root})
	if len(docs) != 2 || !strings.Contains(docs[0].Raw, "Visa reviews") || !strings.Contains(docs[1].Raw, "cultural identity") {
		t.Fatalf("docs = %+v", docs)
	}
}

// A CSV from a spreadsheet in a locale whose decimal mark is a comma uses
// ';' (with a byte-order mark and CRLF lines); other tools write '|'. The
// delimiter is read off the header, and commas inside the text stay text.
func TestCSVDelimiterSniffed(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"semicolon.csv": "\xef\xbb\xbfid;group;score\r\nd1;A;\"0,5\"\r\nd2;B;\"1,25\"\r\n",
		"pipe.csv":      "id|group|score\nd1|A|0,5\nd2|B|1,25\n",
		"comma.csv":     "\"id\",\"group\",score\nd1,A,\"0,5\"\nd2,B,\"1,25\"\n",
	} {
		texts := "Talent mobility; belonging, identity and pay shape where scientists settle."
		p := filepath.Join(dir, name)
		// Each row's text: the score column holds a decimal comma; add the text column.
		sep := map[string]string{"semicolon.csv": ";", "pipe.csv": "|", "comma.csv": ","}[name]
		lines := strings.SplitAfter(data, "\n")
		var b strings.Builder
		for i, l := range lines {
			if l == "" {
				continue
			}
			end := strings.TrimRight(l, "\r\n")
			nl := l[len(end):]
			if i == 0 {
				b.WriteString(end + sep + "text" + nl)
			} else {
				b.WriteString(end + sep + `"` + texts + `"` + nl)
			}
		}
		writeFile(t, p, []byte(b.String()))
		docs, _ := openAll(t, p, Options{})
		if len(docs) != 2 || docs[0].ID != "d1" || docs[1].Group != "B" || docs[0].Raw != texts {
			t.Fatalf("%s: %d docs, first %+v", name, len(docs), docs[0])
		}
		if got := docs[0].Meta["score"]; got != "0,5" {
			t.Errorf("%s: score %v, want the cell 0,5", name, got)
		}
	}
}
