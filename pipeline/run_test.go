package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/framelens/framelens/output"
)

// sampleRun runs the built-in sample once per test binary (it takes a few
// seconds) and returns its output directory.
var sampleRun = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "framelens-sample-")
	if err != nil {
		return "", err
	}
	_, err = Run(context.Background(), Config{Out: dir, Workers: 2}, Options{})
	return dir, err
})

func sampleOut(t *testing.T) string {
	t.Helper()
	dir, err := sampleRun()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// rows reads a table (a file or a directory of parts) into string-keyed rows.
func rows(t *testing.T, out, table string) []map[string]any {
	t.Helper()
	paths := []string{filepath.Join(out, table+".parquet")}
	if st, err := os.Stat(filepath.Join(out, table)); err == nil && st.IsDir() {
		paths, _ = filepath.Glob(filepath.Join(out, table, "*.parquet"))
		sort.Strings(paths)
	}
	var res []map[string]any
	for _, p := range paths {
		f, err := file.OpenParquetFile(p, false)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		r, err := pqarrow.NewFileReader(f, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := r.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tr := array.NewTableReader(tbl, 1<<16)
		for tr.Next() {
			rec := tr.Record()
			for i := 0; i < int(rec.NumRows()); i++ {
				row := map[string]any{}
				for j, fld := range rec.Schema().Fields() {
					row[fld.Name] = value(rec.Column(j), i)
				}
				res = append(res, row)
			}
		}
		tr.Release()
		tbl.Release()
		f.Close()
	}
	return res
}

func value(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch c := a.(type) {
	case *array.Dictionary:
		return value(c.Dictionary(), c.GetValueIndex(i))
	case *array.String:
		return c.Value(i)
	case *array.Int32:
		return int64(c.Value(i))
	case *array.Int64:
		return c.Value(i)
	case *array.Float64:
		return c.Value(i)
	case *array.Boolean:
		return c.Value(i)
	case *array.List:
		s, e := c.ValueOffsets(i)
		var out []any
		for k := int(s); k < int(e); k++ {
			out = append(out, value(c.ListValues(), k))
		}
		return out
	}
	return a.ValueStr(i)
}

func TestSampleRunWritesEveryTable(t *testing.T) {
	out := sampleOut(t)
	for _, tb := range fullCatalog(t).Tables() {
		p := filepath.Join(out, tb.Paths(output.FormatParquet)[0])
		if _, err := os.Stat(p); err != nil {
			t.Errorf("table %s missing: %v", tb.Name, err)
			continue
		}
		if len(rows(t, out, tb.Name)) == 0 {
			t.Errorf("table %s is empty", tb.Name)
		}
	}
	var man struct {
		Inputs []struct{ Path, SHA256 string }
		Rows   map[string]int64
	}
	b, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Inputs) < 2 || man.Inputs[0].SHA256 == "" {
		t.Errorf("run.json inputs = %+v, want the sample files with hashes", man.Inputs)
	}
	if man.Rows["tokens"] != int64(len(rows(t, out, "tokens"))) {
		t.Errorf("run.json rows[tokens] = %d, table has %d", man.Rows["tokens"], len(rows(t, out, "tokens")))
	}
}

// Page chrome and bibliography never reach the analysed tables.
func TestSampleChromeAndReferencesAreNotAnalysed(t *testing.T) {
	out := sampleOut(t)
	banned := []string{"submission", "newsletter", "subscribe", "downloads", "fee", "plumx", "altmetrics", "springer", "routledge", "doi"}
	for _, r := range rows(t, out, "tokens") {
		for _, b := range banned {
			if r["lower"] == b {
				t.Errorf("token %q of %s reached the tokens table", r["text"], r["doc_id"])
			}
		}
	}
	for _, r := range rows(t, out, "tfidf") {
		for _, b := range banned {
			if r["term"] == b {
				t.Errorf("term %q reached the tfidf table (%s)", b, r["doc_id"])
			}
		}
	}
	// Reference entries (authors of cited works) are not sentences.
	for _, r := range rows(t, out, "sentences") {
		txt := r["text"].(string)
		if strings.Contains(txt, "Bongers") || strings.Contains(txt, "Zhiqun zhu") || strings.Contains(txt, "Similar Articles") {
			t.Errorf("bibliography or chrome in a sentence: %q", txt)
		}
	}
}

// Headings are section names, never inside sentences or entities.
func TestSampleHeadingsAreSectionsNotSentences(t *testing.T) {
	out := sampleOut(t)
	headings := map[string]bool{}
	for _, r := range rows(t, out, "sections") {
		if h := r["heading"].(string); h != "" {
			headings[h] = true
		}
	}
	for _, h := range []string{"INTRODUCTION", "THEORETICAL FRAMEWORK", "CONCLUSION", "National Security Dimension"} {
		if !headings[h] {
			t.Errorf("heading %q not found among sections", h)
		}
	}
	sectionOf := map[string]bool{}
	for _, r := range rows(t, out, "sentences") {
		txt := r["text"].(string)
		for h := range headings {
			// "China's response strategy: In response …" is a paragraph
			// with an inline lead-in, not a heading glued to a sentence.
			if len(h) > 12 && strings.HasPrefix(txt, h) && !strings.HasPrefix(txt[len(h):], ":") {
				t.Errorf("heading %q starts a sentence: %q", h, txt)
			}
		}
		sectionOf[r["section"].(string)] = true
	}
	if !sectionOf["INTRODUCTION"] {
		t.Error("no sentence is in section INTRODUCTION")
	}
	for _, r := range rows(t, out, "entities") {
		if headings[r["text"].(string)] {
			t.Errorf("heading %q tagged as entity", r["text"])
		}
		if r["text"] == "PDF Downloads" || r["text"] == "Similar Articles" {
			t.Errorf("chrome %q tagged as entity", r["text"])
		}
	}
}

// Offsets point into documents.text in code points.
func TestSampleOffsetsPointIntoDocumentText(t *testing.T) {
	out := sampleOut(t)
	texts := map[string][]rune{}
	for _, r := range rows(t, out, "documents") {
		texts[r["doc_id"].(string)] = []rune(r["text"].(string))
	}
	n := 0
	for _, r := range rows(t, out, "tokens") {
		txt := texts[r["doc_id"].(string)]
		s, e := r["start"].(int64), r["end"].(int64)
		if got := string(txt[s:e]); got != r["text"] {
			t.Fatalf("token %v: text[%d:%d] = %q", r["text"], s, e, got)
		}
		n++
	}
	for _, r := range rows(t, out, "frame_sentences") {
		txt := texts[r["doc_id"].(string)]
		starts, ends, matched := r["match_starts"].([]any), r["match_ends"].([]any), r["matched"].([]any)
		for i := range starts {
			if got := string(txt[starts[i].(int64):ends[i].(int64)]); got != matched[i] {
				t.Errorf("frame match %q at %v:%v reads %q", matched[i], starts[i], ends[i], got)
			}
		}
	}
	if n < 5000 {
		t.Errorf("only %d tokens in the sample", n)
	}
}

// Same input, config and seed: byte-identical tables, whatever the workers.
func TestRunIsByteIdenticalAcrossRunsAndWorkers(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := Run(context.Background(), Config{Out: a, Workers: 1, Seed: 7}, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Config{Out: b, Workers: 2, Seed: 7}, Options{}); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.Walk(a, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".parquet") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 10 {
		t.Fatalf("only %d parquet files", len(files))
	}
	for _, p := range files {
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between a 1-worker and a 2-worker run", rel)
		}
	}
}

