package pipeline

import (
	"strings"
	"testing"
)

// TestFrameEntriesAddUp recomputes frame_entries from the evidence table:
// each entry's hits and matched forms from frame_sentences (entries and
// matched, negated ones apart), and each frame's total from group_frames.
func TestFrameEntriesAddUp(t *testing.T) {
	out := sampleOut(t)
	type key struct{ group, frame, entry string }
	// From frame_sentences: per (group, frame, entry), all matches and
	// forms. Negated matches are not marked per match there, so compare
	// hits+negated with all matches, and forms only where no match is
	// negated.
	all := map[key]int64{}
	forms := map[key]map[string]int64{}
	negSent := map[key]bool{}
	for _, r := range rows(t, out, "frame_sentences") {
		g, f := r["group"].(string), r["frame"].(string)
		ents, matched := r["entries"].([]any), r["matched"].([]any)
		for i, e := range ents {
			k := key{g, f, e.(string)}
			all[k]++
			if r["negated_hits"].(int64) > 0 {
				negSent[k] = true
			}
			if forms[k] == nil {
				forms[k] = map[string]int64{}
			}
			forms[k][strings.ToLower(matched[i].(string))]++
		}
	}
	frameHits := map[[2]string]int64{}
	for _, r := range rows(t, out, "group_frames") {
		frameHits[[2]string{r["group"].(string), r["frame"].(string)}] = r["hits"].(int64)
	}
	sums := map[[2]string]int64{}
	fe := rows(t, out, "frame_entries")
	if len(fe) == 0 {
		t.Fatal("frame_entries is empty")
	}
	seen := map[key]bool{}
	for _, r := range fe {
		k := key{r["group"].(string), r["frame"].(string), r["entry"].(string)}
		seen[k] = true
		hits, neg := r["hits"].(int64), r["negated_hits"].(int64)
		if hits+neg != all[k] {
			t.Errorf("%v: hits %d + negated %d, frame_sentences has %d matches", k, hits, neg, all[k])
		}
		sums[[2]string{k.group, k.frame}] += hits
		if fh := frameHits[[2]string{k.group, k.frame}]; r["frame_hits"].(int64) != fh {
			t.Errorf("%v: frame_hits %d, group_frames.hits %d", k, r["frame_hits"], fh)
		} else if fh > 0 {
			if share := r["share"].(float64); share != float64(hits)/float64(fh) {
				t.Errorf("%v: share %g, want %d/%d", k, share, hits, fh)
			}
		}
		if !negSent[k] {
			tf, th := r["top_forms"].([]any), r["top_form_hits"].([]any)
			for i := range tf {
				if got, want := th[i].(int64), forms[k][tf[i].(string)]; got != want {
					t.Errorf("%v: form %q has %d hits, frame_sentences %d", k, tf[i], got, want)
				}
			}
		}
	}
	for k := range all {
		if !seen[k] {
			t.Errorf("%v: matched in frame_sentences, no frame_entries row", k)
		}
	}
	for k, n := range frameHits {
		if sums[k] != n {
			t.Errorf("%v: frame_entries hits sum to %d, group_frames.hits %d", k, sums[k], n)
		}
	}
}
