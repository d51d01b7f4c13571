package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/framelens/framelens/corpus"
	"github.com/framelens/framelens/stages/vectorize"
)

// passageCorpus writes a corpus of ten documents in groups a and b: the
// sample's long paper cut into nine passages of a few hundred words (each
// with more than the 50 key-phrase candidates a document shortlists) and
// its abstract. It returns the path of its JSONL file.
func passageCorpus(t *testing.T) string {
	t.Helper()
	long, err := fs.ReadFile(corpus.SampleFS(), "zhang2024.txt")
	if err != nil {
		t.Fatal(err)
	}
	short, err := fs.ReadFile(corpus.SampleFS(), "sun2025.txt")
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(strings.ReplaceAll(string(long), "\r\n", "\n"), "\n\n")
	var passages []string
	var cur strings.Builder
	for _, p := range paras {
		cur.WriteString(p)
		cur.WriteString("\n\n")
		if len(strings.Fields(cur.String())) > 600 {
			passages = append(passages, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		passages = append(passages, cur.String())
	}
	passages = append(passages, string(short))
	if len(passages) < 8 {
		t.Fatalf("%d passages, want at least 8", len(passages))
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i, p := range passages {
		g := "a"
		if i%2 == 1 {
			g = "b"
		}
		if err := enc.Encode(map[string]string{"id": fmt.Sprintf("p%02d", i), "group": g, "text": p}); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "passages.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// perDoc is a feature kind's counts by feature and document, recounted
// from the tables.
type perDoc map[string]map[string]int64

func (p perDoc) add(feature, doc string, n int64) {
	if n == 0 {
		return
	}
	if p[feature] == nil {
		p[feature] = map[string]int64{}
	}
	p[feature][doc] += n
}

// Every count of the keyness table is the sum over a side's documents of
// what the other tables hold, recomputed here from them: terms from tfidf,
// n-grams and key phrases from the tokens (key phrases wherever their
// words occur, not only in the documents that rank them), entities from
// entity_mentions, topics from doc_topics and documents.n_words; and frame
// rates, documents with a hit and DP from frames. The documents with each feature and Gries' DP are
// recomputed by brute force over every document of the side.
func TestKeynessCountsAreTheTablesCounts(t *testing.T) {
	out := t.TempDir()
	cfg := Config{Corpus: passageCorpus(t), Out: out, Workers: 2, Seed: 3}
	cfg.Compare.MaxFeatures = -1 // every row, to check them all
	if _, err := Run(context.Background(), cfg, Options{}); err != nil {
		t.Fatal(err)
	}
	group, words := map[string]string{}, map[string]int64{}
	for _, r := range rows(t, out, "documents") {
		group[r["doc_id"].(string)] = r["group"].(string)
		words[r["doc_id"].(string)] = r["n_words"].(int64)
	}
	kinds := map[string]perDoc{FeatureTerm: {}, FeatureNGram: {}, FeatureKeyphrase: {}, FeatureEntity: {}, FeatureTopic: {}}
	hasTerms := map[string]bool{}
	for _, r := range rows(t, out, "tfidf") {
		kinds[FeatureTerm].add(r["term"].(string), r["doc_id"].(string), r["count"].(int64))
		hasTerms[r["doc_id"].(string)] = true
	}
	for _, r := range rows(t, out, "entity_mentions") {
		kinds[FeatureEntity].add(r["canonical"].(string), r["doc_id"].(string), r["mentions"].(int64))
	}
	labels := map[int64]string{}
	for _, r := range rows(t, out, "topics") {
		labels[r["topic"].(int64)] = fmt.Sprintf("%d: %s", r["topic"].(int64), r["label"].(string))
	}
	for _, r := range rows(t, out, "doc_topics") {
		d := r["doc_id"].(string)
		if hasTerms[d] { // the others have 1/K placeholders, on no side
			n := int64(math.Round(r["weight"].(float64) * float64(words[d])))
			kinds[FeatureTopic].add(labels[r["topic"].(int64)], d, n)
		}
	}
	// Key phrases: every norm of the keyphrases table, and what the
	// documents that rank it say of its count there.
	ranked := map[string]map[string]int64{}
	for _, r := range rows(t, out, "keyphrases") {
		n, d := r["norm"].(string), r["doc_id"].(string)
		if ranked[n] == nil {
			ranked[n] = map[string]int64{}
		}
		ranked[n][d] = r["count"].(int64)
	}
	// Tokens, per document in order, as corpus tokens: the n-grams are
	// what the run's vectoriser counts in them, the key phrases their
	// words' consecutive occurrences.
	toks := map[string][]corpus.Token{}
	for _, r := range rows(t, out, "tokens") {
		d := r["doc_id"].(string)
		toks[d] = append(toks[d], corpus.Token{Text: r["text"].(string), Lower: r["lower"].(string), Lemma: r["lemma"].(string),
			Stem: r["stem"].(string), POS: r["pos"].(string), Sentence: int(r["sentence_id"].(int64)),
			IsStop: r["is_stop"].(bool), IsPunct: r["is_punct"].(bool)})
	}
	vc := cfg.withDefaults().Vectorize
	vc.NGramMax = 3
	vec, err := vectorize.New(vc)
	if err != nil {
		t.Fatal(err)
	}
	for d, ts := range toks {
		for term, n := range vec.Count(&corpus.Document{Tokens: ts}) {
			if strings.Contains(term, " ") {
				kinds[FeatureNGram].add(term, d, int64(n))
			}
		}
		words := phraseWords(ts)
		for phrase := range ranked {
			kinds[FeatureKeyphrase].add(phrase, d, occurrences(words, strings.Split(phrase, " ")))
		}
	}

	checked := map[string]int{}
	beyondTop := 0 // key-phrase counts larger than the ranking documents' counts
	for _, r := range rows(t, out, "keyness") {
		kind, f := r["feature_kind"].(string), r["feature"].(string)
		a, b := r["group_a"].(string), r["group_b"].(string)
		side := func(d string) string {
			switch group[d] {
			case a:
				return "a"
			case b:
				return "b"
			}
			return ""
		}
		var count, docs, top map[string]int64 = map[string]int64{}, map[string]int64{}, map[string]int64{}
		for d, n := range kinds[kind][f] {
			count[side(d)] += n
			docs[side(d)]++
		}
		for d, n := range ranked[f] {
			top[side(d)] += n
		}
		for _, s := range []string{"a", "b"} {
			if got := r["count_"+s].(int64); got != count[s] {
				t.Errorf("%s %q: count_%s %d, the tables say %d", kind, f, s, got, count[s])
			}
			if got := r["docs_"+s].(int64); got != docs[s] {
				t.Errorf("%s %q: docs_%s %d, the tables say %d", kind, f, s, got, docs[s])
			}
			g := map[string]string{"a": a, "b": b}[s]
			dp := bruteDP(kinds[kind][f], group, words, g, kind == FeatureTopic, hasTerms)
			got, _ := r["dp_"+s].(float64)
			if (r["dp_"+s] == nil) != math.IsNaN(dp) || !math.IsNaN(dp) && math.Abs(got-dp) > 1e-9 {
				t.Errorf("%s %q: dp_%s %v, brute force %v", kind, f, s, r["dp_"+s], dp)
			}
			if kind == FeatureKeyphrase && count[s] > top[s] {
				beyondTop++
			}
		}
		if kind == FeatureKeyphrase && ranked[f] == nil {
			t.Errorf("keyphrase %q is in no document's key phrases", f)
		}
		checked[kind]++
	}
	for kind := range kinds {
		if checked[kind] == 0 {
			t.Errorf("no %s rows in keyness", kind)
		}
	}
	if beyondTop == 0 {
		t.Error("no key phrase occurs outside the documents that rank it: the corpus does not test the count")
	}
	t.Logf("rows checked by kind: %v; key-phrase sides counted beyond their ranking documents: %d", checked, beyondTop)

	// Frames: the sides' pooled rates are the frames table's hits over its
	// words.
	hits, fw := map[[2]string]int64{}, map[[2]string]int64{}
	frameDocs := perDoc{} // hits by frame and document
	for _, r := range rows(t, out, "frames") {
		k := [2]string{group[r["doc_id"].(string)], r["frame"].(string)}
		hits[k] += r["hits"].(int64)
		fw[k] += r["n_words"].(int64)
		frameDocs.add(k[1], r["doc_id"].(string), r["hits"].(int64))
	}
	nf := 0
	for _, r := range rows(t, out, "frame_comparisons") {
		for _, s := range []string{"a", "b"} {
			k := [2]string{r["group_"+s].(string), r["frame"].(string)}
			want := 1000 * float64(hits[k]) / float64(fw[k])
			if got := r["rate_"+s].(float64); math.Abs(got-want) > 1e-9 {
				t.Errorf("frame %s: rate_%s %v, frames table %v", k[1], s, got, want)
			}
			var docs int64
			for d := range frameDocs[k[1]] {
				if group[d] == k[0] {
					docs++
				}
			}
			if got := r["docs_"+s].(int64); got != docs {
				t.Errorf("frame %s: docs_%s %d, frames table %d", k[1], s, got, docs)
			}
			dp := bruteDP(frameDocs[k[1]], group, words, k[0], false, nil)
			got, _ := r["dp_"+s].(float64)
			if (r["dp_"+s] == nil) != math.IsNaN(dp) || !math.IsNaN(dp) && math.Abs(got-dp) > 1e-9 {
				t.Errorf("frame %s: dp_%s %v, brute force %v", k[1], s, r["dp_"+s], dp)
			}
		}
		nf++
	}
	if nf == 0 {
		t.Error("no frame_comparisons rows")
	}
}

// bruteDP is Gries' DP of a feature over the documents of group, from
// every document's count and words (zeros included): ½ Σ |v_i − s_i|.
// NaN when the group has no occurrence or fewer than two documents with
// words; topics count only the documents with topic weights (hasTerms).
func bruteDP(counts map[string]int64, group map[string]string, words map[string]int64, g string, topic bool, hasTerms map[string]bool) float64 {
	var total, size int64
	var docs []string
	for d, dg := range group {
		if dg != g || words[d] == 0 || topic && !hasTerms[d] {
			continue
		}
		docs = append(docs, d)
		total += counts[d]
		size += words[d]
	}
	if total == 0 || len(docs) < 2 {
		return math.NaN()
	}
	var sum float64
	for _, d := range docs {
		sum += math.Abs(float64(counts[d])/float64(total) - float64(words[d])/float64(size))
	}
	return sum / 2
}

// phraseWords spells a document's tokens as key phrases spell their words
// (the lemma of a common noun, else the lower-cased form; typographic
// dashes and apostrophes as ASCII), with "" where a phrase cannot go on:
// punctuation, symbols and sentence starts.
func phraseWords(ts []corpus.Token) []string {
	fold := strings.NewReplacer("\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-", "\u2018", "'", "\u2019", "'", "\u02bc", "'")
	var out []string
	sent := -1
	for _, t := range ts {
		word := strings.IndexFunc(t.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
		if t.IsPunct || !word || t.Sentence != sent {
			out = append(out, "")
			sent = t.Sentence
			if t.IsPunct || !word {
				continue
			}
		}
		w := t.Lower
		if (t.POS == "NN" || t.POS == "NNS") && t.Lemma != "" {
			w = t.Lemma
		}
		if w == "" {
			w = t.Text
		}
		out = append(out, fold.Replace(strings.ToLower(w)))
	}
	return out
}

// occurrences counts where phrase's words are consecutive in words.
func occurrences(words, phrase []string) int64 {
	var n int64
	for i := 0; i+len(phrase) <= len(words); i++ {
		match := true
		for k, w := range phrase {
			if words[i+k] != w {
				match = false
				break
			}
		}
		if match {
			n++
		}
	}
	return n
}

// The sample compares one 151-word abstract with one 6,603-word paper: the
// comparisons table says that each side is one document and that the
// sizes differ more than 10×, keyness falls back to the token-level order,
// and no table holds a zero-width interval (a null one says why).
func TestSampleComparisonSaysOneDocumentPerSide(t *testing.T) {
	out := sampleOut(t)
	cs := rows(t, out, "comparisons")
	if len(cs) != 1 {
		t.Fatalf("%d comparisons, want 1", len(cs))
	}
	c := cs[0]
	var warnings []string
	for _, w := range c["warnings"].([]any) {
		warnings = append(warnings, w.(string))
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{"side A (emotion_retention) has 1 document(s)", "side B (security_restriction) has 1 document(s)", "more than 10×", "no document-level test"} {
		if !strings.Contains(all, want) {
			t.Errorf("comparisons.warnings lacks %q: %q", want, warnings)
		}
	}
	if c["keyness_test"] != "tokens" || c["docs_a"] != int64(1) || c["docs_b"] != int64(1) {
		t.Errorf("keyness_test %v, docs %v/%v", c["keyness_test"], c["docs_a"], c["docs_b"])
	}
	intervals := map[string][][2]string{
		"frames":            {{"rate_lo", "rate_hi"}},
		"group_frames":      {{"rate_lo", "rate_hi"}, {"share_lo", "share_hi"}},
		"frame_comparisons": {{"rate_diff_lo", "rate_diff_hi"}, {"share_diff_lo", "share_diff_hi"}},
		"topic_prevalence":  {{"diff_lo", "diff_hi"}},
	}
	for table, pairs := range intervals {
		for _, r := range rows(t, out, table) {
			for _, p := range pairs {
				lo, hi := r[p[0]], r[p[1]]
				if lo != nil && hi != nil && lo.(float64) >= hi.(float64) {
					t.Errorf("%s: zero-width %s/%s [%v, %v]: %v", table, p[0], p[1], lo, hi, r)
				}
				if table == "topic_prevalence" && (lo != nil || r["interval_note"] == "") {
					t.Errorf("topic_prevalence with one document a side: interval %v, note %q", lo, r["interval_note"])
				}
			}
		}
	}
	for _, r := range rows(t, out, "keyness") {
		if r["doc_t"] != nil || r["dp_a"] != nil || r["docs_a"].(int64) > 1 || r["docs_b"].(int64) > 1 {
			t.Fatalf("keyness row with document-level statistics from one document a side: %v", r)
		}
	}
}
