package corpus

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// drain reads a stream to its end, collecting documents and per-document
// errors; a fatal error is returned.
func drain(t *testing.T, s *Stream) ([]*Document, []*DocError, error) {
	t.Helper()
	var docs []*Document
	var bad []*DocError
	for i := 0; i < 1000; i++ {
		d, err := s.Next()
		if err == io.EOF {
			return docs, bad, nil
		}
		var de *DocError
		if errors.As(err, &de) {
			bad = append(bad, de)
			continue
		}
		if err != nil {
			return docs, bad, err
		}
		docs = append(docs, d)
	}
	t.Fatal("stream does not end")
	return nil, nil, nil
}

func TestManifestSyntaxErrorNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "manifest.yaml")
	writeFile(t, p, []byte("- id: a\n  path: a.txt\n- id: b\n  path: [b.txt\n  group: x\n"))
	_, err := Open(p, Options{})
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("want *ParseError, got %T %v", err, err)
	}
	if pe.File != p || pe.Line != 4 || !strings.Contains(err.Error(), p+":"+itoa(pe.Line)) {
		t.Errorf("ParseError = %+v (%v)", pe, err)
	}
	// The same error further down is reported further down.
	writeFile(t, p, []byte("- id: a\n  path: a.txt\n\n\n- id: b\n  path: [b.txt\n  group: x\n"))
	if _, err = Open(p, Options{}); !errors.As(err, &pe) || pe.Line != 6 {
		t.Errorf("shifted error: %v", err)
	}
	writeFile(t, p, []byte("- a: 1\n- b: c: d\n"))
	if _, err = Open(p, Options{}); !errors.As(err, &pe) || pe.Line != 2 || !strings.Contains(err.Error(), "mapping values") {
		t.Errorf("scanner error: %v", err)
	}
	// A manifest that parses but has the wrong shape is fatal too, with a line.
	writeFile(t, p, []byte("\n\ndocuments: 7\n"))
	_, err = Open(p, Options{})
	if !errors.As(err, &pe) || pe.Line != 3 {
		t.Errorf("wrong-shape manifest: %v", err)
	}
	// A CSV quoting error desynchronises the file: fatal, with line and column.
	c := filepath.Join(dir, "m.csv")
	writeFile(t, c, []byte("id,text\na,fine\nb,\"broken \"quote\" here\nc,never read\n"))
	s, err := Open(c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err := drain(t, s)
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column == 0 || len(docs) != 1 {
		t.Errorf("csv: docs %d, err %v", len(docs), err)
	}
	if _, err2 := s.Next(); err2 != err {
		t.Errorf("a fatal error must stick, got %v", err2)
	}
}

func itoa(n int) string { return scalarString(int64(n)) }

func TestMissingFileIsOneDocError(t *testing.T) {
	dir := t.TempDir()
	copySampleTexts(t, dir, "")
	p := filepath.Join(dir, "manifest.yaml")
	writeFile(t, p, []byte(`- id: sun
  path: sun2025.txt
- id: ghost
  path: missing.txt
- id: zhang
  path: zhang2024.txt
`))
	s, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "sun" || docs[1].ID != "zhang" || docs[1].Seq != 1 {
		t.Fatalf("docs = %d", len(docs))
	}
	if len(bad) != 1 || bad[0].ID != "ghost" || bad[0].Source != "manifest.yaml:3" || !strings.Contains(bad[0].Error(), "missing.txt") {
		t.Errorf("doc errors = %v", bad)
	}
	// In a folder, a manifest row without its file comes out after the files.
	writeFile(t, filepath.Join(dir, "manifest.yaml"), []byte("- {path: sun2025.txt, id: sun}\n- {path: gone.txt, id: gone}\n"))
	s, _ = Open(dir, Options{})
	docs, bad, err = drain(t, s)
	if err != nil || len(docs) != 2 || len(bad) != 1 || !strings.Contains(bad[0].Error(), "gone.txt") || docs[1].ID != "zhang2024" {
		t.Errorf("folder: %d docs, %v, %v", len(docs), bad, err)
	}
}

