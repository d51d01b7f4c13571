package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/framelens/framelens/output"
)

// edgeDoc is one row of an edge-case JSONL corpus. Empty fields are left
// out of the row, so that a missing group or text can be written too.
type edgeDoc struct {
	id, group, text, path string
	noGroup               bool   // leave the group field out
	raw                   string // the line as is, instead of the fields
}

// writeJSONL writes docs, one JSON line each, to path.
func writeJSONL(t *testing.T, path string, docs []edgeDoc) {
	t.Helper()
	var b strings.Builder
	for _, d := range docs {
		b.WriteString(d.line(t) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (d edgeDoc) line(t *testing.T) string {
	if d.raw != "" {
		return d.raw
	}
	m := map[string]any{}
	if d.id != "" {
		m["id"] = d.id
	}
	if !d.noGroup {
		m["group"] = d.group
	}
	if d.text != "" {
		m["text"] = d.text
	}
	if d.path != "" {
		m["path"] = d.path
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// edgeCase is a small pathological corpus and what a run of it must give.
type edgeCase struct {
	name string
	// docs is a JSONL corpus; files, when set instead, a folder of files;
	// yaml, when set instead, a YAML manifest; missing, a corpus path that
	// does not exist.
	docs    []edgeDoc
	files   map[string]string
	yaml    string
	missing bool
	// docIDs are the documents analysed: the rows of the documents table.
	docIDs []string
	// docErrors is the number of documents run.json must list as failed;
	// errorHas are substrings each of them must hold (one per error, in
	// run.json's sorted order).
	docErrors int
	errorHas  []string
	// wantErr, when set, is a substring of the error Run must return: the
	// whole run cannot go on.
	wantErr string
	// warns maps the documents that have nothing to analyse to a substring
	// of their one warning saying so (see checkNothingAnalysed).
	warns map[string]string
	// check runs extra assertions on a completed run.
	check func(t *testing.T, out string)
}

// sentence is a short English sentence with frame terms and entities.
const (
	secText = "Visa reviews tightened research security for Chinese scholars in the United States in 2019, and sanctions followed."
	belText = "Belonging and cultural identity draw talent home to China, the survey by Tsinghua University found."
)

func edgeCases() []edgeCase {
	long := strings.Repeat("talent mobility visa security belonging identity scholars research ", 800)[:50000]
	var answers, manyGroups []edgeDoc
	var answerIDs, manyGroupIDs []string
	for i, w := range strings.Fields("visa security belonging visa security belonging visa security belonging visa security belonging") {
		id := fmt.Sprintf("q%d", i)
		answers = append(answers, edgeDoc{id: id, group: fmt.Sprint("g", i%2), text: w + "."})
		answerIDs = append(answerIDs, id)
	}
	for i := range 20 {
		id := fmt.Sprintf("d%d", i)
		text := secText
		if i%2 == 1 {
			text = belText
		}
		manyGroups = append(manyGroups, edgeDoc{id: id, group: fmt.Sprint("group ", i), text: text})
		manyGroupIDs = append(manyGroupIDs, id)
	}
	return []edgeCase{
		{
			name:   "single document",
			docs:   []edgeDoc{{id: "a", group: "x", text: secText}},
			docIDs: []string{"a"},
		},
		{
			name: "one group only",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "x", text: belText},
				{id: "c", group: "x", text: "Universities recruit researchers from abroad with grants and housing."},
			},
			docIDs: []string{"a", "b", "c"},
		},
		{
			name: "every document in its own group",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "y", text: belText},
				{id: "c", group: "z", text: "Universities recruit researchers from abroad with grants and housing."},
				{id: "d", group: "w", text: "Export controls and decoupling limit scientific exchange with Beijing."},
			},
			docIDs: []string{"a", "b", "c", "d"},
		},
		{
			// A row with an empty text and no path cannot be read: it is a
			// per-document error. A text of whitespace only is a document
			// with nothing to analyse.
			name: "empty and whitespace-only texts",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "empty", group: "x"},
				{id: "blank", group: "y", text: "   \n\t  \n "},
				{id: "b", group: "y", text: belText},
			},
			docIDs:    []string{"a", "blank", "b"},
			docErrors: 1,
			errorHas:  []string{"empty"},
			warns:     map[string]string{"blank": "no words analysed: the text is empty or whitespace only"},
		},
		{
			name: "empty and whitespace-only files in a folder",
			files: map[string]string{
				"x/a.txt":     secText,
				"x/empty.txt": "",
				"y/blank.txt": " \n\n \t\n",
				"y/b.txt":     belText,
			},
			docIDs: []string{"x/a", "x/empty", "y/b", "y/blank"}, // sorted paths
			warns: map[string]string{
				"x/empty": "no words analysed: the text is empty",
				"y/blank": "no words analysed: the text is empty or whitespace only",
			},
		},
		{
			// An empty .gz file's io.EOF, wrapped in its document error,
			// ended the corpus: the documents after it were dropped without
			// an error.
			name: "empty and damaged .gz files in a folder",
			files: map[string]string{
				"x/a.txt.gz": "",
				"x/b.txt.gz": "not gzip",
				"x/d.txt":    secText,
				"y/c.txt":    belText,
			},
			docIDs:    []string{"x/d", "y/c"},
			docErrors: 2,
			errorHas:  []string{"a.txt.gz (id \"x/a\"): not a valid gzip file (empty file)", "b.txt.gz (id \"x/b\"): not a valid gzip file"},
		},
		{
			name: "only punctuation, only numbers",
			docs: []edgeDoc{
				{id: "punct", group: "x", text: "!!! ... ??? ;;; --- ((( ))) ,,, *** ### ~~~"},
				{id: "nums", group: "y", text: "1 2 3 4 5 6 7 8 9 10 2019 2020 3.14 1,000,000 42"},
			},
			docIDs: []string{"punct", "nums"},
			warns: map[string]string{
				"punct": "no words analysed: every token is punctuation",
				"nums":  "no terms counted: its 15 analysed words are numbers",
			},
		},
		{
			name: "non-English texts",
			docs: []edgeDoc{
				{id: "zh", group: "zh", text: "人才流动与国家安全政策密切相关。中国学者面临签证审查，许多人选择回国。"},
				{id: "ar", group: "ar", text: "تؤثر سياسات التأشيرات على حركة الباحثين الدوليين. يعود كثير من العلماء إلى بلدانهم."},
				{id: "ru", group: "ru", text: "Визовая политика влияет на мобильность учёных. Многие исследователи возвращаются домой."},
			},
			docIDs: []string{"zh", "ar", "ru"},
		},
		{
			name: "a 50,000-character line without sentence punctuation",
			docs: []edgeDoc{
				{id: "long", group: "x", text: long},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"long", "b"},
		},
		{
			name: "a document of URLs only",
			docs: []edgeDoc{
				{id: "urls", group: "x", text: "https://example.com/a\nhttps://example.org/talent/visa?id=1&x=2\nhttp://www.example.net/\nwww.example.edu/research-security\n"},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"urls", "b"},
		},
		{
			name: "duplicate ids",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "y", text: belText},
				{id: "a", group: "y", text: "A second document with the first one's id."},
			},
			docIDs:    []string{"a", "b"},
			docErrors: 1,
			errorHas:  []string{"duplicate document id"},
		},
		{
			name: "no group field anywhere",
			docs: []edgeDoc{
				{id: "a", noGroup: true, text: secText},
				{id: "b", noGroup: true, text: belText},
			},
			docIDs: []string{"a", "b"},
		},
		{
			name: "some documents without a group",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", noGroup: true, text: belText},
				{id: "c", group: "y", text: "Export controls and decoupling limit scientific exchange with Beijing."},
			},
			docIDs: []string{"a", "b", "c"},
		},
		{
			name: "one-word documents",
			docs: []edgeDoc{
				{id: "a", group: "x", text: "Visa"},
				{id: "b", group: "y", text: "belonging"},
				{id: "c", group: "y", text: "the"},
			},
			docIDs: []string{"a", "b", "c"},
			warns:  map[string]string{"c": "no terms counted: its 1 analysed words are numbers, stop words"},
		},
		{
			name: "identical documents",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "x", text: secText},
				{id: "c", group: "y", text: secText},
				{id: "d", group: "y", text: secText},
			},
			docIDs: []string{"a", "b", "c", "d"},
		},
		{
			name: "no frame term and no entity anywhere",
			docs: []edgeDoc{
				{id: "a", group: "x", text: "the cat sat on the mat and looked at the rain outside."},
				{id: "b", group: "y", text: "a dog ran in the park and chased a red ball all afternoon."},
			},
			docIDs: []string{"a", "b"},
			check: func(t *testing.T, out string) {
				// The case is only worth its name if nothing matched.
				if n := len(rows(t, out, "entities")); n != 0 {
					t.Errorf("%d entities in a corpus meant to have none", n)
				}
				if n := len(rows(t, out, "frame_sentences")); n != 0 {
					t.Errorf("%d frame sentences in a corpus meant to have none", n)
				}
			},
		},
		{
			// Group z's documents cannot be read (a missing file, no text):
			// they are document errors, and z is no group of the analysis.
			name: "a group whose documents all fail",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{id: "b", group: "y", text: belText},
				{id: "z1", group: "z", path: "missing.txt"},
				{id: "z2", group: "z"},
			},
			docIDs:    []string{"a", "b"},
			docErrors: 2,
			errorHas:  []string{"z1", "z2"},
			check: func(t *testing.T, out string) {
				for _, tb := range []string{"group_frames", "keyness", "comparisons"} {
					for _, r := range rows(t, out, tb) {
						for _, c := range []string{"group", "group_a", "group_b"} {
							if r[c] == "z" {
								t.Errorf("%s has a row for group z, whose documents all failed: %v", tb, r)
							}
						}
					}
				}
			},
		},
		{
			// Nothing can be analysed, but every failure is a per-document
			// one: the run completes with empty tables and lists them all in
			// run.json (a shard of a larger run may well hold no readable
			// document; failing it would sink the batch).
			name: "every document fails",
			docs: []edgeDoc{
				{id: "z1", group: "z", path: "missing.txt"},
				{id: "z2", group: "z"},
			},
			docErrors: 2,
			errorHas:  []string{"z1", "z2"},
		},
		{
			name: "an empty corpus file",
		},
		{
			// No document has a word: no vocabulary, no topic model, and
			// two groups to compare with nothing counted.
			name: "no word anywhere, two groups",
			docs: []edgeDoc{
				{id: "a", group: "x", text: "  \n  "},
				{id: "b", group: "y", text: "!!! ??? ..."},
				{id: "c", group: "y", text: "--- *** ---"},
			},
			docIDs: []string{"a", "b", "c"},
			warns: map[string]string{
				"a": "no words analysed: the text is empty or whitespace only",
				"b": "no words analysed: every token is punctuation",
				"c": "no words analysed: every token is punctuation",
			},
		},
		{
			name: "one 50,000-character word",
			docs: []edgeDoc{
				{id: "word", group: "x", text: strings.Repeat("visa", 12500)},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"word", "b"},
		},
		{
			name: "control characters, zero-width and bidi marks, emoji",
			docs: []edgeDoc{
				{id: "ctl", group: "x", text: "Visa\u0000 reviews\u200b tightened \u202eresearch\u202c security\u0007 🎓🇨🇳 for scholars\ufeff in 2019."},
				{id: "b", group: "y", text: "\u200b\u200b\u200b " + belText + " 👍🏽"},
			},
			docIDs: []string{"ctl", "b"},
		},
		{
			name: "CRLF and lone CR line ends",
			docs: []edgeDoc{
				{id: "crlf", group: "x", text: "Visa reviews tightened.\r\n\r\nResearch security grew.\r\nSanctions followed."},
				{id: "cr", group: "y", text: "Belonging matters.\r\rIdentity draws talent home.\rThe survey found it."},
			},
			docIDs: []string{"crlf", "cr"},
		},
		{
			name: "ids and groups that are not strings",
			docs: []edgeDoc{
				{raw: `{"id": 7, "group": null, "text": "` + secText + `"}`},
				{raw: `{"id": 8.5, "group": 3, "text": "` + belText + `"}`},
				{raw: `{"id": true, "group": ["a", "b"], "text": "Export controls limit exchange."}`},
			},
			docIDs: []string{"7", "8.5", "true"},
		},
		{
			name: "lines that are not JSON objects, blank lines",
			docs: []edgeDoc{
				{id: "a", group: "x", text: secText},
				{raw: "not json at all"},
				{raw: "[1, 2, 3]"},
				{raw: " "},
				{raw: `{"id": "b", "group": "y", "text": 42}`},
				{id: "c", group: "y", text: belText},
			},
			docIDs:    []string{"a", "b", "c"},
			docErrors: 2,
			warns:     map[string]string{"b": "no words analysed"},
		},
		{
			// Fewer distinct terms than topics: the model must fit fewer
			// (this failed the whole run: "topics: 4 topics for a 12×3
			// matrix").
			name:   "a dozen one-word answers over three words",
			docs:   answers,
			docIDs: answerIDs,
		},
		{
			name:   "twenty groups of one document each",
			docs:   manyGroups,
			docIDs: manyGroupIDs,
		},
		{
			name: "combining marks, emoji only, Unicode line separators",
			docs: []edgeDoc{
				{id: "zalgo", group: "x", text: strings.Repeat("Vi\u0301\u0302\u0303sa ", 500)},
				{id: "emoji", group: "y", text: strings.Repeat("😀🎓🇨🇳 ", 300)},
				{id: "seps", group: "y", text: "line\u2028sep\u2029para\u0085nel\vvt\fff security visa."},
			},
			docIDs: []string{"zalgo", "emoji", "seps"},
			warns:  map[string]string{"emoji": "no words analysed: every token is punctuation or a symbol"},
		},
		{
			// The whole input is unusable: a manifest that does not parse
			// would be misread from the error on, so the run stops with an
			// error naming the file and line, and writes no run.json.
			name:    "a manifest that does not parse",
			yaml:    "documents:\n  - id: a\n    group: x\n    text: [unclosed\n",
			wantErr: "manifest.yaml:4",
		},
		{
			// No corpus at all: nothing can run.
			name:    "a corpus path that does not exist",
			missing: true,
			wantErr: "no such file",
		},
		{
			name: "a document that is only a reference list",
			docs: []edgeDoc{
				{id: "refs", group: "x", text: "References\n\n[1] Smith, J. (2019). Visa policy and research security. Journal of Migration, 3(2), 1-10.\n[2] Wang, L. (2021). Talent flows. Science Policy, 7, 22-31.\n"},
				{id: "b", group: "y", text: belText},
			},
			docIDs: []string{"refs", "b"},
			warns:  map[string]string{"refs": "no words analysed: it has only sections that are not analysed (references)"},
		},
	}
}

