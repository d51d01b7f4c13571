package pipeline

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// The sample's keyness puts restriction vocabulary on the security side and
// identity/belonging vocabulary on the retention side, and its z-scores are
// the weighted log-odds of Monroe, Colaresi & Quinn (2008) worked by hand.
func TestSampleKeynessSidesAndHandComputedZ(t *testing.T) {
	out := sampleOut(t)
	terms := map[string]map[string]any{}
	var na, nb int64
	for _, r := range rows(t, out, "keyness") {
		if r["feature_kind"] != FeatureTerm {
			continue
		}
		if r["group_a"] != "emotion_retention" || r["group_b"] != "security_restriction" {
			t.Fatalf("comparison %v vs %v, want emotion_retention vs security_restriction", r["group_a"], r["group_b"])
		}
		terms[r["feature"].(string)] = r
		na += r["count_a"].(int64)
		nb += r["count_b"].(int64)
	}
	for _, w := range []string{"security", "visa", "sanction", "restriction", "blockade"} {
		r, ok := terms[w]
		if !ok {
			t.Errorf("%q missing from keyness", w)
			continue
		}
		if r["side"] != "security_restriction" || r["z"].(float64) >= 0 || r["log_ratio"].(float64) >= 0 {
			t.Errorf("%q: side %v z %v log_ratio %v, want the security side", w, r["side"], r["z"], r["log_ratio"])
		}
	}
	for _, w := range []string{"identity", "emotional"} {
		r, ok := terms[w]
		if !ok {
			t.Errorf("%q missing from keyness", w)
			continue
		}
		if r["side"] != "emotion_retention" || r["z"].(float64) <= 0 {
			t.Errorf("%q: side %v z %v, want the retention side", w, r["side"], r["z"])
		}
	}
	// Hand computation for "security" and "identity", prior α0 = 1000 from
	// the pooled counts: α_w = α0·(y_a+y_b)/(n_a+n_b);
	// δ = ln((y_a+α_w)/(n_a+α0−y_a−α_w)) − ln((y_b+α_w)/(n_b+α0−y_b−α_w));
	// z = δ / sqrt(1/(y_a+α_w) + 1/(y_b+α_w)).
	for _, w := range []string{"security", "identity", "talent"} {
		r := terms[w]
		ya, yb := float64(r["count_a"].(int64)), float64(r["count_b"].(int64))
		const a0 = 1000.0
		aw := a0 * (ya + yb) / float64(na+nb)
		delta := math.Log((ya+aw)/(float64(na)+a0-ya-aw)) - math.Log((yb+aw)/(float64(nb)+a0-yb-aw))
		z := delta / math.Sqrt(1/(ya+aw)+1/(yb+aw))
		if got := r["z"].(float64); math.Abs(got-z) > 1e-9 {
			t.Errorf("%s: z = %.12f, hand computation %.12f", w, got, z)
		}
		if got := r["log_odds"].(float64); math.Abs(got-delta) > 1e-9 {
			t.Errorf("%s: log_odds = %.12f, hand computation %.12f", w, got, delta)
		}
	}
}