func TestBadJSONLLineIsDocError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "d.jsonl")
	writeFile(t, p, []byte(`{"id":"a","text":"One."}
{"id":"b","text":"Two.
{"id":"c","text":"Three."}

[1,2]
{"id":"e","group":"g"}
{"id":"f","text":"Six.","n":1}
{"id":"g","text":"Seven.","n":"many"}
`))
	s, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if strings.Join(ids, ",") != "a,c,f,g" {
		t.Errorf("ids = %v", ids)
	}
	if len(bad) != 3 || bad[0].Source != "d.jsonl:2" || bad[1].Source != "d.jsonl:5" || bad[2].Source != "d.jsonl:6" {
		t.Fatalf("doc errors = %v", bad)
	}
	if !strings.Contains(bad[0].Error(), "d.jsonl:2") || !strings.Contains(bad[0].Error(), "JSON") {
		t.Errorf("message %q", bad[0].Error())
	}
	// A column keeps its type: "many" is not an int like row f's, so it is
	// dropped with a warning instead of changing type mid-stream.
	if docs[2].Meta["n"] != int64(1) || docs[3].Meta["n"] != nil || len(docs[3].Warnings) != 1 {
		t.Errorf("typed meta: %v %v %v", docs[2].Meta, docs[3].Meta, docs[3].Warnings)
	}
}