// TestEdgeCorpora runs the whole pipeline over small pathological corpora:
// each must complete (or, where the input as a whole is unusable, fail
// with a clear error), write run.json and every table it should, list its
// failed documents in run.json, and keep the basic invariants of the tables
// (checkInvariants). Besides a run failing on a small vocabulary, it found
// NaN written into keyness (log_odds, z of a one-topic model) and into the
// bootstrap interval columns of documents and groups without words.
func TestEdgeCorpora(t *testing.T) {
	skipShort(t)
	for _, tc := range edgeCases() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "docs.jsonl")
			switch {
			case tc.missing:
				in = filepath.Join(dir, "nowhere.jsonl")
			case tc.yaml != "":
				in = filepath.Join(dir, "manifest.yaml")
				if err := os.WriteFile(in, []byte(tc.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			case tc.files != nil:
				in = filepath.Join(dir, "corpus")
				for name, text := range tc.files {
					p := filepath.Join(in, name)
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			default:
				writeJSONL(t, in, tc.docs)
			}
			out := filepath.Join(dir, "out")
			sum, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 11}, Options{})
			if tc.wantErr != "" {
				// The file is named by the path given, not its base name.
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), in) {
					t.Fatalf("Run: %v; want an error naming %s and saying %q", err, in, tc.wantErr)
				}
				if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil {
					t.Error("a failed run wrote run.json")
				}
				return
			}
			// A run that analysed no document completes (its tables empty,
			// run.json listing the failures) and says so with
			// ErrNoDocuments: the command exits 1.
			if len(tc.docIDs) == 0 {
				if !errors.Is(err, ErrNoDocuments) {
					t.Fatalf("Run: %v; want ErrNoDocuments", err)
				}
			} else if err != nil {
				t.Fatalf("Run: %v", err)
			}
			checkEdgeRun(t, tc, out, sum)
		})
	}
}

