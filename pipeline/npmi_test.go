package pipeline

import (
	"context"
	"math"
	"strings"
	"testing"
)

// topics.npmi is a coherence in [-1, 1], or null when it cannot be
// computed — never NaN or infinite. Windows hold single words, so a
// topic whose top 10 terms hold a 2-gram (vectorize.ngram_max: 2) has no
// NPMI: it was +Inf.
func TestTopicNPMIIsNullNeverNaN(t *testing.T) {
	skipShort(t)
	for _, ngrams := range []int{1, 2} {
		cfg := Config{Out: t.TempDir(), Seed: 3, SkipStages: []string{"entities", "keyphrases", "frames", "keyness", "collocations"}}
		cfg.Vectorize.NGramMax = ngrams
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			t.Fatal(err)
		}
		rs := rows(t, cfg.Out, "topics")
		twoGram := map[int64]bool{} // topics with a 2-gram among the 10 terms NPMI scores
		for _, r := range rs {
			if r["rank"].(int64) <= 10 && strings.Contains(r["term"].(string), " ") {
				twoGram[r["topic"].(int64)] = true
			}
		}
		nulls := 0
		for _, r := range rs {
			topic := r["topic"].(int64)
			v, ok := r["npmi"].(float64)
			switch {
			case !ok && r["npmi"] != nil:
				t.Fatalf("npmi is a %T", r["npmi"])
			case !ok:
				nulls++
				if !twoGram[topic] {
					t.Errorf("ngram_max %d, topic %d: npmi null, but its top terms are words", ngrams, topic)
				}
			case twoGram[topic] || math.IsNaN(v) || v < -1 || v > 1:
				t.Errorf("ngram_max %d, topic %d: npmi %v (a 2-gram among its top terms: %v)", ngrams, topic, v, twoGram[topic])
			}
		}
		t.Logf("ngram_max %d: %d rows, %d topics with a 2-gram in their top 10, %d rows with a null npmi", ngrams, len(rs), len(twoGram), nulls)
		if ngrams == 2 && len(twoGram) == 0 {
			t.Error("no topic of the sample has a 2-gram among its top terms with ngram_max 2: the test checks nothing")
		}
	}
}
