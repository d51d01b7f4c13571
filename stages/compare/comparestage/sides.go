package comparestage

import (
	"slices"
	"sort"
	"strings"

	"github.com/framelens/framelens/stages/compare"
)

// BuildPlan returns the run's comparisons over the analysed groups (sorted):
// the declared ones, every group against the reference corpus, or the
// plan kind's.
func (s Settings) BuildPlan(groups []string) ([]compare.Comparison, error) {
	if s.Reference != "" && len(s.Comparisons) == 0 && s.Plan == "" {
		// Every group against the reference corpus.
		out := make([]compare.Comparison, len(groups))
		for i, g := range groups {
			out[i] = compare.Comparison{Name: g + " vs reference", A: []string{g}}
		}
		return out, nil
	}
	if len(s.Comparisons) > 0 {
		return slices.Clone(s.Comparisons), nil
	}
	return compare.BuildPlan(s.Plan, groups)
}

// ComparablePlan is BuildPlan, or nil when there is nothing to compare (fewer
// than two groups, no declared comparison, no reference corpus). The
// comparison tables, frame_comparisons and the registered analyses all
// take it.
func (s Settings) ComparablePlan(groups []string) ([]compare.Comparison, error) {
	if len(groups) >= 2 || len(s.Comparisons) > 0 || (s.Reference != "" && len(groups) > 0) {
		return s.BuildPlan(groups)
	}
	return nil, nil
}

// Sides works out the sides of every comparison of the plan over docs,
// with the analysed groups (sorted); no comparisons when there is nothing
// to compare.
func (s Settings) Sides(docs []Doc) ([]Sides, []string, error) {
	// One pass over the documents: every comparison's sides are sums of
	// these.
	tally := map[string]GroupTally{}
	for _, d := range docs {
		if !d.Failed {
			t := tally[d.Group]
			t.Docs++
			t.Words += int64(d.Words)
			tally[d.Group] = t
		}
	}
	names := make([]string, 0, len(tally))
	for g := range tally {
		names = append(names, g)
	}
	sort.Strings(names)
	cmps, err := s.ComparablePlan(names)
	if err != nil || cmps == nil {
		return nil, names, err
	}
	gt := NewGroupTallies(names, tally)
	plan := make([]Sides, len(cmps))
	for i, c := range cmps {
		plan[i] = gt.Sides(c, s.Reference != "")
	}
	return plan, names, nil
}

// Sides is a comparison of the plan with its two sides worked out once:
// their labels, which groups are on each, and the analysed documents and
// words of this corpus on each. Every table of the comparison reads its
// sides from here.
type Sides struct {
	Cmp  compare.Comparison
	A, B string // labels: "x+y"; side B "rest" or "reference" when no group is declared
	// Reference says side B is the reference corpus (compare.reference,
	// and no groups declared for B): no group of this corpus is on it.
	Reference bool
	// DocsA, DocsB, WordsA and WordsB count the analysed (not failed)
	// documents of this corpus on each side and their words.
	DocsA, DocsB   int
	WordsA, WordsB int64
}

// GroupTally is the analysed documents of a group and their words.
type GroupTally struct {
	Docs  int
	Words int64
}

// GroupTallies are the analysed groups' tallies with their sum, so that
// each comparison's sides cost its declared groups, not every group (the
// rest is the sum less side A): each of 10,000 groups against the rest.
type GroupTallies struct {
	tally map[string]GroupTally // the analysed groups only
	all   GroupTally
}

// NewGroupTallies keeps the tallies of groups.
func NewGroupTallies(groups []string, tally map[string]GroupTally) *GroupTallies {
	gt := &GroupTallies{tally: make(map[string]GroupTally, len(groups))}
	for _, g := range groups {
		if _, dup := gt.tally[g]; dup {
			continue
		}
		t := tally[g]
		gt.tally[g] = t
		gt.all.Docs += t.Docs
		gt.all.Words += t.Words
	}
	return gt
}

// Sides works out the sides of c. A group declared on both sides (which
// the config's validation refuses) counts on side A.
func (gt *GroupTallies) Sides(c compare.Comparison, reference bool) Sides {
	cs := Sides{Cmp: c, A: strings.Join(c.A, "+"), B: "rest", Reference: reference && len(c.B) == 0}
	switch {
	case len(c.B) > 0:
		cs.B = strings.Join(c.B, "+")
	case cs.Reference:
		cs.B = "reference"
	}
	seen := map[string]bool{}
	for _, g := range c.A {
		if t, ok := gt.tally[g]; ok && !seen[g] {
			seen[g] = true
			cs.DocsA += t.Docs
			cs.WordsA += t.Words
		}
	}
	switch {
	case cs.Reference:
	case len(c.B) > 0:
		for _, g := range c.B {
			if t, ok := gt.tally[g]; ok && !seen[g] {
				seen[g] = true
				cs.DocsB += t.Docs
				cs.WordsB += t.Words
			}
		}
	default:
		cs.DocsB = gt.all.Docs - cs.DocsA
		cs.WordsB = gt.all.Words - cs.WordsA
	}
	return cs
}

// HaveCounts reports whether both sides have counts of a feature kind:
// c's groups on each side, or the reference corpus's counts for side B.
func (cs *Sides) HaveCounts(c, reference *compare.Counts) bool {
	var a, b int64
	for _, g := range cs.Cmp.A {
		a += c.Total(g)
	}
	switch {
	case cs.Reference:
		if reference != nil {
			for _, g := range reference.Groups() {
				b += reference.Total(g)
			}
		}
	case len(cs.Cmp.B) > 0:
		for _, g := range cs.Cmp.B {
			b += c.Total(g)
		}
	default:
		// The rest: every group's count but A's (a sum over groups would
		// cost every group for each of as many comparisons).
		b = c.GrandTotal() - a
	}
	return a > 0 && b > 0
}

// NewDocCounts registers every document of docs, in order: the analysed
// ones for which in says so (nil: all) with their group and words, the
// others outside every side (failed documents are in no group).
func NewDocCounts(docs []Doc, in func(i int) bool) *compare.DocCounts {
	dc := &compare.DocCounts{}
	for i, d := range docs {
		switch {
		case d.Failed:
			dc.AddDocOutside(d.Group, false)
		case in != nil && !in(i):
			dc.AddDocOutside(d.Group, true)
		default:
			dc.AddDoc(d.Group, int64(d.Words))
		}
	}
	return dc
}
