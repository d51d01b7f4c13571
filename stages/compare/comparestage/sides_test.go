package comparestage

import (
	"strings"
	"testing"

	"github.com/framelens/framelens/stages/compare"
)

// A comparison's sides are worked out once, from the groups' tallies: the
// declared groups of B, the rest, or the reference corpus; a group on both
// sides (which Config.validate refuses) would count its documents on side A.
func TestComparisonSides(t *testing.T) {
	groups := []string{"x", "y", "z"}
	tally := map[string]GroupTally{"x": {2, 200}, "y": {3, 30}, "z": {5, 5}}
	for _, tc := range []struct {
		name      string
		a, b      []string
		reference bool
		label     string
		docs      [2]int
		words     [2]int64
	}{
		{"pair", []string{"x"}, []string{"y"}, false, "y", [2]int{2, 3}, [2]int64{200, 30}},
		{"rest", []string{"x"}, nil, false, "rest", [2]int{2, 8}, [2]int64{200, 35}},
		{"two vs rest", []string{"x", "z"}, nil, false, "rest", [2]int{7, 3}, [2]int64{205, 30}},
		{"reference", []string{"y"}, nil, true, "reference", [2]int{3, 0}, [2]int64{30, 0}},
		{"declared with a reference", []string{"y"}, []string{"z"}, true, "z", [2]int{3, 5}, [2]int64{30, 5}},
		{"a group on both sides", []string{"x", "y"}, []string{"y", "z"}, false, "y+z", [2]int{5, 5}, [2]int64{230, 5}},
		{"a group without documents", []string{"x"}, []string{"w"}, false, "w", [2]int{2, 0}, [2]int64{200, 0}},
	} {
		cs := NewGroupTallies(groups, tally).Sides(compare.Comparison{A: tc.a, B: tc.b}, tc.reference)
		if cs.B != tc.label || cs.DocsA != tc.docs[0] || cs.DocsB != tc.docs[1] || cs.WordsA != tc.words[0] || cs.WordsB != tc.words[1] {
			t.Errorf("%s: side B %q, docs %d/%d, words %d/%d; want %q, %v, %v", tc.name, cs.B, cs.DocsA, cs.DocsB, cs.WordsA, cs.WordsB, tc.label, tc.docs, tc.words)
		}
	}
	// Counts of a kind y does not have.
	var c, ref compare.Counts
	c.Add("x", "visa", 4)
	c.AddGroup("y")
	c.Add("z", "visa", 3)
	ref.Add("reference", "visa", 9)
	for _, tc := range []struct {
		a, b      []string
		reference bool
		want      bool
	}{
		{[]string{"x"}, []string{"z"}, false, true},
		{[]string{"x"}, []string{"y"}, false, false},
		{[]string{"y"}, []string{"x"}, false, false},
		{[]string{"z"}, nil, false, true},           // x is in the rest
		{[]string{"x", "z"}, nil, false, false},     // the rest, y, has none
		{[]string{"x", "z"}, nil, true, true},       // the reference has some
		{[]string{"y"}, nil, true, false},           // side A has none
		{[]string{"x"}, []string{"x"}, false, true}, // refused by Config.validate
	} {
		cs := NewGroupTallies(groups, tally).Sides(compare.Comparison{A: tc.a, B: tc.b}, tc.reference)
		if got := cs.HaveCounts(&c, &ref); got != tc.want {
			t.Errorf("%v vs %v (reference %v): haveCounts %v, want %v", tc.a, tc.b, tc.reference, got, tc.want)
		}
	}
}

// TestLanguageWarningRest: side B of a comparison with the rest counts the
// documents of every group not on side A, taken as the corpus's less A's.
func TestLanguageWarningRest(t *testing.T) {
	byGroup := map[string]map[string]int{}
	for _, d := range [][2]string{{"g1", "zh"}, {"g1", "zh"}, {"g2", "en"}, {"g3", "en"}, {"g3", "en"}, {"g3", ""}} {
		if byGroup[d[0]] == nil {
			byGroup[d[0]] = map[string]int{}
		}
		byGroup[d[0]][d[1]]++
	}
	all := languageTotals(byGroup)
	for _, c := range []struct {
		a    []string
		want string
	}{
		{[]string{"g1"}, "(A: zh 2; B: en 4 documents)"},
		{[]string{"g2"}, "(A: en 1; B: en 3, zh 2 documents)"},
		{[]string{"g2", "g3"}, "(A: en 4; B: zh 2 documents)"},
	} {
		got := languageWarning(Sides{Cmp: compare.Comparison{A: c.a}}, byGroup, all)
		if !strings.Contains(got, c.want) {
			t.Errorf("A %v: %q, want %q", c.a, got, c.want)
		}
	}
}