// The security frame is stronger in the security paper and the
// emotion/identity frame in the retention paper, the latter with a
// bootstrap interval of the difference that excludes zero; frame_sentences
// holds the sentences behind both. Since the mission frames keep only
// entries with a published source (docs/frames.md), the security
// difference's interval includes zero: the retention paper is a 151-word
// landing page whose one security hit makes its rate uncertain.
func TestSampleFrameDifferencesExcludeZero(t *testing.T) {
	out := sampleOut(t)
	found := 0
	for _, r := range rows(t, out, "frame_comparisons") {
		if r["group_a"] != "emotion_retention" || r["group_b"] != "security_restriction" {
			t.Fatalf("comparison %v vs %v", r["group_a"], r["group_b"])
		}
		lo, hi := r["rate_diff_lo"].(float64), r["rate_diff_hi"].(float64)
		switch r["frame"] {
		case "security_restriction":
			found++
			if !(r["rate_diff"].(float64) < 0 && lo < 0) {
				t.Errorf("security frame: retention − security = %v [%v, %v], want < 0", r["rate_diff"], lo, hi)
			}
		case "emotion_retention":
			found++
			if !(lo > 0) {
				t.Errorf("emotion frame: retention − security = %v [%v, %v], want an interval above 0", r["rate_diff"], lo, hi)
			}
		}
	}
	if found != 2 {
		t.Fatalf("found %d of the two sample frames in frame_comparisons", found)
	}
	evidence := map[string]map[string]bool{}
	for _, r := range rows(t, out, "frame_sentences") {
		f, d := r["frame"].(string), r["doc_id"].(string)
		if evidence[f] == nil {
			evidence[f] = map[string]bool{}
		}
		evidence[f][d] = true
	}
	if !evidence["security_restriction"]["zhang2024"] || !evidence["emotion_retention"]["sun2025"] {
		t.Errorf("evidence sentences missing: %v", evidence)
	}
}

// Bigrams are compared too: "research security" leans to the security paper.
func TestSampleNGramKeyness(t *testing.T) {
	out := sampleOut(t)
	found := false
	for _, r := range rows(t, out, "keyness") {
		if r["feature_kind"] == FeatureNGram && r["feature"] == "research security" {
			found = true
			if r["side"] != "security_restriction" {
				t.Errorf("research security: side %v, z %v", r["side"], r["z"])
			}
		}
	}
	if !found {
		t.Error("no n-gram keyness row for \"research security\"")
	}
}

// Each group can be compared with a reference corpus: an earlier run's terms.
func TestReferenceCorpusReplacesTheRest(t *testing.T) {
	ref := sampleOut(t)
	out := t.TempDir()
	cfg := Config{Out: out}
	cfg.Compare.Reference = ref
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	sides := map[string]bool{}
	for _, r := range rows(t, out, "keyness") {
		if r["group_b"] != "reference" || r["feature_kind"] != FeatureTerm {
			t.Fatalf("row against %v of kind %v, want only term rows against the reference", r["group_b"], r["feature_kind"])
		}
		sides[r["group_a"].(string)] = true
	}
	if !sides["emotion_retention"] || !sides["security_restriction"] {
		t.Errorf("groups compared with the reference: %v", sides)
	}
	if _, err := Run(context.Background(), Config{Out: t.TempDir(), Compare: CompareConfig{Reference: t.TempDir()}}, Options{}); err == nil {
		t.Error("a reference directory without terms.parquet was accepted")
	}
}

