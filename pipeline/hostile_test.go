package pipeline

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/corpus"
)

// hostileCase is one bad input, or a corpus holding one, and what a run of
// it must give: the good documents all analysed and the bad one listed in
// run.json, or — when the whole input is unusable — an error naming the
// file and no run.json.
type hostileCase struct {
	name string
	// setup writes the corpus below dir and returns its path; it may
	// change the config (a lexicon, a bound).
	setup func(t *testing.T, dir string, cfg *Config) string
	// ids are the documents the documents table must hold, in order.
	ids []string
	// errs are substrings of run.json's document_errors, one per error.
	errs []string
	// fatal, when set, is a substring of Run's error; the error must also
	// name the file (fatalFile, default: the corpus path).
	fatal     string
	fatalFile string
	check     func(t *testing.T, out string)
}

// The hostile battery bounds documents at 4 KB so that the bounds are
// reached with small files.
const hostileMax = 4096

func hwrite(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// zeroBomb is a gzip stream of mb MB of zeros: concatenated members of 1 MB.
func zeroBomb(mb int) []byte {
	member := gz(make([]byte, 1<<20))
	return bytes.Repeat(member, mb)
}

// goodFolder is a folder corpus of two good documents in groups ga and gb.
func goodFolder(t *testing.T, dir string) string {
	root := filepath.Join(dir, "corpus")
	hwrite(t, filepath.Join(root, "ga", "a.txt"), []byte(secText))
	hwrite(t, filepath.Join(root, "gb", "b.txt"), []byte(belText))
	return root
}

// withFile is a case of goodFolder plus one file at rel.
func withFile(rel string, b []byte) func(*testing.T, string, *Config) string {
	return func(t *testing.T, dir string, _ *Config) string {
		root := goodFolder(t, dir)
		hwrite(t, filepath.Join(root, rel), b)
		return root
	}
}

func jsonRow(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// goodRows are the two good documents as JSONL rows, ids a and b.
var goodRows = []string{
	jsonRow(map[string]any{"id": "a", "group": "ga", "text": secText}),
	jsonRow(map[string]any{"id": "b", "group": "gb", "text": belText}),
}

// withRows is a JSONL manifest m.jsonl holding the good rows around the
// given ones (good row a first, b last).
func withRows(rows ...string) func(*testing.T, string, *Config) string {
	return func(t *testing.T, dir string, _ *Config) string {
		p := filepath.Join(dir, "corpus", "m.jsonl")
		lines := append(append([]string{goodRows[0]}, rows...), goodRows[1])
		hwrite(t, p, []byte(strings.Join(lines, "\n")+"\n"))
		return p
	}
}

// withCSV is a CSV file rows.csv with the given content.
func withCSV(content string) func(*testing.T, string, *Config) string {
	return func(t *testing.T, dir string, _ *Config) string {
		p := filepath.Join(dir, "rows.csv")
		hwrite(t, p, []byte(content))
		return p
	}
}

func fifo(t *testing.T, p string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
}

// textParquet writes a snappy-compressed Parquet file with an id column
// and a text column of type typ (a string or an int64 column).
func textParquet(t *testing.T, p string, texts []string, intText bool) {
	t.Helper()
	textType := arrow.DataType(arrow.BinaryTypes.String)
	if intText {
		textType = arrow.PrimitiveTypes.Int64
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.BinaryTypes.String}, {Name: "group", Type: arrow.BinaryTypes.String}, {Name: "text", Type: textType}}, nil)
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
	for i, s := range texts {
		b.Field(0).(*array.StringBuilder).Append(string(rune('a' + i)))
		b.Field(1).(*array.StringBuilder).Append([]string{"ga", "gb"}[i%2])
		if intText {
			b.Field(2).(*array.Int64Builder).Append(int64(i + 42))
		} else {
			b.Field(2).(*array.StringBuilder).Append(s)
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

func hostileCases() []hostileCase {
	good := []string{"ga/a", "gb/b"}
	goodRowIDs := []string{"a", "b"}
	secret := "the password is swordfish"
	long := strings.Repeat("Visa reviews tightened research security. ", 200) // 8.6 KB
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x00, 0x17}, 400)...)
	return []hostileCase{
		// Bounds.
		{name: "file above max_doc_bytes", setup: withFile("ga/big.txt", []byte(long)), ids: good, errs: []string{"ga/big.txt", "too large"}},
		{name: "gzip above max_doc_bytes", setup: withFile("ga/big.txt.gz", gz([]byte(long))), ids: good, errs: []string{"ga/big.txt.gz", "too large"}},
		{name: "gzip bomb document", setup: func(t *testing.T, dir string, cfg *Config) string {
			cfg.Reader.MaxDocBytes = 1 << 30 // the ratio stops it, not the size
			return withFile("ga/bomb.txt.gz", zeroBomb(64))(t, dir, cfg)
		}, ids: good, errs: []string{"ga/bomb.txt.gz", "max_gzip_ratio"}},
		{name: "JSONL line above twice the bound", setup: withRows(jsonRow(map[string]any{"id": "x", "text": long})), ids: goodRowIDs, errs: []string{"m.jsonl:2", "line longer than 8192 bytes"}},
		{name: "JSONL text above the bound", setup: withRows(jsonRow(map[string]any{"id": "x", "text": long[:5000]})), ids: goodRowIDs, errs: []string{"m.jsonl:2", "too large"}},
		{name: "CSV record that never ends", setup: withCSV("id,group,text\na,ga,\"" + secText + "\"\nb,gb,\"unclosed " + strings.Repeat(long, 20)), fatal: "unclosed quote"},
		{name: "YAML manifest too large", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "m.yaml")
			hwrite(t, p, []byte("- {id: a, group: ga, text: "+long+long+"}\n"))
			return p
		}, fatal: "too large"},
		{name: "gzip bomb row dump", setup: func(t *testing.T, dir string, cfg *Config) string {
			p := filepath.Join(dir, "dump.jsonl.gz")
			hwrite(t, p, append(gz([]byte(strings.Join(goodRows, "\n")+"\n")), zeroBomb(64)...))
			cfg.Reader.MaxDocBytes = 1 << 30 // the ratio stops it, not the line bound
			return p
		}, fatal: "max_gzip_ratio"},
		// gzip damage.
		{name: "truncated gzip document", setup: withFile("ga/cut.txt.gz", gz([]byte(secText + belText))[:30]), ids: good, errs: []string{"ga/cut.txt.gz", "truncated"}},
		{name: "not gzip document", setup: withFile("ga/fake.txt.gz", []byte("plain text, not gzip")), ids: good, errs: []string{"ga/fake.txt.gz", "not a valid gzip file"}},
		{name: "truncated gzip row dump", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "dump.jsonl.gz")
			z := gz([]byte(strings.Join(goodRows, "\n") + "\n"))
			hwrite(t, p, z[:len(z)-12])
			return p
		}, fatal: "corrupt gzip file"},
		// Special files.
		{name: "FIFO in folder", setup: func(t *testing.T, dir string, cfg *Config) string {
			root := goodFolder(t, dir)
			fifo(t, filepath.Join(root, "ga", "pipe.txt"))
			fifo(t, filepath.Join(root, "gb", "pipe"))
			return root
		}, ids: good, errs: []string{"ga/pipe.txt", "gb/pipe"}},
		{name: "manifest names a FIFO and /dev/zero", setup: func(t *testing.T, dir string, cfg *Config) string {
			fifo(t, filepath.Join(dir, "corpus", "pipe.txt"))
			cfg.Reader.AllowOutsidePaths = true // kernel files are refused all the same
			return withRows(`{"id":"p","path":"pipe.txt"}`, `{"id":"z","path":"/dev/zero"}`)(t, dir, cfg)
		}, ids: goodRowIDs, errs: []string{"m.jsonl:2", "m.jsonl:3"}},
		{name: "manifest names /proc/self/environ", setup: withRows(`{"id":"env","path":"/proc/self/environ"}`), ids: goodRowIDs, errs: []string{"m.jsonl:2"}},
		// Paths outside the corpus.
		{name: "manifest path ../../etc/passwd", setup: withRows(`{"id":"pw","path":"../../../../../../../../../etc/passwd"}`), ids: goodRowIDs, errs: []string{"m.jsonl:2", "outside the corpus folder"}},
		{name: "manifest path /etc/shadow", setup: withRows(`{"id":"sh","path":"/etc/shadow"}`), ids: goodRowIDs, errs: []string{"m.jsonl:2", "outside the corpus folder"}},
		{name: "manifest path to a private file", setup: func(t *testing.T, dir string, cfg *Config) string {
			hwrite(t, filepath.Join(dir, "private.txt"), []byte(secret))
			return withRows(`{"id":"pv","path":"../private.txt"}`, jsonRow(map[string]any{"id": "abs", "path": filepath.Join(dir, "private.txt")}))(t, dir, cfg)
		}, ids: goodRowIDs, errs: []string{"m.jsonl:2", "m.jsonl:3"}, check: noSecret(secret)},
		{name: "symbolic link out of the folder", setup: func(t *testing.T, dir string, cfg *Config) string {
			root := goodFolder(t, dir)
			hwrite(t, filepath.Join(dir, "private.txt"), []byte(secret))
			if err := os.Symlink(filepath.Join(dir, "private.txt"), filepath.Join(root, "ga", "link.txt")); err != nil {
				t.Fatal(err)
			}
			return root
		}, ids: good, errs: []string{"ga/link.txt", "outside the corpus folder"}, check: noSecret(secret)},
		{name: "outside path allowed explicitly", setup: func(t *testing.T, dir string, cfg *Config) string {
			hwrite(t, filepath.Join(dir, "shared", "c.txt"), []byte(belText))
			cfg.Reader.AllowOutsidePaths = true
			return withRows(`{"id":"c","group":"gb","path":"../shared/c.txt"}`)(t, dir, cfg)
		}, ids: []string{"a", "c", "b"}},
		// Files that are not text.
		{name: "binary named .txt", setup: withFile("ga/image.txt", png), ids: good, errs: []string{"ga/image.txt", "not a text file"}},
		{name: "binary named .html", setup: withFile("gb/page.html", png), ids: good, errs: []string{"gb/page.html", "not a text file"}},
		// HTML.
		{name: "HTML nested too deep", setup: withFile("ga/deep.html", []byte("<html><body>"+strings.Repeat("<div>", 700)+"deep")), ids: good, errs: []string{"ga/deep.html", "512"}},
		{name: "HTML script only", setup: withFile("ga/script.html", []byte("<html><body><script>var x = 1;</script></body></html>")), ids: []string{"ga/a", "ga/script", "gb/b"}},
		// Bidi controls.
		{name: "bidi controls", setup: withFile("ga/bidi.txt", []byte("Research \u202Esecurity\u202C and \u2067visa\u2069 \u200Freviews\u200E tightened.")), ids: []string{"ga/a", "ga/bidi", "gb/b"},
			check: func(t *testing.T, out string) {
				n := 0
				for _, r := range rows(t, out, "tokens") {
					txt := r["text"].(string)
					if strings.ContainsAny(txt, "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F") {
						t.Errorf("token %q holds a bidi control", txt)
					}
					if r["doc_id"] == "ga/bidi" && (txt == "security" || txt == "visa" || txt == "reviews") {
						n++
					}
				}
				if n != 3 {
					t.Errorf("bidi document: %d of security, visa, reviews as plain tokens", n)
				}
			}},
		// Markdown front matter.
		{name: "front matter not YAML", setup: withFile("ga/c.md", []byte("---\ntitle: [unclosed\n---\n"+secText)), ids: []string{"ga/a", "ga/c", "gb/b"}},
		{name: "front matter alias bomb", setup: withFile("ga/c.md", []byte("---\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n---\n"+secText)), ids: []string{"ga/a", "ga/c", "gb/b"}},
		// JSONL.
		{name: "JSONL broken line", setup: withRows(`{"id":"x","text":"unterminated`), ids: goodRowIDs, errs: []string{"m.jsonl:2", "not a JSON object"}},
		{name: "JSONL null, array and number lines", setup: withRows(`null`, `[1, 2]`, `42`), ids: goodRowIDs, errs: []string{"m.jsonl:2", "m.jsonl:3", "m.jsonl:4"}},
		{name: "JSONL text of wrong types", setup: withRows(`{"id":"n","group":"ga","text":42}`, `{"id":"o","text":{"body":"x"}}`, `{"id":"l","text":["x"]}`), ids: []string{"a", "n", "b"}, errs: []string{`m.jsonl:3 (id "o")`, `m.jsonl:4 (id "l")`}},
		{name: "JSONL duplicate id", setup: withRows(jsonRow(map[string]any{"id": "a", "text": belText})), ids: goodRowIDs, errs: []string{"duplicate document id"}},
		// CSV.
		{name: "CSV ragged rows", setup: withCSV("id,group,text\na,ga,\"" + secText + "\"\nr,ga\nb,gb,\"" + belText + "\"\ns,gb,x,y\n"), ids: []string{"a", "b"}, errs: []string{"rows.csv:3", "rows.csv:5"}},
		{name: "CSV stray quote", setup: withCSV("id,group,text\na,ga,\"" + secText + "\"\nb,gb,a \"quoted\" word\n"), fatal: "rows.csv:3:8: bare \" in non-quoted-field"},
		{name: "CSV with BOM and CRLF", setup: withCSV("\xEF\xBB\xBFid,group,text\r\na,ga,\"" + secText + "\"\r\nb,gb,\"" + belText + "\"\r\n"), ids: []string{"a", "b"}},
		{name: "CSV without a text column", setup: withCSV("id,group,body\na,ga,x\n"), fatal: `no text column "text"`},
		// Parquet.
		{name: "Parquet damaged page", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "dump.parquet")
			var texts []string
			for i := range 40 {
				texts = append(texts, strings.Repeat(secText+" ", 1+i%5))
			}
			textParquet(t, p, texts, false)
			b, _ := os.ReadFile(p)
			for i := len(b) / 2; i < len(b)/2+16; i++ {
				b[i] ^= 0x5a
			}
			hwrite(t, p, b)
			return p
		}, fatal: "damaged Parquet data"},
		{name: "Parquet text column of integers", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "dump.parquet")
			textParquet(t, p, []string{"", ""}, true)
			return p
		}, ids: []string{"a", "b"}, check: func(t *testing.T, out string) {
			for _, d := range rows(t, out, "documents") {
				if ws, _ := d["warnings"].([]any); len(ws) == 0 || !strings.Contains(ws[0].(string), "holds the number") {
					t.Errorf("%v: warnings %v", d["doc_id"], d["warnings"])
				}
			}
		}},
		{name: "Parquet that is not Parquet", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "dump.parquet")
			hwrite(t, p, []byte("PAR1 not really PAR1"))
			return p
		}, fatal: "cannot parse"},
		// YAML manifests.
		{name: "YAML manifest alias bomb", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "corpus", "m.yaml")
			hwrite(t, p, []byte("defaults: {lang: en}\ndocuments:\n  - {id: a, group: ga, text: &t \""+secText+"\"}\n  - {id: b, group: gb, text: \""+belText+"\"}\n  - &x {id: c, tags: [*t, *t]}\n  - *x\n  - {id: d, text: *x}\n"))
			return p
		}, ids: []string{"a", "b"}, errs: []string{"m.yaml:5", "m.yaml:6", "m.yaml:7"}},
		{name: "YAML manifest unknown key", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "m.yaml")
			hwrite(t, p, []byte("docs:\n  - {id: a, text: x}\n"))
			return p
		}, fatal: `unknown key "docs"`},
		{name: "YAML manifest documents not a list", setup: func(t *testing.T, dir string, _ *Config) string {
			p := filepath.Join(dir, "m.yaml")
			hwrite(t, p, []byte("documents: all of them\n"))
			return p
		}, fatal: "documents must be a list"},
		// Lexicons and config.
		{name: "LIWC lexicon malformed", setup: lexicon("bad.dic", "%\n1 security\n%\nvisa* 9\n"), fatal: "bad.dic:4", fatalFile: "bad.dic"},
		{name: "WordStat lexicon malformed", setup: lexicon("bad.cat", "  INDENTED (1)\n"), fatal: "bad.cat:1", fatalFile: "bad.cat"},
		{name: "Lexicoder lexicon malformed", setup: lexicon("bad.lc3", "visa before a category\n"), fatal: "bad.lc3:1", fatalFile: "bad.lc3"},
		{name: "YAML lexicon malformed", setup: lexicon("bad.yaml", "frames:\n  - name: a\n    entries: [unclosed\n"), fatal: "bad.yaml", fatalFile: "bad.yaml"},
		{name: "lexicon is a FIFO", setup: func(t *testing.T, dir string, cfg *Config) string {
			fifo(t, filepath.Join(dir, "lex.yaml"))
			cfg.Frames.LexiconPath = filepath.Join(dir, "lex.yaml")
			return goodFolder(t, dir)
		}, fatal: "not a regular file", fatalFile: "lex.yaml"},
		{name: "negative max_doc_bytes", setup: func(t *testing.T, dir string, cfg *Config) string {
			cfg.Reader.MaxDocBytes = -5
			return goodFolder(t, dir)
		}, fatal: "reader.max_doc_bytes = -5", fatalFile: "max_doc_bytes"},
	}
}