// A text column value that is not a string was taken as the text without a
// word: a number, a boolean, a list ("x; y") or a JSON object. A number or a
// boolean is still the text, with a warning naming the column and the value
// (it usually means the wrong text column); a list or an object is no text:
// like a row without text, the row is one *DocError naming the file, the
// line, the column and what it held.
func TestTextColumnThatIsNotAString(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "d.jsonl")
	writeFile(t, p, []byte(`{"id":"a","text":42}
{"id":"b","text":"Fine.","extra":{"k":[1,2]}}
{"id":"c","text":true}
{"id":"d","text":["x","y"]}
{"id":"e","text":{"body":"x"}}
{"id":"f","text":2.5,"path":"f.txt"}
{"id":"g","text":[]}
{"id":"h","text":[{"p":"x"}]}
{"id":"i","text":null,"path":"missing.txt"}
`))
	s, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.ID+" "+strconv.Quote(d.Raw)+" "+strings.Join(d.Warnings, "; "))
	}
	wantDocs := []string{
		`a "42" text column "text" holds the number 42, not a string; taken as the text "42"`,
		`b "Fine." `,
		`c "true" text column "text" holds the boolean true, not a string; taken as the text "true"`,
		// The text wins over the path, as for a string.
		`f "2.5" text column "text" holds the number 2.5, not a string; taken as the text "2.5"`,
	}
	if strings.Join(got, "\n") != strings.Join(wantDocs, "\n") {
		t.Errorf("docs:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantDocs, "\n"))
	}
	// An object elsewhere than the text column is still its JSON text.
	if len(docs) > 1 && docs[1].Meta["extra"] != `{"k":[1,2]}` {
		t.Errorf("extra = %#v", docs[1].Meta["extra"])
	}
	want := []string{
		`corpus: d.jsonl:4 (id "d"): text column "text" holds a list ["x", "y"], not text`,
		`corpus: d.jsonl:5 (id "e"): text column "text" holds a JSON object {"body":"x"}, not text`,
		`corpus: d.jsonl:7 (id "g"): text column "text" holds an empty list, not text`,
		`corpus: d.jsonl:8 (id "h"): text column "text" holds a JSON array [{"p":"x"}], not text`,
		`corpus: d.jsonl:9 (id "i"): file missing.txt does not exist`,
	}
	if len(bad) != len(want) {
		t.Fatalf("doc errors = %v, want %d", bad, len(want))
	}
	for i, w := range want {
		if bad[i].Error() != w {
			t.Errorf("doc error %d:\n got %s\nwant %s", i, bad[i].Error(), w)
		}
	}

	// The usual cause: a text column that names a number column.
	n := filepath.Join(dir, "n.jsonl")
	writeFile(t, n, []byte(`{"id":"a","pages":12,"body":"One."}`+"\n"))
	if s, err = Open(n, Options{TextColumn: "pages"}); err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	if err != nil || len(bad) != 0 || len(docs) != 1 || docs[0].Raw != "12" ||
		strings.Join(docs[0].Warnings, "; ") != `text column "pages" holds the number 12, not a string; taken as the text "12"` {
		t.Errorf("TextColumn pages: %v, %v, %v", docs, bad, err)
	}

	// YAML and Parquet say the type too; the same rules apply.
	y := filepath.Join(dir, "m.yaml")
	writeFile(t, y, []byte("- id: a\n  text: 2024\n- id: b\n  text: \"2024\"\n- id: c\n  text: [x, y]\n"))
	if s, err = Open(y, Options{}); err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	if err != nil || len(docs) != 2 || docs[0].Raw != "2024" || len(docs[0].Warnings) != 1 ||
		docs[1].Raw != "2024" || len(docs[1].Warnings) != 0 || len(bad) != 1 ||
		bad[0].Error() != `corpus: m.yaml:5 (id "c"): text column "text" holds a list ["x", "y"], not text` {
		t.Errorf("yaml: %v, %v, %v", docs, bad, err)
	}
	rows := sampleRows(t)
	pq := filepath.Join(dir, "d.parquet")
	writeParquet(t, pq, rows)
	if s, err = Open(pq, Options{TextColumn: "year"}); err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	if err != nil || len(bad) != 0 || len(docs) != len(rows) || docs[1].Raw != itoa(int(rows[1].Year)) ||
		strings.Join(docs[1].Warnings, "; ") != fmt.Sprintf(`text column "year" holds the number %d, not a string; taken as the text "%[1]d"`, rows[1].Year) {
		t.Errorf("parquet, year: %v, %v, %v", docs, bad, err)
	}
	if s, err = Open(pq, Options{TextColumn: "authors"}); err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	if err != nil || len(docs) != 0 || len(bad) != len(rows) ||
		!strings.HasPrefix(bad[1].Error(), fmt.Sprintf(`corpus: d.parquet:2 (id %q): text column "authors" holds a list [%q`, rows[1].ID, rows[1].Authors[0])) {
		t.Errorf("parquet, authors: %d docs, %v, %v", len(docs), bad, err)
	}
	// CSV cells carry no type: a number in the text column is its text.
	c := filepath.Join(dir, "d.csv")
	writeFile(t, c, []byte("id,text\na,42\n"))
	if s, err = Open(c, Options{}); err != nil {
		t.Fatal(err)
	}
	if docs, bad, err = drain(t, s); err != nil || len(bad) != 0 || len(docs) != 1 || docs[0].Raw != "42" || len(docs[0].Warnings) != 0 {
		t.Errorf("csv: %v, %v, %v", docs, bad, err)
	}

	// In a folder, a manifest row's number is its text (its file is not
	// read), and its object an error (its file is not read either).
	f := filepath.Join(dir, "folder")
	copySampleTexts(t, f, "")
	writeFile(t, filepath.Join(f, "manifest.jsonl"), []byte(`{"path":"sun2025.txt","id":"sun","text":7}
{"path":"zhang2024.txt","id":"zhang","text":{"a":1}}
`))
	if s, err = Open(f, Options{}); err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	if err != nil || len(docs) != 1 || docs[0].ID != "sun" || docs[0].Raw != "7" || len(docs[0].Warnings) != 1 || len(bad) != 1 ||
		bad[0].Error() != `corpus: manifest.jsonl:2 (id "zhang"): text column "text" holds a JSON object {"a":1}, not text` {
		t.Errorf("folder: %v, %v, %v", docs, bad, err)
	}
	if read, total := s.Progress(); read != total {
		t.Errorf("folder progress: read %d of %d bytes", read, total)
	}
}

