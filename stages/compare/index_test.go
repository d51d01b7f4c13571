package compare

import (
	"fmt"
	"math"
	"testing"
)

// TestKeepReturnsTheEndsOfTheFullResult checks that a bounded comparison
// returns exactly the highest and lowest rows of the full one, adjusted
// p-values included, on real counts (State of the Union by era).
func TestKeepReturnsTheEndsOfTheFullResult(t *testing.T) {
	_, era := sotu(t)
	plan, err := BuildPlan(PlanEachVsRest, era.Groups())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plan {
		full, err := Compare(era, c, Config{})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := Compare(era, c, Config{Keep: 200})
		if err != nil {
			t.Fatal(err)
		}
		if len(full) < 1000 || len(kept) != 200 {
			t.Fatalf("%s: %d rows in full, %d kept; want > 1000 and 200", c.Label(), len(full), len(kept))
		}
		want := append(append([]Keyness(nil), full[:100]...), full[len(full)-100:]...)
		if !sameRows(kept, want) {
			for i := range kept {
				if !sameRows(kept[i:i+1], want[i:i+1]) {
					t.Fatalf("%s row %d: kept %+v, full %+v", c.Label(), i, kept[i], want[i])
				}
			}
		}
	}
}

// TestBHAtMatchesBH checks the adjustment of selected p-values against the
// full procedure, with ties and NaNs.
func TestBHAtMatchesBH(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, math.NaN(), 0.04, 0.5, 0.0001, 0.04, 1, 0.2, 0.03}
	all := BH(p)
	at := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	got := bhAt(p, at)
	for k, i := range at {
		if !(got[k] == all[i] || math.IsNaN(got[k]) && math.IsNaN(all[i])) {
			t.Errorf("p[%d]=%g: bhAt %g, BH %g", i, p[i], got[k], all[i])
		}
	}
}

// TestFrozenCountsAnswerAsBefore checks that freezing keeps every count,
// and that counts added after freezing are kept too.
func TestFrozenCountsAnswerAsBefore(t *testing.T) {
	party, _ := sotu(t)
	groups := party.Groups()
	words := []string{"the", "freedom", "taxes", "soviet", "no-such-word"}
	want := map[string]int64{}
	for _, g := range groups {
		for _, w := range words {
			want[g+"/"+w] = party.Count(g, w)
		}
	}
	nFeat := len(party.Features(groups[0]))
	before, err := Compare(party, Pair(groups[0], groups[1]), Config{MinCount: 5})
	if err != nil {
		t.Fatal(err)
	}
	party.Freeze()
	for _, g := range groups {
		for _, w := range words {
			if got := party.Count(g, w); got != want[g+"/"+w] {
				t.Errorf("frozen Count(%s, %s) = %d, want %d", g, w, got, want[g+"/"+w])
			}
		}
	}
	if want["Democratic/freedom"] == 0 || len(party.Features(groups[0])) != nFeat {
		t.Fatalf("frozen Features: %d, want %d", len(party.Features(groups[0])), nFeat)
	}
	after, err := Compare(party, Pair(groups[0], groups[1]), Config{MinCount: 5})
	if err != nil || !sameRows(before, after) {
		t.Fatalf("comparison changed by freezing (%v)", err)
	}
	party.Add(groups[0], "freedom", 2)
	if got := party.Count(groups[0], "freedom"); got != want[groups[0]+"/freedom"]+2 {
		t.Errorf("Add after Freeze: count %d, want %d", got, want[groups[0]+"/freedom"]+2)
	}
	pr := party.Pruned(1000)
	for _, f := range pr.Features(groups[1]) {
		if party.Count(groups[0], f)+party.Count(groups[1], f) < 1000 {
			t.Errorf("Pruned(1000) kept %q", f)
		}
	}
}

// TestAddGroupKeepsCountsFrozen checks that registering a group, known or
// new, on frozen counts does not bring the maps back.
func TestAddGroupKeepsCountsFrozen(t *testing.T) {
	var c Counts
	c.Add("a", "visa", 3)
	c.Add("b", "belonging", 2)
	c.Freeze()
	c.AddGroup("a")
	c.AddGroup("c")
	if c.groups != nil || c.ix == nil {
		t.Fatalf("AddGroup thawed frozen counts")
	}
	if got := c.Groups(); len(got) != 3 || got[2] != "c" || c.Total("c") != 0 {
		t.Fatalf("groups %v, total(c) %d; want a, b, c and 0", got, c.Total("c"))
	}
	ks, err := Compare(&c, Comparison{A: []string{"a"}}, Config{})
	if err != nil || len(ks) != 2 || ks[0].Feature != "visa" || ks[0].CountB != 0 {
		t.Fatalf("a vs rest after AddGroup: %+v, %v", ks, err)
	}
}

// An empty count frozen (no feature of a kind in the whole corpus) still
// takes its groups.
func TestAddGroupOnEmptyFrozenCounts(t *testing.T) {
	var c Counts
	c.Freeze()
	c.AddGroup("a")
	c.AddGroup("b")
	if got := c.Groups(); len(got) != 2 || c.Total("a") != 0 {
		t.Fatalf("groups %v, want a and b with no counts", got)
	}
}

// sameRows compares keyness rows field by field, NaN equal to NaN (the
// dispersion of counts given without documents is NaN).
func sameRows(a, b []Keyness) bool {
	return fmt.Sprintf("%+v", a) == fmt.Sprintf("%+v", b)
}
