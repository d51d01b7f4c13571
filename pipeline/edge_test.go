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
