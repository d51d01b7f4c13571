package keyphrases

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/framelens/framelens/corpus/sharedtest"
	"github.com/framelens/framelens/stages/tokenize"
)

// semevalHeldOut reports whether a SemEval-2010 train paper belongs to the
// third held out from tuning: with the ids sorted by ACM category letter
// (C, H, I, J) and then number, every third paper (positions 2, 5, 8, …;
// 48 of 145). The long-document model (fittedLongWeights) was fitted on
// the other 97 and never saw these.
func semevalHeldOut(ids []string) map[string]bool {
	s := slices.Clone(ids)
	slices.SortFunc(s, func(a, b string) int {
		pa, pb := strings.SplitN(a, "-", 2), strings.SplitN(b, "-", 2)
		if c := strings.Compare(pa[0], pb[0]); c != 0 || len(pa) < 2 || len(pb) < 2 {
			return c
		}
		na, _ := strconv.Atoi(pa[1])
		nb, _ := strconv.Atoi(pb[1])
		return na - nb
	})
	out := map[string]bool{}
	for i, id := range s {
		if i%3 == 2 {
			out[id] = true
		}
	}
	return out
}

// fullPaperScores tokenises the papers of a data set once and scores every
// method on them (keep selects the scored papers, nil all; document
// frequencies count all).
func fullPaperScores(t *testing.T, name, split string, keep func(id string) bool) map[string]*EvalReport {
	t.Helper()
	dir := sharedtest.Path(t, "eval/keyphrase/"+name)
	gold, err := readGold(filepath.Join(dir, "keys.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := tokenize.New(tokenize.Config{})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := New(Config{})
	docs, err := loadInspec(context.Background(), tk, base, filepath.Join(dir, "docs"), gold)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*EvalReport{}
	for _, m := range []string{MethodTextRank, MethodSingleRank, MethodPositionRank, MethodTFIDF, MethodYAKE, MethodEnsemble} {
		ex, _ := New(Config{Method: m})
		for _, d := range docs {
			d.cands = ex.Candidates(d.doc)
		}
		var dfs []string
		if ex.NeedsCorpusStats() {
			dfs = []string{split}
		}
		r, err := scoreInspec(ex, docs, split, dfs, keep, nil)
		if err != nil {
			t.Fatal(err)
		}
		out[m] = r
	}
	return out
}

// TestFullPapers checks key phrases of whole papers (SemEval-2010 train,
// NUS): every graph method at least 0.15 F1@10 (pke's published
// SemEval-2010 test figures are about 0.16) and the default at least the
// best single method. It printed the table of docs/eval-keyphrases.md.
func TestFullPapers(t *testing.T) {
	if testing.Short() {
		t.Skip("tokenises 354 full papers")
	}
	semGold, err := readGold(filepath.Join(sharedtest.Path(t, "eval/keyphrase/semeval2010-train"), "keys.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range semGold {
		ids = append(ids, g.ID)
	}
	held := semevalHeldOut(ids)
	if len(held) != 48 {
		t.Fatalf("held-out part has %d papers, want 48", len(held))
	}
	sets := []struct {
		name, data, split string
		keep              func(string) bool
		// graphGate: the 0.15 floor for the graph methods applies to the
		// whole data sets, as the target is stated; the held-out third is
		// listed for the default's unbiased figure.
		graphGate bool
	}{
		{"semeval2010-train (145)", "semeval2010-train", "train", nil, true},
		{"semeval2010-train held-out (48)", "semeval2010-train", "train", func(id string) bool { return held[id] }, false},
		{"nus (209)", "nus", SplitAll, nil, true},
	}
	for _, s := range sets {
		rs := fullPaperScores(t, s.data, s.split, s.keep)
		best, bestM := 0.0, ""
		for _, m := range []string{MethodTextRank, MethodSingleRank, MethodPositionRank, MethodTFIDF, MethodYAKE, MethodEnsemble} {
			r := rs[m]
			fmt.Fprintf(os.Stdout, "%-32s %-13s F1@5 %.3f F1@10 %.3f P@10 %.3f R@10 %.3f (%d papers)\n", s.name, m, r.F5, r.F10, r.P10, r.R10, r.Docs)
			if m != MethodEnsemble && r.F10 > best {
				best, bestM = r.F10, m
			}
		}
		for _, m := range []string{MethodTextRank, MethodSingleRank, MethodPositionRank} {
			if s.graphGate && rs[m].F10 < 0.15 {
				t.Errorf("%s: %s F1@10 %.3f, want >= 0.15", s.name, m, rs[m].F10)
			}
		}
		if d := rs[MethodEnsemble].F10; d < best {
			t.Errorf("%s: default F1@10 %.3f below %s's %.3f", s.name, d, bestM, best)
		}
	}
}