// A bootstrap interval that was not computed is null, not NaN: NaN sorts
// above every number in DuckDB and polars, so `WHERE rate_diff_lo > 0`
// would report it as a significant difference. Nor is an interval ever
// zero-width: when every resample is alike (no hit, one sentence, one
// document a side for topic prevalence) the bootstrap has estimated nothing
// and the interval is null. Intervals are missing for a document (or side)
// without words, and everywhere with bootstrap.b < 0;
// topic_prevalence.interval_note says why.
func TestMissingIntervalsAreNull(t *testing.T) {
	in := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(in, []byte(`{"id":"a","group":"x","text":"Visa reviews tightened research security for Chinese scholars. The weather was mild that spring. Export controls and sanctions restrict research security again."}
{"id":"b","group":"y","text":"Belonging and cultural identity draw talent home, the survey found. Lunch was served at noon. Emotional ties and identity matter to returnees."}
{"id":"c","group":"y","text":"!!! ???"}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	intervals := map[string][]string{
		"frames":            {"rate_lo", "rate_hi"},
		"group_frames":      {"rate_lo", "rate_hi", "share_lo", "share_hi"},
		"frame_comparisons": {"rate_diff_lo", "rate_diff_hi", "share_diff_lo", "share_diff_hi"},
		"topic_prevalence":  {"diff_lo", "diff_hi"},
	}
	for _, b := range []int{0, -1} {
		out := t.TempDir()
		cfg := Config{Corpus: in, Out: out, Workers: 2, Seed: 5}
		cfg.Bootstrap.B = b
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			t.Fatal(err)
		}
		for table, cols := range intervals {
			rs := rows(t, out, table)
			if len(rs) == 0 {
				t.Fatalf("bootstrap.b %d: %s is empty", b, table)
			}
			estimated := 0
			for _, r := range rs {
				// Never an interval without words, with bootstrap.b < 0, or
				// for topic prevalence, whose sides have one document with
				// topic weights each.
				wantNull := b < 0 || r["doc_id"] == "c" || table == "topic_prevalence"
				for k := 0; k < len(cols); k += 2 {
					lo, hi := r[cols[k]], r[cols[k+1]]
					for _, v := range []any{lo, hi} {
						if f, ok := v.(float64); ok && math.IsNaN(f) {
							t.Errorf("bootstrap.b %d: %s.%s is NaN: %v", b, table, cols[k], r)
						}
					}
					switch {
					case (lo == nil) != (hi == nil):
						t.Errorf("bootstrap.b %d: %s: one end of %s null: %v", b, table, cols[k], r)
					case wantNull && lo != nil:
						t.Errorf("bootstrap.b %d: %s.%s = %v, want null: %v", b, table, cols[k], lo, r)
					case lo != nil && !(lo.(float64) < hi.(float64)):
						t.Errorf("bootstrap.b %d: %s: zero-width or inverted %s [%v, %v]: %v", b, table, cols[k], lo, hi, r)
					case lo != nil:
						estimated++
					}
				}
				if table == "topic_prevalence" && r["interval_note"] == "" {
					t.Errorf("bootstrap.b %d: topic_prevalence without interval or interval_note: %v", b, r)
				}
			}
			if b == 0 && table != "topic_prevalence" && estimated == 0 {
				t.Errorf("bootstrap.b 0: no interval in %s", table)
			}
		}
	}
}

// A declared comparison whose side B has no analysed document (a group
// name the corpus does not have, or whose documents all failed) is a
// comparison with an empty side: no keyness or frame rows, docs_b 0 and a
// null jsd_terms in comparisons — not a crash (referenceJSD was called
// without a reference corpus).
func TestDeclaredSideWithoutDocuments(t *testing.T) {
	out := t.TempDir()
	cfg := Config{Out: out, Workers: 2}
	cfg.Compare.Comparisons = []ComparisonSpec{
		{Name: "typo", A: []string{"emotion_retention"}, B: []string{"security_restrictions"}},
		{Name: "pair", A: []string{"emotion_retention"}, B: []string{"security_restriction"}},
		{Name: "typo_a", A: []string{"emotion_retentions"}, B: []string{"security_restriction"}},
	}
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	cmps := rows(t, out, "comparisons")
	if len(cmps) != 3 {
		t.Fatalf("%d comparisons rows, want 3", len(cmps))
	}
	if r := cmps[0]; r["comparison"] != "typo" || r["docs_a"] != int64(1) || r["docs_b"] != int64(0) || r["words_b"] != int64(0) || r["jsd_terms"] != nil || r["jsd_topics"] != nil {
		t.Errorf("typo: %v", r)
	}
	if r := cmps[1]; r["comparison"] != "pair" || r["docs_b"] != int64(1) || r["jsd_terms"] == nil {
		t.Errorf("pair: %v", r)
	}
	if r := cmps[2]; r["comparison"] != "typo_a" || r["docs_a"] != int64(0) || r["docs_b"] != int64(1) || r["jsd_terms"] != nil || r["jsd_topics"] != nil {
		t.Errorf("typo_a: %v", r)
	}
	for _, table := range []string{"keyness", "frame_comparisons", "topic_prevalence"} {
		for _, r := range rows(t, out, table) {
			if r["comparison"] == "typo" || r["comparison"] == "typo_a" {
				t.Fatalf("%s has a row of a comparison with an empty side: %v", table, r)
			}
		}
	}
}
