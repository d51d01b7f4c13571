package compare

import (
	"fmt"
	"slices"
	"strings"
)

// Comparison is one contrast: the groups of side A against those of side B.
// An empty B means "every other group" (or the reference corpus when the
// keyness Config has one).
type Comparison struct {
	Name string
	A, B []string
}

// Label returns Name, or "a vs b" built from the groups ("a vs rest").
func (c Comparison) Label() string {
	if c.Name != "" {
		return c.Name
	}
	b := "rest"
	if len(c.B) > 0 {
		b = strings.Join(c.B, "+")
	}
	return strings.Join(c.A, "+") + " vs " + b
}

// Plan kinds accepted by BuildPlan.
const (
	PlanPair       = "pair"
	PlanEachVsRest = "each_vs_rest"
	PlanAllPairs   = "all_pairs"
)

// Pair compares group a with group b.
func Pair(a, b string) Comparison {
	return Comparison{Name: a + " vs " + b, A: []string{a}, B: []string{b}}
}

// DefaultPair is the comparison of a corpus with exactly two groups, in
// sorted order (A = the first name).
func DefaultPair(groups []string) (Comparison, error) {
	g := sortedUnique(groups)
	if len(g) != 2 {
		return Comparison{}, fmt.Errorf("compare: an A-vs-B comparison needs exactly two groups, have %d (%s)", len(g), strings.Join(g, ", "))
	}
	return Pair(g[0], g[1]), nil
}

// EachVsRest compares every group with all the others, in sorted order.
func EachVsRest(groups []string) []Comparison {
	var out []Comparison
	for _, g := range sortedUnique(groups) {
		out = append(out, Comparison{Name: g + " vs rest", A: []string{g}})
	}
	return out
}

// AllPairs compares every pair of groups once (A sorts before B).
func AllPairs(groups []string) []Comparison {
	g := sortedUnique(groups)
	var out []Comparison
	for i := range g {
		for j := i + 1; j < len(g); j++ {
			out = append(out, Pair(g[i], g[j]))
		}
	}
	return out
}

// CheckPlan returns an error naming the plan kinds when kind is not one
// BuildPlan accepts ("" included).
func CheckPlan(kind string) error {
	switch kind {
	case "", PlanPair, PlanEachVsRest, PlanAllPairs:
		return nil
	}
	return fmt.Errorf("unknown plan %q (want %s, %s or %s)", kind, PlanPair, PlanEachVsRest, PlanAllPairs)
}

// BuildPlan builds the comparisons of a plan kind over groups. The kind ""
// means PlanPair for exactly two groups and PlanEachVsRest otherwise.
func BuildPlan(kind string, groups []string) ([]Comparison, error) {
	if err := CheckPlan(kind); err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	g := sortedUnique(groups)
	if kind == "" {
		kind = PlanEachVsRest
		if len(g) == 2 {
			kind = PlanPair
		}
	}
	switch kind {
	case PlanPair:
		c, err := DefaultPair(g)
		if err != nil {
			return nil, err
		}
		return []Comparison{c}, nil
	case PlanEachVsRest:
		if len(g) < 2 {
			return nil, fmt.Errorf("compare: each-vs-rest needs at least two groups, have %d", len(g))
		}
		return EachVsRest(g), nil
	}
	if len(g) < 2 {
		return nil, fmt.Errorf("compare: all-pairs needs at least two groups, have %d", len(g))
	}
	return AllPairs(g), nil
}

func sortedUnique(groups []string) []string {
	g := slices.Clone(groups)
	slices.Sort(g)
	return slices.Compact(g)
}