func TestCSVShortRowIsDocError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "d.csv")
	writeFile(t, p, []byte("\xEF\xBB\xBFdoc,body,year,zip\n1,\"Multi\nline\",2020,01234\n2\n3,Third,n/a,99999\n"))
	s, err := Open(p, Options{TextColumn: "body", IDColumn: "doc"})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Raw != "Multi\nline" || docs[0].Year != 2020 || docs[0].Meta["zip"] != "01234" ||
		docs[1].ID != "3" || docs[1].Meta["zip"] != "99999" || len(docs[1].Warnings) != 1 {
		t.Errorf("docs: %+v / %+v", docs[0], docs[1])
	}
	if len(bad) != 1 || bad[0].Source != "d.csv:4" {
		t.Errorf("bad = %v", bad)
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "nope.jsonl"), Options{}); err == nil {
		t.Error("missing path opened")
	}
	p := filepath.Join(t.TempDir(), "x.pdf")
	writeFile(t, p, []byte("%PDF"))
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "Format") {
		t.Errorf("unknown extension: %v", err)
	}
	if _, err := Open(p, Options{Format: "xml"}); err == nil {
		t.Error("unknown format accepted")
	}
	c := filepath.Join(t.TempDir(), "meta.csv")
	writeFile(t, c, []byte("id,body\n1,hello\n"))
	var pe *ParseError
	if _, err := Open(c, Options{}); !errors.As(err, &pe) || !strings.Contains(err.Error(), `no text column "text"`) {
		t.Errorf("csv without text column: %v", err)
	}
	if _, err := Open(c, Options{ColumnTypes: map[string]string{"n": "integer"}}); err == nil {
		t.Error("bad ColumnTypes accepted")
	}
	s, err := Open(c, Options{TextColumn: "body", ColumnTypes: map[string]string{"id": "int"}})
	if err != nil {
		t.Fatal(err)
	}
	if docs, _, err := drain(t, s); err != nil || len(docs) != 1 || docs[0].Raw != "hello" {
		t.Errorf("TextColumn: %v", err)
	}
}

func TestYAMLDefaultsAndOutsidePaths(t *testing.T) {
	dir := t.TempDir()
	copySampleTexts(t, filepath.Join(dir, "texts"), "")
	p := filepath.Join(dir, "manifests", "m.yaml")
	writeFile(t, p, []byte(`defaults:
  group: talent
  lang: en
documents:
  - {id: one, path: ../texts/sun2025.txt, year: 2025, rating: 4}
  - just a string
  - {id: two, text: "Inline text.", group: other, rating: 4.5, tags: [a, b]}
`))
	// ../texts leaves the manifest's folder: refused unless allowed.
	s, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if docs, bad, err := drain(t, s); err != nil || len(docs) != 1 || len(bad) != 2 || bad[0].Source != "m.yaml:5" || !errors.Is(bad[0], ErrOutside) {
		t.Fatalf("without allow_outside_paths: docs %d, bad %v, err %v", len(docs), bad, err)
	}
	s, err = Open(p, Options{AllowOutsidePaths: true})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || len(bad) != 1 || bad[0].Source != "m.yaml:6" {
		t.Fatalf("docs %d, bad %v", len(docs), bad)
	}
	one, two := docs[0], docs[1]
	if one.Group != "talent" || one.Lang != "en" || one.Source != "../texts/sun2025.txt" || !strings.HasPrefix(one.Raw, "International Talent Mobility") {
		t.Errorf("one: %q %q %q", one.Group, one.Lang, one.Source)
	}
	// rating was fixed as int by row one; 4.5 does not fit and is dropped.
	if two.Group != "other" || two.Meta["tags"] != "a; b" || two.Meta["rating"] != nil || len(two.Warnings) != 1 || two.Source != "m.yaml:7" {
		t.Errorf("two: %+v", two)
	}
	var paths []string
	for _, in := range s.Inputs() {
		paths = append(paths, in.Path)
	}
	if strings.Join(paths, ",") != "m.yaml,../texts/sun2025.txt" {
		t.Errorf("inputs %v", paths)
	}
}