func checkEdgeRun(t *testing.T, tc edgeCase, out string, sum *Summary) {
	t.Helper()
	man := readManifest(t, out)

	// No unfinished files, no leftover block states.
	filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err == nil && (strings.HasSuffix(p, ".tmp") || strings.HasSuffix(p, ".partial")) {
			t.Errorf("unfinished file left: %s", p)
		}
		return nil
	})
	if _, err := os.Stat(filepath.Join(out, stateDir)); err == nil {
		t.Errorf("%s left after a complete run", stateDir)
	}

	// documents: one row per analysed document, in input order.
	docs := rows(t, out, "documents")
	var ids []string
	groups := map[string]bool{}
	for _, r := range docs {
		ids = append(ids, r["doc_id"].(string))
		groups[r["group"].(string)] = true
	}
	if strings.Join(ids, ",") != strings.Join(tc.docIDs, ",") {
		t.Errorf("documents = %q, want %q", ids, tc.docIDs)
	}
	if sum.Docs != len(docs) {
		t.Errorf("Summary.Docs = %d, documents has %d rows", sum.Docs, len(docs))
	}
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}

	// Failed documents are listed in run.json.
	if len(man.DocumentErrors) != tc.docErrors {
		t.Errorf("document_errors = %q, want %d", man.DocumentErrors, tc.docErrors)
	}
	for i, s := range tc.errorHas {
		if i < len(man.DocumentErrors) && !strings.Contains(man.DocumentErrors[i], s) {
			t.Errorf("document_errors[%d] = %q, want it to name %q", i, man.DocumentErrors[i], s)
		}
	}

	// The tables the run should write: every one, except those with nothing
	// to hold by construction — topic tables without a vocabulary, and the
	// comparisons with fewer than two groups.
	terms := rows(t, out, "terms")
	want := map[string]bool{}
	for _, tb := range fullCatalog(t).Tables() {
		want[tb.Name] = true
	}
	if len(terms) == 0 {
		for _, n := range []string{"topics", "doc_topics", "doc_vectors", "topic_prevalence"} {
			delete(want, n)
		}
	}
	if len(groups) == 0 {
		for _, n := range []string{"group_frames", "frame_comparisons", "frame_suggestions"} {
			delete(want, n)
		}
	}
	if len(groups) < 2 {
		for _, n := range []string{"keyness", "comparisons", "topic_prevalence"} {
			delete(want, n)
		}
	}
	var written []string
	for _, tb := range fullCatalog(t).Tables() {
		paths, ok := man.Tables[tb.Name]
		if !ok {
			if want[tb.Name] {
				t.Errorf("table %s not written (not in run.json)", tb.Name)
			}
			continue
		}
		written = append(written, tb.Name)
		for _, p := range paths {
			if _, err := os.Stat(filepath.Join(out, p)); err != nil {
				t.Errorf("table %s: %v", tb.Name, err)
			}
		}
		rs := rows(t, out, tb.Name)
		if int64(len(rs)) != man.Rows[tb.Name] {
			t.Errorf("table %s has %d rows, run.json says %d", tb.Name, len(rs), man.Rows[tb.Name])
		}
		// Every row of a per-document table is of an analysed document.
		for _, r := range rs {
			for _, c := range []string{"doc_id", "neighbor_id"} {
				if id, ok := r[c].(string); ok && !known[id] {
					t.Errorf("table %s: %s %q is not in documents", tb.Name, c, id)
					break
				}
			}
		}
	}
	sort.Strings(written)
	// Nothing else is in the directory: no table of another run.
	listed := map[string]bool{"run.json": true, output.LedgerFile: true}
	for _, paths := range man.Tables {
		for _, p := range paths {
			listed[p] = true
		}
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("%s is in the output directory but run.json does not list it", e.Name())
		}
	}
	checkInvariants(t, out, written, docs)
	checkNothingAnalysed(t, tc, docs, rows(t, out, "tfidf"))
	for name := range man.Rows {
		if _, ok := man.Tables[name]; !ok {
			t.Errorf("run.json counts rows of %s but does not list it", name)
		}
	}
	if tc.check != nil {
		tc.check(t, out)
	}
	t.Logf("tables: %v", written)
}