// lexicon is a good folder run with the lexicon file name holding content.
func lexicon(name, content string) func(*testing.T, string, *Config) string {
	return func(t *testing.T, dir string, cfg *Config) string {
		p := filepath.Join(dir, name)
		hwrite(t, p, []byte(content))
		cfg.Frames.LexiconPath = p
		return goodFolder(t, dir)
	}
}

// noSecret checks that no table holds the private text.
func noSecret(secret string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		for _, d := range rows(t, out, "documents") {
			if strings.Contains(d["text"].(string), "swordfish") {
				t.Errorf("%v holds the private file", d["doc_id"])
			}
		}
	}
}

// TestHostileInputs runs each hostile input through the whole pipeline:
// no panic, no hang; the good documents all in the tables and the bad one
// in run.json's document_errors, or an error naming the file and no
// run.json (no table presented as complete).
func TestHostileInputs(t *testing.T) {
	skipShort(t)
	cases := hostileCases()
	if len(cases) < 30 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := Config{Workers: 1, Seed: 3, Reader: corpus.Options{MaxDocBytes: hostileMax},
				SkipStages: []string{"topics", "keyphrases"}}
			cfg.Corpus = tc.setup(t, dir, &cfg)
			cfg.Out = filepath.Join(dir, "out")
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			sum, err := Run(ctx, cfg, Options{})
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("the run hung")
			}
			_, statErr := os.Stat(filepath.Join(cfg.Out, "run.json"))
			if tc.fatal != "" {
				file := tc.fatalFile
				if file == "" {
					file = cfg.Corpus
				}
				if err == nil || !strings.Contains(err.Error(), tc.fatal) || !strings.Contains(err.Error(), file) {
					t.Fatalf("Run: %v; want an error naming %s and saying %q", err, file, tc.fatal)
				}
				if statErr == nil {
					t.Error("a failed run wrote run.json")
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if statErr != nil {
				t.Fatal("no run.json after a complete run")
			}
			man := readManifest(t, cfg.Out)
			docs := rows(t, cfg.Out, "documents")
			var ids []string
			for _, d := range docs {
				ids = append(ids, d["doc_id"].(string))
			}
			if strings.Join(ids, ",") != strings.Join(tc.ids, ",") || sum.Docs != len(tc.ids) {
				t.Errorf("documents = %q (summary %d), want %q", ids, sum.Docs, tc.ids)
			}
			// One error per bad document, each named: a substring that is
			// a source names one error, the others say what went wrong.
			all := strings.Join(man.DocumentErrors, "\n")
			for _, s := range tc.errs {
				if !strings.Contains(all, s) {
					t.Errorf("document_errors %q do not say %q", man.DocumentErrors, s)
				}
			}
			if want := countSources(tc.errs); len(man.DocumentErrors) != want {
				t.Errorf("document_errors = %q, want %d", man.DocumentErrors, want)
			}
			var written []string
			for name := range man.Tables {
				written = append(written, name)
			}
			checkInvariants(t, cfg.Out, written, docs)
			if tc.check != nil {
				tc.check(t, cfg.Out)
			}
		})
	}
}

