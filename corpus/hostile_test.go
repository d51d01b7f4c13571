package corpus

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

const goodText = "Visa reviews tightened research security for visiting scholars."

// drainWithin drains s on another goroutine and fails the test when that
// takes longer than d: a reader that blocks (a FIFO) must not hang a test.
func drainWithin(t *testing.T, s *Stream, d time.Duration) ([]*Document, []*DocError, error) {
	t.Helper()
	type res struct {
		docs []*Document
		bad  []*DocError
		err  error
	}
	ch := make(chan res, 1)
	go func() {
		docs, bad, err := drain(t, s)
		ch <- res{docs, bad, err}
	}()
	select {
	case r := <-ch:
		return r.docs, r.bad, r.err
	case <-time.After(d):
		t.Fatalf("reading the corpus did not finish in %v", d)
	}
	return nil, nil, nil
}

// GzipBomb writes a .gz file that expands to n MB of zeros: concatenated
// gzip members of 1 MB each (gzip.Reader reads them all as one stream), so
// a 10 GB bomb is some 10 MB on disk and written in a moment.
func gzipBomb(t testing.TB, p string, mb int) {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range mb {
		if _, err := f.Write(member.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
}

// Every bound is a document error naming the document, and the good
// documents around it are all read.
func TestBoundsAreDocumentErrors(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	writeFile(t, filepath.Join(folder, "a.txt"), []byte(goodText))
	writeFile(t, filepath.Join(folder, "big.txt"), bytes.Repeat([]byte("word "), 300)) // 1,500 bytes
	writeFile(t, filepath.Join(folder, "bigz.txt.gz"), bytes.Repeat([]byte("word "), 300))
	gzipBomb(t, filepath.Join(folder, "bomb.txt.gz"), 40)
	writeFile(t, filepath.Join(folder, "z.txt"), []byte(goodText))

	s, err := Open(folder, Options{MaxDocBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drainWithin(t, s, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "a" || docs[1].ID != "z" {
		t.Errorf("good documents: %d", len(docs))
	}
	want := map[string]error{"big.txt": ErrTooLarge, "bigz.txt.gz": ErrTooLarge, "bomb.txt.gz": ErrTooLarge}
	if len(bad) != len(want) {
		t.Fatalf("document errors %v", bad)
	}
	for _, de := range bad {
		if !errors.Is(de, want[de.Source]) || !strings.Contains(de.Error(), "reader.max_doc_bytes") {
			t.Errorf("%s: %v", de.Source, de)
		}
	}

	// With a large document bound, the bomb stops at the ratio.
	s, err = Open(folder, Options{MaxDocBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	_, bad, err = drainWithin(t, s, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0].Source != "bomb.txt.gz" || !errors.Is(bad[0], ErrGzipRatio) || !strings.Contains(bad[0].Error(), "max_gzip_ratio") {
		t.Errorf("bomb: %v", bad)
	}
	// A bomb as a row dump is fatal and names the file.
	bomb := filepath.Join(dir, "bomb.jsonl.gz")
	var lines bytes.Buffer
	zw := gzip.NewWriter(&lines)
	line := []byte(`{"text":"` + strings.Repeat("a", 1000) + `"}` + "\n")
	for range 40_000 { // 40 MB
		zw.Write(line)
	}
	zw.Close()
	writeRaw(t, bomb, lines.Bytes())
	s, err = Open(bomb, Options{MaxGzipRatio: 20})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for ; err == nil; n++ {
		_, err = s.Next()
	}
	if !errors.Is(err, ErrGzipRatio) || !strings.Contains(err.Error(), bomb) || n > 20_000 {
		t.Errorf("JSONL bomb: %v after %d rows", err, n)
	}
}

// Rows: a text above the bound, a JSONL line above twice the bound (read
// through, not kept), a CSV record that never ends, a YAML manifest too
// large to read whole.
func TestRowBounds(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("x", 3000)
	p := filepath.Join(dir, "rows.jsonl")
	writeFile(t, p, []byte(`{"id":"a","text":"`+goodText+`"}
{"id":"b","text":"`+long[:1500]+`"}
{"id":"c","text":"`+long+`"}
{"id":"d","text":"`+goodText+`"}
`))
	s, err := Open(p, Options{MaxDocBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil || len(docs) != 2 || docs[0].ID != "a" || docs[1].ID != "d" || len(bad) != 2 {
		t.Fatalf("JSONL: docs %d, bad %v, err %v", len(docs), bad, err)
	}
	if bad[0].Source != "rows.jsonl:2" || !errors.Is(bad[0], ErrTooLarge) || bad[1].Source != "rows.jsonl:3" || !errors.Is(bad[1], ErrTooLarge) {
		t.Errorf("JSONL errors: %v", bad)
	}

	p = filepath.Join(dir, "rows.csv")
	writeFile(t, p, []byte("id,text\na,"+goodText+"\nb,\"an unclosed quote "+strings.Repeat("and more text ", 20_000)+"\n"))
	s, err = Open(p, Options{MaxDocBytes: 50_000})
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err = drain(t, s)
	var pe *ParseError
	if len(docs) != 1 || !errors.As(err, &pe) || !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "unclosed quote") {
		t.Errorf("CSV: docs %d, err %v", len(docs), err)
	}

	p = filepath.Join(dir, "manifest.yaml")
	writeFile(t, p, []byte("- id: a\n  text: "+long+"\n"))
	if _, err := Open(p, Options{MaxDocBytes: 1000}); !errors.As(err, &pe) || !errors.Is(err, ErrTooLarge) {
		t.Errorf("YAML: %v", err)
	}
}

// Special files are never opened: a FIFO blocked the run forever. Kernel
// files are refused even where outside paths are allowed.
func TestOnlyRegularFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	writeFile(t, filepath.Join(folder, "a.txt"), []byte(goodText))
	if err := syscall.Mkfifo(filepath.Join(folder, "pipe.txt"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := syscall.Mkfifo(filepath.Join(folder, "noext"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(folder, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drainWithin(t, s, 30*time.Second)
	if err != nil || len(docs) != 1 || len(bad) != 2 {
		t.Fatalf("docs %d, bad %v, err %v", len(docs), bad, err)
	}
	for _, de := range bad {
		if !errors.Is(de, ErrNotRegular) || !strings.Contains(de.Error(), "FIFO") {
			t.Errorf("%v", de)
		}
	}

	man := filepath.Join(dir, "m.jsonl")
	writeFile(t, man, []byte(`{"id":"env","path":"/proc/self/environ"}
{"id":"null","path":"/dev/zero"}
{"id":"pipe","path":"folder/pipe.txt"}
{"id":"ok","path":"folder/a.txt"}
`))
	s, err = Open(man, Options{AllowOutsidePaths: true})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drainWithin(t, s, 30*time.Second)
	if err != nil || len(docs) != 1 || docs[0].ID != "ok" || len(bad) != 3 {
		t.Fatalf("manifest: docs %d, bad %v, err %v", len(docs), bad, err)
	}
	for i, de := range bad {
		if !errors.Is(de, ErrNotRegular) || de.Source != "m.jsonl:"+itoa(i+1) {
			t.Errorf("%s: %v", de.Source, de)
		}
	}
}

// A manifest cannot pull files from outside its folder into the tables:
// not by ../, not by an absolute path, not through a symbolic link; unless
// allowed, or inside the declared root.
func TestPathsOutsideTheCorpus(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(root, "private", "secret.txt")
	writeFile(t, secret, []byte("the password is swordfish"))
	corpusDir := filepath.Join(root, "data")
	writeFile(t, filepath.Join(corpusDir, "texts", "a.txt"), []byte(goodText))
	if err := os.Symlink(secret, filepath.Join(corpusDir, "texts", "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "private"), filepath.Join(corpusDir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	man := filepath.Join(corpusDir, "manifest.jsonl")
	writeFile(t, man, []byte(`{"id":"dots","path":"../private/secret.txt"}
{"id":"deep","path":"../../../../../../../../etc/passwd"}
{"id":"abs","path":`+`"`+secret+`"}
{"id":"link","path":"texts/link.txt"}
{"id":"linkdir","path":"linkdir/secret.txt"}
{"id":"ok","path":"texts/a.txt"}
{"id":"inside","path":"texts/../texts/a.txt"}
`))
	s, err := Open(man, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil || len(docs) != 2 || docs[0].ID != "ok" || docs[1].ID != "inside" || len(bad) != 5 {
		t.Fatalf("docs %v, bad %v, err %v", docs, bad, err)
	}
	for i, de := range bad {
		if !errors.Is(de, ErrOutside) || de.Source != "manifest.jsonl:"+itoa(i+1) || !strings.Contains(de.Error(), "--allow-outside-paths") {
			t.Errorf("row %d: %v", i+1, de)
		}
	}
	// A folder corpus: the link is refused too.
	s, err = Open(filepath.Join(corpusDir, "texts"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if docs, bad, err := drain(t, s); err != nil || len(docs) != 1 || len(bad) != 1 || !errors.Is(bad[0], ErrOutside) {
		t.Errorf("folder: docs %d, bad %v, err %v", len(docs), bad, err)
	}
	// Inside the declared root: all but /etc/passwd.
	s, err = Open(man, Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	if err != nil || len(docs) != 6 || len(bad) != 1 || bad[0].Source != "manifest.jsonl:2" || !strings.Contains(docs[0].Raw, "swordfish") {
		t.Errorf("root: docs %d, bad %v, err %v", len(docs), bad, err)
	}
	// Allowed explicitly: everything that exists.
	s, err = Open(man, Options{AllowOutsidePaths: true})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err = drain(t, s)
	for _, de := range bad {
		if errors.Is(de, ErrOutside) {
			t.Errorf("allowed: %v", de)
		}
	}
	if err != nil || len(docs)+len(bad) != 7 || len(docs) < 6 {
		t.Errorf("allowed: docs %d, bad %v, err %v", len(docs), bad, err)
	}
}

// Binary data named .txt is refused: it was analysed as 880 junk words.
func TestBinaryNamedTxt(t *testing.T) {
	dir := t.TempDir()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 500)...)
	writeFile(t, filepath.Join(dir, "image.txt"), png)
	writeFile(t, filepath.Join(dir, "a.txt"), []byte(goodText))
	writeFile(t, filepath.Join(dir, "utf16.txt"), utf16Bytes(goodText, false)) // with a byte-order mark: text
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drain(t, s)
	if err != nil || len(docs) != 2 || len(bad) != 1 || bad[0].Source != "image.txt" || !errors.Is(bad[0], ErrBinary) {
		t.Errorf("docs %d, bad %v, err %v", len(docs), bad, err)
	}
}

// writeTextParquet writes a snappy-compressed Parquet file of id and text
// columns, one row group.
func writeTextParquet(t testing.TB, p string, ids, texts []string) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}, {Name: "text", Type: arrow.BinaryTypes.String}}, nil)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := pqarrow.NewFileWriter(schema, f, parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range ids {
		b.Field(0).(*array.StringBuilder).Append(ids[i])
		b.Field(1).(*array.StringBuilder).Append(texts[i])
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

// A Parquet file with a damaged page, a damaged footer, or no text column
// is an error naming the file, never a panic ("snappy: corrupt input").
func TestDamagedParquet(t *testing.T) {
	dir := t.TempDir()
	var ids, texts []string
	for i := range 50 {
		ids = append(ids, "d"+itoa(i))
		texts = append(texts, strings.Repeat("Talent competition shapes research security policy. ", 5+i%7))
	}
	good := filepath.Join(dir, "good.parquet")
	writeTextParquet(t, good, ids, texts)
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// Damage the data pages at several places, and the footer.
	snappy := 0
	for _, at := range []float64{0.1, 0.3, 0.5, 0.7, 0.9, 0.97} {
		d := bytes.Clone(b)
		i := int(at * float64(len(d)))
		for j := i; j < i+16 && j < len(d)-8; j++ {
			d[j] ^= 0x5a
		}
		p := filepath.Join(dir, "bad.parquet")
		writeRaw(t, p, d)
		s, err := Open(p, Options{})
		if err == nil {
			_, _, err = drain(t, s)
			s.Close()
		}
		// Damaged text bytes are not checked (page checksums are
		// optional); the rest must be an error that names the file.
		if err != nil && !strings.Contains(err.Error(), p) {
			t.Errorf("damage at %.0f%%: %v does not name the file", 100*at, err)
		}
		if err != nil && strings.Contains(err.Error(), "snappy") {
			snappy++
		}
	}
	if snappy == 0 {
		t.Error("no damage reached the snappy decoder, whose panic this test is about")
	}
	noText := filepath.Join(dir, "notext.parquet")
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}, {Name: "body", Type: arrow.PrimitiveTypes.Int64}}, nil)
	f, _ := os.Create(noText)
	w, _ := pqarrow.NewFileWriter(schema, f, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps())
	w.Close()
	f.Close()
	var pe *ParseError
	if _, err := Open(noText, Options{}); !errors.As(err, &pe) || !strings.Contains(err.Error(), `no text column "text"`) {
		t.Errorf("no text column: %v", err)
	}
	writeRaw(t, filepath.Join(dir, "junk.parquet"), []byte("PAR1 this is not parquet PAR1"))
	if _, err := Open(filepath.Join(dir, "junk.parquet"), Options{}); !errors.As(err, &pe) {
		t.Errorf("junk: %v", err)
	}
}

// HTML cannot expand: it has no user-defined entities, and no character
// reference is longer as text than as markup; nesting is capped by the
// parser (512 open elements) and reported as the document's error.
func TestHTMLBounds(t *testing.T) {
	page := "<html><body><p>" + strings.Repeat("&NotNestedGreaterGreater;&nGt;&#x1F600;&amp;&lt;", 2000) + "</p></body></html>"
	h, err := htmlToText(page)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.text) > len(page) {
		t.Errorf("entities expanded %d bytes of HTML into %d of text", len(page), len(h.text))
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "deep.html"), []byte("<html><body>"+strings.Repeat("<div>", 100_000)+"deep"))
	writeFile(t, filepath.Join(dir, "script.html"), []byte("<html><body><script>"+strings.Repeat("var a = 1;", 1000)+"</script></body></html>"))
	writeFile(t, filepath.Join(dir, "z.txt"), []byte(goodText))
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs, bad, err := drainWithin(t, s, time.Minute)
	if err != nil || len(bad) != 1 || bad[0].Source != "deep.html" || !strings.Contains(bad[0].Error(), "512") {
		t.Fatalf("docs %d, bad %v, err %v", len(docs), bad, err)
	}
	if len(docs) != 2 || strings.TrimSpace(docs[0].Raw) != "" || docs[1].ID != "z" {
		t.Errorf("script-only page: %q", docs[0].Raw)
	}
}

// A Parquet batch holds at most about 64 MB: 256 rows of book-length texts
// would be gigabytes.
func TestParquetBatchBounded(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		rowBytes, want int
	}{{100, 256}, {1 << 20, 64}, {20 << 20, 3}} {
		p := filepath.Join(dir, "rows.parquet")
		ids, texts := []string{"a", "b", "c"}, []string{}
		for range ids {
			texts = append(texts, strings.Repeat("x", tc.rowBytes))
		}
		writeTextParquet(t, p, ids, texts)
		pf, err := file.OpenParquetFile(p, false)
		if err != nil {
			t.Fatal(err)
		}
		// The column chunks hold a few bytes besides the text.
		if got := batchRows(pf); got < int64(tc.want)-1 || got > int64(tc.want) {
			t.Errorf("rows of %d bytes: batch %d, want %d", tc.rowBytes, got, tc.want)
		}
		pf.Close()
	}
}

// An anchored list named by many aliases expands quadratically (a 16 MB
// manifest would be 10^12 words of values): aliases may expand to no more
// than the YAML's own size. Ordinary aliases (a few shared values) pass.
func TestYAMLAliasBomb(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("- {id: a, text: \"" + goodText + "\", tags: &t [" + strings.Repeat("word, ", 20_000) + "end]}\n")
	for i := range 20_000 {
		b.WriteString("- {id: r" + itoa(i) + ", text: x, tags: *t}\n")
	}
	p := filepath.Join(dir, "m.yaml")
	writeFile(t, p, []byte(b.String()))
	s, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var pe *ParseError
	if _, _, err := drainWithin(t, s, 30*time.Second); !errors.As(err, &pe) || !errors.Is(err, errAliasBomb) || !strings.Contains(err.Error(), p) {
		t.Errorf("manifest: %v", err)
	}

	ok := filepath.Join(dir, "ok.yaml")
	writeFile(t, ok, []byte("- {id: a, text: x, lang: &en en, tags: &t [a, b]}\n- {id: b, text: y, lang: *en, tags: *t}\n"))
	s, err = Open(ok, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if docs, bad, err := drain(t, s); err != nil || len(docs) != 2 || len(bad) != 0 || docs[1].Lang != "en" || docs[1].Meta["tags"] != "a; b" {
		t.Errorf("ordinary aliases: docs %v, bad %v, err %v", docs, bad, err)
	}

	var fm strings.Builder
	fm.WriteString("---\ntitle: T\nlist: &l [" + strings.Repeat("w, ", 5_000) + "w]\n")
	for i := range 5_000 {
		fm.WriteString("k" + itoa(i) + ": *l\n")
	}
	fm.WriteString("---\n" + goodText)
	doc := &Document{}
	w := applyFrontMatter(doc, strings.TrimPrefix(strings.SplitN(fm.String(), "---\n", 3)[1], ""))
	if !strings.Contains(w, "alias bomb") || doc.Title != "T" {
		t.Errorf("front matter: warning %q, title %q", w, doc.Title)
	}
}
