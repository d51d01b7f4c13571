package pipeline

import (
	"context"
	"testing"
)

// TestKeynessRowsAreBounded: a plan that would write more keyness rows than
// compare.max_rows keeps an equal share per comparison and feature kind,
// the most over-used features of each side, and no bound (-1) keeps them
// all.
func TestKeynessRowsAreBounded(t *testing.T) {
	path := manyGroupsCorpus(t, t.TempDir(), 12, 40)
	count := func(maxRows int) (int, map[[2]string]int) {
		out := t.TempDir()
		cfg := Config{Corpus: path, Out: out, Workers: 2}
		cfg.Compare.MaxRows = maxRows
		if _, err := Run(context.Background(), cfg, Options{}); err != nil {
			t.Fatal(err)
		}
		per := map[[2]string]int{}
		rs := rows(t, out, "keyness")
		for _, r := range rs {
			per[[2]string{r["comparison"].(string), r["feature_kind"].(string)}]++
		}
		return len(rs), per
	}
	all, _ := count(-1)
	capped, per := count(240)
	if all <= 240 {
		t.Fatalf("uncapped plan writes %d rows: nothing to bound", all)
	}
	if capped > 240 || capped == 0 {
		t.Errorf("compare.max_rows 240: %d rows", capped)
	}
	// 12 comparisons × 5 kinds: 4 rows each, 2 a side.
	for k, n := range per {
		if n > 4 {
			t.Errorf("%v: %d rows, want at most 4", k, n)
		}
	}
}
