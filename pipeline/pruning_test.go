package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/vectorize"
)

// A document whose counted terms vocabulary pruning (vectorize.min_df,
// max_df, max_terms) all removes has no tf-idf row and the 1/K placeholder
// in doc_topics, like a document without a counted term: it gets one
// warning saying so and naming the settings, and is left out of
// topic_prevalence. Before, the "no terms counted" warning was decided on
// the counts before pruning, and such a document had none.
func TestDocumentsWhoseTermsArePrunedAreWarnedOf(t *testing.T) {
	skipShort(t)
	base := []edgeDoc{
		{id: "x1", group: "x", text: "Visa restrictions and security reviews slowed research exchange between universities."},
		{id: "x2", group: "x", text: "Security agencies tightened export controls on research collaboration and visa screening."},
		// "screenings", not "screening": the tagger reads "security
		// screening delayed" as a verb, lemma "screen", and x3 must share
		// the term "screening" with x2 to keep one.
		{id: "x3", group: "x", text: "Sanctions and security screenings delayed visa approvals for visiting scholars; xylophones hummed."},
		{id: "y1", group: "y", text: "Family belonging and identity drew scientists home to their universities."},
		{id: "y2", group: "y", text: "Scientists returned home for family, community and a sense of belonging and identity."},
		{id: "z1", group: "z", text: "Zanzibar marmalade quokka juggling."},
	}
	for _, tc := range []struct {
		name  string
		extra []edgeDoc
		vec   vectorize.Config
		// want maps the documents pruning empties to what their warning
		// must say.
		want map[string][]string
	}{
		{
			name: "min_df",
			vec:  vectorize.Config{MinDF: 2},
			want: map[string][]string{"z1": {"no terms kept", "vectorize.min_df: 2", "all 4 of its distinct terms"}},
		},
		{
			// security and visa are in 4 of 7 documents, over max_df·7 = 3.5.
			name:  "max_df and min_df",
			extra: []edgeDoc{{id: "c1", group: "c", text: "Security visa."}, {id: "c2", group: "c", text: "Security, visa, marmoset."}},
			vec:   vectorize.Config{MinDF: 2, MaxDF: 0.5},
			want: map[string][]string{
				"z1": {"(vectorize.min_df: 2)"},
				"c1": {"(vectorize.max_df: 0.5)"},
				"c2": {"(vectorize.max_df: 0.5, vectorize.min_df: 2)", "all 3 of"},
			},
		},
		{
			name: "max_terms",
			vec:  vectorize.Config{MaxTerms: 3},
			want: map[string][]string{"z1": {"(vectorize.max_terms: 3)"}},
		},
	} {
		for _, unit := range []string{UnitDocument, UnitPassage} {
			t.Run(tc.name+"/"+unit, func(t *testing.T) {
				dir := t.TempDir()
				in := filepath.Join(dir, "docs.jsonl")
				writeJSONL(t, in, append(base[:len(base):len(base)], tc.extra...))
				out := filepath.Join(dir, "out")
				var log bytes.Buffer
				opts := Options{Logger: slog.New(slog.NewTextHandler(&log, nil))}
				if _, err := Run(context.Background(), Config{Corpus: in, Out: out, Workers: 2, Seed: 2, TopicUnit: unit, Vectorize: tc.vec}, opts); err != nil {
					t.Fatal(err)
				}
				hasTerms := map[string]bool{}
				for _, r := range rows(t, out, "tfidf") {
					hasTerms[r["doc_id"].(string)] = true
				}
				withWeights := 0
				for _, d := range rows(t, out, "documents") {
					id := d["doc_id"].(string)
					var got []string
					ws, _ := d["warnings"].([]any)
					for _, w := range ws {
						if s := w.(string); strings.HasPrefix(s, "no terms") {
							got = append(got, s)
						}
					}
					want, pruned := tc.want[id]
					if pruned == hasTerms[id] {
						t.Fatalf("%s: tfidf rows %v; the test expects it %s", id, hasTerms[id], map[bool]string{true: "pruned empty", false: "to keep a term"}[pruned])
					}
					if !pruned {
						withWeights++
						if len(got) > 0 {
							t.Errorf("%s keeps terms, yet warnings %q", id, got)
						}
						continue
					}
					if len(got) != 1 {
						t.Errorf("%s: every term pruned, %d warnings saying so: %q", id, len(got), ws)
						continue
					}
					for _, w := range append(want, "no terms kept: vocabulary pruning", "no tf-idf row and no topic weights of its own") {
						if !strings.Contains(got[0], w) {
							t.Errorf("%s: warning %q does not say %q", id, got[0], w)
						}
					}
				}
				weights := map[string][]float64{}
				for _, r := range rows(t, out, "doc_topics") {
					id := r["doc_id"].(string)
					weights[id] = append(weights[id], r["weight"].(float64))
				}
				for id := range tc.want {
					k := float64(len(weights[id]))
					for i, w := range weights[id] {
						if math.Abs(w-1/k) > 1e-12 {
							t.Errorf("%s: topic %d weight %v, want the placeholder 1/%v", id, i, w, k)
						}
					}
				}
				prevalence := rows(t, out, "topic_prevalence")
				if len(prevalence) == 0 {
					t.Fatal("no topic_prevalence rows: the test says nothing")
				}
				for _, r := range prevalence {
					if r["group_a"] == "z" {
						t.Errorf("topic_prevalence compares z, whose one document has no term left: %v", r)
					}
					if n := r["docs_a"].(int64) + r["docs_b"].(int64); r["group_b"] == "rest" && n != int64(withWeights) {
						t.Errorf("%s: docs_a + docs_b = %d, want the %d documents with a term left", r["comparison"], n, withWeights)
					}
				}
				if !strings.Contains(log.String(), "vocabulary pruning removed every term") {
					t.Errorf("the log does not warn of the pruned documents:\n%s", log.String())
				}
			})
		}
	}
}