// checkInvariants checks what must hold of any run's tables, whatever the
// corpus: no null in a column that is not nullable, no NaN or infinity,
// offsets inside documents.text and reading the text they claim, one
// tokens row per counted token, probabilities and divergences in [0, 1],
// topic weights summing to 1.
func checkInvariants(t *testing.T, out string, written []string, docs []map[string]any) {
	t.Helper()
	text := map[string][]rune{}
	nTokens := map[string]int64{}
	for _, d := range docs {
		text[d["doc_id"].(string)] = []rune(d["text"].(string))
		nTokens[d["doc_id"].(string)] = d["n_tokens"].(int64)
	}
	cat := fullCatalog(t)
	for _, name := range written {
		tb := cat.MustTable(name)
		rs := rows(t, out, name)
		bad := 0
		fail := func(format string, args ...any) {
			if bad++; bad <= 3 {
				t.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
			}
		}
		topicSum := map[string]float64{}
		tokens := map[string]int64{}
		frameRows, frameNames := map[string]int{}, map[string]bool{}
		for _, r := range rs {
			for _, c := range tb.Columns {
				v := r[c.Name]
				if v == nil && !c.Nullable {
					fail("null %s in a column that is not nullable: %v", c.Name, r)
				}
				if f, ok := v.(float64); ok {
					if math.IsNaN(f) || math.IsInf(f, 0) {
						fail("%s = %v: %v", c.Name, f, r)
					}
					switch c.Name {
					case "p", "p_adj", "jsd_terms", "jsd_topics", "sentence_share":
						if f < 0 || f > 1+1e-9 {
							fail("%s = %v outside [0, 1]", c.Name, f)
						}
					case "cosine":
						if f <= 0 || f > 1+1e-9 {
							fail("cosine = %v outside (0, 1]", f)
						}
					}
				}
			}
			id, _ := r["doc_id"].(string)
			if s, ok := r["start"].(int64); ok && name != "sections" {
				e := r["end"].(int64)
				txt := text[id]
				if s < 0 || s > e || e > int64(len(txt)) {
					fail("%s [%d,%d) outside a text of %d code points", id, s, e, len(txt))
				} else if want, ok := r["text"].(string); ok && name != "frame_sentences" && string(txt[s:e]) != want {
					fail("%s text[%d:%d] = %q, row says %q", id, s, e, string(txt[s:e]), want)
				}
			}
			switch name {
			case "tokens":
				tokens[id]++
			case "doc_topics":
				topicSum[id] += r["weight"].(float64)
			case "frames":
				frameRows[id]++
				frameNames[r["frame"].(string)] = true
			}
		}
		if name == "frames" {
			// One row per analysed document and frame, even without a hit.
			for id := range text {
				if frameRows[id] != len(frameNames) {
					fail("%s has %d rows, want one per frame (%d)", id, frameRows[id], len(frameNames))
				}
			}
		}
		if name == "tokens" {
			for id, n := range nTokens {
				if tokens[id] != n {
					fail("%s has %d token rows, documents.n_tokens = %d", id, tokens[id], n)
				}
			}
		}
		for id, s := range topicSum {
			if math.Abs(s-1) > 1e-6 {
				fail("%s: topic weights sum to %v", id, s)
			}
		}
	}
}