// A .gz input that is not valid gzip gives an error that names the file and
// says what is wrong once (it said "gzip: gzip: invalid header"), and an
// empty or damaged .gz document in a folder is one document's error: its
// io.EOF ended the whole corpus silently, dropping every later document.
func TestDamagedGzipNamesFileOnce(t *testing.T) {
	dir := t.TempDir()
	var good bytes.Buffer
	zw := gzip.NewWriter(&good)
	zw.Write([]byte(strings.Repeat(`{"id":"a","text":"Visa reviews tightened research security."}`+"\n", 1)))
	for i := range 200 {
		fmt.Fprintf(zw, "{\"id\":\"d%d\",\"text\":\"Belonging and identity draw talent home, survey %d found.\"}\n", i, i*7919)
	}
	zw.Close()
	damaged := bytes.Clone(good.Bytes())
	damaged[len(damaged)-6] ^= 0xff // CRC-32 of the data
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"dump.jsonl.gz", []byte("this is not gzip at all\n"), "corpus: dump.jsonl.gz: not a valid gzip file (invalid header)"},
		{"empty.jsonl.gz", nil, "corpus: empty.jsonl.gz: not a valid gzip file (empty file)"},
		{"short.jsonl.gz", []byte{0x1f, 0x8b, 8}, "corpus: short.jsonl.gz: not a valid gzip file (truncated header)"},
		{"cut.jsonl.gz", good.Bytes()[:good.Len()/2], "corpus: cut.jsonl.gz: corrupt gzip file (truncated"},
		{"crc.jsonl.gz", damaged, "corpus: crc.jsonl.gz: corrupt gzip file (checksum mismatch"},
		{"manifest.yaml.gz", []byte("not gzip"), "corpus: manifest.yaml.gz: not a valid gzip file (truncated header)"},
		{"rows.csv.gz", []byte("id,text\na,b\n"), "corpus: rows.csv.gz: not a valid gzip file (invalid header)"},
	} {
		p := filepath.Join(dir, tc.name)
		writeRaw(t, p, tc.data)
		s, err := Open(p, Options{})
		if err == nil {
			_, _, err = drain(t, s)
			s.Close()
		}
		tc.want = strings.Replace(tc.want, tc.name, p, 1) // named by the path given
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
			continue
		}
		if n := strings.Count(strings.ToLower(strings.Replace(err.Error(), p, "", 1)), "gzip"); n != 1 {
			t.Errorf("%s: %q says gzip %d times", tc.name, err, n)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: %v reads as the end of the input", tc.name, err)
		}
	}

	folder := filepath.Join(dir, "folder")
	writeRaw(t, filepath.Join(folder, "a.txt.gz"), nil)
	writeRaw(t, filepath.Join(folder, "b.txt.gz"), []byte("not gzip"))
	writeFile(t, filepath.Join(folder, "c.txt"), []byte("Visa reviews tightened research security."))
	s, err := Open(folder, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, bad, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].ID != "c" {
		t.Errorf("documents read after the damaged .gz files: %d, want c", len(docs))
	}
	for _, de := range bad {
		if errors.Is(de, io.EOF) {
			t.Errorf("%v reads as the end of the corpus", de)
		}
	}
	if len(bad) != 2 || !strings.Contains(bad[0].Error(), "a.txt.gz") || !strings.Contains(bad[0].Error(), "not a valid gzip file (empty file)") ||
		!strings.Contains(bad[1].Error(), "b.txt.gz") || !strings.Contains(bad[1].Error(), "not a valid gzip file") {
		t.Errorf("document errors = %v", bad)
	}
}

