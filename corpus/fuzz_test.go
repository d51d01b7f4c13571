package corpus

// Fuzz targets for every reader and parser of the package, the cleaner and
// the front matter. Run one with
//
//	go test ./corpus -run '^$' -fuzz '^FuzzJSONLRows$' -fuzztime 60s
//
// or all of them with `make fuzz` (FUZZTIME, default 60s each). Seeds are
// added with f.Add; inputs the fuzzer found that failed are kept under
// testdata/fuzz/<Target>/ and replayed by every `go test`.

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

// watchdog crashes the fuzz worker when one input takes longer than d, so
// that the fuzzer keeps the input of a hang (it has no time limit of its
// own): `defer watchdog(d)()`.
func watchdog(d time.Duration) func() bool {
	return time.AfterFunc(d, func() { panic("one input took longer than " + d.String()) }).Stop
}

// fuzzLimits keeps the fuzzer's inputs small and its bounds reachable.
var fuzzLimits = Options{MaxDocBytes: 64 << 10}

// memStream opens files held in memory as a corpus would be opened: name is
// the corpus file (a row dump or manifest), or "" for a folder.
func memStream(files fstest.MapFS, name, format string, opts Options) (*Stream, error) {
	in := &inputs{seen: map[string]bool{}}
	fsys := &fileSys{fsys: files, in: in, lim: opts, file: name}
	var src source
	var err error
	switch format {
	case "folder":
		src, err = newFolderSource(fsys, opts)
	case "txt":
		src = &singleSource{fsys: fsys, name: name}
	default:
		src, err = newRowSource(fsys, name, format, opts)
	}
	if err != nil {
		return nil, err
	}
	return &Stream{src: src, inputs: in, fsys: fsys}, nil
}

// fuzzDrain reads a stream to its end and checks what every reader
// promises: documents hold valid UTF-8, a bad document is a *DocError
// with a source, the stream ends (io.EOF or one fatal error, repeated).
func fuzzDrain(t *testing.T, s *Stream, err error) {
	if err != nil {
		return
	}
	defer s.Close()
	for i := 0; ; i++ {
		if i > 100_000 {
			t.Fatal("stream does not end")
		}
		doc, err := s.Next()
		if err == io.EOF {
			return
		}
		var de *DocError
		if errors.As(err, &de) {
			if de.Source == "" {
				t.Fatalf("document error without a source: %v", err)
			}
			continue
		}
		if err != nil {
			if _, err2 := s.Next(); err2 != err {
				t.Fatalf("fatal error %v, then %v", err, err2)
			}
			return
		}
		for _, f := range []string{doc.Raw, doc.ID, doc.Group, doc.Title, doc.Source} {
			if !utf8.ValidString(f) {
				t.Fatalf("invalid UTF-8 in a document field: %q", f)
			}
		}
		if int64(len(doc.Raw)) > fuzzLimits.maxDoc()*2 {
			t.Fatalf("document of %d bytes passed the bound", len(doc.Raw))
		}
	}
}