// countSources counts the substrings that name a document (a path or a
// file:line), not a message.
func countSources(errs []string) int {
	n := 0
	for _, s := range errs {
		if strings.Contains(s, "/") || strings.Contains(s, ".jsonl:") || strings.Contains(s, ".csv:") || strings.Contains(s, ".yaml:") || s == "duplicate document id" {
			n++
		}
	}
	return n
}

// TestHostileMemory runs whole runs over a folder holding a 200 MB
// document and a gzip bomb of 10 GB of zeros, and over a JSONL dump whose
// first line is 200 MB, each in a child process (this test binary, running
// TestHostileMemoryChild), and checks the child's peak RSS stays under
// 1 GB and its run completes with the bad documents listed. The files are
// made in the test's temporary folder (the bomb is 10,240 gzip members of
// 1 MB of zeros each: 10 MB on disk).
func TestHostileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 400 MB of test files")
	}
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	para := []byte(secText + " " + belText + "\n\n")
	bigFile := func(p string) {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		chunk := bytes.Repeat(para, (1<<20)/len(para))
		for n := 0; n < 200<<20; n += len(chunk) {
			if _, err := f.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	hwrite(t, filepath.Join(folder, "good.txt"), []byte(secText))
	bigFile(filepath.Join(folder, "big.txt"))
	hwrite(t, filepath.Join(folder, "bomb.txt.gz"), zeroBomb(10<<10))
	dump := filepath.Join(dir, "dump.jsonl")
	{
		f, err := os.Create(dump)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"id":"big","text":"`)
		chunk := bytes.Repeat([]byte(strings.ReplaceAll(secText, `"`, ``)+" "), (1<<20)/len(secText))
		for n := 0; n < 200<<20; n += len(chunk) {
			f.Write(chunk)
		}
		f.WriteString("\"}\n" + goodRows[0] + "\n")
		f.Close()
	}
	for _, tc := range []struct {
		corpus string
		errs   []string
	}{
		{folder, []string{"big.txt", "bomb.txt.gz"}},
		{dump, []string{"dump.jsonl:1"}},
	} {
		out := filepath.Join(dir, "out-"+filepath.Base(tc.corpus))
		cmd := exec.Command(os.Args[0], "-test.run=^TestHostileMemoryChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "FRAMELENS_MEMORY_CORPUS="+tc.corpus, "FRAMELENS_MEMORY_OUT="+out)
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.corpus, err, b)
		}
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10 // KB on Linux
		if m := regexp.MustCompile(`child-peak-rss-kb (\d+)`).FindSubmatch(b); m != nil {
			kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
			rss = kb << 10
		}
		t.Logf("%s: peak RSS %.0f MB", filepath.Base(tc.corpus), float64(rss)/(1<<20))
		if rss > 1<<30 {
			t.Errorf("%s: peak RSS %d MB, over 1 GB", tc.corpus, rss>>20)
		}
		man := readManifest(t, out)
		all := strings.Join(man.DocumentErrors, "\n")
		for _, s := range tc.errs {
			if !strings.Contains(all, s) {
				t.Errorf("%s: document_errors %q do not name %s", tc.corpus, man.DocumentErrors, s)
			}
		}
		if len(man.DocumentErrors) != len(tc.errs) {
			t.Errorf("%s: document_errors %q", tc.corpus, man.DocumentErrors)
		}
	}
}

