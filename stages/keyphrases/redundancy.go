package keyphrases

import (
	"sort"
	"strings"
)

// removeRedundant walks the ranking and drops a phrase when a better one
// already says the same: the same set of stems in another order ("security
// research" after "research security"), or a contiguous part of it
// ("security" after "research security"). It stops once topN phrases are
// kept.
func removeRedundant(ps []Candidate, order []int, topN int) []int {
	kept := make([]int, 0, topN)
	seenSets := map[string]bool{}
	for _, i := range order {
		if len(kept) == topN {
			break
		}
		p := &ps[i]
		set := stemSet(p.Key)
		if seenSets[set] {
			continue
		}
		redundant := false
		for _, j := range kept {
			if containsWords(ps[j].Key, p.Key) {
				redundant = true
				break
			}
		}
		if redundant {
			continue
		}
		seenSets[set] = true
		kept = append(kept, i)
	}
	return kept
}

// stemSet is the sorted distinct stems of a key.
func stemSet(key string) string {
	ws := strings.Fields(key)
	sort.Strings(ws)
	out := ws[:0]
	for i, w := range ws {
		if i == 0 || w != ws[i-1] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// containsWords reports whether sub is a contiguous word sequence of key.
func containsWords(key, sub string) bool {
	if len(sub) >= len(key) {
		return false
	}
	i := strings.Index(" "+key+" ", " "+sub+" ")
	return i >= 0
}