// checkNothingAnalysed checks that a document with nothing to analyse — no
// word (n_words = 0), or words without a counted term or whose terms
// vocabulary pruning removed (no tfidf row) — has
// exactly one warning saying so, the one tc.warns expects, and that no
// other document has such a warning.
func checkNothingAnalysed(t *testing.T, tc edgeCase, docs, tfidf []map[string]any) {
	t.Helper()
	hasTerms := map[string]bool{}
	for _, r := range tfidf {
		hasTerms[r["doc_id"].(string)] = true
	}
	for _, d := range docs {
		id := d["doc_id"].(string)
		var got []string
		ws, _ := d["warnings"].([]any)
		for _, w := range ws {
			if s := w.(string); strings.HasPrefix(s, "no words analysed") || strings.HasPrefix(s, "no terms counted") || strings.HasPrefix(s, "no terms kept") {
				got = append(got, s)
			}
		}
		nothing := d["n_words"].(int64) == 0 || !hasTerms[id]
		switch {
		case nothing && len(got) != 1:
			t.Errorf("%s has nothing to analyse (n_words %d, tfidf rows: %v) and %d warnings saying so: %q", id, d["n_words"], hasTerms[id], len(got), ws)
		case !nothing && len(got) != 0:
			t.Errorf("%s has words and terms, yet warnings %q", id, got)
		case nothing && !strings.Contains(got[0], tc.warns[id]):
			t.Errorf("%s: warning %q, want it to say %q", id, got[0], tc.warns[id])
		}
		if want, ok := tc.warns[id]; ok && want != "" && !nothing {
			t.Errorf("%s was expected to have nothing to analyse (%q)", id, want)
		}
	}
}

