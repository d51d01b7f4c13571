package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// The summary answers the comparison whatever the corpus size: for each
// comparison, the sides' documents and words and every frame's rates with
// the difference and its interval — the numbers of frame_comparisons, and
// sizes recounted from the documents table.
func TestSummaryShowsFrameDifferencesOfEveryComparison(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "docs.jsonl")
	var docs []edgeDoc
	for i := range 12 {
		// More than maxSummaryDocs documents: no per-document rates.
		docs = append(docs,
			edgeDoc{id: fmt.Sprintf("s%02d", i), group: "sec", text: strings.Repeat(secText+" ", 1+i%3)},
			edgeDoc{id: fmt.Sprintf("b%02d", i), group: "bel", text: strings.Repeat(belText+" ", 1+i%2) + secText})
	}
	writeJSONL(t, in, docs)
	out := filepath.Join(dir, "out")
	sum, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 3,
		SkipStages: []string{"topics", "entities", "keyphrases"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := sum.Write(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if !strings.Contains(text, "24 documents: frames.parquet") {
		t.Errorf("no pointer to the per-document rates:\n%s", text)
	}

	words := map[string]int64{}
	ndocs := map[string]int{}
	for _, r := range rows(t, out, "documents") {
		words[r["group"].(string)] += r["n_words"].(int64)
		ndocs[r["group"].(string)]++
	}
	fc := rows(t, out, "frame_comparisons")
	if len(fc) == 0 {
		t.Fatal("no frame_comparisons rows")
	}
	a, bside := fc[0]["group_a"].(string), fc[0]["group_b"].(string)
	header := fmt.Sprintf("  %s: A = %s, %s; B = %s, %s\n", fc[0]["comparison"], a, docsWords(ndocs[a], words[a]), bside, docsWords(ndocs[bside], words[bside]))
	if !strings.Contains(text, header) {
		t.Errorf("the summary lacks the sides' sizes %q:\n%s", header, text)
	}
	for _, r := range fc {
		// A null interval (no hit on either side: every replicate alike)
		// is NaN in the summary, printed as a dash.
		lo, hi := math.NaN(), math.NaN()
		if v, ok := r["rate_diff_lo"].(float64); ok {
			lo = v
		}
		if v, ok := r["rate_diff_hi"].(float64); ok {
			hi = v
		}
		if used := r["rate_a"].(float64) > 0 || r["rate_b"].(float64) > 0; used && !(lo < hi) {
			t.Errorf("%s: a zero-width interval [%g, %g] over 12 documents per side", r["frame"], lo, hi)
		}
		line := fmt.Sprintf("    %-30s %6.2f %6.2f %7.2f [%s, %s]", r["frame"], r["rate_a"], r["rate_b"], r["rate_diff"], bound(lo), bound(hi))
		if lo > 0 || hi < 0 {
			line += " *"
		}
		if !strings.Contains(text, line+"\n") {
			t.Errorf("the summary lacks %q:\n%s", line, text)
		}
	}
	// security_restriction is used by both sides, more by sec: its
	// difference must be there and marked.
	if !strings.Contains(text, "security_restriction") || !strings.Contains(text, "*\n") {
		t.Errorf("no marked difference:\n%s", text)
	}
}

// FailuresErr counts the documents that could not be read and those a stage
// failed on (which are among Docs), and matches ErrSomeDocuments.
func TestFailuresErr(t *testing.T) {
	for _, tc := range []struct {
		sum  Summary
		want string
	}{
		{Summary{Docs: 3}, ""},
		{Summary{Docs: 3, Errors: []string{"corpus: a.jsonl:2: not a JSON object"}}, "1 of 4 documents failed"},
		{Summary{Docs: 3, Failed: 1, Errors: []string{"corpus: a.jsonl:2: not a JSON object", "tokenize d3: …"}}, "2 of 4 documents failed"},
	} {
		err := tc.sum.FailuresErr()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: %v, want nil", tc.sum, err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want+" and are left out of the analysis; run.json (document_errors) lists them") || !errors.Is(err, ErrSomeDocuments) {
			t.Errorf("%+v: %v, want %q… matching ErrSomeDocuments", tc.sum, err, tc.want)
		}
	}
}