// Skipped stages write no table and do not break the comparisons.
func TestSkippedStagesWriteNoTable(t *testing.T) {
	out := t.TempDir()
	skip, err := SkipAllBut([]string{"keyness"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), Config{Out: out, SkipStages: skip}, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tokens", "entities", "keyphrases", "frame_sentences"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("skipped table %s was written", name)
		}
	}
	for _, name := range []string{"topics.parquet", "frames.parquet", "entity_mentions.parquet"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("skipped table %s was written", name)
		}
	}
	if len(rows(t, out, "keyness")) == 0 {
		t.Error("keyness is empty")
	}
	if _, err := SkipAllBut([]string{"bogus"}); err == nil {
		t.Error("an unknown stage was accepted")
	}
}

// A corpus whose vocabulary has fewer terms than the number of topics
// (short answers drawn from a few words) is fitted with one topic per term
// at most; topics.Fit refused K > terms and failed the whole run.
func TestVocabularySmallerThanTopics(t *testing.T) {
	in := filepath.Join(t.TempDir(), "answers.jsonl")
	var b strings.Builder
	for i, w := range strings.Fields("visa security belonging visa security belonging visa security belonging visa security belonging") {
		fmt.Fprintf(&b, "{\"id\":\"%d\",\"group\":\"g%d\",\"text\":\"%s.\"}\n", i, i%2, w)
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, unit := range []string{UnitPassage, UnitDocument} {
		out := t.TempDir()
		if _, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 1, TopicUnit: unit}, Options{}); err != nil {
			t.Fatalf("topic_unit %s: %v", unit, err)
		}
		topics := map[int64]bool{}
		for _, r := range rows(t, out, "topics") {
			topics[r["topic"].(int64)] = true
		}
		if n, terms := len(topics), len(rows(t, out, "terms")); n == 0 || n > terms {
			t.Errorf("topic_unit %s: %d topics over %d terms", unit, n, terms)
		}
	}
}

// A run leaves only its own tables in its output directory: the tables an
// earlier run wrote there and this one does not (keyness of a corpus of one
// group, the .arrow files of --format both) are removed, not left beside
// this run's looking complete; files that are not tables stay.
func TestEarlierRunsTablesAreRemoved(t *testing.T) {
	dir := t.TempDir()
	two, one := filepath.Join(dir, "two.jsonl"), filepath.Join(dir, "one.jsonl")
	if err := os.WriteFile(two, []byte(`{"id":"a","group":"x","text":"Visa reviews tightened research security for Chinese scholars."}
{"id":"b","group":"y","text":"Belonging and cultural identity draw talent home, the survey found."}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(one, []byte(`{"id":"a","group":"x","text":"Visa reviews tightened research security for Chinese scholars."}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	ctx := context.Background()
	if _, err := Run(ctx, Config{Corpus: two, Out: out, Format: "both", Workers: 2}, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"keyness.parquet", "comparisons.arrow", "topic_prevalence.parquet"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Fatalf("the two-group run did not write %s: %v", p, err)
		}
	}
	notes := filepath.Join(out, "notes.txt")
	if err := os.WriteFile(notes, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, Config{Corpus: one, Out: out, Workers: 2}, Options{}); err != nil {
		t.Fatal(err)
	}
	man := readManifest(t, out)
	listed := map[string]bool{}
	for _, paths := range man.Tables {
		for _, p := range paths {
			listed[p] = true
		}
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); n != "run.json" && n != "notes.txt" && n != output.LedgerFile && !listed[n] {
			t.Errorf("%s, left by the earlier run, is in the output directory but not a table of this run", n)
		}
	}
	if _, ok := man.Tables["keyness"]; ok {
		t.Error("a one-group run lists keyness")
	}
	if _, err := os.Stat(notes); err != nil {
		t.Errorf("a file that is no table was removed: %v", err)
	}
}