// Documents without a term in the vocabulary — no words (whitespace,
// punctuation, a reference list) or only numbers and stop words — get a
// placeholder 1/K on every topic in doc_topics. They are left out of
// topic_prevalence (means and docs_a/docs_b), comparisons.jsd_topics and
// the topic features of keyness: counted, they pulled every side's mean
// towards the uniform distribution (and a side of such documents only had
// a "prevalence" of 1/K everywhere).
func TestDocumentsWithoutTermsAreLeftOutOfTopicComparisons(t *testing.T) {
	docs := []edgeDoc{
		{id: "x1", group: "x", text: secText},
		{id: "x2", group: "x", text: "Export controls and decoupling limit scientific exchange with Beijing; visa delays follow security reviews."},
		{id: "x3", group: "x", text: "Sanctions on universities tightened research security and visa screening for scholars."},
		{id: "y1", group: "y", text: belText},
		{id: "y2", group: "y", text: "Family, belonging and identity bring scientists home; living conditions and community matter more than salary."},
		{id: "y3", group: "y", text: "   \n  "},
		{id: "y4", group: "y", text: "!!! ??? ..."},
		{id: "y5", group: "y", text: "References\n\n[1] Smith, J. (2019). Visa policy and research security. Journal of Migration, 3(2), 1-10.\n"},
		{id: "z1", group: "z", text: "1 2 3 4 5 6 7 8 9 10 2019 2020 3.14 1,000,000 42"},
		{id: "z2", group: "z", text: "--- *** ---"},
	}
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	writeJSONL(t, in, docs)
	for _, unit := range []string{UnitPassage, UnitDocument} {
		t.Run(unit, func(t *testing.T) {
			out := t.TempDir()
			if _, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 5, TopicUnit: unit}, Options{}); err != nil {
				t.Fatal(err)
			}
			hasTerms := map[string]bool{}
			for _, r := range rows(t, out, "tfidf") {
				hasTerms[r["doc_id"].(string)] = true
			}
			if !hasTerms["x1"] || !hasTerms["y1"] || hasTerms["y3"] || hasTerms["z1"] {
				t.Fatalf("documents with terms: %v", hasTerms)
			}
			// Mean weight per group and topic over the documents with terms.
			type gt struct {
				group string
				topic int64
			}
			sum, n := map[gt]float64{}, map[string]map[string]bool{}
			for _, r := range rows(t, out, "doc_topics") {
				id, g := r["doc_id"].(string), r["group"].(string)
				if !hasTerms[id] {
					continue
				}
				sum[gt{g, r["topic"].(int64)}] += r["weight"].(float64)
				if n[g] == nil {
					n[g] = map[string]bool{}
				}
				n[g][id] = true
			}
			prev := rows(t, out, "topic_prevalence")
			if len(prev) == 0 {
				t.Fatal("topic_prevalence is empty")
			}
			for _, r := range prev {
				ga, gb := r["group_a"].(string), r["group_b"].(string)
				if ga == "z" || gb == "z" {
					t.Errorf("topic_prevalence compares group z, whose documents have no term: %v", r)
					continue
				}
				topic := r["topic"].(int64)
				// Side B is "rest": the other groups with terms (z has none).
				for _, side := range []struct {
					groups     []string
					docs, mean string
				}{{[]string{ga}, "docs_a", "mean_a"}, {[]string{"x", "y"}, "docs_b", "mean_b"}} {
					var s float64
					var k int
					for _, g := range side.groups {
						if g == ga && side.docs == "docs_b" {
							continue
						}
						s += sum[gt{g, topic}]
						k += len(n[g])
					}
					if got := r[side.docs].(int64); got != int64(k) {
						t.Errorf("%s %s = %d, want %d documents with terms", r["comparison"], side.docs, got, k)
					}
					if got := r[side.mean].(float64); math.Abs(got-s/float64(k)) > 1e-9 {
						t.Errorf("%s topic %d %s = %v, want %v (the mean over documents with terms)", r["comparison"], topic, side.mean, got, s/float64(k))
					}
				}
			}
			for _, r := range rows(t, out, "comparisons") {
				if r["group_a"] == "z" && r["jsd_topics"] != nil {
					t.Errorf("%s: jsd_topics = %v for a side without a document with terms, want null", r["comparison"], r["jsd_topics"])
				}
				if r["group_a"] != "z" && r["jsd_topics"] == nil {
					t.Errorf("%s: jsd_topics is null", r["comparison"])
				}
			}
			for _, r := range rows(t, out, "keyness") {
				if r["feature_kind"] == "topic" && r["group_a"] == "z" && r["count_a"].(int64) != 0 {
					t.Errorf("keyness: group z, without a term, has %d words of topic %s", r["count_a"], r["feature"])
				}
			}
		})
	}
}

