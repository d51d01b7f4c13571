package pipeline

import (
	"slices"
	"strings"

	"github.com/framelens/framelens/stages/compare"
)

// comparisonSides is a comparison of the plan with its two sides worked
// out once: their labels, which groups are on each, and the analysed
// documents and words of this corpus on each. Every table of the
// comparison reads its sides from here.
type comparisonSides struct {
	cmp  compare.Comparison
	a, b string // labels: "x+y"; side B "rest" or "reference" when no group is declared
	// reference says side B is the reference corpus (compare.reference,
	// and no groups declared for B): no group of this corpus is on it.
	reference bool
	// docsA, docsB, wordsA and wordsB count the analysed (not failed)
	// documents of this corpus on each side and their words.
	docsA, docsB   int
	wordsA, wordsB int64
}

// newComparisonSides works out the sides of c over the analysed groups,
// whose documents and words are tallied by group.
func newComparisonSides(c compare.Comparison, reference bool, groups []string, tally map[string]groupTally) comparisonSides {
	return newGroupTallies(groups, tally).sides(c, reference)
}

// groupTallies are the analysed groups' tallies with their sum, so that
// each comparison's sides cost its declared groups, not every group (the
// rest is the sum less side A): each of 10,000 groups against the rest.
type groupTallies struct {
	tally map[string]groupTally // the analysed groups only
	all   groupTally
}

func newGroupTallies(groups []string, tally map[string]groupTally) *groupTallies {
	gt := &groupTallies{tally: make(map[string]groupTally, len(groups))}
	for _, g := range groups {
		if _, dup := gt.tally[g]; dup {
			continue
		}
		t := tally[g]
		gt.tally[g] = t
		gt.all.docs += t.docs
		gt.all.words += t.words
	}
	return gt
}

// sides works out the sides of c. A group declared on both sides (which
// Config.validate refuses) counts on side A.
func (gt *groupTallies) sides(c compare.Comparison, reference bool) comparisonSides {
	cs := comparisonSides{cmp: c, a: strings.Join(c.A, "+"), b: "rest", reference: reference && len(c.B) == 0}
	switch {
	case len(c.B) > 0:
		cs.b = strings.Join(c.B, "+")
	case cs.reference:
		cs.b = "reference"
	}
	seen := map[string]bool{}
	for _, g := range c.A {
		if t, ok := gt.tally[g]; ok && !seen[g] {
			seen[g] = true
			cs.docsA += t.docs
			cs.wordsA += t.words
		}
	}
	switch {
	case cs.reference:
	case len(c.B) > 0:
		for _, g := range c.B {
			if t, ok := gt.tally[g]; ok && !seen[g] {
				seen[g] = true
				cs.docsB += t.docs
				cs.wordsB += t.words
			}
		}
	default:
		cs.docsB = gt.all.docs - cs.docsA
		cs.wordsB = gt.all.words - cs.wordsA
	}
	return cs
}

// onA says whether group g is on side A.
func (cs *comparisonSides) onA(g string) bool { return slices.Contains(cs.cmp.A, g) }

// onB says whether group g is on side B: one of the declared groups of B,
// or, when none are declared, any group not on side A (the rest) — none
// when side B is the reference corpus. No group is declared on both sides:
// Config.validate refuses such a comparison before the run starts.
func (cs *comparisonSides) onB(g string) bool {
	switch {
	case cs.reference:
		return false
	case len(cs.cmp.B) > 0:
		return slices.Contains(cs.cmp.B, g)
	}
	return !cs.onA(g)
}

// haveCounts reports whether both sides have counts of a feature kind:
// c's groups on each side, or the reference corpus's counts for side B.
func (cs *comparisonSides) haveCounts(c, reference *compare.Counts) bool {
	var a, b int64
	for _, g := range cs.cmp.A {
		a += c.Total(g)
	}
	switch {
	case cs.reference:
		if reference != nil {
			for _, g := range reference.Groups() {
				b += reference.Total(g)
			}
		}
	case len(cs.cmp.B) > 0:
		for _, g := range cs.cmp.B {
			b += c.Total(g)
		}
	default:
		// The rest: every group's count but A's (a sum over groups would
		// cost every group for each of as many comparisons).
		b = c.GrandTotal() - a
	}
	return a > 0 && b > 0
}

// groupTally is the analysed documents of a group and their words.
type groupTally struct {
	docs  int
	words int64
}