func FuzzJSONLRows(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","group":"x","text":"Visa reviews tightened."}` + "\n" + `{"id":"b","text":"More."}`,
		`{"id":1,"text":42,"year":"MMXX","authors":["A","B"],"meta":{"a":[1,{"b":null}]}}`,
		"\xEF\xBB\xBF{\"text\":\"bom\"}\r\n\r\n{\"text\":\"crlf\"}\r\n",
		`{"text":"a"} {"text":"b"}` + "\nnull\n[1,2]\n{\"text\":[\"x\"]}\n{broken",
		`{"text":"\ud800 lone surrogate \u0000 nul"}`,
		`{"id":"a","text":"x"}` + "\n" + `{"id":"a","text":"duplicate"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(10 * time.Second)()
		s, err := memStream(fstest.MapFS{"dump.jsonl": {Data: b}}, "dump.jsonl", "jsonl", fuzzLimits)
		fuzzDrain(t, s, err)
	})
}

func FuzzCSVRows(f *testing.F) {
	for _, s := range []string{
		"id,group,text\na,x,Visa reviews tightened.\nb,y,\"Quoted, with comma\"\n",
		"\xEF\xBB\xBFid;text;year\r\na;Semicolon text;2020\r\nb;ragged\r\n",
		"id,text\na,\"stray \"quote\" here\nb,\"unclosed\n",
		"text\n\n\n",
		"id\ttext\nа\tTab separated \"lazy\" quotes\n",
		"id|group|text\n1|a|pipes\n2|b|x|extra\n",
		"",
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte("id\ttext\na\tTSV\n"), true)
	f.Fuzz(func(t *testing.T, b []byte, tsv bool) {
		defer watchdog(10 * time.Second)()
		name, format := "rows.csv", "csv"
		if tsv {
			name, format = "rows.tsv", "tsv"
		}
		s, err := memStream(fstest.MapFS{name: {Data: b}}, name, format, fuzzLimits)
		fuzzDrain(t, s, err)
	})
}

func FuzzYAMLManifest(f *testing.F) {
	for _, s := range []string{
		"- {id: a, text: Visa reviews tightened., group: x, year: 2020}\n- {id: b, path: b.txt}\n",
		"defaults: {group: g, lang: en}\ndocuments:\n  - {id: a, text: t, tags: [a, b]}\n  - just a string\n",
		"a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
		"- &r {id: a, text: anchored}\n- *r\n- {id: c, text: *r}\n",
		"- {id: a, text: [nested, [list]]}\n- {id: b, text: {a: b}}\n- {id: c, year: .nan, text: x}\n",
		"documents: not a list\n",
		"unknown: key\n",
		"- id: a\n  path: ../../etc/passwd\n- id: b\n  path: /etc/shadow\n",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		defer watchdog(10 * time.Second)()
		files := fstest.MapFS{"manifest.yaml": {Data: b}, "b.txt": {Data: []byte("A text file.")}}
		s, err := memStream(files, "manifest.yaml", "yaml", fuzzLimits)
		fuzzDrain(t, s, err)
	})
}

// FuzzFolder reads a folder with a manifest in each row format naming
// its files, so manifest joins and path handling are fuzzed too.
func FuzzFolder(f *testing.F) {
	f.Add([]byte("path,group\na.txt,x\nmissing.txt,y\n../outside.txt,z\n"), uint8(0))
	f.Add([]byte(`{"path":"a.txt","group":"x","text":"inline wins"}`+"\n"+`{"path":"sub/b.md"}`), uint8(1))
	f.Add([]byte("- {path: a.txt, group: x}\n- {path: sub/b.md, id: same}\n- {path: c.html, id: same}\n"), uint8(2))
	f.Fuzz(func(t *testing.T, man []byte, which uint8) {
		defer watchdog(10 * time.Second)()
		names := []string{"manifest.csv", "manifest.jsonl", "manifest.yaml"}
		files := fstest.MapFS{
			names[int(which)%len(names)]: {Data: man},
			"a.txt":                      {Data: []byte("Visa reviews tightened research security.")},
			"sub/b.md":                   {Data: []byte("---\ntitle: B\nyear: 2020\n---\n# Heading\n\nBody.")},
			"c.html":                     {Data: []byte("<html><head><title>C</title></head><body><p>Para</p></body></html>")},
		}
		s, err := memStream(files, "", "folder", fuzzLimits)
		fuzzDrain(t, s, err)
	})
}

// FuzzReadDoc reads one document file of each kind: plain text, Markdown
// with front matter, HTML, a file without an extension, and gzip.
func FuzzReadDoc(f *testing.F) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("Compressed text."))
	zw.Close()
	f.Add([]byte("Plain text.\n\nSecond paragraph."), uint8(0))
	f.Add([]byte("---\ntitle: T\nauthors: [A, B]\ndate: 2020-01-02\n---\nBody"), uint8(1))
	f.Add([]byte("<html><body><h1>T</h1><p>P&amp;Q &#x1F600; &nGt;</p><script>x</script></body></html>"), uint8(2))
	f.Add([]byte("\xFF\xFEh\x00i\x00"), uint8(3))
	f.Add(gz.Bytes(), uint8(4))
	f.Add(gz.Bytes()[:gz.Len()/2], uint8(4))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00"), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, kind uint8) {
		defer watchdog(10 * time.Second)()
		names := []string{"doc.txt", "doc.md", "doc.html", "doc", "doc.txt.gz"}
		name := names[int(kind)%len(names)]
		s, err := memStream(fstest.MapFS{name: {Data: b}}, name, "txt", fuzzLimits)
		fuzzDrain(t, s, err)
	})
}

// FuzzParquetRows damages a valid Parquet file: the library's decoders
// panic on some damage, which must come out as an error.
func FuzzParquetRows(f *testing.F) {
	dir := f.TempDir()
	p := filepath.Join(dir, "seed.parquet")
	writeTextParquet(f, p, []string{"a", "b", "c"}, []string{"Visa reviews tightened.", "Talent returns home.", strings.Repeat("Security. ", 50)})
	seed, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed, uint32(0), uint8(0))
	f.Add(seed, uint32(len(seed)/2), uint8(0x5a))
	f.Add(seed[:len(seed)-10], uint32(0), uint8(0))
	f.Add([]byte("PAR1PAR1"), uint32(0), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, at uint32, xor uint8) {
		defer watchdog(10 * time.Second)()
		b = bytes.Clone(b)
		if len(b) > 0 {
			for i := int(at) % len(b); i < len(b) && i < int(at)%len(b)+8; i++ {
				b[i] ^= xor
			}
		}
		s, err := memStream(fstest.MapFS{"dump.parquet": {Data: b}}, "dump.parquet", "parquet", fuzzLimits)
		fuzzDrain(t, s, err)
	})
}

func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: T\nauthor: A; B\nyear: 2020\nlang: en\ngroup: g\ntags: [a, b]\nnested: {a: b}\n---\nBody",
		"---\n- a list\n---\n",
		"---\na: &x [1, 2]\nb: *x\n...\ntext",
		"---\ndate: 20\n---",
		"---\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		defer watchdog(10 * time.Second)()
		fm, body, ok := splitFrontMatter(text)
		if !ok {
			if body != text {
				t.Fatal("text changed without front matter")
			}
			return
		}
		if len(fm)+len(body) > len(text) {
			t.Fatalf("front matter %d + body %d bytes from %d", len(fm), len(body), len(text))
		}
		applyFrontMatter(&Document{}, fm)
	})
}

// FuzzHTML renders any page, and checks it cannot grow: no character
// reference is longer as text than as markup.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		"<html><head><title>T</title></head><body><article><h2>H</h2><p>Para &amp; more</p></article></body></html>",
		"<div><div><div><p>unclosed",
		"<script>only</script>",
		"&NotNestedGreaterGreater;&nGt;&#0;&#x110000;&#xD800;",
		"<pre>  keep\n  lines</pre><table><tr><td>a<td>b</table>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		defer watchdog(10 * time.Second)()
		h, err := htmlToText(src)
		if err != nil {
			return
		}
		if !utf8.ValidString(src) {
			return
		}
		// The title is repeated on top; markup and entities only shrink.
		if len(h.text) > 2*len(src)+16 {
			t.Fatalf("%d bytes of HTML rendered as %d bytes of text", len(src), len(h.text))
		}
	})
}