// TestHostileMemoryChild is the run TestHostileMemory measures.
func TestHostileMemoryChild(t *testing.T) {
	c := os.Getenv("FRAMELENS_MEMORY_CORPUS")
	if c == "" {
		t.Skip("run by TestHostileMemory")
	}
	if _, err := Run(context.Background(), Config{Corpus: c, Out: os.Getenv("FRAMELENS_MEMORY_OUT"), Workers: 2}, Options{}); err != nil {
		t.Fatal(err)
	}
	// The child's own peak (VmHWM, reset by exec): the rusage of a child
	// started by fork+exec can report its parent's peak, which a test run
	// before this one in the same binary may have raised.
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println("child-peak-rss-kb", strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmHWM:"), "kB")))
		}
	}
}

// A config file with a mistake is an error naming the file, before any
// document is read: unknown keys, wrong types, alias bombs, deep nesting.
func TestHostileConfigFiles(t *testing.T) {
	if _, err := LoadConfig(filepath.Join("..", "examples", "config.yaml")); err != nil {
		t.Fatalf("examples/config.yaml: %v", err)
	}
	dir := t.TempDir()
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for i, prev := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		next := string(rune('b' + i))
		bomb += next + ": &" + next + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
	}
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown key", "reader:\n  max_doc_byte: 10\n", "field max_doc_byte not found"},
		{"wrong type", "reader:\n  max_doc_bytes: lots\n", "cannot unmarshal"},
		{"negative bound", "reader:\n  max_gzip_ratio: -1\n", "reader.max_gzip_ratio = -1"},
		{"alias bomb", bomb + "skip_stages: *h\n", "cannot unmarshal !!seq"},
		{"alias bomb in a mapping", bomb + "clean: *h\n", "cannot unmarshal !!seq"},
		{"deep nesting", "skip_stages: " + strings.Repeat("[", 20000) + "\n", "exceeded max depth"},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
		hwrite(t, p, []byte(tc.yaml))
		done := make(chan error, 1)
		go func() {
			cfg, err := LoadConfig(p)
			if err == nil {
				cfg.Out = filepath.Join(dir, "out")
				_, err = Run(context.Background(), cfg, Options{})
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v; want %q", tc.name, err, tc.want)
			}
			if tc.name != "negative bound" && !strings.Contains(err.Error(), p) {
				t.Errorf("%s: %v does not name the file", tc.name, err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("%s: no answer in a minute", tc.name)
		}
		if _, err := os.Stat(filepath.Join(dir, "out", "run.json")); err == nil {
			t.Fatalf("%s: a run.json", tc.name)
		}
	}
}