// writeRaw writes b as it is (writeFile compresses a .gz name).
func writeRaw(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// An input that does not parse is named by the path the user gave — the
// corpus file, or the folder joined to its manifest — not by its base name
// ("manifest.yaml:4" sent the user looking for the wrong file). Document
// sources stay relative to the corpus.
func TestParseErrorsNameThePathAsGiven(t *testing.T) {
	t.Chdir(t.TempDir())
	broken := []byte("documents:\n  - id: a\n    group: x\n    text: [unclosed\n")
	writeFile(t, filepath.Join("corpora", "un", "manifest.yaml"), broken)
	writeFile(t, filepath.Join("corpora", "un", "a.txt"), []byte("Visa reviews tightened."))
	writeFile(t, filepath.Join("corpora", "dump.csv"), []byte("id,text\na,fine\nb,\"broken \"quote\" here\n"))
	writeRaw(t, filepath.Join("corpora", "bad.jsonl.gz"), []byte("not gzip"))
	for _, tc := range []struct{ open, want string }{
		{"corpora/un/manifest.yaml", "corpus: cannot parse corpora/un/manifest.yaml:4:"},
		{"./corpora/un/manifest.yaml", "corpus: cannot parse ./corpora/un/manifest.yaml:4:"},
		{"corpora/un", "corpus: cannot parse " + filepath.Join("corpora", "un", "manifest.yaml") + ":4:"},
		{"corpora/dump.csv", "corpus: cannot parse corpora/dump.csv:3:"},
		{"corpora/bad.jsonl.gz", "corpus: corpora/bad.jsonl.gz: not a valid gzip file"},
	} {
		s, err := Open(tc.open, Options{})
		var docs []*Document
		if err == nil {
			docs, _, err = drain(t, s)
			s.Close()
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Open(%q): %v; want %q", tc.open, err, tc.want)
		}
		for _, d := range docs {
			if d.Source != "dump.csv:2" {
				t.Errorf("document source %q, want it relative to the corpus (dump.csv:2)", d.Source)
			}
		}
	}
}

// A file that cannot be opened is named once, by the path as given, with
// "open" once: it said "corpus: open x.jsonl: open x.jsonl: …" (the
// *fs.PathError's own op and name) or "corpus: open x.txt: stat x.txt: …".
func TestCannotOpenSaysOpenOnce(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	_, serr := os.Stat("nowhere")
	var pe *fs.PathError
	if !errors.As(serr, &pe) {
		t.Fatalf("stat of a missing file: %v", serr)
	}
	enoent := pe.Err.Error() // "no such file or directory"
	abs := filepath.Join(dir, "corpora", "missing.jsonl")
	for _, p := range []string{"corpora/missing.txt", "./corpora/missing.jsonl", abs, "corpora/missing.csv.gz", "corpora"} {
		_, err := Open(p, Options{})
		if want := "corpus: open " + p + ": " + enoent; err == nil || err.Error() != want {
			t.Errorf("Open(%q): %v; want %q", p, err, want)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q): %v is not fs.ErrNotExist", p, err)
		}
	}

	// A single text file gone by the time it is read: fatal, same shape.
	writeFile(t, filepath.Join("corpora", "gone.txt"), []byte("Visa reviews tightened."))
	s, err := Open("corpora/gone.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join("corpora", "gone.txt")); err != nil {
		t.Fatal(err)
	}
	_, _, err = drain(t, s)
	if want := "corpus: open corpora/gone.txt: " + enoent; err == nil || err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("gone.txt: %v; want %q", err, want)
	}

	// A row file that Open's stat saw but that cannot be opened (gone here;
	// unreadable alike): the row readers' open error, built as Open does.
	for _, name := range []string{"rows.jsonl", "rows.csv", "rows.yaml", "rows.parquet"} {
		given := "corpora/" + name
		fsys := &fileSys{fsys: os.DirFS("corpora"), osRoot: "corpora", in: &inputs{seen: map[string]bool{}}, file: name, given: given}
		_, err := newSource(fsys, name, formatOf(name), Options{})
		if err == nil {
			t.Fatalf("%s: opened", name)
		}
		err = fsys.asGiven(err)
		if want := "corpus: open " + given + ": " + enoent; err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v; want %q", name, err, want)
		}
	}
}