// Over passages, a document's topic weights are the word-weighted mean of
// those of its passages with a counted term. A passage of words without a
// term (numbers, stop words: here a table of figures after the text) has a
// placeholder 1/K from the model; averaged in, it pulled the document
// towards the uniform distribution, so that a text with a table of figures
// and the same text without it had different topics. A document whose
// passages all lack a term is a document without a term: the placeholder
// 1/K, the no-terms warning, no place in topic_prevalence.
func TestPassagesWithoutTermsDoNotDiluteTheirDocument(t *testing.T) {
	// Five sentences of about 90 words: one passage (the first four hold
	// fewer than passageWords).
	security := "Visa reviews tightened research security for visiting scholars, and universities screened every laboratory partnership with foreign institutes this year. " +
		"Export controls restricted sensitive technology transfer, so physicists waited months for clearance before joining international projects abroad again. " +
		"Sanctions against named institutes froze joint grants, and compliance offices audited older collaborations for undisclosed funding from overseas sources. " +
		"Security officials warned that espionage risks justified the screening, while critics said suspicion damaged open science and recruitment badly. " +
		"Several departments paused hiring of foreign postdoctoral researchers until new vetting rules were published by the ministry."
	belonging := "Family ties and cultural belonging drew many returning scientists home, where community life mattered more than salary or titles. " +
		"Returnees described identity, language and friendship as reasons to stay, and several spoke of parents needing care nearby. " +
		"Housing support, schooling for children and a familiar cuisine made the decision easier for young couples with families. " +
		"Survey answers show belonging and emotional attachment outweighed career incentives, especially for scientists who had studied abroad early. " +
		"Many said homesickness and loneliness abroad grew stronger each year, while old friends and festivals kept calling them back."
	funding := "Provincial talent programmes offered generous start-up funding, laboratory space and research assistants to attract ambitious young investigators. " +
		"Recruitment offices advertised competitive salaries, tax relief and fast promotion tracks for candidates holding prestigious foreign doctorates. " +
		"Universities competed for grant money by hiring productive researchers whose publication records raised institutional rankings considerably. " +
		"Critics noted that contracts tied bonuses to paper counts, which rewarded quantity over careful science and long projects. " +
		"Budget officers expected every recruited professor to win national grants within three years or repay part of the package."
	// A paragraph of 65 words, numbers and stop words only: after a text,
	// a passage of its own (more than passageWords/2 words) without a term.
	figures := "\n\nIn 2019 there were 12 of 45, in 2020 there were 17 of 88, and in 2021 there were 91 of 120, up from 4 of 6 in 2018 and 33 of 64 in 2017. " +
		"Of these, 9 of 15 were in 2019, 27 of 52 in 2020 and 11 of 40 in 2021, against 2 of 13 in 2016 and 5 of 81 before."
	docs := []edgeDoc{
		{id: "sec_table", group: "x", text: security + figures},
		{id: "sec", group: "y", text: security},
		{id: "bel_table", group: "x", text: belonging + figures},
		{id: "bel", group: "y", text: belonging},
		{id: "fund", group: "x", text: funding},
		{id: "fund2", group: "y", text: funding + " " + belonging},
		{id: "sec_fund", group: "x", text: security + " " + funding},
		{id: "bel_sec", group: "y", text: belonging + " " + security},
		{id: "tables", group: "z", text: figures + figures + figures},
	}
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	writeJSONL(t, in, docs)
	out := t.TempDir()
	if _, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 3, TopicUnit: UnitPassage}, Options{}); err != nil {
		t.Fatal(err)
	}
	weights := map[string][]float64{}
	for _, r := range rows(t, out, "doc_topics") {
		id := r["doc_id"].(string)
		weights[id] = append(weights[id], r["weight"].(float64))
	}
	k := len(weights["sec"])
	if k < 3 {
		t.Fatalf("%d topics; want at least 3 for the weights to say something", k)
	}
	for _, pair := range [][2]string{{"sec_table", "sec"}, {"bel_table", "bel"}} {
		with, without := weights[pair[0]], weights[pair[1]]
		spread := 0.0
		for _, w := range without {
			spread = max(spread, math.Abs(w-1/float64(k)))
		}
		for i := range with {
			if math.Abs(with[i]-without[i]) > 1e-9 {
				t.Errorf("%s topic %d = %.6f, %s %.6f: the passage of figures changed the document's topics (%s: %.4f, %s: %.4f)",
					pair[0], i, with[i], pair[1], without[i], pair[0], with, pair[1], without)
				break
			}
		}
		if spread < 0.1 {
			t.Errorf("%s is nearly uniform (%.4f): the test says nothing", pair[1], without)
		}
	}
	for i, w := range weights["tables"] {
		if w != 1/float64(k) {
			t.Errorf("tables, without a term, has weight %v on topic %d, want the placeholder 1/%d", w, i, k)
		}
	}
	for _, r := range rows(t, out, "documents") {
		ws, _ := r["warnings"].([]any)
		noTerms := len(ws) == 1 && strings.HasPrefix(ws[0].(string), "no terms counted")
		if id := r["doc_id"].(string); noTerms != (id == "tables") {
			t.Errorf("%s: warnings %q", id, ws)
		}
	}
	for _, r := range rows(t, out, "topic_prevalence") {
		if r["group_a"] == "z" || r["group_b"] == "z" {
			t.Errorf("topic_prevalence compares group z, whose document has no term: %v", r)
		}
	}
}
